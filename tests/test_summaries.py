"""Tests for the corpus summaries: exact on the seed, equal to naive recounts on a generated
corpus, idempotent, and following the corpus when a page goes away."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, RDF, XSD

from parlgraph.errors import ParameterError
from parlgraph.iris import Iris
from parlgraph.pipeline import CorpusBuilder
from parlgraph.store import from_ox, load_store
from parlgraph.summaries import (
    STEPS,
    Rebuilt,
    _answers_outside_pages,
    compute_summaries,
    refresh_summaries,
    step_queries,
    summary_graph,
)

from .conftest import ROOT, load_bench

BASE = "https://w3id.org/parlgraph/"
ID = BASE + "id/"
PG = BASE + "def/"
GRAPH = ox.NamedNode(BASE + "graph/summary")
SEED_SOURCES = ROOT / "data" / "sources"
QUESTION = ID + "question/wallonia/2023-2024/238"
MEMBERSHIP = (
    ID + "membership/wallonia/ministre-economie-commerce-exterieur-recherche-innovation-"
    "numerique-amenagement-territoire-agriculture-ifapme-centres-competences/borsus-willy"
)
PREFIXES = """
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX eli:     <http://data.europa.eu/eli/ontology#>
PREFIX eli-dl:  <http://data.europa.eu/eli/eli-draft-legislation-ontology#>
PREFIX foaf:    <http://xmlns.com/foaf/0.1/>
PREFIX org:     <http://www.w3.org/ns/org#>
PREFIX pg:      <https://w3id.org/parlgraph/def/>
PREFIX prov:    <http://www.w3.org/ns/prov#>
PREFIX schema:  <http://schema.org/>
"""


def summary(store: ox.Store) -> dict[tuple[str, str], list]:
    """The summary graph as {(subject, property): sorted plain values}."""
    values: dict[tuple[str, str], list] = defaultdict(list)
    for quad in store.quads_for_pattern(None, None, None, GRAPH):
        term = from_ox(quad.object)
        value = term.toPython() if isinstance(term, Literal) else str(term)
        values[(quad.subject.value, quad.predicate.value)].append(value)
    return {key: sorted(found, key=str) for key, found in values.items()}


def by_property(store: ox.Store, prop: str) -> dict[str, object]:
    """Subject -> the single value of one summary property."""
    found = {s: v for (s, p), v in summary(store).items() if p == prop}
    assert all(len(v) == 1 for v in found.values()), found
    return {s: v[0] for s, v in found.items()}


def recount(store: ox.Store, query: str, key: str, value: str) -> dict[str, object]:
    """{key: value} of a naive GROUP BY over the union of graphs, without the summary graph."""
    result = {}
    solutions = store.query(PREFIXES + query, use_default_graph_as_union=True)
    for solution in solutions:
        term = from_ox(solution[value])
        result[solution[key].value] = term.toPython() if isinstance(term, Literal) else str(term)
    return result


# ---------------------------------------------------------------------------- the seed


@pytest.fixture(scope="module")
def seed(built) -> ox.Store:
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return store


def test_seed_summary_is_exact(seed):
    values = summary(seed)
    assert values[(BASE + "graph/summary", PG + "questionCount")] == [1]
    assert values[(QUESTION, PG + "askedOn")] == [dt.date(2024, 1, 23)]
    assert values[(QUESTION, PG + "firstAnswerDate")] == [dt.date(2024, 2, 12)]
    assert values[(QUESTION, PG + "delayDays")] == [20]
    assert values[(MEMBERSHIP, PG + "answerCount")] == [1]
    # people and posts are described once, in the entities graph, not in each page
    assert values[(MEMBERSHIP, PG + "describedIn")] == [BASE + "graph/entities"]
    assert by_property(seed, PG + "unattributedAnswerCount") == {}
    assert values[(BASE + "graph/summary", PG + "reportedActionCount")] == [13]
    assert values[(BASE + "graph/summary", PG + "quantifiedActionCount")] == [8]
    assert by_property(seed, PG + "smeParticipationsAtLeast") == {
        BASE + "graph/summary": 54,
        ID + "project/wallonia/heco2": 11,
        ID + "project/wallonia/pit-atmp": 17,
        ID + "project/wallonia/pit-aeronautique": 11,
        ID + "project/wallonia/remind": 5,
        ID + "project/wallonia/reverse-metallurgy-plus": 10,
    }
    claim = ID + "claim/wallonia/2023-2024/qe-238/"
    assert by_property(seed, PG + "smeParticipationsClaim") == {
        ID + "project/wallonia/heco2": claim + "heco2-smes",
        ID + "project/wallonia/pit-atmp": claim + "pit-atmp-smes",
        ID + "project/wallonia/pit-aeronautique": claim + "pit-wings-smes",
        ID + "project/wallonia/remind": claim + "remind-smes",
        ID + "project/wallonia/reverse-metallurgy-plus": claim + "reverse-metallurgy-plus-smes",
    }


def test_summary_restates_no_page_fact(seed):
    """Only pg: summary terms: a copy of a page's own triple would hide its loss from SHACL."""
    predicates = {p for _, p in summary(seed)}
    assert predicates and all(p.startswith(PG) for p in predicates)


def test_refresh_returns_the_number_of_summary_quads(built):
    store = load_store(built.dataset)
    count = refresh_summaries(store, BASE)
    assert count == len(list(store.quads_for_pattern(None, None, None, GRAPH))) == 19


def test_a_kept_copy_gives_the_graph_a_fresh_refresh_gives(built, tmp_path):
    store, copy = load_store(built.dataset), tmp_path / "summary.nt"
    refresh_summaries(store, BASE, copy)
    assert copy.is_file()
    question = ox.NamedNode(BASE + "id/question/wallonia/2023-2024/238")
    store.remove_graph(ox.NamedNode(BASE + "graph/document/wallonia/2023-2024/qe-238"))
    count = refresh_summaries(store, BASE, copy)  # the diff is taken against the copy
    fresh = load_store(built.dataset)
    fresh.remove_graph(ox.NamedNode(BASE + "graph/document/wallonia/2023-2024/qe-238"))
    assert count == refresh_summaries(fresh, BASE)
    graph = set(store.quads_for_pattern(None, None, None, GRAPH))
    assert graph == set(fresh.quads_for_pattern(None, None, None, GRAPH))
    assert not any(q.subject == question for q in graph)
    assert copy.read_bytes() == b"".join(
        line + b"\n"
        for line in sorted(fresh.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=GRAPH).splitlines())
    )


def test_summary_graph_follows_the_base(built):
    store = load_store(built.dataset)
    other = "https://data.example.org/pg/"
    count = refresh_summaries(store, other)
    named = ox.NamedNode(other + "graph/summary")
    assert count == len(list(store.quads_for_pattern(None, None, None, named))) > 0
    assert summary_graph(other) == named
    with pytest.raises(ParameterError):
        summary_graph("not a base")


def test_steps_do_not_read_each_other(built):
    """Each step reads the page graphs only, so the order of the steps cannot matter."""
    store = load_store(built.dataset)
    wanted = compute_summaries(store, BASE)
    refresh_summaries(store, BASE)
    assert compute_summaries(store, BASE) == wanted
    assert [name for name, _ in STEPS] == [name for name, _ in step_queries(BASE)]


def test_delay_arithmetic_is_portable_to_rdflib(built):
    """The summary's Julian-day arithmetic gives the same days on rdflib's engine."""
    (query,) = [text for name, text in step_queries(BASE) if name == "questions"]
    triples = set(built.dataset.query(query))
    assert (URIRef(QUESTION), URIRef(PG + "delayDays"), Literal(20, datatype=XSD.integer)) in {
        (s, p, Literal(int(o), datatype=XSD.integer) if p == URIRef(PG + "delayDays") else o)
        for s, p, o in triples
    }


# ---------------------------------------------------------------------------- a corpus


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages")
    load_bench("corpus").generate(out, 300, seed=2)
    return out


def _build(pages: Path, store_dir: Path) -> ox.Store:
    CorpusBuilder(store_dir, Iris()).build([pages, SEED_SOURCES], jobs=2)
    store = ox.Store(str(store_dir / "oxigraph"))
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="module")
def corpus(pages, tmp_path_factory) -> ox.Store:
    return _build(pages, tmp_path_factory.mktemp("store"))


def naive_counts(store: ox.Store) -> dict[str, dict]:
    """Everything the summary holds, recounted naively over the union of all graphs."""
    first_answers = recount(
        store,
        """SELECT ?q (MIN(?d) AS ?first) WHERE {
             ?q a pg:WrittenQuestion . ?a eli-dl:answers_to ?q ; eli:date_document ?d }
           GROUP BY ?q""",
        "q",
        "first",
    )
    asked = recount(
        store,
        "SELECT DISTINCT ?q ?d WHERE { ?q a pg:WrittenQuestion ; eli:date_document ?d }",
        "q",
        "d",
    )
    return {
        "questions": {"": len(asked)},
        "question dates": asked,
        "first answers": first_answers,
        # Days computed in Python, independently of the summary's SPARQL arithmetic.
        "delays": {q: (first - asked[q]).days for q, first in first_answers.items()},
        "answers per membership": recount(
            store,
            """SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE {
                 ?a a pg:WrittenAnswer ; prov:wasAttributedTo ?m . ?m a org:Membership }
               GROUP BY ?m""",
            "m",
            "n",
        ),
        "answers without a post": recount(
            store,
            """SELECT ?p (COUNT(DISTINCT ?a) AS ?n) WHERE {
                 ?a a pg:WrittenAnswer ; dcterms:creator ?p .
                 FILTER NOT EXISTS { ?a prov:wasAttributedTo/org:member ?p } }
               GROUP BY ?p""",
            "p",
            "n",
        ),
        "SME participations": recount(
            store,
            """SELECT ?p (MAX(COALESCE(?min, ?v)) AS ?most) WHERE {
                 ?c a pg:QuantifiedClaim ; schema:variableMeasured pg:sme-participations ;
                    schema:observationAbout ?p .
                 OPTIONAL { ?c schema:value ?v } OPTIONAL { ?c schema:minValue ?min } }
               GROUP BY ?p""",
            "p",
            "most",
        ),
        "actions": recount(
            store,
            """SELECT ?all (COUNT(DISTINCT ?action) AS ?n) WHERE {
                 ?action a pg:ReportedAction BIND ("" AS ?all) } GROUP BY ?all""",
            "all",
            "n",
        ),
        "quantified actions": recount(
            store,
            """SELECT ?all (COUNT(DISTINCT ?action) AS ?n) WHERE {
                 ?action a pg:ReportedAction . ?c a pg:QuantifiedClaim ; pg:supports ?action
                 BIND ("" AS ?all) } GROUP BY ?all""",
            "all",
            "n",
        ),
    }


def summary_counts(store: ox.Store) -> dict[str, dict]:
    """The same figures as read from the summary graph."""
    node = BASE + "graph/summary"

    def corpus_level(prop: str) -> dict[str, object]:
        return {"": by_property(store, PG + prop).get(node, 0)}

    sme = by_property(store, PG + "smeParticipationsAtLeast")
    total = sme.pop(node)
    assert total == sum(sme.values())
    return {
        "questions": corpus_level("questionCount"),
        "question dates": by_property(store, PG + "askedOn"),
        "first answers": by_property(store, PG + "firstAnswerDate"),
        "delays": by_property(store, PG + "delayDays"),
        "answers per membership": by_property(store, PG + "answerCount"),
        "answers without a post": by_property(store, PG + "unattributedAnswerCount"),
        "SME participations": sme,
        "actions": corpus_level("reportedActionCount"),
        "quantified actions": corpus_level("quantifiedActionCount"),
    }


def test_corpus_summaries_equal_naive_recounts(corpus):
    naive, summarised = naive_counts(corpus), summary_counts(corpus)
    assert naive.keys() == summarised.keys()
    for name in naive:
        assert summarised[name] == naive[name], name
    # The corpus exercises every kind of figure: questions never answered, answers by someone
    # else than the addressee, memberships of several ministers, SME claims about projects.
    assert len(naive["question dates"]) > len(naive["first answers"]) > 200
    assert naive["answers without a post"]
    assert len(naive["answers per membership"]) >= 9
    assert len(naive["SME participations"]) >= 3


def test_each_membership_and_author_points_to_a_page_naming_them(corpus):
    pages = by_property(corpus, PG + "describedIn")
    holders = by_property(corpus, PG + "answerCount").keys()
    authors = by_property(corpus, PG + "unattributedAnswerCount").keys()
    assert set(holders) | set(authors) <= set(pages)
    for node in [*holders, *authors]:
        path = "<http://www.w3.org/ns/org#member>/" if node in holders else ""
        (row,) = corpus.query(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{pages[node]}> {{ "
            f"<{node}> {path}<http://xmlns.com/foaf/0.1/name> ?name }} }}"
        )
        assert int(row["n"].value) == 1, node


def test_each_sme_row_is_a_claim_stating_the_largest_bound(corpus):
    most = by_property(corpus, PG + "smeParticipationsAtLeast")
    chosen = by_property(corpus, PG + "smeParticipationsClaim")
    assert sorted(chosen) == sorted(p for p in most if p != BASE + "graph/summary")
    for project, claim in chosen.items():
        (row,) = corpus.query(
            PREFIXES
            + f"""SELECT (COALESCE(?min, ?v) AS ?bound) WHERE {{
                 OPTIONAL {{ <{claim}> schema:value ?v }}
                 OPTIONAL {{ <{claim}> schema:minValue ?min }} }}""",
            use_default_graph_as_union=True,
        )
        assert int(row["bound"].value) == most[project]


def test_refresh_is_idempotent(corpus):
    before = {q for q in corpus.quads_for_pattern(None, None, None, GRAPH)}
    count = refresh_summaries(corpus, BASE)
    after = {q for q in corpus.quads_for_pattern(None, None, None, GRAPH)}
    assert after == before and count == len(after)
    assert refresh_summaries(corpus, BASE) == count


def test_removing_a_page_lowers_the_counts(pages, tmp_path):
    work = tmp_path / "pages"
    shutil.copytree(pages, work)
    store_dir = tmp_path / "store"
    store = _build(work, store_dir)
    before = summary_counts(store)

    # The first page whose answer was signed in a post, found through the build's manifest.
    (row, *_) = store.query(
        PREFIXES
        + """SELECT ?question ?membership (COUNT(DISTINCT ?answer) AS ?answers) WHERE {
             ?answer eli-dl:answers_to ?question ; prov:wasAttributedTo ?membership .
             FILTER (STRSTARTS(STR(?question), "https://w3id.org/parlgraph/id/question/"))
             FILTER (!CONTAINS(STR(?question), "/238"))
           } GROUP BY ?question ?membership ORDER BY ?question LIMIT 1""",
        use_default_graph_as_union=True,
    )
    question, membership = row["question"].value, row["membership"].value
    answers = int(row["answers"].value)
    session, number = question.rsplit("/", 2)[-2:]
    graph = f"{BASE}graph/document/wallonia/{session}/qe-{number}"
    manifest = json.loads((store_dir / "manifest.json").read_text(encoding="utf-8"))
    (page,) = [Path(p) for p, entry in manifest["pages"].items() if entry["graph"] == graph]
    del store, row
    page.unlink()
    store = _build(work, store_dir)
    after = summary_counts(store)

    assert after["questions"][""] == before["questions"][""] - 1
    assert question in before["first answers"] and question not in after["first answers"]
    assert question not in after["question dates"] and question not in after["delays"]
    assert after["answers per membership"].get(membership, 0) == (
        before["answers per membership"][membership] - answers
    )
    assert after == naive_counts(store)


@pytest.mark.parametrize("stated", ["creator", "membership", "none"])
def test_a_rebuild_counts_answers_without_a_post_from_the_store_when_shared_graphs_say_more(
    built, stated
):
    """The rows pages keep are the whole only if no shared graph gives an answer an author or
    types a membership; otherwise the rebuild counts from the store: the graph is the same."""
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)  # the graph as the last build left it
    curated = ox.NamedNode(BASE + "graph/curated")
    someone = ox.NamedNode(BASE + "id/person/someone-else")
    answer = ox.NamedNode(BASE + "id/answer/wallonia/2023-2024/238/1")
    if stated == "creator":  # a second author, named in a curated file
        store.add(ox.Quad(answer, ox.NamedNode(DCTERMS.creator), someone, curated))
        store.add(ox.Quad(someone, ox.NamedNode(FOAF.name), ox.Literal("ELSE Some"), curated))
    elif stated == "membership":
        membership = ox.NamedNode(BASE + "id/membership/wallonia/x/someone-else")
        store.add(
            ox.Quad(membership, ox.NamedNode(RDF.type), ox.NamedNode(ORG.Membership), curated)
        )
    present = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=GRAPH).splitlines())
    shared = [g.value for g in store.named_graphs() if "/graph/document/" not in g.value]
    # the seed's pages kept no answer without a post: its one answer is signed in its post
    rebuilt = Rebuilt(present, set(), [], shared, BASE + "graph/entities", [])
    assert _answers_outside_pages(store, rebuilt) is (stated != "none")
    refresh_summaries(store, BASE, rebuilt=rebuilt)
    stored = set(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=GRAPH).splitlines())
    assert stored == compute_summaries(store, BASE)
    mentions_someone = any(b"/id/person/someone-else>" in line for line in stored)
    assert mentions_someone is (stated == "creator")
