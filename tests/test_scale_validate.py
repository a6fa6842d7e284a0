"""Tests for scale validation: SPARQL compiled from the shapes must report what pyshacl reports.

Every fixture of tests/shapes/ (one defect each) is validated both ways and the results compared
as sets of (focus, path, severity, message fr, message en); then a small generated corpus is
built into a persistent store and validated whole, per graph and with worker processes.
"""

from __future__ import annotations

import gc
import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from parlgraph import change_validation
from parlgraph.change_validation import page_groups, validate_changes
from parlgraph.dataset import build
from parlgraph.iris import Iris
from parlgraph.paths import Layout
from parlgraph.pipeline import CorpusBuilder
from parlgraph.scale_validate import (
    UnsupportedShapeError,
    compile_shapes,
    load_dataset,
    load_shapes,
    store_to_graph,
    subclasses,
    validate_dataset,
    validate_store,
    validate_store_timed,
)
from parlgraph.store import to_ox
from parlgraph.validate import Report, validate
from parlgraph.vocab import ELI, PG

from .conftest import ROOT, load_bench

FIXTURES = ROOT / "tests" / "shapes"
FIXTURE_FILES = sorted([*FIXTURES.glob("*.ttl"), *FIXTURES.glob("*.trig")])
BASE = "https://w3id.org/parlgraph/"
SHAPES_IRI = BASE + "shapes/"
PAGES = 200


def keys(report: Report) -> set[tuple]:
    """What the two engines must agree on."""
    return {
        (r.focus, r.path, r.severity, r.messages.get("fr"), r.messages.get("en"))
        for r in report.results
    }


def keys_with_values(report: Report) -> set[tuple]:
    return {
        (r.focus, r.path, r.value, r.severity, tuple(sorted(r.messages.items())))
        for r in report.results
    }


@contextmanager
def lexical_forms_kept() -> Iterator[None]:
    """Parse fixtures as validate_files does: literals as written, not normalised."""
    previous, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def load_fixture(path: Path) -> Graph:
    """One plain graph, TriG merged, as parlgraph.validate.validate_files loads it."""
    with lexical_forms_kept():
        if path.suffix == ".trig":
            dataset = Dataset()
            dataset.parse(path, format="trig", publicID=BASE)
            graph = Graph()
            for s, p, o, _ in dataset.quads((None, None, None, None)):
                graph.add((s, p, o))
            return graph
        return Graph().parse(path, format="turtle", publicID=BASE)


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_gives_the_same_violations_as_pyshacl(path: Path) -> None:
    graph = load_fixture(path)
    expected, found = validate(graph), validate_dataset(graph)
    assert keys(found) == keys(expected), (
        f"\npyshacl:\n{expected.to_text()}\nscale:\n{found.to_text()}"
    )
    assert keys_with_values(found) == keys_with_values(expected)
    assert found.conforms == expected.conforms is False


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_gives_the_same_violations_looked_up_per_graph(path: Path) -> None:
    """The nested-loop queries of an incremental run report what the bulk ones report."""
    graph = load_fixture(path)
    name = ox.NamedNode("urn:x-parlgraph:fixture")
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), name) for s, p, o in graph)
    looked_up = validate_store_timed(store, graphs=[name.value], bulk=False).report
    assert looked_up.to_json() == validate_dataset(graph).to_json()


def test_there_are_fixtures() -> None:
    assert len(FIXTURE_FILES) > 40


def test_date_with_a_time_is_caught_as_written() -> None:
    """pyoxigraph keeps the lexical form: the date pattern fires on 2024-01-23T10:00:00."""
    (result,) = validate_dataset(load_fixture(FIXTURES / "date-with-time-part.ttl")).results
    assert result.value == "2024-01-23T10:00:00"
    assert result.source_shape == SHAPES_IRI + "date-form-document"


def test_sparql_messages_are_filled_in_both_languages() -> None:
    (result,) = validate_dataset(load_fixture(FIXTURES / "answer-before-question.ttl")).results
    assert result.messages["en"] == (
        "Answer dated 2024-01-12, before the question it answers (dated 2024-01-23)."
    )
    assert result.messages["fr"].startswith("Réponse datée du 2024-01-12")
    assert result.path == str(ELI.date_document)


# ---------------------------------------------------------------------------- the seed


def test_the_seed_conforms_under_both_engines() -> None:
    dataset = build().dataset
    assert validate(dataset).conforms
    report = validate_dataset(dataset)
    assert report.conforms and report.results == [], report.to_text()
    assert report.to_text() == "conforms"


def test_a_defect_in_the_seed_is_reported_like_pyshacl() -> None:
    graph = build().union()
    question = next(graph.subjects(RDF.type, PG.WrittenQuestion))
    graph.set((question, PG.questionNumber, Literal("0", datatype=XSD.integer)))
    graph.add((question, ELI.date_document, Literal("2024-02-30", datatype=XSD.date)))
    expected, found = validate(graph), validate_dataset(graph)
    assert not found.conforms and keys(found) == keys(expected)
    assert len(found.results) == len(expected.results) >= 3


def test_json_and_text_reports_have_the_validate_shape() -> None:
    report = validate_dataset(load_fixture(FIXTURES / "smes-more-than-beneficiaries.ttl"))
    data = report.to_json()
    assert data["conforms"] is False
    assert set(data["results"][0]) == {
        "focus", "path", "value", "severity", "messages", "source_shape",
    }  # fmt: skip
    (line,) = report.to_text().splitlines()
    assert " | schema:value | Une part ne peut dépasser son total" in line


# ---------------------------------------------------------------------------- shapes


def write_shapes(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix pg: <https://w3id.org/parlgraph/def/> .\n"
        "@prefix ex: <https://example.org/shapes/> .\n"
        "@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n" + body,
        encoding="utf-8",
    )
    return path


def strategy_graph() -> Graph:
    graph = Graph()
    graph.add((URIRef(BASE + "id/strategy/wallonia/s3"), RDF.type, PG.Strategy))
    return graph


@pytest.mark.parametrize(
    ("feature", "shape"),
    [
        ("sh:closed", "ex:Closed a sh:NodeShape ; sh:targetClass pg:Strategy ; sh:closed true ."),
        (
            "sh:equals",
            "ex:Equals a sh:NodeShape ; sh:targetClass pg:Strategy ; "
            "sh:property [ sh:path pg:a ; sh:equals pg:b ] .",
        ),
        (
            "MINUS",
            'ex:Minus a sh:NodeShape ; sh:targetClass pg:Strategy ; sh:sparql [ sh:select """'
            'SELECT $this WHERE { $this ?p ?o MINUS { $this ?p ?o } }""" ] .',
        ),
        ("sh:target", "ex:Target a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ] ."),
    ],
)
def test_an_unsupported_feature_raises_naming_the_shape(
    tmp_path: Path, feature: str, shape: str
) -> None:
    shapes = write_shapes(tmp_path, shape + "\n")
    with pytest.raises(UnsupportedShapeError) as caught:
        validate_dataset(strategy_graph(), shapes=[shapes])
    message = str(caught.value)
    assert feature in message and "ex:" in message, message
    assert caught.value.path == shapes


def test_an_unsupported_feature_in_a_blank_node_names_its_owner(tmp_path: Path) -> None:
    shapes = write_shapes(
        tmp_path,
        "ex:Owner a sh:NodeShape ; sh:targetClass pg:Strategy ;\n"
        "    sh:property [ sh:path pg:a ; sh:disjoint pg:b ] .\n",
    )
    with pytest.raises(UnsupportedShapeError, match=r"sh:disjoint.*|.*ex:Owner"):
        validate_dataset(strategy_graph(), shapes=[shapes])


@pytest.mark.parametrize(
    "shape",
    [
        "ex:Note a sh:NodeShape ; sh:targetClass pg:Strategy ; "
        "sh:property [ sh:path pg:note ; sh:minCount 1 ; sh:severity sh:Warning ] .",
        "ex:Note a sh:NodeShape ; sh:targetClass pg:Strategy ; sh:severity sh:Warning ; "
        "sh:property [ sh:path pg:note ; sh:minCount 1 ] .",
        "ex:Kind a sh:NodeShape ; sh:targetClass pg:Strategy ; sh:nodeKind sh:Literal .",
        "ex:Off a sh:NodeShape ; sh:targetClass pg:Strategy ; sh:deactivated true ; "
        "sh:property [ sh:path pg:note ; sh:minCount 1 ] .",
        "ex:Sub a sh:NodeShape ; sh:targetSubjectsOf rdf:type ; sh:property [ "
        "sh:path ( rdf:type [ sh:inversePath rdf:type ] ) ; sh:maxCount 0 ] .",
    ],
)
def test_shapes_without_messages_report_like_pyshacl(tmp_path: Path, shape: str) -> None:
    """Severity (not inherited), sh:deactivated, paths and pyshacl's own generic wording."""
    shapes = [write_shapes(tmp_path, shape + "\n")]
    expected = validate(strategy_graph(), shapes=shapes)
    found = validate_dataset(strategy_graph(), shapes=shapes)
    assert found.conforms == (
        expected.conforms and all(r.severity != "Violation" for r in expected.results)
    )
    assert [(r.focus, r.severity, r.messages) for r in found.results] == [
        (r.focus, r.severity, r.messages) for r in expected.results
    ]


def test_every_constraint_of_the_shapes_is_compiled() -> None:
    """No component of parlgraph's shapes is skipped: each one is answered by some query."""
    shapes = load_shapes(Layout.default().shapes)
    checks = compile_shapes(shapes, subclasses(load_dataset(build().dataset)))
    components = {part.component for check in checks for part in check.parts}
    components |= {"sh:sparql" for check in checks if check.rule is not None}
    sh = "http://www.w3.org/ns/shacl#"
    nested = {
        o for p in ("not", "qualifiedValueShape") for o in shapes.objects(None, URIRef(sh + p))
    }
    for p in ("or", "xone", "and"):
        for head in shapes.objects(None, URIRef(sh + p)):
            nested |= set(rdflib.collection.Collection(shapes, head))
    used = {
        f"sh:{str(p)[len(sh) :]}" for s, p, _ in shapes if str(p).startswith(sh) and s not in nested
    }
    parameters = {
        "sh:class", "sh:datatype", "sh:nodeKind", "sh:minCount", "sh:maxCount", "sh:pattern",
        "sh:languageIn", "sh:uniqueLang", "sh:in", "sh:hasValue", "sh:minInclusive",
        "sh:maxInclusive", "sh:minLength", "sh:or", "sh:xone", "sh:not", "sh:sparql",
        "sh:lessThanOrEquals",
    }  # fmt: skip
    assert used & parameters <= components
    assert {"sh:qualifiedMinCount", "sh:qualifiedMaxCount"} <= components


# ---------------------------------------------------------------------------- a built corpus


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    load_bench("corpus").generate(corpus, PAGES, seed=5)
    store_dir = tmp_path_factory.mktemp("store") / "store"
    summary = CorpusBuilder(store_dir, Iris()).build([corpus, ROOT / "data" / "sources"], jobs=2)
    assert summary.built >= PAGES - 2
    gc.collect()  # the builder's read-write handle must be closed before workers read
    return store_dir


def page_graphs(store_dir: Path) -> list[str]:
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    prefix = BASE + "graph/document/"
    return sorted(g.value for g in store.named_graphs() if g.value.startswith(prefix))


def test_a_built_corpus_conforms(corpus_store: Path) -> None:
    report = validate_store(corpus_store, jobs=2)
    assert report.conforms and report.results == [], report.to_text()


@pytest.fixture(scope="module")
def damaged_store(corpus_store: Path, tmp_path_factory) -> tuple[Path, str, str]:
    """A copy of the corpus store where one page's question lost its date and number."""
    copy = tmp_path_factory.mktemp("damaged") / "store"
    shutil.copytree(corpus_store, copy)
    graph = page_graphs(copy)[3]
    store = ox.Store(str(copy / "oxigraph"))
    question = next(
        iter(
            store.query(f"SELECT ?q WHERE {{ GRAPH <{graph}> {{ ?q a <{PG.WrittenQuestion}> }} }}")
        )
    )["q"].value
    store.update(  # in every graph: a build may restate them elsewhere (a summary graph)
        f"DELETE WHERE {{ GRAPH ?any {{ <{question}> <{ELI.date_document}> ?d }} }} ;"
        f"DELETE {{ GRAPH ?any {{ <{question}> <{PG.questionNumber}> ?n }} }} "
        f'INSERT {{ GRAPH <{graph}> {{ <{question}> <{PG.questionNumber}> "zero" }} }} '
        f"WHERE {{ GRAPH ?any {{ <{question}> <{PG.questionNumber}> ?n }} }}"
    )
    store.flush()
    del store
    gc.collect()
    return copy, graph, question


def test_restricting_to_the_damaged_graph_reports_its_violations(damaged_store) -> None:
    store_dir, graph, question = damaged_store
    report = validate_store(store_dir, graphs=[graph], jobs=1)
    assert not report.conforms
    assert {r.focus for r in report.results} == {question}
    english = " ".join(r.messages["en"] for r in report.results)
    assert "document date" in english and "positive integer" in english


def test_restricting_to_another_graph_reports_nothing(damaged_store) -> None:
    store_dir, graph, _ = damaged_store
    other = next(g for g in page_graphs(store_dir) if g != graph)
    report = validate_store(store_dir, graphs=[other], jobs=1)
    assert report.conforms and report.results == [], report.to_text()
    assert validate_store(store_dir, graphs=[], jobs=1).results == []


def test_the_whole_damaged_store_matches_pyshacl_with_workers(damaged_store) -> None:
    store_dir, _, question = damaged_store
    found = validate_store(store_dir, jobs=2)
    assert {r.focus for r in found.results} == {question}
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    expected = validate(store_to_graph(store))
    assert keys(found) == keys(expected)
    assert found.to_json() == validate_store(store, jobs=1).to_json()  # a Store object, in-process


def test_the_bench_baseline_in_its_own_process_finds_what_pyshacl_finds(damaged_store) -> None:
    """bench/build.py's pyshacl baseline runs in a child it can stop; given time, the child
    reports pyshacl's own results, which scale validation must match."""
    store_dir, _, question = damaged_store
    bench = load_bench("validate")
    said: list[str] = []
    out = bench.bounded_baseline(store_dir, 600, said.append)
    assert out["load_seconds"] > 0 and out["seconds"] > 0 and out["conforms"] is False
    assert {focus for focus, *_ in out["results"]} == {question}
    assert out["results"] == keys(validate_store(store_dir, jobs=1))
    assert said[0].endswith("; pyshacl for 600 s at most")


def test_the_bench_baseline_is_stopped_at_its_limit(damaged_store) -> None:
    store_dir, _, _ = damaged_store
    said: list[str] = []
    out = load_bench("validate").bounded_baseline(store_dir, 0.05, said.append)
    assert out["load_seconds"] is None and out["seconds"] is None and out["results"] is None
    assert said == ["  rdflib had not loaded the quads after 0.05 s: stopped"]


@pytest.fixture(scope="module")
def many_damaged(corpus_store: Path, tmp_path_factory) -> tuple[Path, list[str]]:
    """A copy of the corpus store where 40 pages each lost three of their quads, at random."""
    copy = tmp_path_factory.mktemp("many-damaged") / "store"
    shutil.copytree(corpus_store, copy)
    pick = random.Random(7)
    graphs = sorted(pick.sample(page_graphs(copy), 40))
    store = ox.Store(str(copy / "oxigraph"))
    for graph in graphs:
        quads = sorted(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)), key=str)
        for quad in pick.sample(quads, 3):
            store.remove(quad)
    store.flush()
    del store
    gc.collect()
    return copy, graphs


def page_triples_of(store_dir: Path, graphs: list[str]) -> list[bytes]:
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    pages = [
        ox.serialize(
            [q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))],
            format=ox.RdfFormat.N_TRIPLES,
        )
        for g in graphs
    ]
    del store
    gc.collect()
    return pages


def shared_parts_of(store_dir: Path) -> tuple[list[str], list]:
    builder = CorpusBuilder(store_dir, Iris())
    shared = builder.shared_graph_names()
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    parts = builder.shared_parts(store, shared)
    del store
    gc.collect()
    assert len(parts) == len(shared) - 1  # the shared graphs but the summary
    return shared, parts


@pytest.mark.parametrize("jobs", [1, 2])
def test_changed_pages_checked_on_their_own_report_what_the_whole_store_reports(
    many_damaged, jobs: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild checks its pages in a store holding them and the shared graphs (the summary
    graph left out): a page's nodes have no values in other pages, so nothing may differ,
    whether the pages are checked in one process or by workers."""
    monkeypatch.setattr(change_validation, "PARALLEL_PAGES", 1)
    store_dir, graphs = many_damaged
    shared, parts = shared_parts_of(store_dir)
    pages = page_triples_of(store_dir, graphs)
    expected = validate_store(store_dir, graphs=graphs + shared, jobs=1)
    found = validate_changes(store_dir, pages, parts, shared, jobs=jobs)
    assert not expected.conforms
    assert len({r.source_shape for r in expected.results}) >= 10  # many kinds of defect
    assert found.to_json() == expected.to_json()


def test_every_page_checked_in_small_groups_reports_what_the_whole_store_reports(
    many_damaged, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a full build does: every page, in groups of a few pages checked by workers, and
    the shared graphs in the store, against one run over the whole store."""
    monkeypatch.setattr(change_validation, "GROUP_PAGES", 16)
    monkeypatch.setattr(change_validation, "PARALLEL_PAGES", 1)
    store_dir, damaged = many_damaged
    shared, parts = shared_parts_of(store_dir)
    graphs = page_graphs(store_dir)
    assert set(damaged) < set(graphs) and len(graphs) > 5 * 16
    seen: list[tuple[int, int]] = []
    found = validate_changes(
        store_dir,
        page_triples_of(store_dir, graphs),
        parts,
        shared,
        jobs=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    expected = validate_store(store_dir, jobs=1)
    assert not expected.conforms
    assert found.to_json() == expected.to_json()
    groups = -(-len(graphs) // 16)
    assert seen == [(done, groups) for done in range(1, groups + 1)]


def test_a_spooled_page_is_read_back_as_triples(tmp_path: Path) -> None:
    graph = "https://example.org/g"
    data = f'<s> <p> <o> <{graph}> .\n<s> <p> "x <{graph}> ." <{graph}> .\n'.encode()
    spool = tmp_path / "spool.nq"
    spool.write_bytes(b"<a> <b> <c> <d> .\n" + data)
    page = change_validation.SpooledPage(str(spool), 18, len(data), graph)
    assert change_validation.page_triples(page) == (
        f'<s> <p> <o> .\n<s> <p> "x <{graph}> ." .\n'.encode()
    )


def test_page_groups_keep_pages_whole_and_in_order() -> None:
    pages = [f"<p{i}> <q> <o> .\n".encode() for i in range(7)]
    groups = page_groups(pages, 3)
    assert [len(g) for g in groups] == [3, 3, 1]
    assert [p for g in groups for p in g] == pages
    assert page_groups([], 2) == [[]]


# Constraints whose SPARQL reads a value once per function (datatype, language, kind, range,
# length, pattern): each shape tests pg:note, and a random value must get the same verdict.
VALUE_SHAPES = """
ex:Values a sh:NodeShape ; sh:targetClass pg:Strategy ;
  sh:property [ sh:path pg:note ; sh:datatype xsd:string ; sh:message "string" ] ;
  sh:property [ sh:path pg:note ; sh:datatype rdf:langString ; sh:message "langString" ] ;
  sh:property [ sh:path pg:note ; sh:datatype xsd:integer ; sh:message "integer" ] ;
  sh:property [ sh:path pg:note ; sh:datatype xsd:date ; sh:message "date" ] ;
  sh:property [ sh:path pg:note ; sh:languageIn ( "fr" "en" ) ; sh:message "fr or en" ] ;
  sh:property [ sh:path pg:note ; sh:nodeKind sh:BlankNodeOrIRI ; sh:message "not literal" ] ;
  sh:property [ sh:path pg:note ; sh:nodeKind sh:IRIOrLiteral ; sh:message "not blank" ] ;
  sh:property [ sh:path pg:note ; sh:nodeKind sh:BlankNodeOrLiteral ; sh:message "not IRI" ] ;
  sh:property [ sh:path pg:note ; sh:minInclusive 0 ; sh:message "at least 0" ] ;
  sh:property [ sh:path pg:note ; sh:maxExclusive 10.5 ; sh:message "below 10.5" ] ;
  sh:property [ sh:path pg:note ; sh:minLength 2 ; sh:message "2 characters" ] ;
  sh:property [ sh:path pg:note ; sh:pattern "^[0-9]" ; sh:message "starts with a digit" ] .
"""
DATATYPES = [None, XSD.string, XSD.integer, XSD.decimal, XSD.date, XSD.boolean, RDF.langString]
LEXICAL = st.sampled_from(
    ["", "0", "7", "-3", "+4", "10.5", "3.25", "x", "ab", "2023-05-01", "2023-02-30", "true"]
)


@st.composite
def note_values(draw: st.DrawFn) -> Node:
    kind = draw(st.sampled_from(["iri", "blank", "literal", "tagged"]))
    if kind == "iri":
        return URIRef("https://example.org/" + draw(st.sampled_from(["a", "0", "10"])))
    if kind == "blank":
        return BNode("b" + draw(st.sampled_from(["1", "2"])))
    lexical = draw(LEXICAL)
    if kind == "tagged":
        return Literal(lexical, lang=draw(st.sampled_from(["fr", "EN", "fr-BE", "de", "en-gb"])))
    datatype = draw(st.sampled_from(DATATYPES[:-1]))
    return Literal(lexical, datatype=datatype)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(note_values(), min_size=1, max_size=3))
def test_value_constraints_judge_any_value_like_pyshacl(tmp_path: Path, values: list) -> None:
    """Any term, with any datatype or tag, is judged as pyshacl judges it."""
    shapes = [
        write_shapes(
            tmp_path, "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n" + VALUE_SHAPES
        )
    ]
    graph = strategy_graph()
    for value in values:
        graph.add((URIRef(BASE + "id/strategy/wallonia/s3"), PG.note, value))
    expected = validate(graph, shapes=shapes)
    found = validate_dataset(graph, shapes=shapes)
    assert keys_with_values(found) == keys_with_values(expected)
