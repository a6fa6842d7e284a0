"""A real uvicorn server on 127.0.0.1 serving the SPARQL routes alone, for the endpoint tests.

The socket is bound first (port 0: a free port) so the settings can name the site's real URL
before the app is built; the server runs in a thread and is stopped in `finally`.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import uvicorn
from starlette.applications import Starlette

from parlgraph.web.backend import Backend
from parlgraph.web.settings import ServeSettings
from parlgraph.web.sparql import routes


@dataclass(frozen=True)
class Live:
    url: str  # http://127.0.0.1:PORT/
    settings: ServeSettings

    @property
    def endpoint(self) -> str:
        return self.url + "sparql"


@contextmanager
def serve(backend: Backend, settings: ServeSettings | None = None) -> Iterator[Live]:
    """Serve `routes(backend, settings)` over HTTP until the block ends."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    settings = replace(settings or ServeSettings(), site=url)
    app = Starlette(routes=routes(backend, settings))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError(f"uvicorn did not start on {url}")
            time.sleep(0.01)
        yield Live(url, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
