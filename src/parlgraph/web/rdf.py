"""Serialise a description (a list of quads) in one RDF format, through the export module.

Going through export.serialize keeps one code path for every RDF the project writes: the same
prefixes, the same JSON-LD context, the same byte-stable order.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from ..export import serialize
from ..store import from_ox
from ..vocab import bind_prefixes


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset holding the quads, each in its named graph."""
    dataset = bind_prefixes(Dataset())
    for quad in quads:
        name = quad.graph_name
        graph_id = DATASET_DEFAULT_GRAPH_ID if isinstance(name, ox.DefaultGraph) else name.value
        graph = dataset.graph(URIRef(graph_id))
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return dataset


def rdf_bytes(quads: Iterable[ox.Quad], format_name: str) -> bytes:
    """The quads in an RDF syntax: quad formats keep graphs, triple formats merge them."""
    return serialize(to_dataset(quads), format_name)


def as_triples(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads' triples once each, in the default graph: what a page embeds as JSON-LD."""
    seen: dict[ox.Triple, None] = {}
    for quad in quads:
        seen.setdefault(quad.triple, None)
    return [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in seen]
