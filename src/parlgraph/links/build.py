"""What `parlgraph build` reads of the links: the lock file and snapshots, never the network."""

from __future__ import annotations

import contextlib
from pathlib import Path

from rdflib import Graph

from ..iris import Iris
from .config import Config, load_config
from .lockfile import read_lock
from .paths import LinkPaths
from .triples import link_triples


def accepted_link_triples(root: Path, iris: Iris) -> list[tuple]:
    """Triples of the links graph for a project folder (none if it has no lock file).

    Raises:
        SourceError: a malformed lock file or snapshot, naming the file and line.
    """
    paths = LinkPaths(root)
    rows = read_lock(paths.lock)
    if not rows:
        return []
    from .snapshot import read_snapshots

    config: Config | None = None
    with contextlib.suppress(Exception):  # dataset names and licences are a courtesy here
        config = load_config(paths.config)
    snapshots: Graph = read_snapshots(paths.snapshots)
    return link_triples(rows, snapshots, iris, config.sources if config else None)
