"""Corpus builds: shared nodes across documents, incremental rebuilds, bad pages skipped."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from parlgraph.errors import ParameterError
from parlgraph.iris import Iris
from parlgraph.pipeline import CorpusBuilder, discover
from parlgraph.scale_validate import validate_store

from .conftest import ROOT, load_bench

SEED_SOURCES = ROOT / "data" / "sources"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    load_bench("corpus").generate(out, 240, seed=4)
    return out


def _count(store: ox.Store, query: str) -> int:
    return int(next(iter(store.query(query, use_default_graph_as_union=True)))[0].value)


def _build(corpus: Path, store_dir: Path, *sources: Path):
    return CorpusBuilder(store_dir, Iris()).build([*sources] or [corpus, SEED_SOURCES], jobs=2)


def test_corpus_and_seed_build_into_one_graph_with_shared_nodes(corpus, tmp_path):
    summary = _build(corpus, tmp_path / "store")
    malformed = json.loads((corpus / "manifest.json").read_text())["malformed"]["count"]
    assert malformed >= 1
    assert summary.built == 240 - malformed + 1  # the generated pages that parse, and the seed
    assert summary.failed == malformed
    store = ox.Store.read_only(str(tmp_path / "store" / "oxigraph"))
    graphs = _count(
        store,
        "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?q a "
        "<https://w3id.org/parlgraph/def/WrittenQuestion> } }",
    )
    assert graphs == summary.built
    # the first build validates every graph, and the corpus conforms
    assert summary.report is not None and summary.report.conforms, summary.report.to_text()
    assert summary.validated_graphs >= summary.built
    # one node per person, however many pages name them
    people = _count(
        store,
        "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <http://www.w3.org/ns/person#Person> }",
    )
    assert 75 < people < 75 + 15  # 75 MPs, the synthetic government and the seed's two people
    # questions quoting the same commitment (with spacing, quote or word variants) meet at one node
    quotes = _count(
        store,
        """SELECT (COUNT(?q) AS ?n) WHERE {
        ?q <http://data.europa.eu/eli/ontology#refers_to> ?c }""",
    )
    commitments = _count(
        store,
        """SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {
        ?q <http://data.europa.eu/eli/ontology#refers_to> ?c }""",
    )
    assert quotes > commitments * 1.3
    methods = {
        row[0].value
        for row in store.query(
            "SELECT DISTINCT ?m WHERE { ?a <https://w3id.org/parlgraph/def/matchMethod> ?m }",
            use_default_graph_as_union=True,
        )
    }
    assert methods == {"exact", "normalised", "fuzzy"}


def _stored(store_dir: Path) -> int:
    return len(ox.Store.read_only(str(store_dir / "oxigraph")))


def test_malformed_pages_are_reported_and_the_others_built(corpus, tmp_path):
    summary = _build(corpus, tmp_path / "store")
    assert summary.failed == len(summary.failures) >= 1
    for failure in summary.failures:
        path, line_or_reason = failure.split(":", 1)
        assert path.endswith(".txt") and line_or_reason


def test_rebuild_skips_unchanged_replaces_changed_and_retracts_removed(corpus, tmp_path):
    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    first = _build(work, store_dir, work)
    again = _build(work, store_dir, work)
    assert (again.built, again.skipped) == (0, first.built)
    assert again.store_quads == first.store_quads

    pages = sorted(p for p in work.rglob("qe-*.txt") if "wallonia" in str(p))
    removed, changed = pages[0], pages[1]
    text = changed.read_bytes().decode("utf-8")
    changed.write_bytes(text.replace("Réponse du", "Réponse  du", 1).encode("utf-8"))
    removed_text = removed.read_bytes()
    removed.unlink()
    third = _build(work, store_dir, work)
    assert (third.built, third.removed) == (1, 1)
    assert third.skipped == first.built - 2
    # an incremental build validates the graph it wrote and the shared ones, not the corpus
    assert third.report is not None and third.report.conforms
    assert third.validated_graphs < 10 < first.validated_graphs
    # the count a build reports without scanning the store is the store's size
    assert third.store_quads == _stored(store_dir) < first.store_quads

    removed.write_bytes(removed_text)
    fourth = _build(work, store_dir, work)
    assert fourth.built == 1
    assert fourth.store_quads == first.store_quads == _stored(store_dir)


def test_incremental_build_reports_a_violation_in_the_changed_page_only(corpus, tmp_path):
    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    first = _build(work, store_dir, work)
    assert first.report is not None and first.report.conforms
    answered = next(
        p
        for p in sorted(work.rglob("qe-*.txt"))
        if "Réponse du" in p.read_text(encoding="utf-8")
        and "Question écrite du" in p.read_text(encoding="utf-8")
    )
    text = answered.read_text(encoding="utf-8")
    # the answer is now dated in 1999, before the question it answers: a corpus-wide rule
    start = text.index("Réponse du ") + len("Réponse du ")
    answered.write_text(text[:start] + "05/01/1999" + text[start + 10 :], encoding="utf-8")
    second = _build(work, store_dir, work)
    assert second.built == 1 and second.report is not None
    assert not second.report.conforms
    focuses = {r.focus for r in second.report.results}
    number = answered.stem.removeprefix("qe-")
    assert focuses and all(f"/{number}/" in focus for focus in focuses), focuses
    messages = " ".join(r.message("en") for r in second.report.results)
    assert "1999-01-05" in messages
    # the rebuild checked its page in a store of its own: the whole store reports the same
    graph = json.loads((store_dir / "manifest.json").read_text())["pages"][str(answered)]["graph"]
    shared = CorpusBuilder(store_dir, Iris()).shared_graph_names()
    whole = validate_store(store_dir, graphs=[graph, *shared], jobs=1)
    assert second.report.to_json() == whole.to_json()


def test_people_and_posts_are_described_once_and_retracted_with_their_last_page(corpus, tmp_path):
    store_dir = tmp_path / "store"
    first = _build(corpus, store_dir)  # the generated pages and the seed
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    entities = "<https://w3id.org/parlgraph/graph/entities>"
    asker = "<https://w3id.org/parlgraph/id/person/mugemangango-germain>"
    in_pages = _count(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?p a <http://www.w3.org/ns/org#Post> } "
        f"FILTER (?g != {entities}) }}",
    )
    assert in_pages == 0  # a page's graph points at its post, the entities graph describes it
    names = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {entities} {{ {asker} ?p ?o }} }}"
    assert _count(store, names) >= 6
    del store

    second = _build(corpus, store_dir, corpus)  # the seed is gone, and its asker with it
    assert second.removed == 1
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    assert _count(store, names) == 0
    assert second.store_quads == len(store) < first.store_quads
    manifest = json.loads((store_dir / "manifest.json").read_text())
    assert all(len(entry["entities"]) == 16 for entry in manifest["pages"].values())


# What a membership's attested period is, said in SPARQL over every page graph of a store.
ATTESTED_PERIODS = """
PREFIX eli:  <http://data.europa.eu/eli/ontology#>
PREFIX pg:   <https://w3id.org/parlgraph/def/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?membership (MIN(?date) AS ?first) (MAX(?date) AS ?last)
WHERE {
  GRAPH ?g { ?answer a pg:WrittenAnswer ; prov:wasAttributedTo ?membership ;
                     eli:date_document ?date . }
}
GROUP BY ?membership
"""


def test_attested_periods_kept_in_the_manifest_are_those_the_pages_attest(corpus, tmp_path):
    from parlgraph import nquads
    from parlgraph.derived import derived_graph_name, period_triples

    _build(corpus, tmp_path / "store")
    store = ox.Store.read_only(str(tmp_path / "store" / "oxigraph"))
    name = derived_graph_name(Iris())
    rows = store.query(ATTESTED_PERIODS)  # the query over every page graph
    queried = period_triples(
        (r["membership"].value, r["first"].value, r["last"].value) for r in rows
    )
    expected = set(ox.parse(nquads.encoded(queried, name)[0], format=ox.RdfFormat.N_QUADS))
    stored = set(store.quads_for_pattern(None, None, None, ox.NamedNode(str(name))))
    attested = ox.NamedNode("https://w3id.org/parlgraph/def/attestedDuring")
    assert len(expected) > 50 and expected <= stored
    assert {q for q in stored if q.predicate == attested} == {
        q for q in expected if q.predicate == attested
    }


def test_discover_lists_pages_in_path_order_each_once(tmp_path):
    for name in ("a/b/qe-1.txt", "a-b/qe-2.txt", "a/qe-3.txt", "a/notes.md", "a b/qe-4.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "folder.txt").mkdir()  # a folder, however named, is not a page
    (tmp_path / "link").symlink_to(tmp_path / "a")  # a linked folder is not entered
    found = discover([tmp_path, tmp_path / "a" / "qe-3.txt"])
    expected = sorted(p for p in tmp_path.resolve().rglob("*.txt") if p.is_file())
    assert found == [str(p) for p in expected] and len(found) == 4
    with pytest.raises(ParameterError, match="no such file"):
        discover([tmp_path / "missing"])


def _summary_lines(store_dir: Path) -> tuple[set[bytes], set[bytes]]:
    """The summary graph a build left, and what a fresh computation over the store gives."""
    from parlgraph.summaries import compute_summaries, summary_graph

    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    graph = summary_graph(Iris().base)
    stored = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).splitlines())
    return stored, compute_summaries(store, Iris().base)


def test_a_rebuild_recomputes_the_summaries_of_the_pages_it_changed(corpus, tmp_path, monkeypatch):
    from parlgraph import summaries

    whole = summaries.compute_summaries
    steps: list[bool] = []  # per_question of every whole-store computation
    rows: list = []  # the answers without a post a rebuild counts from what its pages kept

    def recorded(store, base, per_question=True, unattributed=None):
        steps.append(per_question)
        rows.append(unattributed)
        return whole(store, base, per_question, unattributed)

    monkeypatch.setattr(summaries, "compute_summaries", recorded)
    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    CorpusBuilder(store_dir, Iris()).build([work], jobs=2, validate=False)
    before, _ = _summary_lines(store_dir)
    answered = [p for p in sorted(work.rglob("qe-*.txt")) if "Réponse du " in p.read_text()]
    # the page removed has an answer without a post: its author's count must go down
    kept = json.loads((store_dir / "manifest.json").read_text())["pages"]
    removed = next(Path(p) for p, entry in sorted(kept.items()) if entry.get("unattributed"))
    changed = next(p for p in answered if p != removed)
    text = changed.read_text(encoding="utf-8")
    start = text.index("Réponse du ") + len("Réponse du ")
    changed.write_text(text[:start] + "28/12/2029" + text[start + 10 :], encoding="utf-8")
    removed_text = removed.read_bytes()
    removed.unlink()
    second = CorpusBuilder(store_dir, Iris()).build([work], jobs=2, validate=False)
    assert (second.built, second.removed) == (1, 1)
    assert steps[0] and not steps[-1]  # the first build computes all, the rebuild not per question
    assert rows[0] is None and rows[-1]  # and counts the rows its pages kept
    stored, fresh = _summary_lines(store_dir)
    assert stored == fresh and stored != before
    assert any(b'"2029-12-28"' in line for line in stored)
    removed.write_bytes(removed_text)
    changed.write_text(text, encoding="utf-8")
    third = CorpusBuilder(store_dir, Iris()).build([work], jobs=2, validate=False)
    assert third.built == 2
    stored, fresh = _summary_lines(store_dir)
    assert stored == fresh == before


def test_pages_loaded_while_old_graphs_are_removed_wait_for_the_removal(
    corpus, tmp_path, monkeypatch
):
    """The old graphs go in a thread; a spool flushed mid-build must not load before it ends."""
    import parlgraph.pipeline as pipeline

    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    first = _build(work, store_dir, work)
    built = json.loads((store_dir / "manifest.json").read_text())["pages"]
    pages = sorted(Path(p) for p in built if "Réponse du" in Path(p).read_text())[:60]
    for page in pages:
        page.write_text(page.read_text().replace("Réponse du", "Réponse  du", 1))
    monkeypatch.setattr(pipeline, "SPOOL_QUADS", 500)  # a flush every page or two
    removing = pipeline._Removal._run

    def slow(self, store, graphs):  # the removal still running when pages come back
        time.sleep(1.5)
        removing(self, store, graphs)

    monkeypatch.setattr(pipeline._Removal, "_run", slow)
    second = _build(work, store_dir, work)
    assert second.built == len(pages) and second.report.conforms
    assert second.store_quads == first.store_quads == _stored(store_dir)


def _quads(store_dir: Path) -> set[bytes]:
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    return set(store.dump(format=ox.RdfFormat.N_QUADS).splitlines())


def test_a_rebuild_replacing_changed_quads_leaves_what_a_fresh_build_makes(corpus, tmp_path):
    """Changed pages have only their changed quads replaced, from their cached last version;
    pages whose cached version is damaged, that now describe another question, or that now
    fail go whole. Whatever the path, the store holds exactly what a fresh build makes."""
    import re

    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    first = _build(work, store_dir, work)
    manifest = json.loads((store_dir / "manifest.json").read_text())["pages"]
    pages = sorted(p for p in manifest if "Réponse du" in Path(p).read_text())
    touched, renumbered, broken, damaged = (Path(p) for p in pages[:4])
    touched.write_text(touched.read_text() + " Au total, 12 PME y ont pris part en 2024.")
    text = renumbered.read_text()
    renumbered.write_text(re.sub(r"N° : \d+", "N° : 99999", text, count=1))
    broken.write_bytes(b"")
    damaged.write_text(damaged.read_text().replace("Réponse du", "Réponse  du", 1))
    name, offset, _, _ = manifest[str(damaged)]["nq"]
    with (store_dir / "pages" / name).open("r+b") as cache:  # its last version, damaged
        cache.seek(offset)
        cache.write(b"#")

    rebuilt = _build(work, store_dir, work)
    assert (rebuilt.built, rebuilt.failed) == (3, first.failed + 1)
    assert rebuilt.report is not None and rebuilt.report.conforms
    assert rebuilt.store_quads == _stored(store_dir)
    fresh_dir = tmp_path / "fresh"
    _build(work, fresh_dir, work)
    assert _quads(store_dir) == _quads(fresh_dir)

    # A small change loads a few quads, not its page's ~300.
    touched.write_text(touched.read_text() + " Une phrase de plus.")
    again = _build(work, store_dir, work)
    assert again.built == 1 and 0 < again.quads_loaded < 40
    shutil.rmtree(fresh_dir)
    _build(work, fresh_dir, work)
    assert _quads(store_dir) == _quads(fresh_dir)


def _assert_cache_holds_the_store(store_dir: Path) -> dict:
    """Every page the manifest lists reads back from the cache as its graph in the store;
    the manifest's pages."""
    from parlgraph import page_cache

    manifest = json.loads((store_dir / "manifest.json").read_text())["pages"]
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    for entry in manifest.values():
        cached = page_cache.read(store_dir / "pages", entry["nq"])
        assert cached is not None
        again = ox.Store()  # read as the store reads it (xsd:nonNegativeInteger is stored
        again.load(cached, format=ox.RdfFormat.N_QUADS)  # as xsd:integer, for one)
        graph = ox.NamedNode(entry["graph"])
        assert set(again) == set(store.quads_for_pattern(None, None, None, graph))
    return manifest


def _build_over_many_cache_files(corpus: Path, tmp_path: Path, monkeypatch) -> tuple[Path, Path]:
    """A copy of the corpus built with a cache file every few pages; (pages, store folder)."""
    import parlgraph.pipeline as pipeline

    monkeypatch.setattr(pipeline, "SPOOL_QUADS", 2000)
    work = tmp_path / "pages"
    shutil.copytree(corpus, work)
    store_dir = tmp_path / "store"
    _build(work, store_dir, work)
    return work, store_dir


def test_the_page_cache_keeps_the_files_the_manifest_points_to(corpus, tmp_path, monkeypatch):
    """Pages' N-Quads stay in STORE/pages for the next rebuild, where the manifest says, over
    many files; a file whose every page was replaced goes after the build, files a build
    stopped half-way left behind go before."""
    work, store_dir = _build_over_many_cache_files(corpus, tmp_path, monkeypatch)
    cache = store_dir / "pages"
    _assert_cache_holds_the_store(store_dir)

    def referenced() -> set[str]:
        manifest = json.loads((store_dir / "manifest.json").read_text())["pages"]
        return {entry["nq"][0] for entry in manifest.values()}

    assert {p.name for p in cache.iterdir()} == referenced() != set()
    (cache / "000777.nq").write_bytes(b"left behind")
    (store_dir / "pages-7.nq.tmp").write_bytes(b"left by an older version")
    for page in work.rglob("qe-*.txt"):
        page.write_bytes(page.read_bytes() + b" ")
    assert _build(work, store_dir, work).skipped == 0
    assert {p.name for p in cache.iterdir()} == referenced()
    assert not list(store_dir.glob("*.tmp"))


def test_cache_files_mostly_of_replaced_pages_are_rewritten(corpus, tmp_path, monkeypatch):
    """A rebuild leaves the last versions of the pages it changed in the cache; a file of
    which less than half is still pointed to has its live pages copied to a new file and
    goes, so the cache stays within twice what it must hold. Moved pages are still diffed."""
    from parlgraph import page_cache

    work, store_dir = _build_over_many_cache_files(corpus, tmp_path, monkeypatch)
    cache = store_dir / "pages"
    before = {p.name for p in cache.iterdir()}
    built = json.loads((store_dir / "manifest.json").read_text())["pages"]
    pages = sorted(Path(p) for p in built if "Réponse du" in Path(p).read_text())
    kept, changed = pages[::4], [p for i, p in enumerate(pages) if i % 4]
    for page in changed:
        page.write_text(page.read_text() + " Une phrase de plus.")
    rebuilt = _build(work, store_dir, work)
    assert rebuilt.built == len(changed)

    manifest = _assert_cache_holds_the_store(store_dir)
    live: dict[str, int] = {}
    for entry in manifest.values():
        live[entry["nq"][0]] = live.get(entry["nq"][0], 0) + entry["nq"][2]
    files = {p.name: p.stat().st_size for p in cache.iterdir()}
    assert set(files) == set(live)
    for name, size in files.items():
        assert live[name] >= size * page_cache.LIVE_SHARE_KEPT, name
    moved = {str(p) for p in kept} & {p for p, e in manifest.items() if e["nq"][0] not in before}
    assert moved, "no unchanged page was copied out of a sparse file"

    page = Path(sorted(moved)[0])
    page.write_text(page.read_text() + " Encore une.")
    again = _build(work, store_dir, work)
    assert again.built == 1 and 0 < again.quads_loaded < 40
