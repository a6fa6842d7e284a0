"""The people override file: spelling variants meet at one node, homonyms stay apart."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF

from parlgraph.errors import SourceError
from parlgraph.iris import Iris
from parlgraph.model import document_layers
from parlgraph.parse import read
from parlgraph.paths import Layout
from parlgraph.people import COLUMNS, PeopleOverrides
from parlgraph.pipeline import CorpusBuilder
from parlgraph.vocab import PG

from .conftest import ROOT, SEED

HEADER = "\t".join(COLUMNS)
SOURCE = "https://www.parlement-wallonie.be/"
PERSON = "https://w3id.org/parlgraph/id/person/"


def _file(*rows: str) -> str:
    return "\n".join(["# a comment", HEADER, *rows]) + "\n"


def _row(written: str, given_name: str, start: str, end: str, key: str, family: str, given: str):
    return "\t".join([written, given_name, start, end, key, family, given, SOURCE])


def test_the_shipped_file_parses():
    overrides = PeopleOverrides.load(Layout(ROOT).people_overrides)
    assert all(row.identity.source for row in overrides.rows)


def test_a_missing_file_means_no_overrides(tmp_path):
    assert PeopleOverrides.load(tmp_path / "none.tsv").rows == []


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (_row("X", "Y", "2024-02-30", "", "x-y", "X", "Y"), "from '2024-02-30': day is out of"),
        (_row("X", "Y", "12/02/2024", "", "x-y", "X", "Y"), "written YYYY-MM-DD"),
        (_row("X", "Y", "2024-03-01", "2024-02-01", "x-y", "X", "Y"), "is after"),
        (_row("X", "Y", "", "", "X Y", "X", "Y"), "person 'X Y'"),
        (_row("X", "Y", "", "", "x-y", "", "Y"), "family_name is empty"),
        ("\t".join(["X", "Y", "", "", "x-y", "X", "Y", "not a source"]), "http(s) IRI"),
        ("X\tY\t\t\tx-y", "5 columns, expected 8"),
    ],
)
def test_a_bad_row_is_reported_with_file_and_line(row, reason):
    with pytest.raises(SourceError) as caught:
        PeopleOverrides.parse(_file(row), "people.tsv")
    assert str(caught.value).startswith("people.tsv:3: ")
    assert reason in str(caught.value)


def test_the_header_is_required():
    with pytest.raises(SourceError, match=r"^people.tsv:1: the header must be"):
        PeopleOverrides.parse(_row("X", "Y", "", "", "x-y", "X", "Y"), "people.tsv")


def test_one_written_name_on_overlapping_dates_is_ambiguous():
    text = _file(
        _row("DUPONT", "Jean", "", "2010-01-01", "dupont-jean-1", "DUPONT", "Jean"),
        _row("Dupont", "Jean", "2009-06-07", "", "dupont-jean-2", "DUPONT", "Jean"),
    )
    with pytest.raises(SourceError, match=r"people.tsv:4: .*overlapping dates as line 3"):
        PeopleOverrides.parse(text, "people.tsv")


def test_one_person_has_one_spelling():
    text = _file(
        _row("DEBUE", "Valerie", "", "", "debue-valerie", "DE BUE", "Valérie"),
        _row("DE BUE", "Valery", "", "", "debue-valerie", "De Bue", "Valérie"),
    )
    with pytest.raises(SourceError, match=r"people.tsv:4: person debue-valerie is spelled"):
        PeopleOverrides.parse(text, "people.tsv")


cells = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\t\n\r"))


@given(st.lists(st.lists(cells, min_size=1, max_size=9), max_size=5))
def test_any_text_parses_or_is_refused_with_its_place(rows):
    text = "\n".join([HEADER, *("\t".join(row) for row in rows)])
    try:
        PeopleOverrides.parse(text, "people.tsv")
    except SourceError as err:
        assert str(err).startswith("people.tsv:")
        assert err.line is not None and 2 <= err.line <= len(rows) + 1


days = st.dates(min_value=dt.date(1995, 1, 1), max_value=dt.date(2030, 12, 31))


@given(days, days, days)
def test_homonyms_are_told_apart_by_date(a, b, day):
    start, end = sorted([a, b])
    end += dt.timedelta(days=1)  # the second row spans at least a day
    after = str(start + dt.timedelta(days=1))
    text = _file(
        _row("DUPONT", "Jean", "", str(start), "dupont-jean-1", "DUPONT", "Jean"),
        _row("Dupont", "Jean", after, str(end), "dupont-jean-2", "DUPONT", "Jean"),
    )
    key = PeopleOverrides.parse(text).resolve("DUPONT", "Jean", day).key
    expected = "dupont-jean-1" if day <= start else "dupont-jean-2" if day <= end else None
    assert key == (expected or "dupont-jean")  # after both rows: the default key


def test_a_name_no_row_covers_keeps_its_key_and_the_curated_spelling_of_that_key():
    overrides = PeopleOverrides.parse(
        _file(_row("DEBUE", "Valery", "", "", "debue-valerie", "DE BUE", "Valérie"))
    )
    day = dt.date(2024, 1, 1)
    assert overrides.resolve("De Bue", "Valerie", day).family_name == "DE BUE"
    assert overrides.resolve("De Bue", "Valerie", day).source is None
    assert overrides.resolve("DEBUE", "Valery", day).source == SOURCE
    assert overrides.resolve("MICHEL", "Louis", day).key == "michel-louis"


def _seed_layers(text: str):
    return document_layers(read(SEED), Iris(), people=PeopleOverrides.parse(text))


def test_the_answer_is_attributed_when_author_and_addressee_resolve_to_one_person():
    doc = read(SEED)
    own, _ = document_layers(doc, Iris())
    attributed = [t for t in own if t[1] == PROV.wasAttributedTo]
    assert len(attributed) == 1
    # a homonym boundary between the question (23 January) and the answer (12 February)
    own, shared = _seed_layers(
        _file(
            _row("BORSUS", "Willy", "", "2024-01-31", "borsus-willy-a", "BORSUS", "Willy"),
            _row("BORSUS", "Willy", "2024-02-01", "", "borsus-willy", "BORSUS", "Willy"),
        )
    )
    assert not [t for t in own if t[1] == PROV.wasAttributedTo]
    question = Iris().question(doc.session, doc.number)
    answers = {s for s, p, o in own if p == RDF.type and o == PG.WrittenAnswer}
    creators = {s: o for s, p, o in own if p == DCTERMS.creator and (s == question or s in answers)}
    assert creators[answers.pop()] == URIRef(PERSON + "borsus-willy")
    # the question's addressee is the other Borsus, who holds the post named
    memberships = {s for s, p, o in shared if p == RDF.type and str(o).endswith("#Membership")}
    assert [str(m).rsplit("/", 1)[1] for m in memberships] == ["borsus-willy-a"]
    assert (URIRef(PERSON + "borsus-willy-a"), DCTERMS.source, URIRef(SOURCE)) in shared


def _layout(root: Path, people: str) -> Layout:
    """The project's own data, with this test's override file."""
    (root / "data" / "resolution").mkdir(parents=True)
    for name in ("ontology", "shapes", "queries"):
        (root / name).symlink_to(ROOT / name)
    for name in ("reference", "curated", "editorial", "links", "sources"):
        (root / "data" / name).symlink_to(ROOT / "data" / name)
    (root / "data" / "resolution" / "people.tsv").write_text(people, encoding="utf-8")
    return Layout(root)


def _variant_pages(folder: Path, asker: str = "MUGEMANGANO Germain") -> Path:
    """The seed, and a copy numbered 239 whose asker's name is written otherwise."""
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (folder / "qe-238.txt").write_text(text, encoding="utf-8")
    variant = text.replace("238 (2023-2024)", "239 (2023-2024)")
    variant = variant.replace("MUGEMANGANGO Germain", asker)
    assert variant.count(asker) == text.count("MUGEMANGANGO Germain") >= 1
    (folder / "qe-239.txt").write_text(variant, encoding="utf-8")
    return folder


def _people(store_dir: Path) -> dict[str, set[str]]:
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    rows = store.query(
        f"SELECT ?p ?name WHERE {{ ?p <{FOAF.name}> ?name }}", use_default_graph_as_union=True
    )
    people: dict[str, set[str]] = {}
    for row in rows:
        people.setdefault(row["p"].value.removeprefix(PERSON), set()).add(row["name"].value)
    return people


def test_a_corpus_build_merges_a_variant_and_starts_over_when_the_file_changes(tmp_path):
    pages = _variant_pages(tmp_path / "pages")
    layout = _layout(tmp_path / "root", _file())
    store_dir = tmp_path / "store"
    first = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert first.built == 2 and first.report.conforms
    assert {"mugemangango-germain", "mugemangano-germain"} <= set(_people(store_dir))

    row = _row("MUGEMANGANO", "Germain", "", "", "mugemangango-germain", "MUGEMANGANGO", "Germain")
    layout.people_overrides.write_text(_file(row), encoding="utf-8")
    second = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert (second.built, second.skipped) == (2, 0)  # resolved otherwise: every page again
    assert second.report.conforms, second.report.to_text()
    people = _people(store_dir)
    assert "mugemangano-germain" not in people
    assert people["mugemangango-germain"] == {"MUGEMANGANGO Germain"}
    # the name as the page wrote it stays on the page's participation
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    labels = {
        row[0].value
        for row in store.query(
            "SELECT ?l WHERE { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l "
            'FILTER (CONTAINS(?l, "MUGEMANGANO ")) }',
            use_default_graph_as_union=True,
        )
    }
    assert labels == {"Auteur : MUGEMANGANO Germain", "Author: MUGEMANGANO Germain"}

    third = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert (third.built, third.skipped) == (0, 2)


def test_a_bad_override_file_stops_the_build_and_leaves_the_store_as_it_was(tmp_path):
    pages = _variant_pages(tmp_path / "pages")
    layout = _layout(tmp_path / "root", _file())
    store_dir = tmp_path / "store"
    CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1, validate=False)
    manifest = (store_dir / "manifest.json").read_bytes()
    layout.people_overrides.write_text(
        _file(_row("X", "Y", "2024-13-01", "", "x-y", "X", "Y")), encoding="utf-8"
    )
    with pytest.raises(SourceError, match=r"people.tsv:3: from '2024-13-01'"):
        CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert (store_dir / "manifest.json").read_bytes() == manifest
    assert len(json.loads(manifest)["pages"]) == 2


def test_two_spellings_of_one_key_are_reported_until_a_row_chooses_one(tmp_path):
    pages = _variant_pages(tmp_path / "pages", "MUGEMANGANGO Gérmain")  # same key
    layout = _layout(tmp_path / "root", _file())
    store_dir = tmp_path / "store"
    first = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert first.built == 2 and not first.report.conforms
    focus = {(r.focus, r.path) for r in first.report.results}
    assert (PERSON + "mugemangango-germain", str(FOAF.name)) in focus
    row = _row("MUGEMANGANGO", "Germain", "", "", "mugemangango-germain", "MUGEMANGANGO", "Germain")
    layout.people_overrides.write_text(_file(row), encoding="utf-8")
    second = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1)
    assert second.report.conforms, second.report.to_text()
    assert _people(store_dir)["mugemangango-germain"] == {"MUGEMANGANGO Germain"}


def test_a_new_label_in_the_reference_data_rebuilds_every_page(tmp_path):
    pages = _variant_pages(tmp_path / "pages")
    layout = _layout(tmp_path / "root", _file())
    (layout.root / "data" / "reference").unlink()
    shutil.copytree(ROOT / "data" / "reference", layout.root / "data" / "reference")
    store_dir = tmp_path / "store"
    CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1, validate=False)
    again = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1, validate=False)
    assert (again.built, again.skipped) == (0, 2)
    reference = layout.root / "data" / "reference" / "wallonia.ttl"
    text = reference.read_text(encoding="utf-8")
    reference.write_text(
        text.replace('skos:altLabel "S3" ;', 'skos:altLabel "S3" , "RIS3" ;'), encoding="utf-8"
    )
    assert reference.read_text(encoding="utf-8") != text
    third = CorpusBuilder(store_dir, Iris(), layout).build([pages], jobs=1, validate=False)
    assert (third.built, third.skipped) == (2, 0)  # machine claims read the gazetteer
