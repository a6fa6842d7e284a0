"""Assemble the whole accountability graph as named graphs.

One graph per source document (what the parser derives), one for the people, posts,
memberships, competences and sessions that pages name (each described once), one for the
commitments that questions quote (shared by every question quoting them), one for curated
data (what the answers report, plus reference data), one for the publisher's editorial
assessments, one for what the build derives from the whole corpus (attested membership
periods), one for the ontology. Keeping them apart lets a reader tell who said what.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import rdflib
from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from .derived import (
    answer_facts,
    attributed_answers,
    derived_graph_name,
    period_triples,
    periods,
)
from .errors import SourceError
from .iris import Iris
from .links.build import accepted_link_triples
from .links.triples import links_graph_name
from .model import document_layers
from .parse import Document, read
from .paths import Layout
from .people import PeopleOverrides
from .resolve import CommitmentIndex
from .vocab import ONTOLOGY_IRI, bind_prefixes


@dataclass
class Built:
    """The result of a build: the dataset, the parsed documents, the graph names by role."""

    dataset: Dataset
    documents: list[Document] = field(default_factory=list)
    document_graphs: list[URIRef] = field(default_factory=list)
    curated_graph: URIRef | None = None
    commitments_graph: URIRef | None = None
    entities_graph: URIRef | None = None
    derived_graph: URIRef | None = None
    editorial_graph: URIRef | None = None
    ontology_graph: URIRef | None = None
    links_graph: URIRef | None = None  # issue 5: accepted links to EU graphs

    def union(self) -> Graph:
        """All named graphs merged into one plain graph (for SHACL and small-graph work)."""
        merged = bind_prefixes(Graph())
        for quad in self.dataset.quads((None, None, None, None)):
            merged.add(quad[:3])
        return merged


def parse_turtle(path: Path, base: str, into: Graph) -> None:
    """Parse curated Turtle, resolving its relative IRIs against the dataset base.

    Raises:
        SourceError: naming the file and line of the first syntax error.
    """
    # Keep literals as written: rdflib would otherwise rewrite a bad "2024-01-23T10:00"^^xsd:date
    # into a valid date before the shapes could see it.
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        into.parse(path, format="turtle", publicID=base)
    except BadSyntax as err:  # its `lines` counts the line breaks before the error
        raise SourceError(f"invalid Turtle: {err._why}", path, err.lines + 1) from err
    except Exception as err:  # rdflib raises several unrelated types for bad terms
        raise SourceError(f"invalid Turtle: {str(err).splitlines()[0]}", path) from err
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def build(
    layout: Layout | None = None, iris: Iris | None = None, sources: list[Path] | None = None
) -> Built:
    """Parse every source page and load every curated file into one dataset."""
    layout = layout or Layout.default()
    iris = iris or Iris()
    dataset = bind_prefixes(Dataset())
    built = Built(dataset)
    commitments = CommitmentIndex(iris)
    built.entities_graph = iris.entities_graph()
    entities = dataset.graph(built.entities_graph)
    attributed: list[tuple[str, str]] = []
    people = PeopleOverrides.load(layout.people_overrides)
    for path in sources if sources is not None else layout.source_files():
        doc = read(path)
        name = iris.document_graph(doc.session, doc.number)
        graph = dataset.graph(name)
        own, shared = document_layers(doc, iris, commitments, people)
        for triple in own:
            graph.add(triple)
        for triple in shared:
            entities.add(triple)
        attributed += attributed_answers(answer_facts(own))
        built.documents.append(doc)
        built.document_graphs.append(name)
    built.commitments_graph = iris.commitments_graph()
    shared = dataset.graph(built.commitments_graph)
    for triple in commitments.triples():
        shared.add(triple)
    built.curated_graph = iris.curated_graph()
    curated = dataset.graph(built.curated_graph)
    for path in layout.curated:
        parse_turtle(path, iris.base, curated)
    built.editorial_graph = iris.editorial_graph()
    editorial = dataset.graph(built.editorial_graph)
    for path in layout.editorial:
        parse_turtle(path, iris.base, editorial)
    built.ontology_graph = URIRef(ONTOLOGY_IRI)
    parse_turtle(layout.ontology, iris.base, dataset.graph(built.ontology_graph))
    built.derived_graph = derived_graph_name(iris)
    derived = dataset.graph(built.derived_graph)
    for triple in period_triples(periods(attributed)):
        derived.add(triple)
    # Issue 5: accepted links from data/links/ (lock file + snapshots; never the network).
    built.links_graph = links_graph_name(iris)
    links = dataset.graph(built.links_graph)
    for triple in accepted_link_triples(layout.root, iris):
        links.add(triple)
    bind_prefixes(dataset)
    return built
