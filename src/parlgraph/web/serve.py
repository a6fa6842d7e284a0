"""Run the site under uvicorn on a socket bound beforehand, so `--port 0` can report its port."""

from __future__ import annotations

import socket
from collections.abc import Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

from ..errors import ParameterError
from . import api, catalog_routes, sparql
from .app import create_app
from .backend import Backend
from .settings import ServeSettings


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket; port 0 lets the system pick a free one.

    Raises:
        ParameterError: when the address cannot be bound (in use, not local, not an address).
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, not 0: asyncio turns Nagle off (TCP_NODELAY) only on sockets whose proto
    # says TCP, and with Nagle on every keep-alive response waited ~40 ms for a delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as err:
        sock.close()
        raise ParameterError(f"--host {host} --port {port}: cannot bind ({err.strerror})") from err
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def build_app(
    backend: Backend,
    *,
    base: str,
    site: str,
    cors_origins: tuple[str, ...] = ("*",),
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """Every route module of `parlgraph serve` over one backend: /sparql (with YASGUI), /api,
    /catalog, /.well-known/void and /dump, any extra_routes, then the linked-data site, whose
    ontology documentation is generated here, once.
    """
    settings = ServeSettings(base=base, site=site, cors_origins=cors_origins)
    routes = [
        *sparql.routes(backend, settings),
        *api.routes(backend, settings),
        *catalog_routes.routes(backend, settings),
        *extra_routes,
    ]
    return create_app(backend, settings, routes)


def run_server(app: Starlette, sock: socket.socket) -> None:
    """Serve until interrupted; uvicorn handles SIGINT and SIGTERM gracefully."""
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])
