"""Tests for the gazetteer: labels from the reference graph, matching rules, speed, fuzzing."""

from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS, SKOS

from parlgraph.dataset import parse_turtle
from parlgraph.gazetteer import Gazetteer, Mention, label_key
from parlgraph.iris import DEFAULT_BASE
from parlgraph.parse import read
from parlgraph.vocab import PG, SCHEMA

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT / "data" / "reference" / "wallonia.ttl"
SEED_PATH = ROOT / "data" / "sources" / "wallonia" / "2023-2024" / "qe-238.txt"
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def iri(path: str) -> str:
    return DEFAULT_BASE + path


@pytest.fixture(scope="module")
def reference() -> Graph:
    graph = Graph()
    parse_turtle(REFERENCE, DEFAULT_BASE, graph)
    return graph


@pytest.fixture(scope="module")
def gazetteer(reference: Graph) -> Gazetteer:
    return Gazetteer.from_graph(reference)


def small() -> Gazetteer:
    return Gazetteer.from_labels(
        [
            ("PIT Aéronautique", "ex:aero"),
            ("PIT WINGS", "ex:aero"),
            ("Reverse Metallurgy", "ex:rm"),
            ("Reverse Metallurgy +", "ex:rm-plus"),
            ("Plan de relance de la Wallonie", "ex:plan"),
            ("Aides directes à l’innovation", "ex:aides"),
            ("HECO2", "ex:heco2"),
            ("S3", "ex:s3"),
            ("Cœur de ville", "ex:coeur"),
        ]
    )


# --------------------------------------------------------------------------- from the graph


def test_from_graph_collects_all_label_properties_and_types() -> None:
    graph = Graph()
    entities = {
        "ex:strategy": (PG.Strategy, SKOS.prefLabel, "Stratégie Alpha"),
        "ex:project": (SCHEMA.Project, RDFS.label, "Projet Beta"),
        "ex:portfolio": (PG.ProjectPortfolio, SCHEMA.name, "Portefeuille Gamma"),
        "ex:pit": (PG.InnovationPartnership, SKOS.altLabel, "PIT Delta"),
        "ex:fund": (SCHEMA.FundingScheme, RDFS.label, "Fonds Epsilon"),
        "ex:call": (PG.CallForProjects, RDFS.label, "Appel Zeta"),
        "ex:org": (ORG.Organization, RDFS.label, "Agence Eta"),
        "ex:public": (
            URIRef("http://data.europa.eu/m8g/PublicOrganisation"),
            RDFS.label,
            "Service Theta",
        ),
    }
    for name, (kind, prop, label) in entities.items():
        graph.add((URIRef(name), RDF.type, kind))
        graph.add((URIRef(name), prop, Literal(label, lang="fr")))
    graph.add((URIRef("ex:other"), RDF.type, SKOS.Concept))  # not a type answers name
    graph.add((URIRef("ex:other"), RDFS.label, Literal("Concept Iota")))
    gazetteer = Gazetteer.from_graph(graph)
    assert gazetteer.entities == set(entities)
    text = " ; ".join(label for _, _, label in entities.values()) + " ; Concept Iota"
    assert [m.iri for m in gazetteer.find(text)] == list(entities)
    assert gazetteer.types["ex:strategy"] == {str(PG.Strategy)}


def test_reference_entities(gazetteer: Gazetteer) -> None:
    expected = {
        "id/strategy/wallonia/s3",
        "id/strategy/wallonia/circular-wallonia",
        "id/project/wallonia/heco2",
        "id/project/wallonia/pit-atmp",
        "id/project/wallonia/pit-aeronautique",
        "id/funding/wallonia/pnrr",
        "id/call/wallonia/s3-iis-2023-05",
        "id/organization/gouvernement-wallon",
    }
    assert {iri(path) for path in expected} <= gazetteer.entities
    # The decree is an eli:Work, not one of the types answers are about.
    assert iri("id/legislation/wallonia/decret-recherche") not in gazetteer.entities


def test_seed_answer_mentions(gazetteer: Gazetteer) -> None:
    doc = read(SEED_PATH)
    answer = doc.answers[0]
    mentions = gazetteer.find(answer.text)
    found = {(answer.text[m.start : m.end], m.iri.removeprefix(DEFAULT_BASE)) for m in mentions}
    assert ("Reverse Metallurgy +", "id/project/wallonia/reverse-metallurgy-plus") in found
    assert ("Reverse Metallurgy", "id/project/wallonia/reverse-metallurgy") in found
    assert ("PIT WINGS", "id/project/wallonia/pit-aeronautique") in found
    assert ("HECO2", "id/project/wallonia/heco2") in found
    assert ("stratégie de spécialisation intelligente", "id/strategy/wallonia/s3") in found
    assert (
        "appel à projets destiné aux partenaires des IIS",
        "id/call/wallonia/s3-iis-2023-05",
    ) in found
    assert ("Plan de Relance de la Wallonie", "id/funding/wallonia/plan-de-relance") in found
    # "CO2" is not "HECO2", "S3" is too short to be a label on its own.
    assert all(answer.text[m.start : m.end] != "CO2" for m in mentions)
    assert mentions == sorted(mentions)


# --------------------------------------------------------------------------- matching rules


def test_case_and_accent_insensitive() -> None:
    gazetteer = small()
    for text in ("pit aeronautique", "PIT AÉRONAUTIQUE", "Pit Aéronautique", "PIT Aéronautique"):
        assert [m.iri for m in gazetteer.find(text)] == ["ex:aero"], text


def test_decomposed_accents_keep_offsets() -> None:
    text = "Le PIT Ae\u0301ronautique."
    [mention] = small().find(text)
    assert (mention.start, mention.end, mention.iri) == (3, 20, "ex:aero")
    assert text[mention.start : mention.end] == "PIT Ae\u0301ronautique"


def test_apostrophes_spaces_and_dashes_are_unified() -> None:
    gazetteer = small()
    for text in (
        "des aides directes à l'innovation",
        "des aides directes à l’innovation",
        "des aides\u00a0directes à\u202fl’innovation",
        "des aides directes\nà l'innovation",
    ):
        assert [m.iri for m in gazetteer.find(text)] == ["ex:aides"], repr(text)


def test_whole_words_only() -> None:
    gazetteer = small()
    assert gazetteer.find("le portefeuille HECO2") == [Mention(16, 21, "ex:heco2", "HECO2")]
    assert gazetteer.find("HECO2S et XHECO2 et HECO23") == []
    assert [m.iri for m in gazetteer.find("(HECO2)")] == ["ex:heco2"]
    assert [m.iri for m in gazetteer.find("«HECO2»")] == ["ex:heco2"]
    assert [m.iri for m in gazetteer.find("HECO2")] == ["ex:heco2"]  # at offset 0


def test_longest_match_wins_and_no_overlap() -> None:
    gazetteer = small()
    text = "Reverse Metallurgy + , puis la Reverse Metallurgy seule, et Reverse Metallurgy+."
    mentions = gazetteer.find(text)
    assert [m.iri for m in mentions] == ["ex:rm-plus", "ex:rm", "ex:rm-plus"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_longest_first_even_when_a_shorter_match_starts_earlier() -> None:
    gazetteer = Gazetteer.from_labels([("alpha beta", "ex:ab"), ("beta gamma delta", "ex:bgd")])
    [mention] = gazetteer.find("alpha beta gamma delta")
    assert mention.iri == "ex:bgd"


def test_short_labels_are_skipped() -> None:
    gazetteer = small()
    assert gazetteer.find("La S3 et la s3") == []
    assert "s3" not in gazetteer.labels


def test_oe_ligature_matches_both_spellings() -> None:
    gazetteer = small()
    assert [m.iri for m in gazetteer.find("au cœur de ville")] == ["ex:coeur"]
    assert [m.iri for m in gazetteer.find("au COEUR DE VILLE")] == ["ex:coeur"]


def test_parenthesised_acronym_and_date_variants() -> None:
    gazetteer = Gazetteer.from_labels(
        [("Stratégie de spécialisation intelligente (SSI)", "ex:s3"), ("Appel (mai 2023)", "ex:c")]
    )
    assert [m.iri for m in gazetteer.find("la stratégie de spécialisation intelligente")] == [
        "ex:s3"
    ]
    assert [m.iri for m in gazetteer.find("la SSI")] == ["ex:s3"]
    assert [m.iri for m in gazetteer.find("un appel lancé en mai 2023")] == ["ex:c"]
    assert gazetteer.find("en mai 2023") == []  # the date alone is not a label


def test_first_label_wins_on_clash() -> None:
    gazetteer = Gazetteer.from_labels([("Fonds", "ex:first"), ("FONDS", "ex:second")])
    assert [m.iri for m in gazetteer.find("le fonds")] == ["ex:first"]


def test_empty_gazetteer_and_text() -> None:
    assert Gazetteer.from_labels([]).find("PIT WINGS") == []
    assert small().find("") == []


def test_label_key_examples() -> None:
    assert label_key("Reverse  Metallurgy +") == "reverse metallurgy+"
    assert label_key("Pôles de compétitivité") == "poles de competitivite"


# --------------------------------------------------------------------------- speed


def test_speed_on_the_seed_answer(gazetteer: Gazetteer) -> None:
    text = read(SEED_PATH).answers[0].text
    gazetteer.find(text)
    best = min(_timed(gazetteer.find, text) for _ in range(5))
    print(f"\ngazetteer.find on the seed answer ({len(text)} chars): {best * 1000:.2f} ms")
    assert best < 0.02  # generous: ~0.2-0.4 ms on a laptop, CI machines are slower


def test_many_labels_stay_fast() -> None:
    labels = [(f"Projet numéro {i} de la Wallonie", f"ex:p{i}") for i in range(3000)]
    gazetteer = Gazetteer.from_labels(labels)
    text = read(SEED_PATH).answers[0].text + " le Projet numéro 2999 de la Wallonie."
    assert [m.iri for m in gazetteer.find(text)] == ["ex:p2999"]
    best = min(_timed(gazetteer.find, text) for _ in range(3))
    assert best < 0.05


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


# --------------------------------------------------------------------------- fuzzing

WORDS = st.sampled_from(
    ["PIT", "WINGS", "Aéronautique", "aeronautique", "Reverse", "Metallurgy", "+", "HECO2",
     "S3", "l’", "d'", "cœur", "de", "ville", "Plan", "relance", "la", "Wallonie", "(", ")"]
)  # fmt: skip
SEPARATORS = st.sampled_from([" ", "  ", "\u00a0", "\u202f", "\n", "", ", ", "-", "\u0301"])


@SETTINGS
@given(st.lists(st.tuples(WORDS, SEPARATORS), max_size=30))
def test_mentions_are_valid_on_label_soup(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    _check_mentions(small(), text)


@SETTINGS
@given(st.text(max_size=300))
def test_mentions_are_valid_on_any_text(text: str) -> None:
    _check_mentions(small(), text)


def _check_mentions(gazetteer: Gazetteer, text: str) -> None:
    mentions = gazetteer.find(text)
    assert mentions == sorted(mentions)
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert label_key(text[mention.start : mention.end]) in gazetteer.labels
        assert gazetteer.labels[label_key(text[mention.start : mention.end])][0] == mention.iri
    for first, second in itertools.pairwise(mentions):
        assert first.end <= second.start
