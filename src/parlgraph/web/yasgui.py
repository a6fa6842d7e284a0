"""The YASGUI page at /sparql for browsers, from files shipped in the package.

Everything the page loads comes from this site (no CDN, no web fonts, no LOV or prefix.cc
look-ups), so it works offline and leaks nothing; the stored queries open as tabs.
"""

from __future__ import annotations

import html
import json
from importlib import resources
from string import Template

from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from ..query import StoredQuery

STATIC_PATH = "/static/yasgui"


def page(queries: dict[str, StoredQuery], title: str = "parlgraph SPARQL endpoint") -> str:
    """The HTML page: YASGUI with one tab per stored query, its text as in the file."""
    examples = [
        {"id": f"pg-{q.name}", "name": q.title, "description": q.description, "query": q.text}
        for q in queries.values()
    ]
    # JSON inside <script>: <, > and & as \u escapes, so no query text can close the element
    # or open an HTML comment there; JSON.parse reads them back as the characters.
    data = (
        json.dumps(examples, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    template = Template(
        resources.files("parlgraph").joinpath("resources/sparql.html").read_text("utf-8")
    )
    return template.substitute(
        title=html.escape(title), static=STATIC_PATH.lstrip("/"), queries=data
    )


def static_routes() -> list[BaseRoute]:
    """The YASGUI files (and their licence and source note) under /static/yasgui/."""
    files = StaticFiles(packages=[("parlgraph", "resources/yasgui")])
    return [Mount(STATIC_PATH, app=files, name="yasgui")]
