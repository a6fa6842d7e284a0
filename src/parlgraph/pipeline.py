"""Corpus builds: thousands of pages into one persistent store, incrementally, in parallel.

Each page becomes its own named graph. A manifest of content hashes lets a rebuild skip
unchanged pages, replace changed ones and retract removed ones; pages are parsed and modelled
in worker processes, while everything that needs the whole corpus (commitment resolution,
shared graphs, membership periods) runs in the main process in page order, so the result
does not depend on scheduling.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox
from rdflib import Dataset, URIRef

from . import __version__, nquads, page_cache
from .change_validation import Part, SpooledPage, validate_changes
from .dataset import parse_turtle
from .derived import (
    answer_facts,
    attributed_answers,
    derived_graph_name,
    period_triples,
    periods,
)
from .entities import EntityRegister
from .errors import ParameterError, SourceError
from .export import write_atomic
from .gazetteer import Gazetteer
from .iris import Iris
from .links.build import accepted_link_triples
from .links.triples import links_graph_name
from .machine_claims import MachineClaims, provenance_triples
from .memory import release_freed_memory
from .model import commitment_link_triples, document_layers
from .parse import Commitment, read
from .paths import Layout
from .people import PeopleOverrides
from .resolve import CommitmentIndex, CommitmentMatch
from .store import to_ox
from .summaries import (
    Rebuilt,
    question_lines,
    refresh_summaries,
    summary_graph,
    take_copy,
    unattributed_answers,
)
from .vocab import ONTOLOGY_IRI

if TYPE_CHECKING:
    from .validate import Report

# 2: entities described once (entities.py), attributed answers per page;
# 3: answers without a post per page (summaries.unattributed_answers)
MANIFEST_FORMAT = 3
# Pages' N-Quads wait in a file until there are this many, then go to the store in one
# bulk load: pyoxigraph's loader works in parallel on batches of a million quads and loads
# 3.5 million quads in one call 1.6 times faster than in five calls (bench/build.py).
SPOOL_QUADS = 6_000_000
WINDOW_PAGES = 4000
# A rebuild that changed up to this many pages recomputes the per-question summaries of those
# pages only (summaries.Rebuilt); beyond, every summary step runs on the whole store.
SCRATCH_PAGES = 10_000


class _Removal:
    """Replaced and removed pages' graphs, taken out of the store in a thread of their own.

    The build's main thread mostly waits for the workers' pages meanwhile: removing 1,000
    graphs from a 100,000-page store takes 5 s, a seventh of a rebuild. The new pages are
    loaded only once it is done (`wait`).
    """

    def __init__(self, store: ox.Store, graphs: list[str]) -> None:
        self.error: BaseException | None = None
        self.thread = threading.Thread(
            target=self._run, args=(store, graphs), name="parlgraph-removal", daemon=True
        )
        self.thread.start()

    def _run(self, store: ox.Store, graphs: list[str]) -> None:
        try:
            for graph in graphs:
                store.remove_graph(ox.NamedNode(graph))
            if graphs:
                # The removals' tombstones are written out here, while the workers model
                # pages, not by the bulk load that follows: at 10,000 pages, after removing
                # 1,000 graphs, the load took 5.0 s, or 1.0 s here and 3.6 s there.
                store.flush()
        except BaseException as err:  # re-raised in the build's thread by wait()
            self.error = err

    def wait(self) -> None:
        self.thread.join()
        if self.error is not None:
            raise self.error


class _Spool:
    """N-Quads on their way to the store, written to the page cache (page_cache.py).

    Every page goes to the current cache file whole; the file is bulk-loaded once it holds
    SPOOL_QUADS quads, and the next file started. A page that replaces its cached version
    loads only its new lines (`add(..., load=...)`): from then on the current file's loads go
    to a load file of their own, which starts with the whole pages written before.

    Loading in a thread of its own, while this one went on taking pages (pyoxigraph lets go
    of the GIL), gained nothing measurable at 100,000 pages: the machine is CPU-bound there.
    """

    def __init__(
        self,
        store: ox.Store,
        folder: Path,
        number: int,
        clock: _Clock,
        before_load: Callable[[], None],
    ) -> None:
        self.store, self.folder, self.clock = store, folder, clock
        self.before_load, self.number = before_load, number
        folder.mkdir(parents=True, exist_ok=True)
        self._open()

    def _open(self) -> None:
        self.path = self.folder / page_cache.file_name(self.number)
        self.file = self.path.open("wb")
        self.load_path = self.folder / f"load-{self.number}.nq.tmp"
        self.partial: BinaryIO | None = None
        self.quads = 0

    def add(
        self, data: bytes, quads: int, graph: str, load: bytes | None = None
    ) -> tuple[SpooledPage, list]:
        """One page's N-Quads, all in `graph`, and (None: all of them) the lines to load.

        Returns where the page lies, and what the manifest records of it.
        """
        offset = self.file.tell()
        self.file.write(data)
        page = SpooledPage(str(self.path), offset, len(data), graph)
        where = page_cache.location(str(self.path), offset, len(data), data)
        if load is not None and self.partial is None:
            self.file.flush()
            self.partial = self.load_path.open("wb")
            with self.path.open("rb") as written:  # the whole pages before this one
                self.partial.write(written.read(offset))
        if self.partial is not None:
            self.partial.write(data if load is None else load)
        self.quads += quads
        if self.quads >= SPOOL_QUADS:  # between pages: a page lies in one file
            self.flush()
        return page, where

    def flush(self) -> None:
        """Load what the current file brought, and start the next one."""
        if self.file.tell() == 0:
            return
        self.file.close()
        self.before_load()
        loaded = self.path
        if self.partial is not None:
            self.partial.close()
            loaded = self.load_path
        if self.quads:
            # Lenient: every line was written by nquads.py, which had pyoxigraph check each
            # IRI and escapes every literal; checking them again cost 16 % of the load's CPU
            # (33 against 28 CPU-seconds for 800 MB).
            self.clock.time(
                self.store.bulk_load, path=str(loaded), format=ox.RdfFormat.N_QUADS, lenient=True
            )
        self.load_path.unlink(missing_ok=True)
        self.number += 1
        self._open()

    def close(self) -> None:
        self.flush()
        self.file.close()
        self.path.unlink(missing_ok=True)  # started, never written to
        del self.store  # the build closes the store before validation opens it read-only


class _Deletions:
    """Quads of changed pages that their new version lacks, deleted by SPARQL DELETE DATA
    a few hundred thousand at a time."""

    LIMIT = 200_000

    def __init__(self, store: ox.Store, clock: _Clock) -> None:
        self.store, self.clock = store, clock
        self.graphs: dict[str, list[ox.Quad]] = {}
        self.quads = 0

    def add(self, graph: str, quads: list[ox.Quad]) -> None:
        if quads:
            self.graphs.setdefault(graph, []).extend(quads)
            self.quads += len(quads)
            if self.quads >= self.LIMIT:
                self.run()

    def run(self) -> None:
        if self.graphs:
            self.clock.time(self.store.update, page_cache.delete_update(self.graphs))
            self.graphs, self.quads = {}, 0

    def close(self) -> None:
        self.run()
        del self.store  # the build closes the store before validation opens it read-only


@dataclass
class PageResult:
    """What a worker sends back for one page: its quads, or why it failed."""

    path: str
    sha256: str
    graph: str | None = None
    nquads: bytes = b""
    quads: int = 0
    entities: tuple[str, ...] = ()  # N-Quads lines for the entities graph
    attributed: list[tuple[str, str]] = field(default_factory=list)  # (membership, answer date)
    unattributed: list[tuple[str, str]] = field(default_factory=list)  # (answer, author)
    commitment: Commitment | None = None
    session: str = ""
    number: int = 0
    error: str | None = None


@dataclass
class BuildSummary:
    """Counts a person (or, as JSON, a program) reads after a build."""

    built: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    quads_loaded: int = 0
    store_quads: int = 0
    failures: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # insert, shared, derived, total
    validated_graphs: int | None = None  # None: validation not run; else graphs checked
    report: Report | None = None

    def to_json(self) -> dict:
        data = {k: v for k, v in self.__dict__.items() if k != "report"}
        data["validation"] = None if self.report is None else self.report.to_json()
        return data


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _stat_key(path: str) -> list[int]:
    """Size and modification time (ns): what a rebuild compares before hashing a page."""
    info = os.stat(path)
    return [info.st_size, info.st_mtime_ns]


def discover(sources: Iterable[Path]) -> list[str]:
    """The path of every page under the given files and folders, each once, in path order.

    Strings, not Path objects, sorted part by part as Path sorts: making and comparing
    100,000 Path objects took 3 s of a rebuild.
    """
    pages: set[str] = set()
    for source in sources:
        if source.is_dir():
            # Resolving the folder once, not each of 100,000 files, keeps a rebuild quick.
            pages.update(_text_files(str(source.resolve())))
        elif source.is_file():
            pages.add(str(source.resolve()))
        else:
            raise ParameterError(f"{source}: no such file or folder")
    return sorted(pages, key=lambda path: path.split(os.sep))


def _text_files(folder: str) -> Iterator[str]:
    """Every *.txt file below a folder, as Path.rglob finds them (symlinked folders not
    entered), with os.scandir: rglob took 1.5 s of a rebuild on 100,000 pages, this 0.1 s."""
    stack = [folder]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.name.endswith(".txt"):
                    yield entry.path


def _graph_size(store: ox.Store, name: URIRef | str) -> int:
    """Counted by the store: iterating the 280,000 quads of a 100,000-page summary graph in
    Python took 6 s (every term decoded), COUNT takes 0.2 s."""
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {ox.NamedNode(str(name))} {{ ?s ?p ?o }} }}"
    return int(next(iter(store.query(query)))[0].value)


@dataclass
class _WorkerState:
    """What every page of a build shares, set up once per worker process."""

    iris: Iris
    curated: frozenset[tuple[str, int]]
    machine: MachineClaims
    people: PeopleOverrides


_STATE: _WorkerState | None = None


def load_gazetteer(iris: Iris, layout: Layout) -> Gazetteer:
    """The labels of the entities the curated and reference files describe."""
    reference = Dataset().graph(iris.curated_graph())
    for path in layout.curated:
        parse_turtle(path, iris.base, reference)
    return Gazetteer.from_graph(reference)


def init_worker(base: str, root: str, people: PeopleOverrides) -> None:
    """Load the gazetteer and the list of curated pages once per process."""
    global _STATE
    iris, layout = Iris(base), Layout(Path(root))
    machine = MachineClaims(iris, load_gazetteer(iris, layout))
    _STATE = _WorkerState(iris, curated_pages(layout), machine, people)


def modelling_inputs(gazetteer: Gazetteer, curated: frozenset, people: PeopleOverrides) -> str:
    """A digest of everything besides a page's text that shapes its graph: the gazetteer
    (machine claims), which pages have a curated layer, and the people overrides. When it
    changes, pages built before would be stale, so the build starts over."""
    text = json.dumps(
        [sorted(gazetteer.labels.items()), sorted(curated), people.digest()],
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def page_key(layer_file: Path) -> tuple[str, int] | None:
    """(session, number) of a per-page curated or editorial file; None for reference data."""
    if layer_file.parent.parent.name == "wallonia" and layer_file.stem.startswith("qe-"):
        return layer_file.parent.name, int(layer_file.stem.removeprefix("qe-"))
    return None


def curated_pages(layout: Layout) -> frozenset[tuple[str, int]]:
    """(session, number) of every page that has a curated layer: no machine claims for those."""
    return frozenset(key for path in layout.curated if (key := page_key(path)) is not None)


def process_page(task: tuple[str, str]) -> PageResult:
    """Worker: parse and model one page (commitments are resolved later, in page order)."""
    path, sha = task
    try:
        doc = read(Path(path))
    except SourceError as err:
        return PageResult(path, sha, error=str(err))
    assert _STATE is not None, "init_worker() first"
    iris = _STATE.iris
    graph = iris.document_graph(doc.session, doc.number)
    triples, shared = document_layers(doc, iris, people=_STATE.people)
    if (doc.session, doc.number) not in _STATE.curated:
        triples += _STATE.machine.triples(doc)
    answers = answer_facts(triples)
    attributed = attributed_answers(answers)
    unattributed = unattributed_answers(answers, shared)
    try:
        data, quads = nquads.encoded(triples, graph)
        entities = tuple(nquads.lines(shared, iris.entities_graph()))
    except nquads.BadTermError as err:
        return PageResult(path, sha, error=f"{path}: {err}")
    return PageResult(
        path,
        sha,
        graph=str(graph),
        nquads=data,
        quads=quads,
        entities=entities,
        attributed=attributed,
        unattributed=unattributed,
        commitment=doc.question.commitment,
        session=doc.session,
        number=doc.number,
    )


class _Clock:
    """Adds up the time spent in one kind of step."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def time(self, func: Callable, *args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


class CorpusBuilder:
    """One persistent store and its manifest, kept in step with a tree of pages."""

    def __init__(self, store_dir: Path, iris: Iris, layout: Layout | None = None) -> None:
        self.store_dir, self.iris = store_dir, iris
        self.layout = layout or Layout.default()
        self.manifest_path = store_dir / "manifest.json"
        self.cache_dir = store_dir / page_cache.FOLDER

    # ------------------------------------------------------------------ manifest
    def _load_manifest(self, inputs: str) -> dict:
        if not self.manifest_path.exists():
            return {}
        manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
        if manifest.get("format") != MANIFEST_FORMAT or manifest.get("base") != self.iris.base:
            return {}  # another base or layout: nothing in the store can be reused
        if manifest.get("inputs") != inputs:
            return {}  # pages were modelled with another gazetteer or other overrides
        return manifest

    def _save_manifest(
        self, pages: dict, index: CommitmentIndex, register: EntityRegister, inputs: str
    ) -> None:
        manifest = {
            "format": MANIFEST_FORMAT,
            "software": f"parlgraph {__version__}",
            "base": self.iris.base,
            "inputs": inputs,
            "pages": dict(sorted(pages.items())),
            "commitments": index.to_json(),
            "entities": register.to_json(entry["entities"] for entry in pages.values()),
        }
        # One line: indenting 100,000 entries doubled the time to write them (5 s a build).
        text = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        write_atomic(text.encode("utf-8"), self.manifest_path)

    # ------------------------------------------------------------------ build
    def build(
        self,
        sources: Iterable[Path],
        jobs: int | None = None,
        progress: Callable[[int, int], None] | None = None,
        report_failure: Callable[[str], None] | None = None,
        validate: bool = True,
        validation_progress: Callable[[int, int], None] | None = None,
    ) -> BuildSummary:
        """Bring the store in step with the pages under `sources`, then validate what changed.

        The page graphs it wrote are checked in groups of pages (change_validation), the
        shared graphs in the whole store: a full build validates every graph that way.
        `progress` hears (pages done, of), `validation_progress` (groups checked, of).
        """
        started, insert = time.perf_counter(), _Clock()
        pages = discover(sources)
        # Read here first, so a bad override file stops the build before any worker starts.
        people = PeopleOverrides.load(self.layout.people_overrides)
        inputs = modelling_inputs(
            load_gazetteer(self.iris, self.layout), curated_pages(self.layout), people
        )
        manifest = self._load_manifest(inputs)
        if not manifest and self.store_dir.exists():
            shutil.rmtree(self.store_dir)
        self.store_dir.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(self.store_dir / "oxigraph"))
        known: dict[str, dict] = manifest.get("pages", {})
        index = CommitmentIndex.from_json(self.iris, manifest.get("commitments", []))
        register = EntityRegister.from_json(manifest.get("entities"))
        summary = BuildSummary()

        stats = {p: _stat_key(p) for p in pages}
        # A page whose size and modification time are those recorded is not read again.
        current = {
            p: known[p]["sha256"]
            if p in known and known[p].get("stat") == stat
            else sha256_file(Path(p))
            for p, stat in stats.items()
        }
        todo = [p for p, sha in current.items() if known.get(p, {}).get("sha256") != sha]
        # Changed pages' entries are dropped just below; the others keep their fresh stat.
        for path, entry in known.items():
            if path in stats:
                entry["stat"] = stats[path]
        gone = [p for p in known if p not in current]
        summary.skipped = len(current) - len(todo)
        replaced = [*gone, *[p for p in todo if p in known]]
        summary_copy = self.store_dir / "summary.nt"
        present = take_copy(summary_copy)  # gone before the store changes
        # A rebuild of a few pages recomputes the per-question summaries of those pages only:
        # those of the pages about to go are taken while their graphs are still there.
        few = summary.skipped > 0 and len(replaced) + len(todo) <= SCRATCH_PAGES
        stale = None
        if present is not None and few:
            graphs = [known[path]["graph"] for path in replaced]
            stale = question_lines(store, self.iris.base, graphs)
        # A changed page whose last version is in the page cache has only the quads that
        # changed replaced (_replace); the others' graphs go whole, in a thread.
        pending = {p: known.pop(p) for p in todo if p in known and "nq" in known[p]}
        removal = _Removal(store, [known.pop(path)["graph"] for path in replaced if path in known])
        summary.removed = len(gone)
        # Files a build that stopped half-way left behind.
        referenced = self._sweep_cache([*known.values(), *pending.values()])
        for stale_file in self.store_dir.glob("pages*.nq.tmp"):  # the spool of older versions
            stale_file.unlink()

        owners = {entry["graph"]: path for path, entry in known.items()}
        pending_graphs = {entry["graph"]: path for path, entry in pending.items()}
        deletions = _Deletions(store, insert)
        tasks = [(p, current[p]) for p in todo]
        number = page_cache.next_number(referenced)
        spool = _Spool(store, self.cache_dir, number, insert, removal.wait)
        written_pages: list[SpooledPage] = []  # what the validation checks, page by page
        for done, result in enumerate(self._run(tasks, jobs, people), start=1):
            if progress:
                progress(done, len(tasks))
            failure = result.error or self._claim_graph(result, owners)
            if failure:
                summary.failed += 1
                summary.failures.append(failure)
                if report_failure:
                    report_failure(failure)
                continue
            holder = pending_graphs.pop(result.graph, None)
            if holder is not None and holder != result.path and holder in pending:
                # Another page's last version is in this graph: it goes whole, first.
                store.remove_graph(ox.NamedNode(pending.pop(holder)["graph"]))
            entry = {"sha256": result.sha256, "graph": result.graph, "stat": stats[result.path]}
            page_data, entry["quads"] = [result.nquads], result.quads
            entry["entities"] = register.add(result.entities)
            # Relative to the base: the manifest holds 100,000 of them.
            base = len(self.iris.base)
            if result.attributed:
                entry["attributed"] = [[m[base:], day] for m, day in result.attributed]
            if result.unattributed:
                entry["unattributed"] = [[a[base:], p[base:]] for a, p in result.unattributed]
            if result.commitment is not None and result.commitment.legislature:
                match = self._resolve(index, result)
                entry["commitment"] = {"iri": match.iri, "method": match.method}
                links = commitment_link_triples(
                    self.iris, result.session, result.number, result.commitment, match
                )
                link_data, quads = nquads.encoded(links, URIRef(result.graph))
                page_data.append(link_data)  # with its page: a group of pages is checked alone
                entry["quads"] += quads
            data = b"".join(page_data)
            old = pending.pop(result.path, None)
            replacement = None if old is None else self._replace(store, old, result.graph, data)
            load = None
            if replacement is not None:
                load, gone_quads = replacement
                deletions.add(result.graph, gone_quads)
            loading = entry["quads"] if load is None else load.count(b"\n")
            page, entry["nq"] = spool.add(data, loading, result.graph, load)
            written_pages.append(page)
            known[result.path] = entry
            summary.built += 1
            summary.quads_loaded += loading
        for old in pending.values():  # changed pages that failed: their last version goes
            store.remove_graph(ox.NamedNode(old["graph"]))
        spool.close()
        deletions.close()
        removal.wait()  # when no page was loaded
        shared = _Clock()
        shared.time(self._load_shared_graphs, store, index, register, known)
        derived = _Clock()
        derived.time(self._refresh_derived, store, known)
        written = [known[p]["graph"] for p in todo if p in known]
        shared_graphs = self.shared_graph_names()
        validation, summaries = _Clock(), _Clock()
        parts = validation.time(self.shared_parts, store, shared_graphs) if validate else []
        rebuilt = None
        if present is not None:
            base = self.iris.base
            rows = [
                (base + answer, base + person)
                for entry in known.values()
                for answer, person in entry.get("unattributed", ())
            ]
            entities = str(self.iris.entities_graph())
            rebuilt = Rebuilt(present, stale, written, shared_graphs, entities, rows)
        summaries.time(refresh_summaries, store, self.iris.base, summary_copy, rebuilt)
        summary.store_quads = self._count_quads(store, known)
        self._compact_cache(known, number, spool.number)
        self._save_manifest(known, index, register, inputs)
        self._sweep_cache(known.values())  # files whose every page was replaced or removed
        del store  # validation workers open it read-only
        del stats, current, tasks, owners, present, rebuilt
        release_freed_memory()  # the loader's freed buffers, before the workers need memory
        if validate:
            summary.report = validation.time(
                validate_changes,
                self.store_dir,
                written_pages,
                parts,
                shared_graphs,
                jobs=jobs or os.cpu_count() or 1,
                progress=validation_progress,
            )
            summary.validated_graphs = len(written) + len(shared_graphs)
        summary.seconds = {
            "insert": round(insert.seconds, 3),
            "shared": round(shared.seconds, 3),
            "derived": round(derived.seconds, 3),
            "summaries": round(summaries.seconds, 3),
            "validation": round(validation.seconds, 3),
            "total": round(time.perf_counter() - started, 3),
        }
        return summary

    def shared_parts(self, store: ox.Store, shared: list[str]) -> list[Part]:
        """What a build's pages are checked against besides themselves (N-Triples as the
        workers made them: reading 1,000 page graphs back from a 100,000-page store took
        15 s): the shared graphs but the summary graph, which no shape reads."""
        summary = summary_graph(self.iris.base).value
        parts: list[Part] = []
        for name in shared:
            if name != summary:
                graph = ox.NamedNode(name)
                parts.append((name, store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)))
        return parts

    def _count_quads(self, store: ox.Store, pages: dict) -> int:
        """The store's size from the pages' counts and the shared graphs' sizes.

        Counting a store of 35 million quads takes 10 s, a third of what rebuilding 1 % of
        it should; a page's quads are counted when it is built. A manifest from before the
        counts were kept falls back on counting the store.
        """
        if not all("quads" in entry for entry in pages.values()):
            return len(store)
        shared = sum(_graph_size(store, name) for name in self.shared_graph_names())
        return shared + sum(entry["quads"] for entry in pages.values())

    def _reloaded_graphs(self) -> list[URIRef]:
        """The shared graphs _load_shared_graphs replaces whole on every build."""
        iris = self.iris
        return [
            iris.entities_graph(),
            iris.commitments_graph(),
            iris.curated_graph(),
            iris.editorial_graph(),
            URIRef(ONTOLOGY_IRI),
            links_graph_name(iris),
        ]

    def shared_graph_names(self) -> list[str]:
        """The graphs every page shares; rewritten by each build, so always validated."""
        derived = [derived_graph_name(self.iris), URIRef(summary_graph(self.iris.base).value)]
        return [str(n) for n in [*self._reloaded_graphs(), *derived]]

    def _run(
        self, tasks: list[tuple[str, str]], jobs: int | None, people: PeopleOverrides
    ) -> Iterator[PageResult]:
        jobs = jobs or os.cpu_count() or 1
        setup = (self.iris.base, str(self.layout.root), people)
        if jobs == 1 or len(tasks) < 50:
            init_worker(*setup)
            yield from map(process_page, tasks)
            return
        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs, initializer=init_worker, initargs=setup) as pool:
            # Windows bound how many finished pages wait in memory while the store is written;
            # the next window is already queued so workers never wait for the writer.
            pending: deque[Iterator[PageResult]] = deque()
            for start in range(0, len(tasks), WINDOW_PAGES):
                window = tasks[start : start + WINDOW_PAGES]
                pending.append(pool.imap(process_page, window, chunksize=32))
                if len(pending) > 1:
                    yield from pending.popleft()
            while pending:
                yield from pending.popleft()

    def _sweep_cache(self, entries: Iterable[dict]) -> set[str]:
        """Delete the cache files none of these manifest entries points to; the names kept."""
        referenced = {entry["nq"][0] for entry in entries if "nq" in entry}
        for stale in page_cache.stale_files(self.cache_dir, referenced):
            stale.unlink()
        return referenced

    def _compact_cache(self, pages: dict, written_from: int, number: int) -> None:
        """Copy the pages still pointed to in sparse cache files (page_cache.sparse_files)
        into the new file `number`, and point their entries there; the files of this build,
        numbered from `written_from`, are spared. The old files go with the next sweep."""
        cached = {path: entry["nq"] for path, entry in pages.items() if "nq" in entry}
        spared = {w[0] for w in cached.values() if page_cache.number_of(w[0]) >= written_from}
        sparse = page_cache.sparse_files(self.cache_dir, cached.values(), spared)
        moving = sorted((w[0], w[1], path) for path, w in cached.items() if w[0] in sparse)
        if not moving:
            return
        moved = page_cache.rewrite(self.cache_dir, [cached[p] for *_, p in moving], number)
        for (*_, path), where in zip(moving, moved, strict=True):
            if where is None:
                del pages[path]["nq"]
            else:
                pages[path]["nq"] = where

    def _replace(
        self, store: ox.Store, old: dict, graph: str, data: bytes
    ) -> tuple[bytes, list[ox.Quad]] | None:
        """A changed page against its cached last version: the lines to load and the quads
        to delete; None when it must be loaded whole, its last version's graph removed here
        (not cached as recorded, another graph, or blank nodes, which DELETE DATA refuses)."""
        cached = page_cache.read(self.cache_dir, old.get("nq"))
        if cached is not None and old["graph"] == graph:
            gone, added = page_cache.changes(cached, data)
            quads = list(ox.parse(gone, format=ox.RdfFormat.N_QUADS))
            if not page_cache.has_blank_nodes(quads):
                return added, quads
        store.remove_graph(ox.NamedNode(old["graph"]))
        return None

    @staticmethod
    def _claim_graph(result: PageResult, owners: dict[str, str]) -> str | None:
        """Two files describing the same question would overwrite each other: refuse the second."""
        owner = owners.setdefault(result.graph, result.path)
        if owner != result.path:
            return f"{result.path}: question {result.number} ({result.session}) is also {owner}"
        return None

    @staticmethod
    def _resolve(index: CommitmentIndex, result: PageResult) -> CommitmentMatch:
        quote = result.commitment
        return index.match(quote.declaration, quote.legislature, quote.text)

    # ------------------------------------------------------------------ shared graphs
    def _refresh_derived(self, store: ox.Store, pages: dict) -> None:
        """Recompute what depends on the whole corpus (attested membership periods).

        From the manifest, which keeps each page's attributed answers: querying them across
        100,000 page graphs took 7 s of every rebuild.
        """
        name = derived_graph_name(self.iris)
        base = self.iris.base
        pairs = (
            (base + membership, day)
            for entry in pages.values()
            for membership, day in entry.get("attributed", ())
        )
        triples = period_triples(periods(pairs)) + provenance_triples(self.iris)
        store.remove_graph(to_ox(name))
        store.bulk_load(nquads.encoded(triples, name)[0], format=ox.RdfFormat.N_QUADS)

    def _load_shared_graphs(
        self, store: ox.Store, index: CommitmentIndex, register: EntityRegister, pages: dict
    ) -> None:
        """Reload the small graphs every page shares: entities, commitments, curated, editorial,
        ontology, links."""
        referenced = {e["commitment"]["iri"] for e in pages.values() if "commitment" in e}
        shared = Dataset()
        commitments = shared.graph(self.iris.commitments_graph())
        for triple in index.triples(referenced):
            commitments.add(triple)
        # A page's curated and editorial layers describe its text: loaded only with the page.
        built = {e["graph"] for e in pages.values()}

        def in_built(key: tuple[str, int]) -> bool:
            return str(self.iris.document_graph(*key)) in built

        def in_corpus(path: Path) -> bool:
            key = page_key(path)
            return key is None or in_built(key)

        curated = shared.graph(self.iris.curated_graph())
        for path in filter(in_corpus, self.layout.curated):
            parse_turtle(path, self.iris.base, curated)
        editorial = shared.graph(self.iris.editorial_graph())
        for path in filter(in_corpus, self.layout.editorial):
            parse_turtle(path, self.iris.base, editorial)
        parse_turtle(self.layout.ontology, self.iris.base, shared.graph(URIRef(ONTOLOGY_IRI)))
        # Issue 5: accepted links (lock file + snapshots); a page's links only with the page.
        links = shared.graph(links_graph_name(self.iris))
        for triple in accepted_link_triples(self.layout.root, self.iris, keep_page=in_built):
            links.add(triple)
        # Every shared graph is replaced, even one left empty (its pages were all removed).
        for name in self._reloaded_graphs():
            store.remove_graph(to_ox(name))
        payload = shared.serialize(format="nquads", encoding="utf-8")
        store.bulk_load(payload, format=ox.RdfFormat.N_QUADS)
        entities = register.nquads(entry["entities"] for entry in pages.values())
        store.bulk_load(entities, format=ox.RdfFormat.N_QUADS)
