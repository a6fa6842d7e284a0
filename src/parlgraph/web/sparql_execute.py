"""Run one query under the endpoint's limits and turn its results into a negotiated body.

pyoxigraph 0.5 offers no way to interrupt a query (no timeout or cancellation argument), but
it releases the GIL while it evaluates. So the query runs in a worker thread and the request
gives up at the timeout: the client gets a 503 naming the limit, the worker stops at the next
row it reads, and a query stuck inside one step (a sort, a GROUP BY) keeps its thread until
that step ends. At most `workers` queries evaluate at once, counting the abandoned ones (a
slot is freed when its thread ends, not when its request gives up: anyio's own limiter frees
it at once), so runaway queries cannot take every core; a request that finds no free slot
waits and gets a 503 saying so if none frees up within the timeout.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import anyio
import anyio.to_thread
import pyoxigraph as ox
from rdflib.plugins.sparql.parser import parseQuery

from .backend import Backend
from .negotiate import preferred
from .sparql_protocol import EndpointError, Operation
from .sparql_results import (
    graph_offers,
    result_offers,
    write_boolean,
    write_graph,
    write_solutions,
)
from .sparql_text import has_service_clause

_SYNTAX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


@dataclass(frozen=True)
class Answer:
    """A negotiated body: bytes, the media type it is in, and how many rows it holds."""

    body: bytes
    media_type: str
    rows: int | None


@dataclass(frozen=True)
class Limits:
    """The endpoint's two limits (ServeSettings.query_timeout_s and row_cap)."""

    timeout_s: float
    row_cap: int


class _Stopped(Exception):
    """The request gave up (timeout); the worker leaves without reading more rows."""


def with_base(query: str, base_iri: str) -> tuple[str, int]:
    """The query with a BASE declaration put before it on its first line, and its length.

    Relative IRIs need a base the service defines (SPARQL 1.1 Protocol, 2.1.4); a BASE the
    query declares itself comes later and wins. Staying on line 1 keeps line numbers true.

    >>> with_base("SELECT * { <s> ?p ?o }", "https://w3id.org/parlgraph/")
    ('BASE <https://w3id.org/parlgraph/> SELECT * { <s> ?p ?o }', 35)
    """
    prefix = f"BASE <{base_iri}> "
    return prefix + query, len(prefix)


def _rdflib_location(query: str) -> tuple[int, int, str] | None:
    """Where rdflib's parser stops on the query: line, column and the word found there."""
    try:
        parseQuery(query)
    except Exception as err:  # pyparsing's ParseException; rdflib is only asked for a place
        line, column = getattr(err, "lineno", None), getattr(err, "col", None)
        if isinstance(line, int) and isinstance(column, int):
            found = str(getattr(err, "line", ""))[column - 1 :].split(maxsplit=1)[:1]
            return line, column, found[0] if found else ""
    return None


def syntax_error(query: str, message: str, shift: int = 0) -> EndpointError:
    """A 400 carrying the parser's message, its line and column, and the line pointed at.

    pyoxigraph often reports the furthest point it reached (the closing brace, say) rather
    than the mistake; rdflib's parser is then asked too and the earlier place is reported,
    as the stored-query loader does. `shift` is the length of what was put before the
    query's first line (see with_base).

    >>> syntax_error("ASK {", "error at 1:6: expected one of ...").body()["column"]
    6
    """
    match = _SYNTAX_ERROR.match(message)
    if not match:
        return EndpointError(400, f"invalid SPARQL: {message}")
    line, column, problem = int(match.group(1)), int(match.group(2)), match.group(3)
    if line == 1:
        column = max(1, column - shift)
    where = f"line {line}, column {column}"
    text = f"invalid SPARQL at {where}: {problem}"
    earlier = _rdflib_location(query)
    if earlier and earlier[:2] < (line, column):
        line, column, found = earlier
        near = f" (near {found!r})" if found else ""
        text = (
            f"invalid SPARQL at line {line}, column {column}{near}; "
            f"pyoxigraph stopped at {where}: {problem}"
        )
    lines = query.splitlines() or [""]
    pointed = lines[line - 1] if 0 < line <= len(lines) else ""
    return EndpointError(
        400, text, line=line, column=column, context=f"{pointed}\n{' ' * (column - 1)}^"
    )


def _negotiate(accept: str | None, offers: dict[str, str]) -> str:
    """The media type to answer in, among the offers (media type -> format name).

    Raises:
        EndpointError: 406 naming the offers, when the client accepts none of them.
    """
    chosen = preferred(accept, list(offers))
    if chosen is None:
        raise EndpointError(
            406,
            "none of the media types in Accept can carry this result; available: "
            + ", ".join(offers),
            available=list(offers),
        )
    return chosen


def _evaluate(
    backend: Backend,
    operation: Operation,
    accept: str | None,
    limits: Limits,
    base_iri: str,
    stop: threading.Event,
    slot: _Slot,
) -> Answer | None:
    """_answer, in the worker thread, letting no pyoxigraph object leave it.

    pyoxigraph's result objects are bound to the thread that made them; an exception's
    traceback would carry them to the event loop's thread, where dropping them fails. The
    error is therefore rebuilt here, after the traceback and its frames are gone.
    """
    if not slot.start():
        return None  # abandoned before it began; the request has already answered
    failure: EndpointError | None = None
    try:
        return _answer(backend, operation, accept, limits, base_iri, stop)
    except _Stopped:
        return None
    except EndpointError as err:
        failure = EndpointError(err.status, err.message, **err.details)
    except Exception as err:  # the store failing is our problem, reported as one
        failure = EndpointError(500, f"the store failed: {type(err).__name__}: {err}")
    finally:
        slot.finish()
    raise failure


def _answer(
    backend: Backend,
    operation: Operation,
    accept: str | None,
    limits: Limits,
    base_iri: str,
    stop: threading.Event,
) -> Answer:
    """Run, read at most row_cap + 1 rows, serialise; in a worker thread."""
    query = operation.query or ""
    text, shift = with_base(query, base_iri)
    try:
        results = backend.query(
            text,
            default_graphs=operation.default_graphs,
            named_graphs=operation.named_graphs,
            timeout=limits.timeout_s,
        )
    except SyntaxError as err:
        raise syntax_error(query, str(err), shift) from err
    if stop.is_set():
        raise _Stopped
    if isinstance(results, ox.QueryBoolean):
        offers = {m: f.name for m, f in result_offers(boolean=True).items()}
        chosen = _negotiate(accept, offers)
        return Answer(write_boolean(bool(results), offers[chosen]), chosen, None)
    if isinstance(results, ox.QuerySolutions):
        offers = {m: f.name for m, f in result_offers(boolean=False).items()}
    else:
        offers = graph_offers()
    chosen = _negotiate(accept, offers)
    rows: list = []
    for item in results:
        if stop.is_set():
            raise _Stopped
        if len(rows) == limits.row_cap:
            kind = "rows" if isinstance(results, ox.QuerySolutions) else "triples"
            raise EndpointError(
                400,
                f"the result has more than {limits.row_cap} {kind}, the row cap of this "
                f"endpoint; add LIMIT {limits.row_cap} (and OFFSET to read further) or "
                "download the data dumps",
                row_cap=limits.row_cap,
            )
        rows.append(item)
    if isinstance(results, ox.QuerySolutions):
        variables = [v.value for v in results.variables]
        table = [[solution[v] for v in variables] for solution in rows]
        return Answer(write_solutions(variables, table, offers[chosen]), chosen, len(rows))
    return Answer(write_graph(rows, offers[chosen]), chosen, len(rows))


class _Slot:
    """One of the executor's slots, held from the moment it is taken until its thread ends.

    The request takes it; the worker thread starts in it and frees it when done. A request
    that gives up before its thread began frees it itself (anyio never runs a job whose
    caller has left), so each slot is freed exactly once.
    """

    def __init__(self, slots: threading.BoundedSemaphore) -> None:
        self._slots, self._lock, self._state = slots, threading.Lock(), "waiting"

    def start(self) -> bool:
        """In the worker: begin, unless the request already gave the slot back."""
        with self._lock:
            if self._state == "abandoned":
                return False
            self._state = "running"
            return True

    def finish(self) -> None:
        """In the worker, when it is done."""
        self._slots.release()

    def abandon(self) -> None:
        """In the request, giving up: free the slot if no thread is using it."""
        with self._lock:
            if self._state == "waiting":
                self._state = "abandoned"
                self._slots.release()


class Executor:
    """Runs queries for one endpoint: at most `workers` at once, under the two limits."""

    def __init__(self, backend: Backend, limits: Limits, base_iri: str, workers: int = 4) -> None:
        self.backend, self.limits, self.workers = backend, limits, workers
        self.base_iri = base_iri
        self._slots = threading.BoundedSemaphore(workers)

    async def run(self, operation: Operation, accept: str | None) -> Answer:
        """The negotiated answer to a query.

        Raises:
            EndpointError: 400 bad query or row cap passed, 406 nothing acceptable, 503 the
                timeout passed (or no slot came free in time).
        """
        query = operation.query or ""
        if has_service_clause(query):
            raise EndpointError(
                400,
                "SERVICE (federated query) is not available on this endpoint: it would make "
                "the server fetch URLs chosen by the caller",
            )
        stop, slot = threading.Event(), None
        limit = self.limits.timeout_s
        try:
            with anyio.fail_after(limit):
                # Polled, not awaited in a thread: a waiting request that times out must
                # leave no pending acquire behind to take a slot later.
                while not self._slots.acquire(blocking=False):
                    await anyio.sleep(0.02)
                slot = _Slot(self._slots)
                answer = await anyio.to_thread.run_sync(
                    _evaluate,
                    self.backend,
                    operation,
                    accept,
                    self.limits,
                    self.base_iri,
                    stop,
                    slot,
                    abandon_on_cancel=True,
                )
            if answer is not None:
                return answer
        except TimeoutError:
            pass
        except BaseException:
            if slot is not None:
                slot.abandon()
            raise
        # Past the timeout: tell the worker to stop at its next row, and the client why.
        stop.set()
        if slot is None:
            raise EndpointError(
                503,
                f"all {self.workers} query workers stayed busy for {limit:g} s, the query "
                "timeout of this endpoint; try again later",
                timeout_s=limit,
            )
        slot.abandon()
        raise EndpointError(
            503,
            f"the query did not finish within {limit:g} s, the query timeout of this "
            "endpoint; narrow it (a more selective pattern, LIMIT) or download the dumps",
            timeout_s=limit,
        )
