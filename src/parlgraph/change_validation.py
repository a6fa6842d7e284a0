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
rebuild at 100,000 pages took as long (36-37 s against 35 s, one step after the other). What
does pay is checking the pages themselves on every core once the store is written: a few
hundred pages or more are split in groups, one store and one process each, while this process
checks the shared graphs.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
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
# From this many changed pages on, they are checked in groups, in parallel: below, starting
# the processes costs more than it saves.
PARALLEL_PAGES = 200


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


def page_groups(pages: Sequence[bytes], groups: int) -> list[bytes]:
    """The pages (each its N-Triples) in `groups` runs of consecutive pages, each joined."""
    if not pages:
        return [b""]
    size = -(-len(pages) // max(groups, 1))
    return [b"".join(pages[i : i + size]) for i in range(0, len(pages), size)]


def merge_groups(reports: Sequence[Report]) -> list:
    """The results of several page groups as one store of them all would give them.

    A node of one page is in one group; a node typed in pages of several groups (a curated
    layer's, say) is reported by each, as often as its constraints say: kept that often.
    """
    most: Counter = Counter()
    first: dict[tuple, object] = {}
    for report in reports:
        counts = Counter(_sort_key(r) for r in report.results)
        for key, count in counts.items():
            most[key] = max(most[key], count)
        for r in report.results:
            first.setdefault(_sort_key(r), r)
    return [first[key] for key in sorted(most) for _ in range(most[key])]


def merge(in_pages: Report, in_store: Report) -> Report:
    """Both halves as one report. A node typed in a page and in a shared graph (a curated
    layer restating it) is checked in both; two results with the same text from one half are
    two constraints, and both stay."""
    seen = {_sort_key(r) for r in in_pages.results}
    again = [r for r in in_store.results if _sort_key(r) not in seen]
    return _report(in_pages.results + again)


def validate_changes(
    store_path: Path | str,
    pages: Sequence[bytes],
    shared_parts: Sequence[Part],
    shared: list[str],
    shapes: list[Path] | None = None,
    jobs: int = 1,
) -> Report:
    """The changed `pages` (N-Triples, one item a page) checked in stores of their own with
    the shared graphs' `shared_parts`, and the `shared` graphs' nodes in the whole store.

    With `jobs` above one and enough pages, the pages are checked in that many groups, each
    in a process, while this one checks the shared graphs.
    """
    groups = page_groups(pages, jobs if len(pages) >= PARALLEL_PAGES else 1)
    tasks = [([(CHANGED_PAGES, group), *shared_parts], shapes) for group in groups]
    if len(tasks) == 1:
        in_pages = [validate_pages(*tasks[0])]
        in_store = validate_store_timed(store_path, shapes, graphs=shared, jobs=1).report
    else:
        # spawn, not fork: this process may hold RocksDB threads (scale_validate._pool).
        context = multiprocessing.get_context("spawn")
        with context.Pool(len(tasks)) as pool:
            pending = pool.starmap_async(validate_pages, tasks)
            in_store = validate_store_timed(store_path, shapes, graphs=shared, jobs=1).report
            in_pages = pending.get()
    return merge(_report(merge_groups(in_pages)), in_store)
