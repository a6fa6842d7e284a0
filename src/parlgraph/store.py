"""The one module that talks to pyoxigraph: term conversion, loading, SPARQL.

rdflib stays the API for building small graphs and for pyshacl; pyoxigraph carries SPARQL
and bulk serialisation, which it does an order of magnitude faster.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from .errors import ParameterError

Term = URIRef | Literal | BNode


def to_ox(term: Term) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    """Convert one rdflib term to its pyoxigraph twin, keeping the lexical form."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if term.language:
        return ox.Literal(str(term), language=term.language)
    if term.datatype:
        return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
    return ox.Literal(str(term))


def from_ox(term) -> Term | None:
    """Convert a pyoxigraph term (or None for an unbound variable) back to rdflib."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def sort_key(term: Term) -> tuple[str, str]:
    """The key quads are ordered by, term by term: the exports' and the dumps' order."""
    return (type(term).__name__, term.n3())


def sorted_quads(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset in one stable order: graph, subject, predicate, object."""
    rows = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = g.identifier if hasattr(g, "identifier") else g
        rows.append((sort_key(name), sort_key(s), sort_key(p), sort_key(o), s, p, o, name))
    rows.sort(key=lambda r: r[:4])
    quads = []
    for *_, s, p, o, name in rows:
        graph = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)
        quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph))
    return quads


def sorted_triples(dataset: Dataset) -> list[ox.Triple]:
    """The union of all graphs as triples, deduplicated, in a stable order."""
    return union_triples(sorted_quads(dataset))


def union_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of the quads, deduplicated across graphs, ordered by their text."""
    seen: dict[tuple, ox.Triple] = {}
    for quad in quads:
        key = (quad.subject, quad.predicate, quad.object)
        seen.setdefault(key, ox.Triple(*key))
    return sorted(seen.values(), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def open_store(path: Path) -> ox.Store:
    """A store made by `parlgraph build`, opened read-only so queries never change it."""
    location = path / "oxigraph"
    if not location.is_dir():
        raise ParameterError(f"--store {path}: no store there (run parlgraph build first)")
    try:
        return ox.Store.read_only(str(location))
    except OSError as err:
        raise ParameterError(f"--store {path}: cannot open the store ({err})") from err


def load_store(dataset: Dataset) -> ox.Store:
    """An in-memory pyoxigraph store holding every quad of the dataset."""
    store = ox.Store()
    store.bulk_extend(sorted_quads(dataset))
    return store


def select(
    store: ox.Store,
    query: str,
    bindings: dict[str, Term] | None = None,
    union_default_graph: bool = True,
) -> tuple[list[str], Iterator[dict[str, Term | None]]]:
    """Run a SELECT query with variables bound as values, never spliced into the text."""
    substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
    solutions = store.query(
        query, substitutions=substitutions, use_default_graph_as_union=union_default_graph
    )
    variables = [v.value for v in solutions.variables]

    def rows() -> Iterable[dict[str, Term | None]]:
        for solution in solutions:
            yield {name: from_ox(solution[name]) for name in variables}

    return variables, iter(rows())
