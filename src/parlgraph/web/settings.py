"""The knobs of `parlgraph serve`, in one frozen value shared by every route module."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ServeSettings:
    """What the routes need to know about the site they are part of.

    base is the IRI namespace the graph mints (`--base`); site is the URL the app is reached at
    (http://127.0.0.1:PORT/ when serving locally). A request for site + "id/..." describes the
    resource base + "id/..."; when both are equal the IRIs dereference as they are.
    """

    base: str = "https://w3id.org/parlgraph/"
    site: str = "http://127.0.0.1:8000/"
    query_timeout_s: float = 10.0
    row_cap: int = 10_000
    page_size: int = 100
    cors_origins: tuple[str, ...] = field(default=("*",))
