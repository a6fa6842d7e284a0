"""The whole store as one file per RDF format: the dumps the catalogue's distributions point to.

The quads are read over SPARQL, so any backend can be dumped, in export.py's order and with its
serialiser settings, so a dump is byte-identical to `parlgraph export` of the same quads
(tests/test_catalog.py checks every format). pyoxigraph writes all formats but JSON-LD straight
from its own terms, sorted by the key export.py sorts rdflib terms by; JSON-LD goes through an
rdflib Dataset and export.py, as the export does. Sorting needs every quad in memory, so the web
routes write each dump once per data version and serve the file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from .errors import ExportError

# export.py's own writer, and store.py's sort key, so that the bytes are the export's.
from .export import OX_FORMATS, serialize, serialize_ox, write_atomic
from .formats import RdfFormat
from .store import from_ox, sort_key, union_triples
from .web.backend import Backend

QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }"


def store_dataset(backend: Backend) -> Dataset:
    """Every quad of the named graphs as an rdflib Dataset, the input export.py serialises."""
    result = backend.query(QUADS)
    if not isinstance(result, ox.QuerySolutions):
        raise ExportError("the store did not answer the dump query with solutions")
    dataset = Dataset()
    for row in result:
        graph = dataset.graph(URIRef(row["g"].value))
        graph.add((from_ox(row["s"]), from_ox(row["p"]), from_ox(row["o"])))
    return dataset


def sorted_quads(backend: Backend) -> list[ox.Quad]:
    """Every quad of the named graphs in export.py's order, without building rdflib graphs."""
    result = backend.query(QUADS)
    if not isinstance(result, ox.QuerySolutions):
        raise ExportError("the store did not answer the dump query with solutions")
    keys: dict[object, tuple[str, str]] = {}

    def key(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> tuple[str, str]:
        found = keys.get(term)
        if found is None:
            found = keys[term] = sort_key(from_ox(term))
        return found

    rows = []
    for row in result:
        g, s, p, o = row["g"], row["s"], row["p"], row["o"]
        rows.append((key(g), key(s), key(p), key(o), ox.Quad(s, p, o, g)))
    del result
    rows.sort(key=lambda r: r[:4])
    return [r[4] for r in rows]


def dump(backend: Backend, fmt: RdfFormat) -> bytes:
    """The whole store in one format (quad formats keep the graph names)."""
    if fmt.name not in OX_FORMATS:
        return serialize(store_dataset(backend), fmt)
    quads = sorted_quads(backend)
    return serialize_ox(quads if fmt.quads else union_triples(quads), fmt)


def write_dump(backend: Backend, fmt: RdfFormat, target: Path) -> Path:
    """Write the dump atomically, so a reader never sees half a file."""
    write_atomic(dump(backend, fmt), target)
    return target
