"""The whole store as one file per RDF format: the dumps the catalogue's distributions point to.

The quads are read over SPARQL, so any backend can be dumped, and serialised by export.py, so a
dump is byte-identical to `parlgraph export` of the same quads (sorted, no blank node minted).
Reading every quad into memory costs as much as an export of the same data; the web routes
therefore write each dump once per data version and serve the file.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from .errors import ExportError
from .export import serialize, write_atomic
from .formats import RdfFormat
from .store import from_ox
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


def dump(backend: Backend, fmt: RdfFormat) -> bytes:
    """The whole store in one format (quad formats keep the graph names)."""
    return serialize(store_dataset(backend), fmt)


def write_dump(backend: Backend, fmt: RdfFormat, target: Path) -> Path:
    """Write the dump atomically, so a reader never sees half a file."""
    write_atomic(dump(backend, fmt), target)
    return target
