"""A real Oxigraph server for integration tests: free loopback port, readiness wait, clean stop.

The binary is the one the PyPI package `oxigraph` (test extra) installs next to the venv's
python. Its log is kept in a file and attached to any error raised while it runs, so a failing
test shows what the server said.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from servers import free_port, stop, wait_until_answers

READY_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class OxigraphServer:
    """Where a running server answers and where its log goes."""

    url: str  # http://127.0.0.1:PORT
    location: Path
    log: Path

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def store_url(self) -> str:
        return self.url + "/store"

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""


def oxigraph_binary() -> Path:
    """The `oxigraph` CLI of this venv (or on PATH); a missing one is a broken test install."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.exists():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise RuntimeError(
            "no `oxigraph` binary: install the test extra (pip install -e '.[test]')"
        )
    return Path(found)


@contextmanager
def oxigraph_server(
    location: Path,
    *,
    union_default_graph: bool = True,
    read_only: bool = False,
    port: int | None = None,
    extra: tuple[str, ...] = (),
) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` on 127.0.0.1, wait until it answers a query, stop it after.

    read_only runs `oxigraph serve-read-only` on a store loaded beforehand; port defaults to a
    free one.
    """
    location.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"{location.name}.log"
    port = port or free_port()
    server = OxigraphServer(f"http://127.0.0.1:{port}", location, log)
    command = [
        str(oxigraph_binary()),
        "serve-read-only" if read_only else "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        *(["--union-default-graph"] if union_default_graph else []),
        *extra,
    ]
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, "RUST_LOG": "warn"}
        )
    try:
        wait_until_answers(
            server.query_url + "?query=ASK%7B%7D",
            process,
            name=f"oxigraph {command[1]}",
            seconds=READY_TIMEOUT_S,
        )
        yield server
    except BaseException as err:
        err.add_note(f"oxigraph serve log ({log}):\n{server.log_text()[-4000:]}")
        raise
    finally:
        stop(process)
