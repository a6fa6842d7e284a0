"""Options and error handling shared by the commands of cli.py and links/commands.py.

Declared once here so that `--format text|json`, `--store`, `--base` and `--out` read and
behave the same in every command. Apart from cli.py so that links/commands.py can use them
without importing the command group that adds it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from .errors import ParlgraphError

base_option = click.option(
    "--base",
    default="https://w3id.org/parlgraph/",
    show_default=True,
    help="Base IRI of the minted identifiers (http(s), ending with '/').",
)


def store_option(
    help: str = "Query a store made by `parlgraph build` instead of building the bundled sources.",
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--store DIR` (into `store_dir`): an existing store made by `parlgraph build`."""
    return click.option(
        "--store",
        "store_dir",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help=help,
    )


def format_option(help: str | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--format text|json` (into `output_format`): text for people, json for programs."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help,
    )


def out_dir_option(
    help: str, default: Path | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """`--out DIR` (into `out_dir`): the folder a command writes into."""
    return click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=default,
        show_default=default is not None,
        help=help,
    )


def reports_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn parlgraph's own errors into a one-line message and exit code 1."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ParlgraphError as err:
            raise click.ClickException(str(err)) from err

    return wrapper
