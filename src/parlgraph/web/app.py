"""The linked-data site: every IRI the graph mints dereferences, in RDF or as an HTML page.

Policy (Cool URIs for the Semantic Web, §4.2 and the W3C TAG's 2012 httpRange-14 resolution):
a thing's IRI answers **200** with a description in the negotiated format, never a 303. The
response's `Content-Location` names the document it is (`…/238.ttl`, `…/238.html`), distinct
from the thing, and `Link: <thing>; rel="describes"` says which thing it is about; the same
document is at that suffixed URL, so each representation has its own URL. One round trip, and
`curl -H 'Accept: text/turtle' IRI` gives the data. `Vary: Accept` on every response; 406 with
the available types when nothing the client accepts can be served.

Routes are explicit prefixes (/, /id/, /graph/, /def, /shapes): nothing is a catch-all, so the
routes other modules pass in (/sparql, /api, /catalog, /.well-known/void) are never shadowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import URIRef
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..store import to_ox
from ..vocab import ONTOLOGY_IRI, PG
from . import describe, docs
from .addresses import VOCABULARY_ROOT, Addresses
from .backend import Backend, QueryResults
from .caching import CachingMiddleware
from .negotiate import (
    HTML,
    REPRESENTATIONS,
    BadFormat,
    NotAcceptable,
    Representation,
    by_format_parameter,
    choose,
    split_suffix,
)
from .pages import Paging, Renderer, ResourcePage, by_triple, json_script
from .rdf import as_triples, rdf_bytes
from .settings import ServeSettings

QUERY_PARAMETERS = ("format", "page")
# The other modules' entry points a page links to when they are mounted beside the site.
SERVICES = (("/sparql", "SPARQL"), ("/api/", "API"), ("/catalog", "catalogue / catalog"))
_PAGE = re.compile(r"[1-9][0-9]{0,8}")
CORS_EXPOSED = ("ETag", "Last-Modified", "Link", "Content-Location", "Vary")


class ClientError(Exception):
    """A request we refuse with a 4xx and a message saying why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def error_response(status: int, message: str) -> JSONResponse:
    """The one error body of the whole site (STYLE.md): ok, error, status."""
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


def _media_type(representation: Representation) -> str:
    text = representation.media_type.startswith("text/")
    return representation.media_type + ("; charset=utf-8" if text else "")


class Bounded:
    """A backend whose every query carries the site's timeout (ServeSettings.query_timeout_s).

    The embedded store runs queries in process and ignores it; a remote backend passes it on.
    """

    def __init__(self, backend: Backend, timeout: float) -> None:
        self.backend, self.timeout = backend, timeout

    def query(self, sparql: str, **kwargs) -> QueryResults:
        kwargs.setdefault("timeout", self.timeout)
        return self.backend.query(sparql, **kwargs)

    def version(self) -> str:
        return self.backend.version()

    def modified(self) -> dt.datetime:
        return self.backend.modified()


class Site:
    """The site's routes over one backend; built once, with the ontology docs it serves."""

    def __init__(
        self, backend: Backend, settings: ServeSettings, mounted: frozenset[str] = frozenset()
    ) -> None:
        self.backend: Backend = Bounded(backend, settings.query_timeout_s)
        self.settings = settings
        self.addresses = Addresses(settings.base, settings.site)
        services = [(name, settings.site + path[1:]) for path, name in SERVICES if path in mounted]
        self.renderer = Renderer(self.addresses, services)
        ontology = docs.ontology_graph(backend)
        self.ontology_html = docs.ontology_html(ontology)
        name = ox.NamedNode(ONTOLOGY_IRI)
        self.ontology_quads = sorted(
            (ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in ontology),
            key=describe.quad_key,
        )
        self.shapes = docs.shapes_graph()
        self.shapes_backend = docs.shapes_backend(self.shapes)

    def routes(self) -> list[BaseRoute]:
        paths = ("/", "/id/{rest:path}", "/graph/{rest:path}", "/def", "/def.{ext}")
        paths += ("/def/{rest:path}", "/shapes", "/shapes.{ext}", "/shapes/{rest:path}")
        return [Route(path, self.endpoint, methods=["GET", "HEAD"]) for path in paths]

    # ------------------------------------------------------------------ request handling

    def endpoint(self, request: Request) -> Response:
        """Sync on purpose: Starlette runs it in a worker thread, so queries never block."""
        try:
            return self._dispatch(request)
        except ClientError as err:
            return error_response(err.status, err.message)

    def _dispatch(self, request: Request) -> Response:
        path = request.scope["path"].lstrip("/")
        stem, suffix = split_suffix(path)
        params = self._parameters(request)
        offered = (HTML,) if stem == "" else REPRESENTATIONS
        representation = self._representation(request, suffix, params.get("format"), offered)
        page = self._page(params.get("page"))
        if stem == "":
            if suffix is not None:
                raise ClientError(404, f"no document at /{path}")
            return self._home(page, representation)
        iri = self.addresses.iri(stem)
        if iri is None:
            raise ClientError(404, f"/{path} is not the address of an IRI this site serves")
        if stem == "def":
            return self._ontology(stem, iri, representation, page)
        if stem == "shapes":
            if representation is HTML:
                return self._shapes_index(stem, iri, page)
            return self._graph(stem, iri, representation, page, self.shapes_backend)
        if stem.startswith("graph/") and describe.is_graph(self.backend, iri):
            return self._graph(stem, iri, representation, page, self.backend)
        backend = self.shapes_backend if stem.startswith("shapes/") else self.backend
        return self._resource(stem, iri, representation, page, backend)

    def _parameters(self, request: Request) -> dict[str, str]:
        params: dict[str, str] = {}
        for key, value in request.query_params.multi_items():
            if key not in QUERY_PARAMETERS:
                known = ", ".join(QUERY_PARAMETERS)
                raise ClientError(400, f'unknown query parameter "{key[:50]}" (expected {known})')
            if key in params:
                raise ClientError(400, f'query parameter "{key}" is given twice')
            params[key] = value
        return params

    def _representation(
        self,
        request: Request,
        suffix: Representation | None,
        format_value: str | None,
        offered: tuple[Representation, ...],
    ) -> Representation:
        try:
            by_parameter = by_format_parameter(format_value) if format_value else None
            if suffix and by_parameter and suffix != by_parameter:
                raise ClientError(
                    400, f"the suffix asks for {suffix.name}, ?format= for {by_parameter.name}"
                )
            chosen = suffix or by_parameter or choose(request.headers.get("accept"), offered)
            if chosen not in offered:
                available = ", ".join(r.name for r in offered)
                raise ClientError(406, f"{chosen.name} is not served here (available: {available})")
            return chosen
        except BadFormat as err:
            raise ClientError(400, str(err)) from err
        except NotAcceptable as err:
            raise ClientError(406, str(err)) from err

    def _page(self, value: str | None) -> Paging:
        if value is None:
            return Paging(1, self.settings.page_size)
        if not _PAGE.fullmatch(value):
            raise ClientError(400, f'page "{value[:20]}" is not a page number (1, 2, ...)')
        return Paging(int(value), self.settings.page_size)

    # ------------------------------------------------------------------ responses

    def _headers(
        self, stem: str, iri: str | None, representation: Representation, paging: Paging
    ) -> dict[str, str]:
        query = f"?page={paging.page}" if representation is HTML and paging.page > 1 else ""
        links = [
            f'<{self.addresses.url(stem, r.extension)}>; rel="alternate"; type="{r.media_type}"'
            for r in REPRESENTATIONS
            if r is not representation
        ]
        if iri is not None:
            links.append(f'<{iri}>; rel="describes"')
        for rel, url in (("prev", paging.previous), ("next", paging.next)):
            if url:
                links.append(f'<{url}>; rel="{rel}"')
        return {
            "Content-Location": self.addresses.url(stem, representation.extension) + query,
            "Link": ", ".join(links),
        }

    def _send(
        self,
        body: bytes | str,
        stem: str,
        iri: str | None,
        representation: Representation,
        paging: Paging,
    ) -> Response:
        data = body.encode("utf-8") if isinstance(body, str) else body
        return Response(
            data,
            media_type=_media_type(representation),
            headers=self._headers(stem, iri, representation, paging),
        )

    def _alternates(self, stem: str) -> list[tuple[str, str, str]]:
        return [
            (r.media_type, r.name, self.addresses.url(stem, r.extension))
            for r in REPRESENTATIONS
            if r is not HTML
        ]

    def _set_neighbours(self, stem: str, paging: Paging, has_next: bool) -> None:
        base = self.addresses.url(stem)
        if paging.page > 1:
            previous = paging.page - 1
            paging.previous = base + (f"?{urlencode({'page': previous})}" if previous > 1 else "")
        if has_next:
            paging.next = base + "?" + urlencode({"page": paging.page + 1})

    def _resource(
        self,
        stem: str,
        iri: str,
        representation: Representation,
        paging: Paging,
        backend: Backend,
    ) -> Response:
        quads = describe.description(backend, iri)
        if not quads and not describe.is_mentioned(backend, iri):
            raise ClientError(404, f"nothing is said of <{iri}> in this dataset")
        if representation is not HTML:
            body = rdf_bytes(quads, representation.name)
            return self._send(body, stem, iri, representation, paging)
        size, offset = paging.size, paging.offset
        triples = by_triple(quads)
        incoming = describe.incoming(backend, iri, size + 1, offset)
        if paging.page > 1 and offset >= len(triples) and not incoming:
            raise ClientError(404, f"page {paging.page} is past the end of <{iri}>")
        self._set_neighbours(stem, paging, len(triples) > offset + size or len(incoming) > size)
        shown = [quad for group in triples[offset : offset + size] for quad in group]
        incoming = incoming[:size]
        types = sorted(
            q.object.value
            for q in quads
            if getattr(q.subject, "value", None) == iri
            and q.predicate.value == describe.RDF_TYPE
            and isinstance(q.object, ox.NamedNode)
        )
        spans = describe.spans(backend, iri) if paging.page == 1 else []
        shapes = docs.shapes_for_types(self.shapes, types)
        if stem.startswith("def/"):
            constraints = docs.constraints_for_class(self.shapes, iri)
        elif stem.startswith("shapes/") and docs.SH.NodeShape in self.shapes.objects(URIRef(iri)):
            constraints = [docs.shape_doc(self.shapes, URIRef(iri))]
        else:
            constraints = []
        labels = describe.labels(
            backend,
            [iri, *types, *_iris(shown), *_iris(incoming), *(s.iri for s in spans)]
            + [s.source for s in spans],
        )
        labels.update(describe.labels(self.shapes_backend, shapes))
        labels.update(describe.labels(self.backend, [r.predicate.value for r in incoming]))
        renderer = self.renderer
        own = labels.get(iri)
        page = ResourcePage(
            iri=iri,
            title=(own.main if own and own.main else docs.curie(iri)),
            english=own.en if own and own.en and own.en != own.main else None,
            types=[renderer.link(ox.NamedNode(t), labels) for t in types],
            sections=renderer.sections(renderer.rows(shown, labels, iri), iri),
            incoming=renderer.rows(incoming, labels),
            excerpts=[renderer.excerpt(s, labels) for s in spans],
            shapes=[renderer.link(ox.NamedNode(s), labels) for s in shapes],
            constraints=constraints,
            alternates=self._alternates(stem),
            jsonld=json_script(rdf_bytes(as_triples(shown), "jsonld")),
            paging=paging,
            total_rows=len(triples),
            documentation=self.addresses.url("def", "html") if stem.startswith("def/") else None,
        )
        html = renderer.render(
            "resource.html",
            page=page,
            title=page.title,
            alternates=page.alternates,
            jsonld=page.jsonld,
            site=self.settings.site,
            shape_links=self._shape_links(constraints),
        )
        return self._send(html, stem, iri, representation, paging)

    def _shape_links(self, shapes: list[docs.ShapeDoc]) -> dict[str, str]:
        """Where each shape and target class on a page links to."""
        iris = {s.iri for s in shapes} | {t for s in shapes for t in s.targets}
        return {iri: self.addresses.link(iri) for iri in iris}

    def _shapes_index(self, stem: str, iri: str, paging: Paging) -> Response:
        """/shapes in HTML: every node shape, its target classes and its constraints."""
        if paging.page > 1:
            raise ClientError(404, "the shapes index is one page")
        shapes = docs.node_shapes(self.shapes)
        html = self.renderer.render(
            "shapes.html",
            title="Formes SHACL / SHACL shapes",
            iri=iri,
            shapes=shapes,
            links=self._shape_links(shapes),
            alternates=self._alternates(stem),
            jsonld=None,
            site=self.settings.site,
        )
        return self._send(html, stem, iri, HTML, paging)

    def _graph(
        self,
        stem: str,
        iri: str,
        representation: Representation,
        paging: Paging,
        backend: Backend,
    ) -> Response:
        if representation is not HTML:
            quads = describe.graph_content(backend, iri)
            body = rdf_bytes(quads, representation.name)
            return self._send(body, stem, iri, representation, paging)
        return self._graph_page(stem, iri, paging, backend, documentation=None)

    def _graph_page(
        self, stem: str, iri: str, paging: Paging, backend: Backend, documentation: str | None
    ) -> Response:
        size = describe.graph_size(backend, iri)
        if paging.page > 1 and paging.offset >= size:
            raise ClientError(404, f"page {paging.page} is past the end of graph <{iri}>")
        quads = describe.graph_content(backend, iri, paging.size, paging.offset)
        self._set_neighbours(stem, paging, paging.offset + paging.size < size)
        about = describe.description(backend, iri) if paging.page == 1 else []
        labels = describe.labels(backend, [iri, *_iris(quads), *_iris(about)])
        rows = self.renderer.rows(quads, labels)
        own = labels.get(iri)
        html = self.renderer.render(
            "graph.html",
            title=own.main if own and own.main else docs.curie(iri),
            iri=iri,
            size=size,
            rows=rows,
            about=self.renderer.rows(about, labels, iri),
            first=paging.offset + 1,
            last=paging.offset + len(rows),
            paging_info=paging,
            alternates=self._alternates(stem),
            jsonld=None,
            documentation=documentation,
            site=self.settings.site,
        )
        return self._send(html, stem, iri, HTML, paging)

    def _ontology(
        self, stem: str, iri: str, representation: Representation, paging: Paging
    ) -> Response:
        """The ontology: pyLODE's page in HTML, the whole ontology graph in RDF."""
        if representation is HTML:
            if paging.page > 1:
                raise ClientError(404, "the ontology documentation is one page")
            return self._send(self.ontology_html, stem, iri, HTML, paging)
        body = rdf_bytes(self.ontology_quads, representation.name)
        return self._send(body, stem, iri, representation, paging)

    def _home(self, paging: Paging, representation: Representation) -> Response:
        """The entry page (HTML only): named graphs, and the written questions, paged."""
        size, offset = paging.size, paging.offset
        questions = describe.instances(self.backend, str(PG.WrittenQuestion), size + 1, offset)
        namespaces = (self.settings.base, VOCABULARY_ROOT)
        graphs = describe.named_graphs(self.backend, namespaces, size + 1, offset)
        if paging.page > 1 and not questions and not graphs:
            raise ClientError(404, f"page {paging.page} is past the end of the home page")
        self._set_neighbours("", paging, len(questions) > size or len(graphs) > size)
        questions, graphs = questions[:size], graphs[:size]
        labels = describe.labels(self.backend, [*questions, *graphs])
        html = self.renderer.render(
            "home.html",
            title="parlgraph",
            base=self.settings.base,
            site=self.settings.site,
            graphs=[self.renderer.link(ox.NamedNode(g), labels) for g in graphs],
            questions=[self.renderer.link(ox.NamedNode(q), labels) for q in questions],
            paging_info=paging,
            alternates=[],
            jsonld=None,
        )
        return Response(html, media_type=_media_type(HTML))


def _iris(quads: Sequence[ox.Quad]) -> list[str]:
    found = []
    for quad in quads:
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name):
            if isinstance(term, ox.NamedNode):
                found.append(term.value)
    return found


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(exc.status_code, exc.detail or "error")


async def _server_error(request: Request, exc: Exception) -> Response:
    return error_response(500, f"internal error ({type(exc).__name__}); this is a parlgraph bug")


def create_app(
    backend: Backend, settings: ServeSettings, extra_routes: Sequence[BaseRoute] = ()
) -> Starlette:
    """The ASGI app: extra_routes first (they win), then the linked-data routes.

    Middleware applies to every route, extra ones included: CORS (settings.cors_origins,
    GET/HEAD/POST, none when empty), then ETag/Last-Modified/304 and Vary: Accept.
    """
    mounted = frozenset(getattr(route, "path", "") for route in extra_routes)
    site = Site(backend, settings, mounted)
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "HEAD", "POST"],
                allow_headers=["Accept", "Content-Type", "If-None-Match", "If-Modified-Since"],
                expose_headers=list(CORS_EXPOSED),
            )
        )
    middleware.append(Middleware(CachingMiddleware, backend=backend))
    app = Starlette(
        routes=[*extra_routes, *site.routes()],
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, 500: _server_error},
    )
    app.state.site = site
    return app
