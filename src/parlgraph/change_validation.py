"""A rebuild's validation: the pages it wrote in a store of their own, the shared graphs in
the whole one.

A page's nodes (question, answers, spans, claims) are minted for that page and typed in its
graph only; their values lie in it and in the shared graphs (people, posts, commitments,
curated and derived data). So the pages a rebuild wrote are checked in an in-memory store
holding them and the shared graphs, with the hash joins of a whole-store run: 1,000 of
100,000 pages took 5 s there (the store made in 0.9 s), against 34 s on two cores looking
each focus node up in the whole store. The shared graphs' own nodes are what every page
points at (a commitment is quoted from thousands of pages), so they are checked in the whole
store. The summary graph is left out of the page store: it states only pg: summary terms,
which no shape reads.

Checking the pages in a worker process while the build wrote its summaries gained nothing on
the 2-core build machine: the summary queries ran about twice as slowly beside it, and the
rebuild at 100,000 pages took as long (36-37 s against 35 s, one step after the other).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .scale_validate import _report, _sort_key, validate_store_timed

if TYPE_CHECKING:
    from .validate import Report

# A graph of the page store: its name and its triples as N-Triples.
Part = tuple[str, bytes]
# The changed pages, merged into one graph of the page store: shapes read values from the
# union of graphs and name none, and focus nodes typed in one graph are found in one lookup
# (typed in 1,000 named graphs, they took 0.2 s a check to find, over 230 checks).
CHANGED_PAGES = "urn:x-parlgraph:changed-pages"


def page_store(parts: Sequence[Part]) -> ox.Store:
    """An in-memory store holding the given graphs."""
    store = ox.Store()
    for graph, data in parts:
        store.bulk_load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    return store


def validate_pages(parts: Sequence[Part], shapes: list[Path] | None = None) -> Report:
    """The focus nodes typed in the changed pages, checked in a store of `parts` alone."""
    store = page_store(parts)
    return validate_store_timed(store, shapes, graphs=[CHANGED_PAGES], jobs=1, bulk=True).report


def merge(in_pages: Report, in_store: Report) -> Report:
    """Both halves as one report. A node typed in a page and in a shared graph (a curated
    layer restating it) is checked in both; two results with the same text from one half are
    two constraints, and both stay."""
    seen = {_sort_key(r) for r in in_pages.results}
    again = [r for r in in_store.results if _sort_key(r) not in seen]
    return _report(in_pages.results + again)


def validate_changes(
    store_path: Path | str,
    parts: Sequence[Part],
    shared: list[str],
    shapes: list[Path] | None = None,
) -> Report:
    """The pages checked in a store of `parts` (the changed pages, in CHANGED_PAGES, and the
    shared graphs), the shared graphs' nodes in the whole store."""
    in_pages = validate_pages(parts, shapes)
    in_store = validate_store_timed(store_path, shapes, graphs=shared, jobs=1)
    return merge(in_pages, in_store.report)
