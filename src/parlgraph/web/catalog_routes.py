"""Routes that announce the dataset: /catalog, /.well-known/void and the dumps under /dump/.

/.well-known/void is where VoID (§7.2) and the W3C linked-data best practices tell crawlers to
look; /catalog is the same description for DCAT-AP harvesters and, in HTML, for people. The
description and the dumps are computed once per data version (Backend.version), since counting
and serialising the whole store is the costly part, and both carry that version as their ETag.
"""

from __future__ import annotations

import html
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from ..catalog import describe_dataset, dump_path, serialize_description
from ..dump import write_dump
from ..export import FILE_STEM
from ..formats import FORMATS, RdfFormat
from ..iris import Iris
from .backend import Backend
from .negotiate import preferred
from .settings import ServeSettings

HTML = "text/html"
# Turtle first: what a client that accepts anything gets.
OFFERS = [FORMATS["turtle"].media_type, HTML] + [
    f.media_type for f in FORMATS.values() if f.name != "turtle"
]
BY_MEDIA_TYPE = {f.media_type: f for f in FORMATS.values()}
BY_EXTENSION = {f.extension: f for f in FORMATS.values()}


def error(status: int, message: str) -> JSONResponse:
    """The one error body of the site: {"ok": false, "error": ..., "status": ...}."""
    return JSONResponse({"ok": False, "error": message, "status": status}, status_code=status)


class _PerVersion:
    """One value per data version, computed once even when requests race for it."""

    def __init__(self, backend: Backend, compute: Callable[[], object]) -> None:
        self.backend, self.compute = backend, compute
        self.lock = threading.Lock()
        self.version: str | None = None
        self.value: object = None

    def get(self) -> tuple[str, object]:
        with self.lock:
            version = self.backend.version()
            if version != self.version:
                self.value, self.version = self.compute(), version
            return version, self.value


def _pick_format(request: Request) -> str | RdfFormat | Response:
    """The representation asked for: ?format= first (a closed set), then Accept."""
    name = request.query_params.get("format")
    if name is not None:
        if name == "html":
            return HTML
        if name not in FORMATS:
            known = ", ".join(["html", *FORMATS])
            return error(400, f'parameter "format": "{name}" is not one of {known}')
        return FORMATS[name]
    chosen = preferred(request.headers.get("accept"), OFFERS)
    if chosen is None:
        return error(406, f"no acceptable representation; available: {', '.join(OFFERS)}")
    return HTML if chosen == HTML else BY_MEDIA_TYPE[chosen]


def _label(graph: Graph, subject: URIRef, predicate: URIRef = DCTERMS.title) -> str:
    values = sorted(graph.objects(subject, predicate), key=lambda v: (v.language != "en", v))
    return str(values[0]) if values else str(subject)


def render_html(graph: Graph, settings: ServeSettings, path: str) -> str:
    """A plain page of the description: what the dataset is, its dumps, services and layers."""
    iris = Iris(settings.base)
    dataset = iris.description("dataset")
    e = html.escape
    rows = []
    for distribution in sorted(graph.objects(dataset, DCAT.distribution)):
        url = graph.value(distribution, DCAT.downloadURL) or graph.value(
            distribution, DCAT.accessURL
        )
        media = graph.value(distribution, DCAT.mediaType)
        media_text = str(media).rsplit("media-types/", 1)[-1] if media else ""
        rows.append(
            f'<tr><td><a href="{e(str(url))}">{e(_label(graph, distribution))}</a></td>'
            f"<td>{e(media_text)}</td></tr>"
        )
    services = []
    for service in sorted(graph.subjects(RDF.type, DCAT.DataService)):
        url = graph.value(service, DCAT.endpointURL)
        about = graph.value(service, DCAT.endpointDescription)
        services.append(
            f'<li><a href="{e(str(url))}">{e(_label(graph, service))}</a> '
            f'(<a href="{e(str(about))}">description</a>)</li>'
        )
    layers = []
    for subset in sorted(graph.objects(dataset, VOID.subset)):
        layers.append(
            f"<tr><td>{e(_label(graph, subset))}</td>"
            f'<td class="n">{e(str(graph.value(subset, VOID.triples)))}</td>'
            f'<td class="n">{e(str(graph.value(subset, VOID.documents)))}</td>'
            f"<td>{e(_label(graph, subset, DCTERMS.description))}</td></tr>"
        )
    licence = graph.value(dataset, DCTERMS.license)
    alternates = " · ".join(
        f'<a href="{e(path)}?format={e(f.name)}">{e(f.name)}</a>' for f in FORMATS.values()
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{e(_label(graph, dataset))}</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}
td,th{{padding:.2em .6em;text-align:left}} td.n{{text-align:right}}</style>
</head><body>
<h1>{e(_label(graph, dataset))}</h1>
<p>{e(_label(graph, dataset, DCTERMS.description))}</p>
<p>{e(str(graph.value(dataset, VOID.triples)))} triples ·
licence <a href="{e(str(licence))}">CC BY 4.0</a> ·
this description as {alternates}</p>
<h2>Downloads</h2>
<table><tr><th>distribution</th><th>media type</th></tr>{"".join(rows)}</table>
<h2>Services</h2><ul>{"".join(services)}</ul>
<h2>Layers (named graphs)</h2>
<table><tr><th>layer</th><th>triples</th><th>graphs</th><th>what it holds</th></tr>
{"".join(layers)}</table>
</body></html>
"""


def routes(backend: Backend, settings: ServeSettings) -> list[BaseRoute]:
    """/catalog, /.well-known/void and /dump/parlgraph.{ext} over one backend."""
    description = _PerVersion(backend, lambda: describe_dataset(backend, settings))
    folder = tempfile.TemporaryDirectory(prefix="parlgraph-dumps-")
    dump_locks = {f.name: threading.Lock() for f in FORMATS.values()}

    def described(request: Request) -> Response:
        chosen = _pick_format(request)
        if isinstance(chosen, Response):
            return chosen
        version, graph = description.get()
        headers = {"Vary": "Accept", "ETag": f'"{version}"'}
        if chosen == HTML:
            return HTMLResponse(render_html(graph, settings, request.url.path), headers=headers)
        body = serialize_description(graph, chosen)
        return Response(body, media_type=chosen.media_type, headers=headers)

    async def catalog(request: Request) -> Response:
        return await run_in_threadpool(described, request)

    def dump_file(fmt: RdfFormat) -> tuple[str, Path]:
        with dump_locks[fmt.name]:
            version = backend.version()
            target = Path(folder.name) / f"{version}.{fmt.extension}"
            if not target.exists():
                write_dump(backend, fmt, target)
            return version, target

    async def dump(request: Request) -> Response:
        name = request.path_params["name"]
        stem, _, extension = name.rpartition(".")
        fmt = BY_EXTENSION.get(extension)
        if stem != FILE_STEM or fmt is None:
            known = ", ".join("/" + dump_path(f) for f in FORMATS.values())
            return error(404, f'no dump "{name}"; dumps: {known}')
        version, target = await run_in_threadpool(dump_file, fmt)
        return FileResponse(
            target,
            media_type=fmt.media_type,
            headers={"ETag": f'"{version}"'},
            filename=name,
            content_disposition_type="inline",
        )

    return [
        Route("/catalog", catalog, methods=["GET", "HEAD"], name="catalog"),
        Route("/.well-known/void", catalog, methods=["GET", "HEAD"], name="void"),
        Route("/dump/{name}", dump, methods=["GET", "HEAD"], name="dump"),
    ]
