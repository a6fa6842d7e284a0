"""Push a store's named graphs to a triple store with the SPARQL 1.1 Graph Store Protocol.

Each named graph is sent with one `PUT ?graph=IRI` (https://www.w3.org/TR/sparql11-http-rdf-update/
section 5.3), which replaces that graph whole on the server, so publishing twice leaves the server
as publishing once, and a graph that changed locally is replaced, not merged. Bodies are the
graph's N-Triples lines in sorted order, the same bytes on every run.

The default graph is sent (`PUT ?default`) only when the store has triples in it; parlgraph
puts everything in named graphs, so it is normally left alone. A graph the server holds but the
store no longer has stays on the server unless pruning is asked for, and pruning only deletes
graphs under the dataset's base IRI, so other datasets sharing the server are never touched.
One PUT is atomic on the server; a run that fails part-way has replaced the graphs before the
failure and says how many: running it again completes it.
"""

from __future__ import annotations

import http.client
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import pyoxigraph as ox

from .. import __version__
from ..errors import RemoteError
from .endpoint import check_url, failure, http_status

Progress = Callable[[int, int], None]
_MEDIA_TYPE = "application/n-triples"
_LIST_GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }"


@dataclass
class PublishReport:
    """What a publish run sent: graphs and triples pushed, graphs deleted by pruning."""

    graph_store: str
    graphs: int = 0
    triples: int = 0
    default_graph_triples: int = 0
    pruned: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "graph_store": self.graph_store,
            "graphs": self.graphs,
            "triples": self.triples,
            "default_graph_triples": self.default_graph_triples,
            "pruned": self.pruned,
        }


def graph_body(store: ox.Store, graph: ox.NamedNode | ox.DefaultGraph) -> tuple[bytes, int]:
    """One graph as sorted N-Triples lines (byte-stable across runs) and its triple count."""
    lines = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines()
    lines.sort()
    return b"".join(line + b"\n" for line in lines), len(lines)


def publish(
    store: ox.Store,
    graph_store: str,
    *,
    prune_under: str | None = None,
    endpoint: str | None = None,
    progress: Progress | None = None,
    timeout: float = 300.0,
) -> PublishReport:
    """Replace each named graph of `store` on the server; optionally delete stale ones.

    prune_under: a base IRI; server graphs under it that the store does not have are deleted
    (the graph list is read from `endpoint`, the server's SPARQL query URL).

    Raises:
        RemoteError: the graph store is unreachable or refused a request (the message names
            the URL, the HTTP status and how many graphs were replaced before).
    """
    target = _Target(check_url(graph_store, "--graph-store"), timeout)
    if prune_under is not None and endpoint is None:
        raise ValueError("pruning needs the endpoint to list the server's graphs")
    graphs = sorted(store.named_graphs(), key=lambda g: g.value)
    report = PublishReport(graph_store)
    try:
        default_body, default_count = graph_body(store, ox.DefaultGraph())
        if default_count:
            target.put("default", default_body, f"the default graph, after {report.graphs}")
            report.default_graph_triples = default_count
        for graph in graphs:
            body, count = graph_body(store, graph)
            done = f"graph <{graph.value}>, after {report.graphs} of {len(graphs)} graphs"
            target.put("graph=" + quote(graph.value, safe=""), body, done)
            report.graphs += 1
            report.triples += count
            if progress is not None:
                progress(report.graphs, len(graphs))
        if prune_under is not None and endpoint is not None:
            local = {g.value for g in graphs}
            for name in _server_graphs(endpoint):
                if name.startswith(prune_under) and name not in local:
                    target.delete("graph=" + quote(name, safe=""), f"pruning <{name}>")
                    report.pruned.append(name)
    finally:
        target.close()
    return report


def _server_graphs(endpoint: str) -> list[str]:
    from .client import RemoteBackend

    backend = RemoteBackend(endpoint)
    names = [s["g"] for s in backend.query(_LIST_GRAPHS)]
    return sorted(n.value for n in names if isinstance(n, ox.NamedNode))


class _Target:
    """One kept-alive HTTP connection to the graph store; an idempotent request is retried once
    on a connection the server closed in between."""

    def __init__(self, url: str, timeout: float) -> None:
        self.url = url
        parts = urlsplit(url)
        self.path = (parts.path or "/") + ("?" + parts.query + "&" if parts.query else "?")
        self._connect = lambda: (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )(parts.hostname, parts.port, timeout=timeout)
        self._connection: http.client.HTTPConnection | None = None

    def put(self, query: str, body: bytes, doing: str) -> None:
        headers = {"Content-Type": f"{_MEDIA_TYPE}; charset=utf-8"}
        self._request("PUT", query, body, headers, f"PUT {doing}", ok=(200, 201, 204))

    def delete(self, query: str, doing: str) -> None:
        self._request("DELETE", query, None, {}, f"DELETE {doing}", ok=(200, 204, 404))

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _request(
        self,
        method: str,
        query: str,
        body: bytes | None,
        headers: dict[str, str],
        doing: str,
        ok: tuple[int, ...],
    ) -> None:
        headers = {"User-Agent": f"parlgraph/{__version__}", **headers}
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = self._connect()
            try:
                self._connection.request(method, self.path + query, body=body, headers=headers)
                response = self._connection.getresponse()
                said = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as err:
                self.close()
                if attempt == 2:
                    raise failure(self.url, err, doing) from err
                continue
            except (OSError, http.client.HTTPException) as err:
                self.close()
                raise _network_failure(self.url, err, doing) from err
            if response.status not in ok:
                raise http_status(self.url, response.status, response.reason, said, doing)
            return


def _network_failure(url: str, err: BaseException, doing: str) -> RemoteError:
    if isinstance(err, TimeoutError):
        return RemoteError(f"{url}: no answer in time ({doing})")
    reason = getattr(err, "strerror", None) or str(err) or type(err).__name__
    return RemoteError(f"{url}: unreachable ({doing}): {reason}")
