"""A remote SPARQL endpoint behind the web app's Backend protocol, through SPARQLWrapper.

Answers are parsed by pyoxigraph into the same objects the embedded store returns
(QuerySolutions, QueryTriples, QueryBoolean), so pages, serialisers and stored-query formatting
have one code path whichever store is behind them.
"""

from __future__ import annotations

import ast
import datetime as dt
import hashlib
import time
import urllib.error
import warnings
from collections.abc import Callable, Sequence

import pyoxigraph as ox
from SPARQLWrapper import (
    CONSTRUCT,
    DESCRIBE,
    JSON,
    N3,
    POST,
    URLENCODED,
    SPARQLWrapper,
)
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from .. import __version__
from ..errors import RemoteError, RemoteQueryError
from ..web.backend import QueryResults
from .binding import query_form
from .endpoint import check_url, failure

_STATUS = {
    QueryBadFormed: (400, "Bad Request"),
    Unauthorized: (401, "Unauthorized"),
    EndPointNotFound: (404, "Not Found"),
    URITooLong: (414, "URI Too Long"),
    EndPointInternalError: (500, "Internal Server Error"),
}
_RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/rdf+n3": ox.RdfFormat.N3,
    "text/n3": ox.RdfFormat.N3,
    "application/n3": ox.RdfFormat.N3,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
_ONE_NAMED_TRIPLE = "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"


class RemoteBackend:
    """A read-only SPARQL 1.1 endpoint, e.g. `oxigraph serve --union-default-graph`'s /query.

    The stored queries and pages expect the default graph to be the union of the named graphs,
    as the embedded store is queried; `check_union_default_graph` tells when a server is not
    set up that way. version() hashes the names and sizes of the named graphs, read with one
    GROUP BY query and kept for `cache_seconds`, so a page view costs no count; modified() is
    when this backend first saw that version (the server keeps no date of its own).
    """

    def __init__(
        self,
        endpoint: str,
        *,
        timeout: float | None = 60.0,
        cache_seconds: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.endpoint = check_url(endpoint)
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self._clock = clock
        self._version: str | None = None
        self._checked_at = float("-inf")
        self._modified = dt.datetime.now(dt.UTC).replace(microsecond=0)

    # ------------------------------------------------------------------ Backend protocol

    def query(
        self,
        sparql: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        timeout: float | None = None,
    ) -> QueryResults:
        """Run a query; with no dataset given, the server's default graph is used.

        Raises:
            RemoteQueryError: the endpoint rejected the query (HTTP 400); also a SyntaxError.
            RemoteError: the endpoint could not be reached or answered with another error.
        """
        form = query_form(sparql)
        if form == "UPDATE":
            raise RemoteQueryError(f"{self.endpoint}: updates are not sent to a read-only backend")
        wrapper = self._wrapper(sparql, form, timeout)
        for graph in default_graphs:
            wrapper.addDefaultGraph(graph)
        for graph in named_graphs:
            wrapper.addNamedGraph(graph)
        graph_result = form in (CONSTRUCT, DESCRIBE)
        # N3 asks for Turtle first, then N3 and N-Triples: every server speaks one of them.
        wrapper.setReturnFormat(N3 if graph_result else JSON)
        body, media_type = self._send(wrapper)
        try:
            if graph_result:
                return _triples(body, media_type)
            return ox.parse_query_results(body, _result_format(media_type))
        except (SyntaxError, ValueError) as err:
            raise RemoteError(
                f"{self.endpoint}: unreadable answer ({media_type or 'no Content-Type'}): {err}"
            ) from err

    def version(self) -> str:
        """A digest of every named graph's name and triple count, refreshed every few seconds."""
        now = self._clock()
        if self._version is None or now - self._checked_at >= self.cache_seconds:
            version = _digest(self.graph_sizes())
            if self._version is not None and version != self._version:
                self._modified = dt.datetime.now(dt.UTC).replace(microsecond=0)
            self._version, self._checked_at = version, now
        return self._version

    def modified(self) -> dt.datetime:
        self.version()
        return self._modified

    # ------------------------------------------------------------------ helpers

    def graph_sizes(self) -> dict[str, int]:
        """Each named graph of the server and its number of triples."""
        sizes: dict[str, int] = {}
        for solution in self.query(_GRAPH_COUNTS):
            graph, count = solution["g"], solution["n"]
            if isinstance(graph, ox.NamedNode) and isinstance(count, ox.Literal):
                sizes[graph.value] = int(count.value)
        return sizes

    def check_union_default_graph(self) -> None:
        """Refuse a server whose default graph does not hold its named graphs' triples.

        Raises:
            RemoteError: naming the endpoint and the server setting that fixes it.
        """
        solutions = list(self.query(_ONE_NAMED_TRIPLE))
        if not solutions:
            return  # an empty server: nothing to tell either way
        s, p, o = (solutions[0][name] for name in ("s", "p", "o"))
        if isinstance(s, ox.BlankNode) or isinstance(o, ox.BlankNode):
            return  # a blank node cannot be named in a query; nothing to test with
        answer = self.query(f"ASK {{ {s} {p} {o} }}")
        if not bool(answer):
            raise RemoteError(
                f"{self.endpoint}: the default graph is not the union of the named graphs, "
                "which the stored queries read; start Oxigraph with "
                "`oxigraph serve --union-default-graph`"
            )

    def _wrapper(self, sparql: str, form: str, timeout: float | None) -> SPARQLWrapper:
        wrapper = SPARQLWrapper(self.endpoint, agent=f"parlgraph/{__version__}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # its guess, replaced just below
            wrapper.setQuery(sparql)
        wrapper.queryType = form  # picks the Accept header; SPARQLWrapper's regex misreads some
        # A form POST: stored queries run to kilobytes, past what some servers take in a URL.
        wrapper.setMethod(POST)
        wrapper.setRequestMethod(URLENCODED)
        wrapper.setOnlyConneg(True)  # Accept only; no format=/output= parameters
        seconds = timeout if timeout is not None else self.timeout
        if seconds is not None:
            wrapper.setTimeout(max(1, round(seconds)))
        return wrapper

    def _send(self, wrapper: SPARQLWrapper) -> tuple[bytes, str]:
        try:
            result = wrapper.query()
            body = result.response.read()
            media_type = result.response.headers.get("Content-Type", "")
        except SPARQLWrapperException as err:
            status, reason = _STATUS.get(type(err), (0, type(err).__name__))
            said = _response(err)
            cls = RemoteQueryError if status == 400 else RemoteError
            raise cls(f"{self.endpoint}: HTTP {status} {reason}{said}") from err
        except (urllib.error.URLError, OSError) as err:
            raise failure(self.endpoint, err) from err
        return body, media_type.split(";")[0].strip().lower()


def _response(err: SPARQLWrapperException) -> str:
    """The server's message, which SPARQLWrapper keeps only inside its own error text."""
    text = str(err)
    _, found, raw = text.partition("Response:\n")
    if not found:
        return ""
    try:
        said = ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        said = raw
    if isinstance(said, bytes):
        said = said.decode("utf-8", "replace")
    said = " ".join(str(said).split())
    return ": " + (said if len(said) <= 300 else said[:297] + "...") if said else ""


def _result_format(media_type: str) -> ox.QueryResultsFormat:
    try:
        return _RESULT_FORMATS[media_type]
    except KeyError:
        raise ValueError(f"not a SPARQL results format: {media_type!r}") from None


def _triples(body: bytes, media_type: str) -> ox.QueryTriples:
    """Parsed RDF as pyoxigraph's QueryTriples, by way of a throwaway in-memory store."""
    try:
        rdf_format = _GRAPH_FORMATS[media_type]
    except KeyError:
        raise ValueError(f"not an RDF format: {media_type!r}") from None
    store = ox.Store()
    store.load(body, format=rdf_format)
    return store.query("CONSTRUCT WHERE { ?s ?p ?o }")


def _digest(sizes: dict[str, int]) -> str:
    digest = hashlib.sha256()
    for graph, count in sorted(sizes.items()):
        digest.update(f"{graph}\t{count}\n".encode())
    return digest.hexdigest()[:16]
