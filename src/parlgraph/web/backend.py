"""What the web app needs from a triple store, so the same pages serve an embedded or remote one.

The app never touches pyoxigraph.Store directly: it asks a Backend. EmbeddedBackend wraps the
pyoxigraph store that `parlgraph build` writes (or the bundled sources built in memory); a remote
backend (parlgraph.remote) answers the same calls over the SPARQL protocol. Results are always
pyoxigraph result objects (QuerySolutions, QueryTriples, QueryBoolean), so serialisation and
page rendering have one code path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Protocol

import pyoxigraph as ox

from .sparql_text import has_dataset_clause

QueryResults = ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean


class Backend(Protocol):
    """A read-only SPARQL source."""

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResults:
        """Run a query; with no dataset given, the default graph is the union of all graphs."""
        ...

    def version(self) -> str:
        """A short string that changes whenever the data changes (the ETag's seed)."""
        ...

    def modified(self) -> dt.datetime:
        """When the data last changed (Last-Modified), timezone-aware UTC."""
        ...


class EmbeddedBackend:
    """A pyoxigraph store, read in place."""

    def __init__(self, store: ox.Store, *, modified: dt.datetime | None = None) -> None:
        self.store = store
        self._modified = (modified or dt.datetime.now(dt.UTC)).replace(microsecond=0)
        self._version: str | None = None

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResults:
        kwargs: dict = {}
        if default_graphs:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        # The union flag would override the query's own FROM / FROM NAMED (pyoxigraph 0.5), and
        # a protocol dataset replaces the query's (SPARQL 1.1 Protocol, 2.1.4): union only when
        # neither the request nor the query names a dataset.
        if not default_graphs and not named_graphs and not has_dataset_clause(sparql):
            kwargs["use_default_graph_as_union"] = True
        return self.store.query(sparql, **kwargs)

    def version(self) -> str:
        """Hash of the graph names and the store's size: cheap, and changes with any rebuild."""
        if self._version is None:
            digest = hashlib.sha256()
            for graph in sorted(g.value for g in self.store.named_graphs()):
                digest.update(graph.encode())
            digest.update(str(len(self.store)).encode())
            self._version = digest.hexdigest()[:16]
        return self._version

    def modified(self) -> dt.datetime:
        return self._modified
