"""Where each IRI is served: request paths to IRIs and back.

Instance IRIs (`id/...`) and graph names (`graph/...`) are minted under `--base`; the
vocabulary (`def`, `def/...`) and the shapes (`shapes`, `shapes/...`) keep their w3id.org IRIs
whatever the base, since the ontology file fixes them. A request for site + path describes the
IRI its namespace gives; HTML pages link to the site so a reader clicks through locally.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from ..vocab import ONTOLOGY_IRI

VOCABULARY_ROOT = ONTOLOGY_IRI.removesuffix("def")  # https://w3id.org/parlgraph/
SHAPES_IRI = VOCABULARY_ROOT + "shapes"
INSTANCE_ROOTS = ("id/", "graph/")
VOCABULARY_ROOTS = ("def", "shapes")

# Characters that may not appear in an IRI written between < and > in SPARQL or Turtle
# (RDF 1.1 Turtle, IRIREF), plus the fragment sign: a fragment never reaches the server.
_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`#]')


def _valid(iri: str) -> str | None:
    """The IRI if RFC 3987 allows it (as Oxigraph checks it), else None."""
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


@dataclass(frozen=True)
class Addresses:
    """The two namespaces of one served dataset: its base and the site it is reached at."""

    base: str
    site: str

    def iri(self, path: str) -> str | None:
        """The IRI a request path (without leading slash or suffix) describes, or None.

        >>> a = Addresses("https://w3id.org/parlgraph/", "http://127.0.0.1:8000/")
        >>> a.iri("id/person/borsus-willy")
        'https://w3id.org/parlgraph/id/person/borsus-willy'
        >>> a.iri("def/WrittenQuestion")
        'https://w3id.org/parlgraph/def/WrittenQuestion'
        >>> a.iri("id/bad<iri>") is None
        True
        """
        if _UNSAFE.search(path) or "/../" in f"/{path}/" or "//" in path:
            return None
        if path.endswith("/"):
            return None
        if path.startswith(INSTANCE_ROOTS):
            return _valid(self.base + path)
        if path.split("/", 1)[0] in VOCABULARY_ROOTS:
            return _valid(VOCABULARY_ROOT + path)
        return None

    def path(self, iri: str) -> str | None:
        """The site path (no leading slash, fragment kept) serving an IRI, or None if not here.

        >>> a = Addresses("https://w3id.org/parlgraph/", "http://127.0.0.1:8000/")
        >>> a.path("https://w3id.org/parlgraph/id/span/x/1-2#quote")
        'id/span/x/1-2#quote'
        >>> a.path("http://schema.org/Observation") is None
        True
        """
        for root in INSTANCE_ROOTS:
            if iri.startswith(self.base + root):
                return iri.removeprefix(self.base)
        if iri.startswith(VOCABULARY_ROOT):
            rest = iri.removeprefix(VOCABULARY_ROOT)
            if rest.split("/", 1)[0].split("#", 1)[0] in VOCABULARY_ROOTS:
                return rest
        return None

    def link(self, iri: str) -> str:
        """Where a page links an IRI: its local URL when it is served here, else the IRI."""
        path = self.path(iri)
        return self.site + path if path is not None else iri

    def url(self, path: str, extension: str | None = None) -> str:
        """The absolute site URL of a path, with a format suffix if given."""
        return self.site + path + (f".{extension}" if extension else "")
