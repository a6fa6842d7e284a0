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

# export.py's own writer table, prefixes and sort key, so that the bytes are the export's.
from .export import _OX_FORMATS, _PREFIXES, serialize, write_atomic
from .formats import RdfFormat
from .store import _sort_key, from_ox
from .web.backend import Backend

# export.py's writer table, prefixes and sort key are imported above so the bytes are the export's.
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
            found = keys[term] = _sort_key(from_ox(term))
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
    if fmt.name not in _OX_FORMATS:
        return serialize(store_dataset(backend), fmt)
    quads = sorted_quads(backend)
    if fmt.quads:
        data: list = quads
    else:  # as export.sorted_triples: the union, deduplicated, ordered by text
        seen: dict[tuple, ox.Triple] = {}
        for quad in quads:
            triple = (quad.subject, quad.predicate, quad.object)
            seen.setdefault(triple, ox.Triple(*triple))
        data = sorted(
            seen.values(), key=lambda t: (str(t.subject), str(t.predicate), str(t.object))
        )
    prefixes = _PREFIXES if fmt.name in {"turtle", "trig", "rdfxml"} else None  # as export.py
    return ox.serialize(data, format=_OX_FORMATS[fmt.name], prefixes=prefixes)


def write_dump(backend: Backend, fmt: RdfFormat, target: Path) -> Path:
    """Write the dump atomically, so a reader never sees half a file."""
    write_atomic(dump(backend, fmt), target)
    return target
