"""The parser layer of the graph: IRIs, people, post, competences, commitment, texts."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, ORG, PROV, RDF, SKOS, XSD

from parlgraph.iris import Iris, slugify
from parlgraph.model import build_document_graph
from parlgraph.parse import read
from parlgraph.resolve import CommitmentIndex
from parlgraph.vocab import ELI, ELI_DL, PG, SCHEMA

from .conftest import SEED

ID = "https://w3id.org/parlgraph/id/"
QUESTION = URIRef(ID + "question/wallonia/2023-2024/238")
ANSWER = URIRef(ID + "answer/wallonia/2023-2024/238/1")
POST = URIRef(
    ID + "post/wallonia/ministre-economie-commerce-exterieur-recherche-innovation-numerique-"
    "amenagement-territoire-agriculture-ifapme-centres-competences"
)
MEMBERSHIP = URIRef(
    ID + "membership/wallonia/ministre-economie-commerce-exterieur-recherche-innovation-"
    "numerique-amenagement-territoire-agriculture-ifapme-centres-competences/borsus-willy"
)


def graph(base: str = "https://w3id.org/parlgraph/"):
    iris = Iris(base)
    return build_document_graph(read(SEED), iris, CommitmentIndex(iris))


def test_question_iri_follows_the_readable_pattern():
    g = graph()
    assert (QUESTION, RDF.type, PG.WrittenQuestion) in g
    assert (ANSWER, ELI_DL.answers_to, QUESTION) in g


def test_dates_are_xsd_dates_without_time():
    g = graph()
    assert g.value(QUESTION, ELI.date_document) == Literal("2024-01-23", datatype=XSD.date)
    assert g.value(ANSWER, ELI.date_document) == Literal("2024-02-12", datatype=XSD.date)


def test_post_lists_eight_competences():
    g = graph()
    labels = sorted(str(g.value(c, SKOS.prefLabel)) for c in g.objects(POST, ORG.purpose))
    assert labels == sorted(
        [
            "Economie",
            "Commerce extérieur",
            "Recherche et Innovation",
            "Numérique",
            "Aménagement du territoire",
            "Agriculture",
            "IFAPME",
            "Centres de compétences",
        ]
    )


def test_answer_is_attributed_to_the_ministers_membership_of_the_post():
    g = graph()
    assert (ANSWER, PROV.wasAttributedTo, MEMBERSHIP) in g
    assert (MEMBERSHIP, ORG.organization, POST) in g
    assert (MEMBERSHIP, ORG.member, URIRef(ID + "person/borsus-willy")) in g


def test_question_refers_to_the_quoted_dpr_commitment():
    g = graph()
    commitments = list(g.objects(QUESTION, ELI.refers_to))
    assert commitments == [URIRef(ID + "commitment/wallonia/dpr-2019-2024/a7962c4c9e")]
    annotation = URIRef(f"{QUESTION}/commitment-quote")
    assert g.value(annotation, PG.matchMethod) == Literal("exact")


def test_the_commitment_is_described_once_in_the_shared_graph(built):
    shared = built.dataset.graph(built.commitments_graph)
    commitment = URIRef(ID + "commitment/wallonia/dpr-2019-2024/a7962c4c9e")
    assert shared.value(commitment, ELI.is_part_of) == URIRef(
        ID + "declaration/wallonia/dpr-2019-2024"
    )
    assert str(shared.value(commitment, SCHEMA.text)).startswith("la Wallonie renforcera")
    for name in built.document_graphs:
        assert (commitment, ELI.is_part_of, None) not in built.dataset.graph(name)


def test_base_is_configurable_and_no_blank_nodes_are_minted():
    g = graph("https://data.example.org/pw/")
    subjects = set(g.subjects())
    assert all(str(s).startswith("https://data.example.org/pw/") for s in subjects)
    assert not [t for t in g if any(type(x).__name__ == "BNode" for x in t)]


def test_build_is_identical_for_the_same_input():
    assert set(graph()) == set(graph())


def test_slugify_drops_accents_and_punctuation():
    assert slugify("DE BUE Valérie") == "de-bue-valerie"


def test_quotes_of_one_commitment_meet_at_one_node_with_their_match_method():
    from parlgraph.resolve import CommitmentIndex

    index = CommitmentIndex(Iris())
    text = "la Wallonie renforcera son soutien aux indépendants, coopératives, TPE et PME"
    first = index.match("DPR", "2019-2024", text)
    respaced = index.match("DPR", "2019-2024", text.replace(" ", "  ").replace("la W", "La W"))
    reworded = index.match("DPR", "2019-2024", text.replace("renforcera", "renforce"))
    other = index.match("DPR", "2019-2024", "la Wallonie investira dans le rail")
    assert (first.method, respaced.method, reworded.method) == ("exact", "normalised", "fuzzy")
    assert first.iri == respaced.iri == reworded.iri != other.iri
    assert 0.9 <= reworded.score < 1


def test_the_membership_is_attested_by_the_answer_signed_in_it(built):
    derived = built.dataset.graph(built.derived_graph)
    period = derived.value(MEMBERSHIP, PG.attestedDuring)
    assert period == URIRef(f"{MEMBERSHIP}#attested")
    day = Literal("2024-02-12", datatype=XSD.date)  # the one answer's date
    assert derived.value(period, DCAT.startDate) == day == derived.value(period, DCAT.endDate)
    assert len(set(derived.subjects(PG.attestedDuring, None))) == 1
