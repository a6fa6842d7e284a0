"""A build's validation: its pages in small stores of their own, the shared graphs in the
whole one.

A page's nodes (question, answers, spans, claims) are minted for that page and typed in its
graph only; their values lie in it and in the shared graphs (people, posts, commitments,
curated and derived data). So the pages a build wrote are checked in in-memory stores holding
a group of them and the shared graphs, with the hash joins of a whole-store run. The shared
graphs' own nodes are what every page points at (a commitment is quoted from thousands of
pages), so they are checked in the whole store. The summary graph is left out of the page
stores: it states only pg: summary terms, which no shape reads.

Small groups, because pyoxigraph's cost per page grows with the store: over 4,000 synthetic
pages, checks took 3.2 ms a page in stores of 250 pages and 5.6 ms in stores of 2,000; the
whole store of 10,000 pages took 6 ms a page, of 100,000 pages 8.5 ms. The groups run in
worker processes while this process checks the shared graphs.

Checking the pages in a worker process while the build wrote its summaries gained nothing on
the 2-core build machine: the summary queries ran about twice as slowly beside it (36-37 s
against 35 s at 100,000 pages), so the checks start once the store is written.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from . import page_cache
from .scale_validate import _report, _sort_key, validate_store_timed

if TYPE_CHECKING:
    from .validate import Report

# A graph of the page store: its name and its triples as N-Triples.
Part = tuple[str, bytes]
# The changed pages, merged into one graph of the page store: shapes read values from the
# union of graphs and name none, and focus nodes typed in one graph are found in one lookup
# (typed in 1,000 named graphs, they took 0.2 s a check to find, over 230 checks).
CHANGED_PAGES = "urn:x-parlgraph:changed-pages"
# Pages a page store holds (see above), and from how many pages the groups are checked in
# worker processes: below, starting them costs more than it saves.
GROUP_PAGES = 200
PARALLEL_PAGES = 200


@dataclass(frozen=True)
class SpooledPage:
    """Where a page's N-Quads lie in the page cache (page_cache.py), and the page's graph."""

    path: str
    offset: int
    length: int
    graph: str


Page = bytes | SpooledPage  # N-Triples, or N-Quads on disk


def page_triples(page: Page) -> bytes:
    """A page's triples as N-Triples (every line of a cached page names its graph last)."""
    if isinstance(page, bytes):
        return page
    data = page_cache.read_span(page.path, page.offset, page.length)
    return data.replace(f" <{page.graph}> .\n".encode(), b" .\n")


def page_store(parts: Sequence[Part]) -> ox.Store:
    """An in-memory store holding the given graphs.

    Loaded leniently (IRIs not checked again): the parts are pyoxigraph's dump of the shared
    graphs and the pages as nquads.py wrote them, every IRI checked by pyoxigraph. It took a
    quarter off loading a group (140 against 105 ms for 200 pages).
    """
    store = ox.Store()
    for graph, data in parts:
        name = ox.NamedNode(graph)
        store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=name, lenient=True)
    return store


def validate_pages(parts: Sequence[Part], shapes: list[Path] | None = None) -> Report:
    """The focus nodes typed in the changed pages, checked in a store of `parts` alone."""
    store = page_store(parts)
    return validate_store_timed(store, shapes, graphs=[CHANGED_PAGES], jobs=1, bulk=True).report


def page_groups(pages: Sequence[Page], size: int | None = None) -> list[Sequence[Page]]:
    """The pages in runs of `size` (GROUP_PAGES) consecutive pages (one run at least)."""
    size = size or GROUP_PAGES
    return [pages[i : i + size] for i in range(0, len(pages), size)] or [pages[:0]]


_GROUP_CONTEXT: tuple[Sequence[Part], list[Path] | None] | None = None


def _start_group_worker(shared_parts: Sequence[Part], shapes: list[Path] | None) -> None:
    global _GROUP_CONTEXT
    _GROUP_CONTEXT = (shared_parts, shapes)


def check_group(
    group: Sequence[Page], shared_parts: Sequence[Part], shapes: list[Path] | None = None
) -> Report:
    """One group of pages, checked in a store of them and the shared graphs."""
    pages = b"".join(page_triples(page) for page in group)
    return validate_pages([(CHANGED_PAGES, pages), *shared_parts], shapes)


def _group_worker_task(group: Sequence[Page]) -> Report:
    assert _GROUP_CONTEXT is not None, "worker started without the shared graphs"
    return check_group(group, *_GROUP_CONTEXT)


def merge_groups(reports: Sequence[Report]) -> list:
    """The results of several page groups as one store of them all would give them.

    A node of one page is in one group; a node typed in pages of several groups (a curated
    layer's, say) is reported by each, as often as its constraints say: kept that often.
    """
    most: Counter = Counter()
    first: dict[tuple, object] = {}
    for report in reports:
        counts: Counter = Counter()
        for r in report.results:
            key = _sort_key(r)
            counts[key] += 1
            first.setdefault(key, r)
        most |= counts  # the larger count of each key
    return [first[key] for key, count in most.items() for _ in range(count)]


def merge(in_pages: Report, in_store: Report) -> Report:
    """Both halves as one report. A node typed in a page and in a shared graph (a curated
    layer restating it) is checked in both; two results with the same text from one half are
    two constraints, and both stay."""
    seen = {_sort_key(r) for r in in_pages.results}
    again = [r for r in in_store.results if _sort_key(r) not in seen]
    return _report(in_pages.results + again)


def validate_changes(
    store_path: Path | str,
    pages: Sequence[Page],
    shared_parts: Sequence[Part],
    shared: list[str],
    shapes: list[Path] | None = None,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """The `pages` a build wrote checked in groups, each in a store of its own with the
    shared graphs' `shared_parts`; the `shared` graphs' nodes checked in the whole store.

    With `jobs` above one and enough pages, the groups are checked by that many worker
    processes while this one checks the shared graphs. `progress` hears (groups done, of).
    """
    groups = page_groups(pages)
    parallel = jobs > 1 and len(pages) >= PARALLEL_PAGES
    with _group_pool(jobs, shared_parts, shapes) if parallel else nullcontext() as pool:
        if pool is not None:  # the workers start on the groups at once
            reports = pool.imap_unordered(_group_worker_task, groups)
        else:
            reports = (check_group(group, shared_parts, shapes) for group in groups)
        in_store = validate_store_timed(store_path, shapes, graphs=shared, jobs=1).report
        in_pages: list[Report] = []
        for report in reports:
            in_pages.append(report)
            if progress:
                progress(len(in_pages), len(groups))
    return merge(_report(merge_groups(in_pages)), in_store)


def _group_pool(jobs: int, shared_parts: Sequence[Part], shapes: list[Path] | None) -> Any:
    # spawn, not fork: this process may hold RocksDB threads (scale_validate._pool).
    context = multiprocessing.get_context("spawn")
    setup = (shared_parts, shapes)
    return context.Pool(jobs, initializer=_start_group_worker, initargs=setup)
