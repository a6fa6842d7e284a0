"""Documentation of the ontology and shapes: pyLODE's HTML, and the constraints on each class.

"Build time" here is when the app is built: create_app runs pyLODE once over the ontology
graph the backend serves (so the page documents the very terms the data uses) and keeps the
HTML; `parlgraph docs --out DIR` writes the same file for static hosting. A failure stops the
server from starting instead of serving a broken page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from ..paths import Layout
from ..store import from_ox, to_ox
from ..vocab import ONTOLOGY_IRI, PREFIXES, SH
from .addresses import SHAPES_IRI
from .backend import Backend, EmbeddedBackend


def ontology_graph(backend: Backend, layout: Layout | None = None) -> Graph:
    """The ontology as the backend serves it; the file in ontology/ if the store lacks it."""
    graph = Graph()
    result = backend.query(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_IRI}> {{ ?s ?p ?o }} }}"
    )
    for triple in result:
        graph.add((from_ox(triple.subject), from_ox(triple.predicate), from_ox(triple.object)))
    if len(graph) == 0:
        graph.parse((layout or Layout.default()).ontology, format="turtle")
    return graph


def ontology_html(graph: Graph) -> str:
    """pyLODE's OntPub documentation of the ontology, as one self-contained HTML page."""
    from pylode import OntPub  # imported here: it configures logging and loads its own data

    logging.getLogger().setLevel(logging.WARNING)  # pyLODE's import turns the root logger to INFO
    return OntPub(graph, sort_subjects=True).make_html()


def write_ontology_html(backend: Backend, out_dir: Path) -> Path:
    """Write pyLODE's page to out_dir/ontology.html (for `parlgraph docs`)."""
    from ..export import write_atomic

    target = out_dir / "ontology.html"
    write_atomic(ontology_html(ontology_graph(backend)).encode("utf-8"), target)
    return target


def shapes_graph(layout: Layout | None = None) -> Graph:
    """Every shapes file of the project in one graph."""
    graph = Graph()
    for path in (layout or Layout.default()).shapes:
        graph.parse(path, format="turtle")
    return graph


def shapes_backend(graph: Graph) -> EmbeddedBackend:
    """The shapes in their own store, named graph <…/shapes>, so shape IRIs dereference too."""
    store = ox.Store()
    name = ox.NamedNode(SHAPES_IRI)
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph)
    return EmbeddedBackend(store)


def curie(term: URIRef | str) -> str:
    """A prefixed name when a known prefix fits, else the IRI.

    >>> curie("https://w3id.org/parlgraph/def/WrittenQuestion")
    'pg:WrittenQuestion'
    """
    text = str(term)
    if text.startswith(SHAPES_IRI + "/"):
        return "pgsh:" + text[len(SHAPES_IRI) + 1 :]
    matches = [
        (len(str(namespace)), f"{prefix}:{text[len(str(namespace)) :]}")
        for prefix, namespace in {**PREFIXES, "sh": SH}.items()
        if text.startswith(str(namespace)) and "/" not in text[len(str(namespace)) :]
    ]
    return max(matches)[1] if matches else text


@dataclass
class Constraint:
    """One property shape or SPARQL rule of a node shape, in words a reader can check."""

    shape: str
    path: str
    rules: list[str]
    message_fr: str | None = None
    message_en: str | None = None


@dataclass
class ShapeDoc:
    """A node shape that targets a class, with what it asks of the class's instances."""

    iri: str
    label_fr: str | None
    label_en: str | None
    comment_fr: str | None
    comment_en: str | None
    constraints: list[Constraint] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


_COMPONENTS = (
    "minCount",
    "maxCount",
    "datatype",
    "class",
    "nodeKind",
    "hasValue",
    "in",
    "languageIn",
    "uniqueLang",
    "pattern",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "minLength",
    "maxLength",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "node",
    "equals",
    "disjoint",
    "lessThan",
)


def _text(graph: Graph, node, predicate, language: str) -> str | None:
    values = sorted(
        str(o) for o in graph.objects(node, predicate) if getattr(o, "language", None) == language
    )
    return values[0] if values else None


def _show(graph: Graph, node) -> str:
    """A term, a list or a path, written compactly."""
    if isinstance(node, Literal):
        return str(node)
    if isinstance(node, URIRef):
        return curie(node)
    if (node, RDF.first, None) in graph:
        return "(" + " ".join(_show(graph, item) for item in Collection(graph, node)) + ")"
    inverse = graph.value(node, SH.inversePath)
    if inverse is not None:
        return "^" + _show(graph, inverse)
    alternative = graph.value(node, SH.alternativePath)
    if alternative is not None:
        return " | ".join(_show(graph, item) for item in Collection(graph, alternative))
    details = sorted(
        f"{curie(p)} {_show(graph, o)}" for p, o in graph.predicate_objects(node) if p != RDF.type
    )
    return "[" + "; ".join(details) + "]"


def _rules(graph: Graph, node) -> list[str]:
    rules = []
    for name in _COMPONENTS:
        for value in sorted(graph.objects(node, SH[name]), key=str):
            rules.append(f"sh:{name} {_show(graph, value)}")
    for value in sorted(graph.objects(node, SH.qualifiedValueShape), key=str):
        rules.append(f"sh:qualifiedValueShape {_show(graph, value)}")
    return rules


def shape_doc(graph: Graph, shape: URIRef) -> ShapeDoc:
    """One node shape: its targets, its own constraints, property shapes and SPARQL rules."""
    doc = ShapeDoc(
        str(shape),
        _text(graph, shape, RDFS.label, "fr"),
        _text(graph, shape, RDFS.label, "en"),
        _text(graph, shape, RDFS.comment, "fr"),
        _text(graph, shape, RDFS.comment, "en"),
        targets=sorted(str(t) for t in graph.objects(shape, SH.targetClass)),
    )
    own = _rules(graph, shape)
    if own:
        doc.constraints.append(
            Constraint(
                str(shape),
                "(focus node)",
                own,
                _text(graph, shape, SH.message, "fr"),
                _text(graph, shape, SH.message, "en"),
            )
        )
    for prop in sorted(graph.objects(shape, SH.property), key=lambda n: _show(graph, n)):
        path = graph.value(prop, SH.path)
        doc.constraints.append(
            Constraint(
                str(prop),
                _show(graph, path) if path is not None else "",
                _rules(graph, prop),
                _text(graph, prop, SH.message, "fr"),
                _text(graph, prop, SH.message, "en"),
            )
        )
    for rule in sorted(graph.objects(shape, SH.sparql), key=lambda n: _show(graph, n)):
        doc.constraints.append(
            Constraint(
                str(shape),
                "(SPARQL)",
                ["sh:sparql"],
                _text(graph, rule, SH.message, "fr"),
                _text(graph, rule, SH.message, "en"),
            )
        )
    return doc


def constraints_for_class(graph: Graph, cls: str) -> list[ShapeDoc]:
    """Every node shape targeting cls, by IRI."""
    return [
        shape_doc(graph, s) for s in sorted(graph.subjects(SH.targetClass, URIRef(cls)), key=str)
    ]


def node_shapes(graph: Graph) -> list[ShapeDoc]:
    """Every node shape with an IRI, by IRI: the index of /shapes."""
    shapes = {s for s in graph.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    return [shape_doc(graph, s) for s in sorted(shapes, key=str)]


def shapes_for_types(graph: Graph, types: list[str]) -> list[str]:
    """The node shapes whose target class is one of the types, by IRI."""
    found = {str(s) for t in types for s in graph.subjects(SH.targetClass, URIRef(t))}
    return sorted(found)
