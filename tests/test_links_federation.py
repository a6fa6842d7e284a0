"""ELI alignment (issue 5): one query reads our written questions and the European Parliament's.

The EP sample (shared/vendor/europarl-parliamentary-questions, 2022, ELI/ELI-DL as the EP
publishes it) and our built seed go into one store; queries/federation/written-questions.rq
returns questions of both parliaments with author, addressee and date.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from link_fixtures import vendor_dir

from parlgraph.store import load_store

ROOT = Path(__file__).resolve().parents[1]
QUERY = (ROOT / "queries" / "federation" / "written-questions.rq").read_text(encoding="utf-8")
EP_SAMPLE = "europarl-parliamentary-questions/data_v1_questions-by-year_0_100_2022.ttl"
EP = "http://publications.europa.eu/resource/authority/corporate-body/EP"
OURS = "https://w3id.org/parlgraph/id/organization/parlement-de-wallonie"
SME = "http://eurovoc.europa.eu/2359"


@pytest.fixture(scope="module")
def store(built) -> ox.Store:
    store = load_store(built.dataset)
    store.load(
        path=str(vendor_dir() / EP_SAMPLE),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("urn:x-parlgraph-test:ep-sample"),
    )
    return store


def rows(store: ox.Store) -> list[dict[str, str]]:
    solutions = store.query(QUERY, use_default_graph_as_union=True)
    names = [v.value for v in solutions.variables]
    return [
        {n: s[n].value for n in names if s[n] is not None}
        for s in solutions  # type: ignore[union-attr]
    ]


def test_one_query_returns_written_questions_of_both_parliaments(store: ox.Store) -> None:
    found = rows(store)
    by_publisher = {r.get("publisher") for r in found}
    assert {EP, OURS} <= by_publisher
    ours = [r for r in found if r.get("publisher") == OURS]
    assert {r["question"] for r in ours} == {
        "https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238"
    }
    assert ours[0]["author"] == "https://w3id.org/parlgraph/id/person/mugemangango-germain"
    assert ours[0]["addressee"] == "https://w3id.org/parlgraph/id/person/borsus-willy"
    assert ours[0]["day"] == "2024-01-23"
    europe = [r for r in found if r.get("publisher") == EP]
    assert len({r["question"] for r in europe}) > 50
    assert all({"author", "addressee", "day"} <= set(r) for r in europe)
    assert any(r["addressee"].endswith("/corporate-body/COM") for r in europe)


def test_the_sme_subject_finds_our_question_and_the_ep_sample_has_no_subjects(
    store: ox.Store,
) -> None:
    """EuroVoc 2359 selects our question 238; the EP's 2022 sample carries no eli:is_about at
    all (and no title about SMEs), so no EP row can match a subject until the EP publishes them.
    """
    found = [r for r in rows(store) if r.get("about") == SME]
    assert {(r["question"], r.get("publisher")) for r in found} == {
        ("https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238", OURS)
    }
    ep_subjects = store.query(
        "ASK { GRAPH <urn:x-parlgraph-test:ep-sample> { "
        "?q <http://data.europa.eu/eli/ontology#is_about> ?s } }"
    )
    assert not bool(ep_subjects)
