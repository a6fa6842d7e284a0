"""Snapshots: the minimal description of each link target, as sorted N-Triples per source.

They let the published graph carry labels, schemes and notations of EuroVoc, NUTS and the
authority tables, and let the shapes check them, without any network at build time. Sorted
lines and no blank nodes make a refresh a readable diff.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from ..export import write_atomic
from .errors import SourceError
from .results import Row


def triples_from_rows(rows: list[Row]) -> Graph:
    """A graph of the describe template's (?target ?p ?o) rows, blank nodes left out."""
    graph = Graph()
    for row in rows:
        s, p, o = row.get("target"), row.get("p"), row.get("o")
        if isinstance(s, URIRef) and isinstance(p, URIRef) and isinstance(o, URIRef | Literal):
            graph.add((s, p, o))
    return graph


def format_snapshot(graph: Graph, header: list[str]) -> bytes:
    """`# key: value` header lines, then the triples as sorted N-Triples lines."""
    lines = sorted(
        line for line in graph.serialize(format="nt", encoding="utf-8").decode().splitlines()
    )
    lines = [line for line in lines if line.strip()]
    head = [f"# {h}" for h in header]
    return ("\n".join(head + lines) + "\n").encode("utf-8")


def write_snapshot(path: Path, graph: Graph, header: list[str]) -> None:
    write_atomic(format_snapshot(graph, header), path)


def read_snapshots(folder: Path) -> Graph:
    """Every snapshot in the folder as one graph (empty if there is none).

    Raises:
        SourceError: a file that is not N-Triples, naming it and the line when known.
    """
    graph = Graph()
    for path in sorted(folder.glob("*.nt")) if folder.is_dir() else []:
        try:
            graph.parse(path, format="nt")
        except Exception as err:  # rdflib's N-Triples parser raises ParseError with the line
            message = str(err).splitlines()[0]
            raise SourceError(f"invalid N-Triples: {message}", path) from err
    return graph
