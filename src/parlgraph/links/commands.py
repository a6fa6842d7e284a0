"""`parlgraph links ...`: refresh against live endpoints (the only network use), then review."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..cli_options import format_option, reports_errors
from ..errors import ParlgraphError
from ..paths import project_root
from .client import Policy
from .config import load_config, parse_overrides
from .lockfile import STATUSES, read_lock
from .paths import LinkPaths
from .refresh import refresh as run_refresh
from .review import decide, select


def _paths(root: Path | None) -> LinkPaths:
    return LinkPaths(root or project_root())


root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Project folder holding data/links/ and queries/links/ (default: this checkout).",
)


@click.group()
def links() -> None:
    """Links to EU open-data graphs (EuroVoc, NUTS, EU authority tables, Wikidata, ...).

    \b
    `refresh` queries the endpoints of queries/links/sources.toml and rewrites
    data/links/links.lock.tsv and data/links/snapshots/; `review` accepts or rejects the
    candidates; `parlgraph build` publishes the accepted ones without any network.
    """


@links.command()
@click.option(
    "--source",
    "sources",
    multiple=True,
    help="Refresh only this source (repeatable); the other sources' rows are kept.",
)
@click.option(
    "--endpoint",
    "endpoints",
    multiple=True,
    metavar="NAME=URL",
    help="Query URL instead of the configured one, e.g. cellar=http://127.0.0.1:7878/query.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--max-wait",
    type=click.FloatRange(min=0),
    default=120.0,
    show_default=True,
    help="Longest Retry-After (seconds) honoured before giving up.",
)
@format_option()
@root_option
def refresh(
    sources: tuple[str, ...],
    endpoints: tuple[str, ...],
    timeout: float,
    max_wait: float,
    output_format: str,
    root: Path | None,
) -> None:
    """Query the endpoints and propose candidate links (the only command that uses the network).

    Nothing is written unless every query succeeds: without network, or on a 429 past its
    Retry-After, a 5xx, a timeout or malformed results, it exits 1 and leaves the lock file
    and snapshots as they were.

    \b
    Example:
        parlgraph links refresh --source eurovoc --endpoint cellar=http://127.0.0.1:7878/query
    """
    try:
        paths = _paths(root)
        config = load_config(paths.config, parse_overrides(endpoints))
        report = run_refresh(
            paths,
            config,
            list(sources) or None,
            Policy(timeout=timeout, max_wait=max_wait),
            progress=lambda message: click.echo(message, err=True),
        )
    except ParlgraphError as err:
        raise click.ClickException(f"{err}; nothing was changed") from err
    for line in report.unmatched:
        click.echo(f"no candidate: {line}", err=True)
    if output_format == "json":
        click.echo(json.dumps(report.to_json(), indent=2))
    else:
        click.echo(
            f"{len(report.rows)} candidate rows from {len(report.snapshots)} source(s), "
            f"{report.queries} queries; review them with `parlgraph links review`"
        )


@links.command()
@click.option(
    "--status",
    type=click.Choice([*STATUSES, "all"]),
    default="candidate",
    show_default=True,
    help="Which rows to list.",
)
@click.option("--source", help="List only this source's rows.")
@click.option("--accept", multiple=True, metavar="ID", help="Accept the row with this id.")
@click.option("--reject", multiple=True, metavar="ID", help="Reject the row with this id.")
@format_option()
@root_option
@reports_errors
def review(
    status: str,
    source: str | None,
    accept: tuple[str, ...],
    reject: tuple[str, ...],
    output_format: str,
    root: Path | None,
) -> None:
    """List lock-file rows, or accept and reject them by id.

    \b
    Example:
        parlgraph links review                      # the candidates, with their ids
        parlgraph links review --accept 2da0464b74 --reject 9a71a6e0fd
    """
    paths = _paths(root)
    if accept or reject:
        changed = decide(paths.lock, list(accept), list(reject))
        for row in changed:
            click.echo(f"{row.id} {row.status}: {row.subject} {row.predicate} {row.target}")
        click.echo(f"{len(changed)} row(s) changed in {paths.lock}", err=True)
        return
    rows = select(read_lock(paths.lock), None if status == "all" else status, source)
    if output_format == "json":
        click.echo(json.dumps([{"id": r.id, **r.__dict__} for r in rows], indent=2))
        return
    for row in rows:
        click.echo(
            f"{row.id}  {row.status:<9} {row.method:<10} {row.score:.2f}  {row.subject}  "
            f'{row.predicate}  {row.target}  "{row.label}"{"@" + row.lang if row.lang else ""}'
        )
    click.echo(f"{len(rows)} row(s)", err=True)
