"""The stored-query API: GET /api/NAME?param=... for each queries/*.rq, paged, negotiated.

Parameters go through query.bind_parameters, the CLI's checks: each value is converted by its
declared type, then handed to the embedded store as a substitution, or written into the query
for a remote endpoint by remote.binding as an escaped, already-checked term, never as the
caller's text (grlc #101 is the counter-example). Pages are cut from the solution stream while
it is counted up to the row cap, so the Link header's `next` appears exactly when a further row
exists and `last` is given whenever the count is known (grlc #573 hard-coded it).
"""

from __future__ import annotations

import difflib
import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from .. import openapi
from ..errors import ParameterError, QueryError
from ..paths import Layout
from ..query import QueryResult, StoredQuery, bind_parameters, load_queries, to_csv, to_json
from ..remote.binding import substitute
from ..store import Term, from_ox, select, to_ox
from .backend import Backend, EmbeddedBackend
from .catalog_routes import error
from .negotiate import preferred
from .settings import ServeSettings

OFFERS = ["application/json", "application/sparql-results+json", "text/csv", "text/html"]
_WHOLE = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Page:
    """One page of a result, and what is known about the rest."""

    result: QueryResult
    number: int
    per_page: int
    total: int | None  # None: more rows than the row cap, not counted further
    has_next: bool

    @property
    def last(self) -> int | None:
        return None if self.total is None else max(1, math.ceil(self.total / self.per_page))


def _single(request: Request, name: str) -> str | None:
    values = request.query_params.getlist(name)
    if len(values) > 1:
        raise ParameterError(f'parameter "{name}" is given {len(values)} times; give it once')
    return values[0] if values else None


def _whole(request: Request, name: str, default: int, maximum: int) -> int:
    """A paging number from 1 to maximum, or a 400 that names the parameter."""
    raw = _single(request, name)
    if raw is None:
        return default
    if not _WHOLE.fullmatch(raw) or int(raw) < 1:
        raise ParameterError(f'parameter "{name}": "{raw}" is not a whole number from 1')
    if int(raw) > maximum:
        raise ParameterError(f'parameter "{name}": {int(raw)} is more than {maximum}')
    return int(raw)


def _bound_rows(
    backend: Backend, query: StoredQuery, bindings: dict[str, Term], settings: ServeSettings
) -> tuple[list[str], Iterator[dict[str, Term | None]]]:
    """Columns and a stream of rows of the query with its parameters bound.

    On the embedded store the values go in as pyoxigraph substitutions; a remote endpoint takes
    no bindings beside a query, so remote.binding writes each checked term in, escaped, where
    the variable stood, and fills the projected constants back in, as run_remote does.
    """
    if isinstance(backend, EmbeddedBackend):
        return select(backend.store, query.text, bindings)
    bound = substitute(query.text, bindings)
    solutions = backend.query(bound.text, timeout=settings.query_timeout_s)
    if not isinstance(solutions, ox.QuerySolutions):
        raise QueryError(f"{query.path}: the endpoint did not answer with solutions")
    sent = [variable.value for variable in solutions.variables]
    columns = bound.columns if bound.columns is not None else sent
    constants = {name: from_ox(to_ox(term)) for name, term in bound.constants.items()}

    def rows() -> Iterator[dict[str, Term | None]]:
        for solution in solutions:
            row = {name: from_ox(solution[name]) for name in sent}
            row.update(constants)
            yield {name: row.get(name) for name in columns}

    return list(columns), rows()


def _cut(
    backend: Backend,
    query: StoredQuery,
    bindings: dict[str, Term],
    settings: ServeSettings,
    offset: int,
    end: int,
) -> tuple[list[str], list[dict], int]:
    """Columns, the rows from offset to end, and the rows seen (at most row cap + 1)."""
    columns, stream = _bound_rows(backend, query, bindings, settings)
    try:
        rows, seen = [], 0
        for row in stream:
            if offset <= seen < end:
                rows.append(row)
            seen += 1
            if seen > settings.row_cap:
                break
        return columns, rows, seen
    finally:
        # pyoxigraph results may only be freed on the thread that made them: close the stream
        # here rather than let a traceback carry it to the event loop's thread.
        close = getattr(stream, "close", None)
        if close is not None:
            close()
        del stream


def execute(
    backend: Backend,
    query: StoredQuery,
    params: dict[str, str],
    settings: ServeSettings,
    number: int,
    per_page: int,
) -> Page:
    """Run the query with bound parameters and cut one page, counting up to the row cap."""
    cap = settings.row_cap
    offset = (number - 1) * per_page
    if offset >= cap:
        raise ParameterError(
            f'parameter "page": page {number} starts after row {cap}, the most this API serves'
        )
    end = min(offset + per_page, cap)
    bindings = bind_parameters(query, params, settings.base)
    try:
        columns, rows, seen = _cut(backend, query, bindings, settings, offset, end)
    except (SyntaxError, RuntimeError, ValueError, OSError) as err:
        raise QueryError(f"{query.path}: query failed: {err}") from err
    total = seen if seen <= cap else None
    has_next = seen > end and end < cap
    if total is not None and number > 1 and offset >= total:
        last = max(1, math.ceil(total / per_page))
        raise ParameterError(f'parameter "page": {number} is past the last page ({last})')
    return Page(QueryResult(columns, rows), number, per_page, total, has_next)


def _links(settings: ServeSettings, request: Request, name: str, page: Page) -> str:
    """RFC 8288 Link header: first, prev, next, last, each the request with another page."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def url(number: int) -> str:
        return f"{settings.site}api/{name}?{urlencode([*kept, ('page', str(number))])}"

    links = [(url(1), "first")]
    if page.number > 1:
        links.append((url(page.number - 1), "prev"))
    if page.has_next:
        links.append((url(page.number + 1), "next"))
    if page.last is not None:
        links.append((url(page.last), "last"))
    return ", ".join(f'<{target}>; rel="{rel}"' for target, rel in links)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    if re.match(r"https?://", text):
        return f'<a href="{html.escape(text)}">{html.escape(text)}</a>'
    return html.escape(text)


def render_table(query: StoredQuery, page: Page, links: str) -> str:
    """The page as an HTML table; every cell escaped, IRIs as links, pager from the Link header."""
    e = html.escape
    head = "".join(f"<th>{e(c)}</th>" for c in page.result.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row.get(c))}</td>" for c in page.result.columns) + "</tr>"
        for row in page.result.rows
    )
    pager = " · ".join(
        f'<a rel="{e(rel)}" href="{e(target)}">{e(rel)}</a>'
        for target, rel in re.findall(r'<([^>]*)>; rel="([a-z]+)"', links)
    )
    total = "" if page.total is None else f" of {page.total}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(query.title)}</title>
<style>body{{font-family:sans-serif;margin:2em}} td,th{{padding:.2em .6em;text-align:left;
vertical-align:top;border-bottom:1px solid #ddd}}</style></head><body>
<h1>{e(query.title)}</h1><p>{e(query.description)}</p>
<p>Page {page.number}{e(total)} rows · {pager}</p>
<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>
</body></html>
"""


def _chosen_format(request: Request) -> str:
    name = _single(request, "format")
    if name is not None:
        if name not in openapi.RESULT_FORMATS:
            known = ", ".join(sorted(openapi.RESULT_FORMATS))
            raise ParameterError(f'parameter "format": "{name}" is not one of {known}')
        return openapi.RESULT_FORMATS[name]
    chosen = preferred(request.headers.get("accept"), OFFERS)
    if chosen is None:
        raise LookupError(f"no acceptable result format; available: {', '.join(OFFERS)}")
    return chosen


def routes(
    backend: Backend,
    settings: ServeSettings,
    queries: dict[str, StoredQuery] | None = None,
) -> list[BaseRoute]:
    """GET /api/, /api/openapi.json and /api/{name} for every stored query.

    Raises:
        QueryError: a stored query declares a parameter the API reserves (page, per_page,
            format), which callers could then not set.
    """
    queries = queries if queries is not None else load_queries(Layout.default().queries)
    for query in queries.values():
        for name in sorted(set(query.parameters) & set(openapi.PAGING)):
            raise QueryError(f'{query.path}: parameter "{name}" is reserved by the API')
    spec = openapi.document(queries, settings.site, settings.page_size, settings.row_cap)

    async def listing(request: Request) -> Response:
        entries = [
            {
                "name": name,
                "title": query.title,
                "description": query.description,
                "url": f"{settings.site}api/{name}",
                "parameters": {
                    p.name: {"type": p.type, "default": p.default, "required": p.required}
                    for p in query.parameters.values()
                },
            }
            for name, query in sorted(queries.items())
        ]
        return JSONResponse(
            {"queries": entries, "openapi": f"{settings.site}api/openapi.json"},
            headers={"Link": f'<{settings.site}api/openapi.json>; rel="service-desc"'},
        )

    async def describe(request: Request) -> Response:
        return JSONResponse(spec, media_type="application/vnd.oai.openapi+json")

    async def stored(request: Request) -> Response:
        name = request.path_params["name"]
        query = queries.get(name)
        if query is None:
            close = difflib.get_close_matches(name, list(queries), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            return error(404, f'no stored query "{name}"{hint} (list: {settings.site}api/)')
        try:
            media_type = _chosen_format(request)
            number = _whole(request, "page", 1, settings.row_cap)
            per_page = _whole(request, "per_page", settings.page_size, settings.row_cap)
            params = {}
            for key in request.query_params:
                if key not in openapi.PAGING:
                    params[key] = _single(request, key) or ""
            page = await run_in_threadpool(
                execute, backend, query, params, settings, number, per_page
            )
        except ParameterError as err:
            return error(400, str(err))
        except LookupError as err:
            return error(406, str(err))
        except QueryError as err:
            return error(500, str(err))
        links = _links(settings, request, name, page)
        headers = {"Link": links, "Vary": "Accept"}
        if page.total is not None:
            headers["X-Total-Count"] = str(page.total)
        if media_type == "text/csv":
            return Response(
                to_csv(page.result), media_type="text/csv; charset=utf-8", headers=headers
            )
        if media_type == "text/html":
            return HTMLResponse(render_table(query, page, links), headers=headers)
        return Response(to_json(page.result), media_type=media_type, headers=headers)

    return [
        Route("/api/", listing, methods=["GET", "HEAD"], name="api"),
        Route("/api/openapi.json", describe, methods=["GET", "HEAD"], name="openapi"),
        Route("/api/{name}", stored, methods=["GET", "HEAD"], name="stored-query"),
    ]
