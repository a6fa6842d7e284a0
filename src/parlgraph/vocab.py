"""Namespaces used across parlgraph, declared once so every module binds the same prefixes;
and the French and English labels that generated nodes carry."""

from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD


class CachedNamespace(Namespace):
    """A Namespace that makes each term once: a corpus build asks for PG.x millions of times."""

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):
            raise AttributeError(name)
        cache = _TERMS.setdefault(str(self), {})
        found = cache.get(name)
        if found is None:
            found = cache[name] = self.term(name)
        # Kept on the instance too, so the next PG.x is a plain attribute read and this
        # method is not called again (a million calls took 0.8 s of 2,000 pages).
        self.__dict__[name] = found
        return found

    def __getitem__(self, key: str) -> URIRef:
        return self.__getattr__(key) if isinstance(key, str) else super().__getitem__(key)


_TERMS: dict[str, dict[str, URIRef]] = {}

PG = CachedNamespace("https://w3id.org/parlgraph/def/")
ONTOLOGY_IRI = "https://w3id.org/parlgraph/def"
ELI = CachedNamespace("http://data.europa.eu/eli/ontology#")
ELI_DL = CachedNamespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
EPVOC = CachedNamespace("https://data.europarl.europa.eu/def/epvoc#")
PERSON = CachedNamespace("http://www.w3.org/ns/person#")
CV = CachedNamespace("http://data.europa.eu/m8g/")
SCHEMA = CachedNamespace("http://schema.org/")
OA = CachedNamespace("http://www.w3.org/ns/oa#")
CNT = CachedNamespace("http://www.w3.org/2011/content#")
SPDX = CachedNamespace("http://spdx.org/rdf/terms#")
AT = CachedNamespace("http://publications.europa.eu/resource/authority/")
SH = CachedNamespace("http://www.w3.org/ns/shacl#")
TIME = CachedNamespace("http://www.w3.org/2006/time#")

PREFIXES: dict[str, Namespace] = {
    "pg": PG,
    "eli": ELI,
    "eli-dl": ELI_DL,
    "epvoc": EPVOC,
    "person": PERSON,
    "cv": CV,
    "schema": SCHEMA,
    "oa": OA,
    "cnt": CNT,
    "spdx": SPDX,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "time": TIME,
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind parlgraph's prefixes (replacing rdflib's defaults) so serialisations read the same."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


# Literals this long are texts of one page (answers, quotes): not worth keeping.
_SHORT = 200


def literal(value: str | int, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
    """rdflib's Literal, made once per short value and reused (literals are immutable).

    A corpus page makes some 140 literals at 2 to 6 us each (rdflib converts every lexical
    form to a Python value); four in five (labels, names, methods, units, confidences) were
    made for an earlier page.
    """
    if isinstance(value, str) and len(value) > _SHORT:
        return Literal(value, lang=lang, datatype=datatype)
    return _cached_literal(value, lang, datatype)


@lru_cache(maxsize=1 << 14, typed=True)  # typed: 1 and True are different literals
def _cached_literal(value: str | int, lang: str | None, datatype: URIRef | None) -> Literal:
    return Literal(value, lang=lang, datatype=datatype)


def labels_fr_en(node: URIRef, fr: str, en: str) -> list[tuple[URIRef, URIRef, Literal]]:
    """The French and the English rdfs:label of a node, the pair every generated node carries."""
    return [(node, RDFS.label, literal(fr, lang="fr")), (node, RDFS.label, literal(en, lang="en"))]
