"""Tests for the SHACL layer: the seed graph conforms, and every fixture's single defect is caught.

Each tests/shapes/<name>.ttl (or .trig) is a small self-contained graph with exactly one defect;
<name>.expected lists the English message(s), or substrings of them, that the defect must raise.
A fixture must raise nothing else, so that a fixture with a second, accidental defect fails.
"""

from __future__ import annotations

import json
import time
from importlib.resources import files
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from parlgraph.dataset import build
from parlgraph.errors import ParameterError, SourceError
from parlgraph.paths import Layout
from parlgraph.validate import Report, ValidationResult, validate, validate_files
from parlgraph.vocab import CNT, OA, PG, SCHEMA, SH

FIXTURES = Path(__file__).resolve().parent / "shapes"
FIXTURE_FILES = sorted([*FIXTURES.glob("*.ttl"), *FIXTURES.glob("*.trig")])
BASE = "https://w3id.org/parlgraph/"
ID = BASE + "id/"
SHAPES = Layout.default().shapes

# Every class the graph uses that parlgraph defines or relies on must have a node shape.
SHAPED_CLASSES = [
    "https://w3id.org/parlgraph/def/WrittenQuestion",
    "https://w3id.org/parlgraph/def/WrittenAnswer",
    "https://w3id.org/parlgraph/def/PolicyDeclaration",
    "https://w3id.org/parlgraph/def/Commitment",
    "https://w3id.org/parlgraph/def/ReportedAction",
    "https://w3id.org/parlgraph/def/QuantifiedClaim",
    "https://w3id.org/parlgraph/def/EditorialAssessment",
    "https://w3id.org/parlgraph/def/ParliamentarySession",
    "https://w3id.org/parlgraph/def/Competence",
    "https://w3id.org/parlgraph/def/Strategy",
    "https://w3id.org/parlgraph/def/CallForProjects",
    "http://www.w3.org/ns/person#Person",
    "http://www.w3.org/ns/org#Post",
    "http://www.w3.org/ns/org#Membership",
    "http://www.w3.org/ns/org#Organization",
    "http://data.europa.eu/eli/ontology#Expression",
    "http://data.europa.eu/eli/ontology#Manifestation",
    "http://data.europa.eu/eli/eli-draft-legislation-ontology#Participation",
    "http://www.w3.org/2011/content#ContentAsText",
    "http://www.w3.org/ns/oa#SpecificResource",
    "http://www.w3.org/ns/oa#TextQuoteSelector",
    "http://www.w3.org/ns/oa#TextPositionSelector",
    "http://www.w3.org/ns/oa#Annotation",
    "http://schema.org/FundingScheme",
    "http://schema.org/Project",
    "http://schema.org/StatisticalVariable",
    "http://www.w3.org/ns/prov#Activity",
]
# Parameters of SHACL core constraint components: a shape using one reports results itself.
CONSTRAINT_NAMES = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "languageIn",
    "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or",
    "xone", "node", "qualifiedValueShape", "closed", "hasValue", "in",
)  # fmt: skip
CONSTRAINT_PARAMETERS = [SH[name] for name in CONSTRAINT_NAMES]
# Shapes nested in another shape's parameters report through their parent, not themselves.
NESTING_PARAMETERS = [SH["not"], SH["node"], SH.qualifiedValueShape]
LIST_PARAMETERS = [SH["and"], SH["or"], SH.xone]


def english(result: ValidationResult) -> str:
    return result.messages.get("en", "")


@pytest.fixture(scope="module")
def seed_graph() -> Graph:
    return build().union()


@pytest.fixture(scope="module")
def seed_report(seed_graph: Graph) -> tuple[Report, float]:
    started = time.perf_counter()
    report = validate(seed_graph)
    return report, time.perf_counter() - started


@pytest.fixture(scope="module")
def shapes_graph() -> Graph:
    graph = Graph()
    for path in SHAPES:
        graph.parse(path, format="turtle")
    return graph


@pytest.fixture(scope="module")
def fixture_reports() -> dict[str, Report]:
    return {path.name: validate_files([path], base=BASE) for path in FIXTURE_FILES}


# ---------------------------------------------------------------------------- the seed


def test_seed_graph_conforms(seed_report: tuple[Report, float]) -> None:
    report, _ = seed_report
    assert report.conforms, "\n" + report.to_text()
    assert report.results == [], "\n" + report.to_text()
    assert report.to_text() == "conforms"


def test_seed_validation_is_fast(seed_report: tuple[Report, float]) -> None:
    """About a second on a laptop; re-parsing SPARQL per focus node took five."""
    _, elapsed = seed_report
    assert elapsed < 15, f"validating the seed took {elapsed:.1f}s"


def test_a_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    built = build()
    report = validate(built.dataset)
    assert report.conforms, "\n" + report.to_text()


def test_a_part_larger_than_its_total_in_the_seed_is_caught(seed_graph: Graph) -> None:
    """The SME rule on the real data: 17 SMEs of 26 beneficiaries, made 27."""
    graph = Graph() + seed_graph
    smes = URIRef(ID + "claim/wallonia/2023-2024/qe-238/pit-atmp-smes")
    graph.set((smes, SCHEMA.value, Literal(27)))
    report = validate(graph)
    assert not report.conforms
    assert [r.focus for r in report.results] == [str(smes)]
    assert "cannot exceed its total" in english(report.results[0])


def test_a_shifted_span_in_the_seed_is_caught(seed_graph: Graph) -> None:
    """Moving a curated span by one code point breaks the quote, whatever the accents."""
    graph = Graph() + seed_graph
    span = URIRef(ID + "span/wallonia/2023-2024/qe-238/6785-6825")
    position = URIRef(f"{span}#position")
    graph.set((position, OA.start, Literal(6786, datatype=XSD.nonNegativeInteger)))
    report = validate(graph)
    assert [(r.focus, r.source_shape) for r in report.results] == [
        (str(span), "https://w3id.org/parlgraph/shapes/SpanQuoteMatchesPosition")
    ]


def test_a_span_past_the_end_of_the_seed_page_is_caught(seed_graph: Graph) -> None:
    graph = Graph() + seed_graph
    source = URIRef(ID + "source/wallonia/2023-2024/qe-238")
    length = len(str(graph.value(source, CNT.chars)))
    last = URIRef(ID + "span/wallonia/2023-2024/qe-238/7451-7634#position")
    graph.set((last, OA.end, Literal(length + 1, datatype=XSD.nonNegativeInteger)))
    report = validate(graph)
    assert any(f"in a text of {length} characters" in english(r) for r in report.results)


# ---------------------------------------------------------------------------- fixtures


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_fixture_defect_is_reported(path: Path, fixture_reports: dict[str, Report]) -> None:
    expected = [
        line.strip()
        for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    report = fixture_reports[path.name]
    assert not report.conforms, f"{path.name} conforms"
    messages = [english(r) for r in report.results]
    for line in expected:
        assert any(line in m for m in messages), f"{line!r} not in:\n{report.to_text()}"
    for message in messages:
        assert any(line in message for line in expected), f"unexpected result: {message}"


def test_every_fixture_has_its_expected_messages_and_back() -> None:
    data = {p.stem for p in FIXTURE_FILES}
    expected = {p.stem for p in FIXTURES.glob("*.expected")}
    assert data == expected
    assert len(data) == len(FIXTURE_FILES), "two fixtures share a name"


def test_required_fixtures_exist() -> None:
    names = {p.stem for p in FIXTURE_FILES}
    required = {
        "answer-before-question", "smes-more-than-beneficiaries", "span-outside-source",
        "span-quote-mismatch", "date-with-time-part", "claim-without-span",
        "claim-without-attribution", "claim-with-value-and-bound",
        "assessment-attributed-to-minister", "question-without-date",
        "rationale-without-english", "blank-node-question",
    }  # fmt: skip
    assert required <= names


def test_every_sparql_rule_is_exercised_by_a_fixture(
    shapes_graph: Graph, fixture_reports: dict[str, Report]
) -> None:
    rules = {str(s) for s in shapes_graph.subjects(SH.sparql, None)}
    fired = {r.source_shape for report in fixture_reports.values() for r in report.results}
    assert rules - fired == set()


def test_sparql_messages_keep_their_language(fixture_reports: dict[str, Report]) -> None:
    """pyshacl drops the tag of filled-in SPARQL messages; the report puts it back."""
    (result,) = fixture_reports["answer-before-question.ttl"].results
    assert result.messages == {
        "fr": "Réponse datée du 2024-01-12, avant la question qu'elle traite "
        "(datée du 2024-01-23).",
        "en": "Answer dated 2024-01-12, before the question it answers (dated 2024-01-23).",
    }
    assert result.path == "http://data.europa.eu/eli/ontology#date_document"
    assert result.value == "2024-01-12"
    assert result.severity == "Violation"


def test_blank_node_focus_is_recognisable(fixture_reports: dict[str, Report]) -> None:
    (result,) = fixture_reports["blank-node-question.ttl"].results
    assert result.focus.startswith("_:")
    assert result.source_shape == "https://w3id.org/parlgraph/shapes/WrittenQuestionShape"


def test_date_lexical_form_is_validated_as_written(fixture_reports: dict[str, Report]) -> None:
    """rdflib would normalise the date to 2024-01-23 on parsing; validate_files must not."""
    (result,) = fixture_reports["date-with-time-part.ttl"].results
    assert result.value == "2024-01-23T10:00:00"


def test_a_declared_fuzzy_match_may_differ_from_its_quote(tmp_path: Path) -> None:
    """Only a quote the annotation calls exact must be word for word."""
    text = (FIXTURES / "commitment-quote-differs.ttl").read_text(encoding="utf-8")
    fuzzy = text.replace('pg:matchMethod "exact"', 'pg:matchMethod "fuzzy"')
    fuzzy = fuzzy.replace("pg:matchScore 1.0", "pg:matchScore 0.93")
    path = tmp_path / "fuzzy.ttl"
    path.write_text(fuzzy, encoding="utf-8")
    report = validate_files([path], base=BASE)
    assert report.conforms, report.to_text()


# ---------------------------------------------------------------------------- the report


def test_report_json_is_plain_and_sorted(fixture_reports: dict[str, Report]) -> None:
    report = fixture_reports["assessment-attributed-to-minister.ttl"]
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["conforms"] is False
    assert set(data["results"][0]) == {
        "focus", "path", "value", "severity", "messages", "source_shape",
    }  # fmt: skip
    keys = [(r.focus, r.path or "", english(r)) for r in report.results]
    assert keys == sorted(keys)


def test_report_is_stable_across_runs() -> None:
    path = FIXTURES / "assessment-attributed-to-answer-author.ttl"
    first = validate_files([path], base=BASE).to_json()
    assert validate_files([path], base=BASE).to_json() == first


def test_report_text_has_one_line_per_result(fixture_reports: dict[str, Report]) -> None:
    report = fixture_reports["smes-more-than-beneficiaries.ttl"]
    (line,) = report.to_text().splitlines()
    focus, path, messages = line.split(" | ")
    assert focus == ID + "claim/wallonia/2023-2024/qe-238/pit-atmp-smes"
    assert path == "schema:value"
    french, english_message = messages.split(" / ", 1)
    assert french.startswith("Une part ne peut dépasser son total : 27")
    assert english_message.startswith("A part cannot exceed its total: 27")


def test_warnings_are_reported_without_breaking_conformance(tmp_path: Path) -> None:
    shapes = tmp_path / "warning.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pg: <https://w3id.org/parlgraph/def/> .
<https://example.org/shapes/NoteShape> a sh:NodeShape ;
    sh:targetClass pg:Strategy ;
    sh:property [ sh:path pg:note ; sh:minCount 1 ; sh:severity sh:Warning ;
        sh:message "Pas de note."@fr , "No note."@en ] .
""",
        encoding="utf-8",
    )
    data = Graph()
    data.add((URIRef(ID + "strategy/wallonia/s3"), RDF.type, PG.Strategy))
    report = validate(data, shapes=[shapes])
    assert report.conforms
    (result,) = report.results
    assert result.severity == "Warning"
    assert result.messages == {"fr": "Pas de note.", "en": "No note."}
    assert report.to_text().splitlines()[-1] == "conforms"
    assert report.to_text().splitlines()[0].endswith("| pg:note | Pas de note. / No note.")


def test_severity_is_not_inherited_from_the_node_shape(tmp_path: Path) -> None:
    """pyshacl would call this conforming; SHACL says the property shape's result is a Violation."""
    shapes = tmp_path / "node-warning.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix pg: <https://w3id.org/parlgraph/def/> .
<https://example.org/shapes/NoteShape> a sh:NodeShape ;
    sh:targetClass pg:Strategy ;
    sh:severity sh:Warning ;
    sh:property [ sh:path pg:note ; sh:minCount 1 ] .
""",
        encoding="utf-8",
    )
    data = Graph()
    data.add((URIRef(ID + "strategy/wallonia/s3"), RDF.type, PG.Strategy))
    report = validate(data, shapes=[shapes])
    assert [r.severity for r in report.results] == ["Violation"]
    assert not report.conforms
    assert "" in report.results[0].messages  # pyshacl's own, untagged message


# ---------------------------------------------------------------------------- errors


def test_malformed_shapes_file_names_file_and_line(tmp_path: Path) -> None:
    shapes = tmp_path / "broken.ttl"
    shapes.write_text(
        '@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<https://example.org/S> sh:message "open\n',
        encoding="utf-8",
    )
    with pytest.raises(SourceError) as caught:
        validate(Graph(), shapes=[shapes])
    assert caught.value.path == shapes
    assert caught.value.line == 3
    assert str(caught.value).startswith(f"{shapes}:3: invalid Turtle")


def test_malformed_data_files_name_file_and_line(tmp_path: Path) -> None:
    turtle = tmp_path / "bad.ttl"
    turtle.write_text("<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    trig = tmp_path / "bad.trig"
    trig.write_text(
        '<https://example.org/g> {\n  <https://example.org/a> <https://example.org/b> "open\n}\n',
        encoding="utf-8",
    )
    for path, line in ((turtle, 1), (trig, 2)):
        with pytest.raises(SourceError) as caught:
            validate_files([path], base=BASE)
        assert (caught.value.path, caught.value.line) == (path, line)


def test_unsupported_or_missing_files_are_source_errors(tmp_path: Path) -> None:
    other = tmp_path / "data.nt"
    other.write_text("", encoding="utf-8")
    with pytest.raises(SourceError, match="unsupported data file type"):
        validate_files([other], base=BASE)
    with pytest.raises(SourceError, match="no such file"):
        validate_files([tmp_path / "missing.ttl"], base=BASE)


def test_no_shapes_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError):
        validate(Graph(), shapes=[])


def test_unusable_sparql_in_shapes_is_a_source_error(tmp_path: Path) -> None:
    shapes = tmp_path / "minus.ttl"
    shapes.write_text(
        """@prefix sh: <http://www.w3.org/ns/shacl#> .
<https://example.org/S> a sh:NodeShape ;
    sh:targetNode <https://example.org/x> ;
    sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o MINUS { $this ?p ?o } }" ] .
""",
        encoding="utf-8",
    )
    data = Graph()
    data.add((URIRef("https://example.org/x"), RDFS.label, Literal("x")))
    with pytest.raises(SourceError, match="unusable SHACL shapes"):
        validate(data, shapes=[shapes])


# ---------------------------------------------------------------------------- the shapes


def test_shapes_are_valid_shacl(shapes_graph: Graph) -> None:
    meta = Graph().parse(files("pyshacl") / "assets" / "shacl-shacl.ttl", format="turtle")
    conforms, _, text = pyshacl.validate(shapes_graph, shacl_graph=meta, inference="none")
    assert conforms, text


def test_every_used_class_has_a_node_shape(shapes_graph: Graph) -> None:
    targeted = {str(c) for c in shapes_graph.objects(None, SH.targetClass)}
    assert set(SHAPED_CLASSES) - targeted == set()


def test_every_target_class_has_instances_in_the_seed(
    shapes_graph: Graph, seed_graph: Graph
) -> None:
    """A misspelt target class would make its whole shape silently vacuous."""
    for cls in set(shapes_graph.objects(None, SH.targetClass)):
        assert (None, RDF.type, cls) in seed_graph, cls


def test_every_checked_property_is_used_in_the_seed(shapes_graph: Graph, seed_graph: Graph) -> None:
    """A misspelt sh:path makes an optional-property constraint silently vacuous."""
    unused_on_purpose = {URIRef("http://www.w3.org/ns/dcat#endDate")}  # no term has ended yet
    paths = {p for p in shapes_graph.objects(None, SH.path) if isinstance(p, URIRef)}
    for path in paths - unused_on_purpose:
        assert (None, path, None) in seed_graph, path


def test_citable_classes_refuse_blank_nodes(shapes_graph: Graph) -> None:
    for cls in SHAPED_CLASSES:
        if cls.endswith(("Selector",)):
            continue  # selectors are fragments of their span, cited through it
        kinds = {
            shapes_graph.value(shape, SH.nodeKind)
            for shape in shapes_graph.subjects(SH.targetClass, URIRef(cls))
        }
        assert SH.IRI in kinds, cls


def test_shapes_graph_has_a_bilingual_header(shapes_graph: Graph) -> None:
    (header,) = shapes_graph.subjects(RDF.type, OWL.Ontology)
    for predicate in (RDFS.label, RDFS.comment):
        langs = {o.language for o in shapes_graph.objects(header, predicate)}
        assert {"fr", "en"} <= langs, predicate


def _nested_shapes(graph: Graph) -> set:
    nested = {o for p in NESTING_PARAMETERS for o in graph.objects(None, p)}
    for parameter in LIST_PARAMETERS:
        for head in graph.objects(None, parameter):
            nested.update(Collection(graph, head))
    return nested


def _languages(graph: Graph, node, predicate) -> set[str]:
    return {o.language for o in graph.objects(node, predicate) if isinstance(o, Literal)}


def test_every_constraint_explains_itself_in_french_and_english(shapes_graph: Graph) -> None:
    """sh:message and rdfs:comment in both languages, on every shape that reports results."""
    nested = _nested_shapes(shapes_graph)
    reporting = {
        s
        for parameter in CONSTRAINT_PARAMETERS
        for s in shapes_graph.subjects(parameter, None)
        if s not in nested
    }
    sparql = set(shapes_graph.objects(None, SH.sparql))
    assert len(reporting) > 50 and len(sparql) > 10
    for node in reporting | sparql:
        # Named, so that a result's source shape says which rule failed.
        assert isinstance(node, URIRef) or node in sparql, node
        assert {"fr", "en"} <= _languages(shapes_graph, node, SH.message), node
        assert {"fr", "en"} <= _languages(shapes_graph, node, RDFS.comment), node


def test_every_node_shape_with_a_target_is_labelled(shapes_graph: Graph) -> None:
    targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetNode, SH.targetObjectsOf)
    shapes = {s for t in targets for s in shapes_graph.subjects(t, None)}
    for shape in shapes:
        assert {"fr", "en"} <= _languages(shapes_graph, shape, RDFS.label), shape
        assert {"fr", "en"} <= _languages(shapes_graph, shape, RDFS.comment), shape


def test_date_pattern_has_no_time_part(shapes_graph: Graph) -> None:
    pattern = shapes_graph.value(URIRef(BASE + "shapes/date-form-document"), SH.pattern)
    assert str(pattern) == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def test_validation_result_message_falls_back() -> None:
    untagged = ValidationResult("f", None, None, "Violation", {"": "generic"}, "s")
    assert untagged.message("fr") == untagged.message("en") == "generic"
    french_only = ValidationResult("f", None, None, "Violation", {"fr": "seul"}, "s")
    assert french_only.message("en") == "seul"
    assert ValidationResult("f", None, None, "Info", {}, "s").message() == ""
