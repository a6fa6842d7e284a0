"""Serialise a description (a list of quads) in one RDF format, through the export module.

Going through export.serialize keeps one code path for every RDF the project writes: the same
prefixes, the same JSON-LD context, the same byte-stable order.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from ..export import serialize
from ..store import from_ox
from ..vocab import bind_prefixes


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib Dataset holding the quads, each in its named graph."""
    dataset = bind_prefixes(Dataset())
    for quad in quads:
        graph = dataset.graph(URIRef(quad.graph_name.value))
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return dataset


def rdf_bytes(quads: Iterable[ox.Quad], format_name: str) -> bytes:
    """The quads in an RDF syntax: quad formats keep graphs, triple formats merge them."""
    return serialize(to_dataset(quads), format_name)
