"""The SPARQL 1.1 Protocol endpoint at /sparql, its Service Description and YASGUI page.

`routes(backend, settings)` is what the app mounts. One handler reads the operation
(sparql_protocol), runs it under the limits (sparql_execute) and answers in the negotiated
format (sparql_results); without a query it describes the service, or shows YASGUI to a
browser. Every refusal is the site's JSON error body with a 4xx/5xx status.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..paths import Layout
from ..query import StoredQuery, load_queries
from .backend import Backend
from .negotiate import preferred
from .service_description import PREFIXES, describe
from .settings import ServeSettings
from .sparql_execute import Executor, Limits
from .sparql_protocol import EndpointError, Operation, parse_form, read_operation
from .sparql_results import graph_offers, write_graph
from .yasgui import page, static_routes

ENDPOINT_PATH = "/sparql"
ALLOWED = "GET, HEAD, POST"
MAX_BODY = 1_000_000  # bytes; a query longer than this is not a query a person wrote
HTML = "text/html"
# Every method reaches the handler, so a PUT gets the site's JSON 405 rather than plain text.
_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


class SparqlEndpoint:
    """The /sparql handler bound to one backend and one set of settings."""

    def __init__(
        self,
        backend: Backend,
        settings: ServeSettings,
        queries: dict[str, StoredQuery] | None = None,
    ) -> None:
        self.settings = settings
        self.limits = Limits(settings.query_timeout_s, settings.row_cap)
        self.executor = Executor(backend, self.limits, settings.base)
        self.endpoint_iri = settings.site.rstrip("/") + ENDPOINT_PATH
        stored = load_queries(Layout.default().queries) if queries is None else queries
        self.page = page(stored)

    async def handle(self, request: Request) -> Response:
        """Answer one request to /sparql."""
        headers = {"Vary": "Accept"}
        if request.method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOWED})
        try:
            operation = await self._operation(request)
            accept = request.headers.get("accept")
            if operation.query is None:
                return self._describe(request.method, accept, headers)
            if request.method in ("GET", "HEAD") and _prefers_html(accept):
                # A browser following a shared link: YASGUI reads ?query= from the URL.
                return HTMLResponse(self.page, headers=headers)
            answer = await self.executor.run(operation, accept)
        except EndpointError as err:
            if err.status == 405:
                headers["Allow"] = ALLOWED
            return JSONResponse(err.body(), status_code=err.status, headers=headers)
        if answer.rows is not None:
            headers["X-Result-Rows"] = str(answer.rows)
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    async def _operation(self, request: Request) -> Operation:
        body = b""
        if request.method == "POST":
            size = request.headers.get("content-length", "")
            if size.isdigit() and int(size) > MAX_BODY:
                raise EndpointError(413, f"the request body is over {MAX_BODY} bytes")
            body = await request.body()
            if len(body) > MAX_BODY:
                raise EndpointError(413, f"the request body is over {MAX_BODY} bytes")
        url_params = parse_form(request.url.query, "the URL's query string")
        return read_operation(request.method, url_params, request.headers.get("content-type"), body)

    def _describe(self, method: str, accept: str | None, headers: dict[str, str]) -> Response:
        """No query: the Service Description for RDF clients, YASGUI for browsers."""
        if method == "POST":
            raise EndpointError(400, "the request has no query (send query=... or a body)")
        offers = graph_offers()
        chosen = preferred(accept, [*offers, HTML])
        if chosen == HTML:
            return HTMLResponse(self.page, headers=headers)
        if chosen is None:
            available = [*offers, HTML]
            raise EndpointError(
                406,
                "without a query this URL serves a Service Description (RDF) or a web page; "
                "available: " + ", ".join(available),
                available=available,
            )
        body = write_graph(
            describe(self.endpoint_iri, self.limits, self.settings.base), offers[chosen], PREFIXES
        )
        return Response(body, media_type=chosen, headers=headers)


def _prefers_html(accept: str | None) -> bool:
    """True when the client ranks HTML above every SPARQL result format (a browser does)."""
    offers = ["application/sparql-results+json", "text/turtle", HTML]
    return preferred(accept, offers) == HTML


def routes(
    backend: Backend,
    settings: ServeSettings,
    queries: dict[str, StoredQuery] | None = None,
) -> list[BaseRoute]:
    """GET/POST /sparql and the YASGUI files under /static/yasgui/.

    `queries` are the YASGUI page's tabs; by default the project's queries/ folder.
    """
    endpoint = SparqlEndpoint(backend, settings, queries)
    return [
        Route(ENDPOINT_PATH, endpoint.handle, methods=_METHODS, name="sparql"),
        *static_routes(),
    ]
