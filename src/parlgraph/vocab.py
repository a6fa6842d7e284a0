"""Namespaces used across parlgraph, declared once so every module binds the same prefixes;
and the French and English labels that generated nodes carry."""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD

PG = Namespace("https://w3id.org/parlgraph/def/")
ONTOLOGY_IRI = "https://w3id.org/parlgraph/def"
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ELI_DL = Namespace("http://data.europa.eu/eli/eli-draft-legislation-ontology#")
EPVOC = Namespace("https://data.europarl.europa.eu/def/epvoc#")
PERSON = Namespace("http://www.w3.org/ns/person#")
CV = Namespace("http://data.europa.eu/m8g/")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
CNT = Namespace("http://www.w3.org/2011/content#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
AT = Namespace("http://publications.europa.eu/resource/authority/")
SH = Namespace("http://www.w3.org/ns/shacl#")
TIME = Namespace("http://www.w3.org/2006/time#")

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


def labels_fr_en(node: URIRef, fr: str, en: str) -> list[tuple[URIRef, URIRef, Literal]]:
    """The French and the English rdfs:label of a node, the pair every generated node carries."""
    return [(node, RDFS.label, Literal(fr, lang="fr")), (node, RDFS.label, Literal(en, lang="en"))]
