"""What `parlgraph build` reads of the links: the lock file and snapshots, never the network."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from ..iris import Iris
from .config import Config, load_config
from .lockfile import read_lock
from .paths import LinkPaths
from .triples import link_triples


def link_page(subject: str) -> tuple[str, int] | None:
    """(session, number) of the page a link's subject belongs to; None for shared resources.

    >>> link_page("id/question/wallonia/2023-2024/238/participation/author")
    ('2023-2024', 238)
    >>> link_page("id/source/wallonia/2023-2024/qe-238"), link_page("id/organization/x")
    (('2023-2024', 238), None)
    """
    match = _PAGE.match(subject)
    if match is None:
        return None
    session, number = match.group(1) or match.group(3), match.group(2) or match.group(4)
    return session, int(number)


_PAGE = re.compile(
    r"id/(?:question|answer)/wallonia/([^/]+)/([0-9]+)(?:/|$)"
    r"|id/source/wallonia/([^/]+)/qe-([0-9]+)(?:/|$)"
)


def accepted_link_triples(
    root: Path, iris: Iris, keep_page: Callable[[tuple[str, int]], bool] | None = None
) -> list[tuple]:
    """Triples of the links graph for a project folder (none if it has no lock file).

    `keep_page` drops the rows whose subject belongs to a page it refuses (a corpus build
    publishes a page's links only with the page), as the curated layers are.

    Raises:
        SourceError: a malformed lock file or snapshot, naming the file and line.
    """
    paths = LinkPaths(root)
    rows = read_lock(paths.lock)
    if keep_page is not None:
        rows = [r for r in rows if (key := link_page(r.subject)) is None or keep_page(key)]
    if not rows:
        return []
    from .snapshot import read_snapshots

    config: Config | None = None
    with contextlib.suppress(Exception):  # dataset names and licences are a courtesy here
        config = load_config(paths.config)
    snapshots: Graph = read_snapshots(paths.snapshots)
    return link_triples(rows, snapshots, iris, config.sources if config else None)
