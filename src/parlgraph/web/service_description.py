"""The endpoint describes itself in the SPARQL 1.1 Service Description vocabulary.

A client that GETs /sparql without a query and asks for RDF learns the endpoint's IRI, the
language it speaks, the formats it answers in, its default dataset and its limits.
https://www.w3.org/TR/sparql11-service-description/
"""

from __future__ import annotations

import pyoxigraph as ox

from .sparql_execute import Limits
from .sparql_results import RDF_FORMAT_IRIS, RESULT_FORMATS

SD = "http://www.w3.org/ns/sparql-service-description#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
PREFIXES = {"sd": SD, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
ENTAILMENT_SIMPLE = ox.NamedNode("http://www.w3.org/ns/entailment/Simple")


def sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def describe(endpoint: str, limits: Limits, base_iri: str) -> list[ox.Triple]:
    """The triples describing the service whose endpoint is `endpoint` (an absolute URL)."""
    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("defaultGraph")
    comment = (
        "Read-only SPARQL 1.1 Query endpoint of parlgraph. SPARQL Update and SERVICE are "
        f"refused. A query that runs longer than {limits.timeout_s:g} s is answered with "
        f"503; a result of more than {limits.row_cap} rows (or triples) with 400. Without "
        "default-graph-uri, named-graph-uri or FROM, the default graph is the union of all "
        f"named graphs. Relative IRIs in a query resolve against <{base_iri}>."
    )
    triples = [
        ox.Triple(service, RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), service),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultEntailmentRegime"), ENTAILMENT_SIMPLE),
        ox.Triple(service, RDFS_LABEL, ox.Literal("parlgraph SPARQL endpoint", language="en")),
        ox.Triple(service, RDFS_COMMENT, ox.Literal(comment, language="en")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, sd("Graph")),
    ]
    formats = [f.format_iri for f in RESULT_FORMATS.values()] + list(RDF_FORMAT_IRIS.values())
    triples += [ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri)) for iri in formats]
    return triples
