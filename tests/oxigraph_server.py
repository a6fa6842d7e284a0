"""A real Oxigraph server for integration tests: free loopback port, readiness wait, clean stop.

The binary is the one the PyPI package `oxigraph` (test extra) installs next to the venv's
python. Its log is kept in a file and attached to any error raised while it runs, so a failing
test shows what the server said.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@contextmanager
def oxigraph_server(
    location: Path, *, union_default_graph: bool = True, extra: tuple[str, ...] = ()
) -> Iterator[OxigraphServer]:
    """Start `oxigraph serve` on 127.0.0.1, wait until it answers a query, stop it after."""
    location.mkdir(parents=True, exist_ok=True)
    log = location.parent / f"{location.name}.log"
    port = free_port()
    server = OxigraphServer(f"http://127.0.0.1:{port}", location, log)
    command = [
        str(oxigraph_binary()),
        "serve",
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
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not _answers(server.url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"oxigraph serve exited with {process.returncode}:\n{server.log_text()}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"oxigraph serve not ready in {READY_TIMEOUT_S} s")
            time.sleep(0.1)
        yield server
    except BaseException as err:
        err.add_note(f"oxigraph serve log ({log}):\n{server.log_text()[-4000:]}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
