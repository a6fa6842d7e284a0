"""Real servers on 127.0.0.1 for the linking tests: Oxigraph, and one that misbehaves on purpose.

`oxigraph serve-read-only` (the binary of the PyPI package `oxigraph`, beside this Python)
serves the vendored EU data under Cellar's graph names. The misbehaving server answers 429 with
Retry-After, 500, a body that is not SPARQL JSON, or nothing until the client gives up, so the
refresh's error paths run over a real socket.

Run `python tests/link_servers.py --port 7878` to serve the fixtures by hand (the committed
lock file was refreshed that way; see data/links/README.md).
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import json
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # run as a script or collected by pytest
from link_fixtures import build_fixtures, vendor_dir
from oxigraph_server import oxigraph_binary, oxigraph_server


def load_store(location: Path, work: Path) -> None:
    """Bulk-load every fixture file into an Oxigraph store under its named graph."""
    for fixture in build_fixtures(vendor_dir(), work):
        subprocess.run(
            [
                str(oxigraph_binary()),
                "load",
                "--location",
                str(location),
                "--file",
                str(fixture.path),
                "--format",
                fixture.format,
                "--graph",
                fixture.graph,
            ],
            check=True,
            capture_output=True,
        )


@contextlib.contextmanager
def cellar_server(location: Path, port: int | None = None) -> Iterator[str]:
    """Serve a loaded store read-only on 127.0.0.1; yields the query URL; stops it after."""
    with oxigraph_server(location, read_only=True, union_default_graph=False, port=port) as server:
        yield server.query_url


class Misbehaviour:
    """What the misbehaving server does next; `requests` counts what it received."""

    def __init__(self) -> None:
        self.plan: list[tuple[str, str]] = []  # (kind, argument), consumed in order
        self.default: tuple[str, str] = ("ok", "")
        self.requests: list[dict[str, str]] = []


def _handler(state: Misbehaviour) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep pytest output clean
            pass

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            self.rfile.read(length)
            self._answer()

        def _answer(self) -> None:
            state.requests.append(
                {"user-agent": self.headers.get("User-Agent", ""), "time": str(time.time())}
            )
            kind, argument = state.plan.pop(0) if state.plan else state.default
            if kind == "429":
                self._send(429, b"slow down", {"Retry-After": argument})
            elif kind == "500":
                self._send(500, b"internal error")
            elif kind == "garbage":
                self._send(200, argument.encode(), {"Content-Type": "application/json"})
            elif kind == "hang":
                time.sleep(float(argument))
                self._send(200, b"{}")
            else:
                body = json.dumps({"head": {"vars": []}, "results": {"bindings": []}})
                self._send(200, body.encode(), {"Content-Type": "application/sparql-results+json"})

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            try:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up first (the timeout test)

    return Handler


@contextlib.contextmanager
def misbehaving_server() -> Iterator[tuple[str, Misbehaviour]]:
    """A threaded HTTP server on 127.0.0.1 doing what its Misbehaviour plan says."""
    state = Misbehaviour()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql", state
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=7878)
    parser.add_argument("--location", type=Path, default=Path("build/link-fixtures/store"))
    args = parser.parse_args()
    # `kill PID` (SIGTERM) must still stop the Oxigraph child: exit through the finally blocks.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    if not args.location.exists():
        load_store(args.location, args.location.parent / "files")
    with cellar_server(args.location, args.port) as url:
        print(f"serving the vendored EU data at {url}; Ctrl-C to stop", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
