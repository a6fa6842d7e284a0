"""Tests for the stored queries: headers, exact answers on the seed, binding, formats."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD
from rich.console import Console

from parlgraph.dataset import build
from parlgraph.errors import ParameterError, QueryError
from parlgraph.query import (
    Parameter,
    QueryResult,
    StoredQuery,
    load_queries,
    load_query,
    run,
    to_csv,
    to_json,
    to_markdown,
    to_python,
    to_table,
)
from parlgraph.store import from_ox, load_store
from parlgraph.summaries import refresh_summaries

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"
FIXTURES = Path(__file__).resolve().parent / "queries"
BASE = "https://w3id.org/parlgraph/"
ID = BASE + "id/"
PG = "https://w3id.org/parlgraph/def/"
COMMITMENT = ID + "commitment/wallonia/dpr-2019-2024/a7962c4c9e"
POST = (
    ID + "post/wallonia/ministre-economie-commerce-exterieur-recherche-innovation-numerique-"
    "amenagement-territoire-agriculture-ifapme-centres-competences"
)
TEN = [
    "answer-delay",
    "claim-evidence",
    "commitment-actions",
    "direct-cooperation",
    "funding-instruments",
    "minister-portfolio",
    "quantified-actions",
    "sme-participation",
    "strategy-structure",
    "unanswered",
]
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def summarised(dataset) -> ox.Store:
    """The seed path of the CLI: load the dataset, then materialise the corpus summaries."""
    store = load_store(dataset)
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="module")
def store(built):
    return summarised(built.dataset)


@pytest.fixture(scope="module")
def queries() -> dict[str, StoredQuery]:
    return load_queries(QUERIES)


def answer(store, queries, name: str, **params: str) -> list[dict]:
    return run(store, queries[name], params).records()


# ---------------------------------------------------------------------------- expected rows

COMMITMENT_ACTIONS = [
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/s3-collaborative-approach",
        "action_label": "La S3 met l'accent sur l'approche collaborative et sélectionne 19 IIS",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "La nouvelle stratégie de spécialisation intelligente, qui constitue le cadre "
            "stratégique de la politique industrielle et d’innovation, a mis résolument "
            "l’accent sur l’approche collaborative, en ambitionnant le développement "
            "d’écosystèmes d’innovation ouverts et inclusifs en Wallonie en lien avec les 5 "
            "domaines d’innovation (DIS) prioritaires identifiés. 19 Initiatives "
            "d’Innovation Stratégiques (IIS) ont été sélectionnées. Celles-ci visent à "
            "développer des écosystèmes d’innovation autour d’ambitions partagées pour la "
            "mise en œuvre des priorités de la S3. Ces IIS rassemblent une masse critique "
            "d’acteurs issus des mondes académiques, industriels, entrepreneuriaux et de la "
            "société autour d’un plan d’action commun. L’objectif est de susciter des "
            "dynamiques collaboratives entre acteurs. L’implication effective de "
            "l’industrie, en ce compris les PME faisait partie des critères d’analyse pour "
            "la sélection de ces IIS."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/s3-coordination-cells",
        "action_label": (
            "Cellules de coordination des DIS associant les pôles de compétitivité et le "
            "cluster Tweed"
        ),
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Par ailleurs, au travers de la gouvernance de la stratégie, nous visons à "
            "assurer une participation accrue des PME dans ces dynamiques collaboratives. "
            "Les cellules de coordination mises en place pour chacun des DIS associent les "
            "Pôles de compétitivité et le cluster Tweed."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/s3-call-may-2023",
        "action_label": (
            "Appel à projets de mai 2023 pour des projets d'innovation collaboratifs portés "
            "par des PME"
        ),
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "De manière très concrète, un appel à projets destiné aux partenaires des IIS "
            "et visant à soutenir des projets d’innovation collaboratifs portés par des PME "
            "a été lancé en mai 2023. Cet appel à abouti à la sélection de 17 projets."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/circular-wallonia-value-chains",
        "action_label": "Circular Wallonia : communauté des coordinateurs des chaînes de valeur",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Afin de faciliter les collaborations multiacteurs indispensables à l’économie "
            "circulaire, la Stratégie soutient des initiatives favorisant l’animation et la "
            "mise en réseau des entreprises et des acteurs à travers l’ensemble du "
            "territoire régional. Une Communauté des coordinateurs des chaînes de valeur a "
            "été mise en place sous l’égide du SPW EER. Elle a un double objectif : "
            "l’échange d’informations et de bonnes pratiques entre coordinateurs et la mise "
            "en œuvre de synergies opérationnelles entre chaînes de valeur, là où cela "
            "s’avère pertinent."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/plan-de-relance-collaboration",
        "action_label": (
            "Projets du Plan de relance de collaboration majeure entre acteurs économiques "
            "(2022-2023)"
        ),
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Entre 2022 et 2023, plusieurs projets du Plan de relance ont permis de dégager "
            "des moyens supplémentaires sur les projets de collaboration majeure, de masse "
            "critique importante entre acteurs économiques."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/reverse-metallurgy-plus",
        "action_label": "Portefeuille Reverse Metallurgy+ (PNRR)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Le nouveau portefeuille de projets Reverse Metallurgy + , soumis dans le cadre "
            "de l’appel à projets PNRR, propose de mettre les acquis de la Reverse "
            "Metallurgy au service des transitions énergétique et numérique par le biais de "
            "technologies, et ce, sur fond d’optimisation des ressources locales et de "
            "réappropriation des chaines d’approvisionnement, avec une volonté de s’ouvrir "
            "à de nouveaux partenaires afin de générer de nouveaux projets technologiques "
            "et industriels en phase avec les besoins sociétaux. 10 PME collaborent à ce "
            "projet."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/remind",
        "action_label": "Portefeuille REMIND (construction)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Le portefeuille de projets REMIND déposés sur la thématique « construction » a "
            "pour objectif de créer une plateforme d'excellence industrielle, technologique "
            "et scientifique en recyclage, créatrice de valeur ajoutée et d'emplois et "
            "reconnue au niveau international. 5 PME participent à ce portefeuille de "
            "projets."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/heco2",
        "action_label": "Portefeuille HECO2 (industrie bas carbone, PNRR)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Dans le cadre de ce même PNRR, pour la fiche « industrie bas carbone », un "
            "ensemble d’industriels wallons avec des partenaires académiques et centres de "
            "recherche agréés se sont regroupés au sein d’un portefeuille nommé « HECO2 » "
            "afin de développer ensemble, au travers de projets R&D, de nouveaux procédés "
            "de production et les technologies associées qui les aideront à réduire leurs "
            "émissions de CO2. Plus de 10 PME participent à ce portefeuille de projets."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/pit-atmp",
        "action_label": "Partenariat d'innovation PIT ATMP (médicaments de thérapie innovante)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "Le Partenariat d’Innovation PIT ATMP (les médicaments de thérapie innovante ou "
            "Advanced Therapy Medicinal Products (ATMP) sont des médicaments à usage humain "
            "qui comprennent la thérapie génique, la thérapie cellulaire somatique, "
            "l’ingénierie tissulaire et les médicaments combinés de thérapie innovante) "
            "associe des partenaires industriels, unités de recherche universitaire et "
            "centre de recherche spécialisés en biotechnologie et science de la vie actifs "
            "dans le domaine des ATMPs pour l’élaboration de 12 workpackages scientifiques "
            "et techniques collaboratifs axés sur des thématiques de recherche à haut degré "
            "d’innovation incluant de la conception, des développements, des validations de "
            "produits thérapeutiques et procédés technologiques, de la mise au point de "
            "méthodes analytiques et développements précliniques in vitro et in vivo et des "
            "essais cliniques de preuves de concept pour différentes catégories d’ATMPs. Le "
            "partenariat d’Innovation associe 26 bénéficiaires différents, dont 17 PME."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/pit-aeronautique",
        "action_label": "PIT Aéronautique (PIT WINGS)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "c’est le cas du PIT Aéronautique qui vise le développement de l’aviation du futur"
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/space-defence-projects",
        "action_label": "Projets liés au spatial et à la défense (Plan de relance)",
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "de projets liés au spatial et à la défense lancés dans le cadre du Plan de "
            "Relance de la Wallonie."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/direct-aid",
        "action_label": (
            "Aides directes : soutien à l'innovation ciblant les PME, aides individuelles "
            "ou guichet"
        ),
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "En matière d’aides directes, les aides de soutien à l’innovation ciblent plus "
            "spécifiquement les PME, mais celles-ci ont également accès aux aides "
            "individuelles ou guichet dont elle représente plus de 85% des montants "
            "octroyés depuis 2018."
        ),
    },
    {
        "commitment": COMMITMENT,
        "action": ID + "action/wallonia/2023-2024/qe-238/research-decree-cootech",
        "action_label": (
            "Décret recherche : partenariats avec une PME, coopérations entre entreprises (COOTECH)"
        ),
        "minister": "BORSUS Willy",
        "answer": ID + "answer/wallonia/2023-2024/238/1",
        "answer_date": "2024-02-12",
        "quote": (
            "En matière de partenariats, le décret recherche privilégie les partenariats "
            "avec une PME, soit dans les coopérations entre entreprises (notamment au "
            "travers de la mesure « COOTECH »)."
        ),
    },
]

SME_PARTICIPATION = [
    {
        "project": ID + "project/wallonia/heco2",
        "project_label": "HECO2",
        "also_known_as": None,
        "sme_count": 11,
        "bound_kind": "plus de",
        "stated_number": 10,
        "total_beneficiaries": None,
        "total_participations_at_least": 54,
    },
    {
        "project": ID + "project/wallonia/pit-atmp",
        "project_label": "PIT ATMP",
        "also_known_as": None,
        "sme_count": 17,
        "bound_kind": "exact",
        "stated_number": 17,
        "total_beneficiaries": 26,
        "total_participations_at_least": 54,
    },
    {
        "project": ID + "project/wallonia/pit-aeronautique",
        "project_label": "PIT Aéronautique",
        "also_known_as": "PIT WINGS",
        "sme_count": 11,
        "bound_kind": "exact",
        "stated_number": 11,
        "total_beneficiaries": None,
        "total_participations_at_least": 54,
    },
    {
        "project": ID + "project/wallonia/remind",
        "project_label": "REMIND",
        "also_known_as": None,
        "sme_count": 5,
        "bound_kind": "exact",
        "stated_number": 5,
        "total_beneficiaries": None,
        "total_participations_at_least": 54,
    },
    {
        "project": ID + "project/wallonia/reverse-metallurgy-plus",
        "project_label": "Reverse Metallurgy +",
        "also_known_as": None,
        "sme_count": 10,
        "bound_kind": "exact",
        "stated_number": 10,
        "total_beneficiaries": None,
        "total_participations_at_least": 54,
    },
]

ANSWER_DELAY = [
    {
        "question": ID + "question/wallonia/2023-2024/238",
        "question_date": "2024-01-23",
        "answer_date": "2024-02-12",
        "days": 20,
    },
]

QUANTIFIED_ACTIONS = [
    {
        "actions": 13,
        "quantified_actions": 8,
        "unquantified_actions": 5,
        "share": 0.615,
    },
]

FUNDING_INSTRUMENTS = [
    {
        "instrument": ID + "funding/wallonia/aides-directes",
        "instrument_label": "Aides directes à la recherche et à l’innovation",
        "action_count": 1,
        "actions": (
            "Aides directes : soutien à l'innovation ciblant les PME, aides individuelles "
            "ou guichet"
        ),
    },
    {
        "instrument": ID + "funding/wallonia/cootech",
        "instrument_label": "COOTECH",
        "action_count": 1,
        "actions": (
            "Décret recherche : partenariats avec une PME, coopérations entre entreprises (COOTECH)"
        ),
    },
    {
        "instrument": ID + "funding/wallonia/pnrr",
        "instrument_label": "PNRR",
        "action_count": 3,
        "actions": (
            "Portefeuille HECO2 (industrie bas carbone, PNRR); Portefeuille REMIND "
            "(construction); Portefeuille Reverse Metallurgy+ (PNRR)"
        ),
    },
    {
        "instrument": ID + "funding/wallonia/plan-de-relance",
        "instrument_label": "Plan de relance de la Wallonie",
        "action_count": 2,
        "actions": (
            "Projets du Plan de relance de collaboration majeure entre acteurs économiques "
            "(2022-2023); Projets liés au spatial et à la défense (Plan de relance)"
        ),
    },
    {
        "instrument": None,
        "instrument_label": "instrument non précisé",
        "action_count": 6,
        "actions": (
            "Appel à projets de mai 2023 pour des projets d'innovation collaboratifs portés "
            "par des PME; Cellules de coordination des DIS associant les pôles de "
            "compétitivité et le cluster Tweed; Circular Wallonia : communauté des "
            "coordinateurs des chaînes de valeur; La S3 met l'accent sur l'approche "
            "collaborative et sélectionne 19 IIS; PIT Aéronautique (PIT WINGS); "
            "Partenariat d'innovation PIT ATMP (médicaments de thérapie innovante)"
        ),
    },
]

MINISTER_PORTFOLIO = [
    {
        "minister": ID + "person/borsus-willy",
        "name": "BORSUS Willy",
        "post": POST,
        "post_label": (
            "Ministre de l'Economie, du Commerce extérieur, de la Recherche et de "
            "l'Innovation, du Numérique, de l'Aménagement du territoire, de l'Agriculture, "
            "de l'IFAPME et des Centres de compétences"
        ),
        "roles": "ministre",
        "competence_count": 8,
        "competences": (
            "Agriculture, Aménagement du territoire, Centres de compétences, Commerce "
            "extérieur, Economie, IFAPME, Numérique, Recherche et Innovation"
        ),
        "start_date": "2019-09-13",
        "answers": 1,
    },
]

CLAIM_EVIDENCE = [
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/structuring-strategies",
        "variable_label": "stratégies structurantes",
        "stated_number": 2,
        "unit": "stratégies",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 1151,
        "end": 1177,
        "quote": "2 stratégies structurantes",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/s3-innovation-domains",
        "variable_label": "domaines d’innovation stratégiques prioritaires",
        "stated_number": 5,
        "unit": "domaines",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 1690,
        "end": 1719,
        "quote": "5 domaines d’innovation (DIS)",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/s3-strategic-initiatives",
        "variable_label": "initiatives d’innovation stratégiques sélectionnées",
        "stated_number": 19,
        "unit": "initiatives",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 1745,
        "end": 1813,
        "quote": "19 Initiatives d’Innovation Stratégiques (IIS) ont été sélectionnées",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/s3-call-selected-projects",
        "variable_label": "projets sélectionnés",
        "stated_number": 17,
        "unit": "projets",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 2799,
        "end": 2822,
        "quote": "sélection de 17 projets",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/reverse-metallurgy-plus-smes",
        "variable_label": "PME participantes",
        "stated_number": 10,
        "unit": "PME",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 5007,
        "end": 5037,
        "quote": "10 PME collaborent à ce projet",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/remind-smes",
        "variable_label": "PME participantes",
        "stated_number": 5,
        "unit": "PME",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 5310,
        "end": 5356,
        "quote": "5 PME participent à ce portefeuille de projets",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/heco2-smes",
        "variable_label": "PME participantes",
        "stated_number": 10,
        "unit": "PME",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 5765,
        "end": 5820,
        "quote": "Plus de 10 PME participent à ce portefeuille de projets",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/pit-atmp-work-packages",
        "variable_label": "workpackages",
        "stated_number": 12,
        "unit": "workpackages",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 6331,
        "end": 6346,
        "quote": "12 workpackages",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/pit-atmp-beneficiaries",
        "variable_label": "bénéficiaires",
        "stated_number": 26,
        "unit": "bénéficiaires",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 6785,
        "end": 6812,
        "quote": "26 bénéficiaires différents",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/pit-atmp-smes",
        "variable_label": "PME participantes",
        "stated_number": 17,
        "unit": "PME",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 6785,
        "end": 6825,
        "quote": "26 bénéficiaires différents, dont 17 PME",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/pit-wings-smes",
        "variable_label": "PME participantes",
        "stated_number": 11,
        "unit": "PME",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 7173,
        "end": 7204,
        "quote": "11 PME participent au PIT WINGS",
    },
    {
        "claim": ID + "claim/wallonia/2023-2024/qe-238/direct-aid-sme-share",
        "variable_label": "part des PME dans les montants octroyés",
        "stated_number": 85,
        "unit": "%",
        "source": ID + "source/wallonia/2023-2024/qe-238",
        "start": 7404,
        "end": 7449,
        "quote": "plus de 85% des montants octroyés depuis 2018",
    },
]

STRATEGY_STRUCTURE = [
    {
        "strategy": ID + "strategy/wallonia/circular-wallonia",
        "strategy_label": "Circular Wallonia",
        "innovation_domains": None,
        "strategic_initiatives": None,
        "call": None,
        "call_label": None,
        "call_issued": None,
        "selected_projects": None,
    },
    {
        "strategy": ID + "strategy/wallonia/s3",
        "strategy_label": "Stratégie de spécialisation intelligente (S3)",
        "innovation_domains": 5,
        "strategic_initiatives": 19,
        "call": ID + "call/wallonia/s3-iis-2023-05",
        "call_label": "Appel à projets destiné aux partenaires des IIS (mai 2023)",
        "call_issued": "2023-05",
        "selected_projects": 17,
    },
]

DIRECT_COOPERATION = [
    {
        "action": ID + "action/wallonia/2023-2024/qe-238/research-decree-cootech",
        "action_label": (
            "Décret recherche : partenariats avec une PME, coopérations entre entreprises (COOTECH)"
        ),
        "rationale_fr": (
            "Le décret « privilégie les partenariats avec une PME, soit dans les "
            "coopérations entre entreprises (notamment au travers de la mesure « COOTECH ») "
            "» : la seule mesure citée qui vise des coopérations entre entreprises dont une "
            "PME est partie."
        ),
        "rationale_en": (
            "The decree favours partnerships with an SME in cooperation between enterprises "
            "(COOTECH): the only measure cited that targets cooperation between enterprises "
            "with an SME as a party."
        ),
        "assessed_by": ID + "organization/parlgraph-editors",
        "assessed_by_label": "Équipe éditoriale parlgraph",
        "assessment": ID + "assessment/wallonia/2023-2024/qe-238/research-decree-cootech",
    },
]

UNANSWERED_AT_1_FEBRUARY = [
    {
        "at": "2024-02-01",
        "question": ID + "question/wallonia/2023-2024/238",
        "title": "La Déclaration de politique régionale sur la coopération entre PME",
        "question_date": "2024-01-23",
        "asked_by": "MUGEMANGANGO Germain",
        "asked_to": "BORSUS Willy",
        "days_waiting": 9,
    },
]


# ---------------------------------------------------------------------------- loading


def test_the_ten_queries_are_stored(queries):
    assert list(queries) == TEN


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.stem)
def test_every_query_loads_with_title_and_description(path):
    query = load_query(path)
    assert query.name == path.stem
    assert query.title and query.description
    assert query.text == path.read_text(encoding="utf-8")
    for parameter in query.parameters.values():
        assert parameter.type in ("iri", "string", "date", "integer")
        assert f"?{parameter.name}" in query.text


def test_header_examples_run(store, queries):
    examples = [(q, e) for q in queries.values() for e in q.examples]
    assert examples
    for query, example in examples:
        result = run(store, query, {k: str(v) for k, v in example["params"].items()})
        assert result.columns == run(store, query, {}).columns
    (unanswered,) = queries["unanswered"].examples
    assert answer(store, queries, "unanswered", **unanswered["params"]) == []


def test_sme_participation_says_participations_are_not_firms(queries):
    description = queries["sme-participation"].description
    assert "participations, not distinct firms" in description
    assert "same SME may be counted" in description


def test_header_values_are_read(queries):
    parameter = queries["commitment-actions"].parameters["commitment"]
    assert parameter == Parameter(
        "commitment",
        "iri",
        COMMITMENT,
        False,
        "The commitment (pg:Commitment) the actions respond to.",
    )
    at = queries["unanswered"].parameters["at"]
    assert (at.type, at.default, at.required) == ("date", "2024-02-01", False)
    assert "accountability" in queries["answer-delay"].tags


# ---------------------------------------------------------------------------- exact answers


def test_commitment_actions(store, queries):
    assert answer(store, queries, "commitment-actions") == COMMITMENT_ACTIONS


def test_commitment_actions_of_another_commitment_is_empty(store, queries):
    rows = answer(store, queries, "commitment-actions", commitment=ID + "commitment/none")
    assert rows == []


def test_sme_participation(store, queries):
    assert answer(store, queries, "sme-participation") == SME_PARTICIPATION


def test_answer_delay(store, queries):
    assert answer(store, queries, "answer-delay") == ANSWER_DELAY


def test_unanswered_at_default_date(store, queries):
    assert answer(store, queries, "unanswered") == UNANSWERED_AT_1_FEBRUARY


def test_unanswered_once_answered(store, queries):
    assert answer(store, queries, "unanswered", at="2024-02-12") == []
    day_before = answer(store, queries, "unanswered", at="2024-02-11")
    assert [(r["question"], r["days_waiting"]) for r in day_before] == [
        (ID + "question/wallonia/2023-2024/238", 19)
    ]
    assert answer(store, queries, "unanswered", at="2024-01-22") == []  # not yet asked


def test_quantified_actions(store, queries):
    assert answer(store, queries, "quantified-actions") == QUANTIFIED_ACTIONS


def test_funding_instruments(store, queries):
    assert answer(store, queries, "funding-instruments") == FUNDING_INSTRUMENTS


def test_minister_portfolio(store, queries):
    assert answer(store, queries, "minister-portfolio") == MINISTER_PORTFOLIO


def test_claim_evidence(store, queries):
    assert answer(store, queries, "claim-evidence") == CLAIM_EVIDENCE


def test_claim_evidence_quotes_are_the_source_text(store, queries, built):
    sources = {doc.source for doc in built.documents}
    assert len(sources) == 1
    (source,) = sources
    for row in answer(store, queries, "claim-evidence"):
        assert source[row["start"] : row["end"]] == row["quote"]


def test_strategy_structure(store, queries):
    assert answer(store, queries, "strategy-structure") == STRATEGY_STRUCTURE


def test_direct_cooperation(store, queries):
    assert answer(store, queries, "direct-cooperation") == DIRECT_COOPERATION


def test_results_keep_typed_terms(store, queries):
    result = run(store, queries["answer-delay"], {})
    row = result.rows[0]
    assert row["question"] == URIRef(ID + "question/wallonia/2023-2024/238")
    assert row["question_date"] == Literal("2024-01-23", datatype=XSD.date)
    assert row["days"] == Literal("20", datatype=XSD.integer)


def test_queries_are_deterministic(store, queries):
    for name in TEN:
        first = run(store, queries[name], {})
        second = run(summarised(build().dataset), queries[name], {})
        assert first == second, name


def test_day_counts_are_portable_to_rdflib(store, queries):
    """The Julian-day arithmetic runs unchanged on rdflib's engine, not only on pyoxigraph.

    The queries read the summary graph, so rdflib gets the same quads, summary included (the
    summary's own day counts are checked on rdflib in test_summaries).
    """
    dataset = Dataset(default_union=True)
    for quad in store:
        dataset.graph(from_ox(quad.graph_name)).add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        )
    rows = list(dataset.query(queries["answer-delay"].text))
    assert [(str(r[0]), int(r[3])) for r in rows] == [(ID + "question/wallonia/2023-2024/238", 20)]
    at = Literal("2024-02-11", datatype=XSD.date)
    rows = list(dataset.query(queries["unanswered"].text, initBindings={"at": at}))
    assert [(str(r[1]), int(r[6])) for r in rows] == [(ID + "question/wallonia/2023-2024/238", 19)]


@pytest.fixture(scope="module")
def grown(built):
    """The seed plus a question still waiting and an answer by someone else than the addressee."""
    store = load_store(built.dataset)
    eli = "http://data.europa.eu/eli/ontology#"
    dl = "http://data.europa.eu/eli/eli-draft-legislation-ontology#"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    waiting, answered = ox.NamedNode(ID + "question/x/1"), ox.NamedNode(ID + "question/x/2")
    reply, person = ox.NamedNode(ID + "answer/x/2/1"), ox.NamedNode(ID + "person/someone-else")
    graph = ox.NamedNode("https://w3id.org/parlgraph/graph/test")

    def date(value: str) -> ox.Literal:
        return ox.Literal(value, datatype=ox.NamedNode(str(XSD.date)))

    for s, p, o in [
        (waiting, rdf_type, ox.NamedNode(PG + "WrittenQuestion")),
        (waiting, ox.NamedNode(eli + "date_document"), date("2024-03-01")),
        (answered, rdf_type, ox.NamedNode(PG + "WrittenQuestion")),
        (answered, ox.NamedNode(eli + "date_document"), date("2024-03-02")),
        (reply, rdf_type, ox.NamedNode(PG + "WrittenAnswer")),
        (reply, ox.NamedNode(dl + "answers_to"), answered),
        (reply, ox.NamedNode(eli + "date_document"), date("2024-03-04")),
        (reply, ox.NamedNode("http://purl.org/dc/terms/creator"), person),
        (person, ox.NamedNode("http://xmlns.com/foaf/0.1/name"), ox.Literal("ELSE Someone")),
    ]:
        store.add(ox.Quad(s, p, o, graph))
    refresh_summaries(store, BASE)
    return store


def test_answer_delay_of_a_question_without_answer(grown, queries):
    assert [
        (r["question"], r["answer_date"], r["days"]) for r in answer(grown, queries, "answer-delay")
    ] == [
        (ID + "question/wallonia/2023-2024/238", "2024-02-12", 20),
        (ID + "question/x/1", None, None),
        (ID + "question/x/2", "2024-03-04", 2),
    ]


def test_unanswered_lists_only_waiting_questions(grown, queries):
    rows = answer(grown, queries, "unanswered", at="2024-03-10")
    assert [(r["question"], r["days_waiting"]) for r in rows] == [(ID + "question/x/1", 9)]


def test_minister_portfolio_lists_an_author_without_post(grown, queries):
    rows = answer(grown, queries, "minister-portfolio")
    assert [(r["name"], r["post"], r["competence_count"], r["answers"]) for r in rows] == [
        ("BORSUS Willy", POST, 8, 1),
        ("ELSE Someone", None, None, 1),
    ]


# ---------------------------------------------------------------------------- parameters


def test_iri_parameter_refuses_injection(store, queries):
    before = len(store)
    with pytest.raises(ParameterError, match='parameter "commitment"'):
        run(store, queries["commitment-actions"], {"commitment": "x> } ; DROP ALL ; <y"})
    with pytest.raises(ParameterError, match='parameter "commitment"'):
        run(store, queries["commitment-actions"], {"commitment": "http://a> } ; DROP ALL ; <y"})
    assert len(store) == before


@pytest.fixture(scope="module")
def search() -> StoredQuery:
    return load_query(FIXTURES / "ok-parameters.rq")


def test_string_parameter_is_bound_not_spliced(store, search):
    before = len(store)
    nasty = "x\" } ; DROP ALL ; { ?s ?p ?o } # '\n{}"
    result = run(store, search, {"text": nasty})
    assert result.columns == ["text", "at_least", "day", "thing", "action", "label"]
    assert result.rows == []
    assert len(store) == before
    rows = run(store, search, {"text": "pit"}).records()
    assert [r["action"] for r in rows] == [
        ID + "action/wallonia/2023-2024/qe-238/pit-aeronautique",
        ID + "action/wallonia/2023-2024/qe-238/pit-atmp",
    ]
    assert {(r["text"], r["at_least"], r["day"], r["thing"]) for r in rows} == {
        ("pit", 0, "2024-02-12", None)
    }


@SETTINGS
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_string_is_bound_as_a_value(store, search, text):
    result = run(store, search, {"text": text, "at_least": "100000"})
    assert result.columns == ["text", "at_least", "day", "thing", "action", "label"]
    assert result.rows == []


@SETTINGS
@given(value=st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_an_iri_parameter_is_an_iri_or_refused(store, search, value):
    try:
        result = run(store, search, {"thing": value, "text": "PIT"})
    except ParameterError as err:
        assert 'parameter "thing"' in str(err)
    else:
        assert {row["thing"] for row in result.rows} == {URIRef(value)}


def test_typed_parameters_are_converted(store, search):
    rows = run(store, search, {"at_least": "+40", "day": "2024-03-01", "thing": ID + "x"}).rows
    assert rows
    assert {r["at_least"] for r in rows} == {Literal("40", datatype=XSD.integer)}
    assert {r["day"] for r in rows} == {Literal("2024-03-01", datatype=XSD.date)}
    assert {r["thing"] for r in rows} == {URIRef(ID + "x")}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("day", "2024-02-30"),
        ("day", "01/02/2024"),
        ("day", "20240201"),
        ("at_least", "ten"),
        ("at_least", "1.5"),
        ("thing", "not an iri"),
        ("thing", "relative/path"),
    ],
)
def test_bad_values_name_the_parameter(store, search, name, value):
    with pytest.raises(ParameterError, match=f'parameter "{name}"'):
        run(store, search, {name: value})


def test_unknown_parameter_suggests_the_close_name(store, queries):
    with pytest.raises(ParameterError, match='no parameter "comitment"; did you mean "commitment"'):
        run(store, queries["commitment-actions"], {"comitment": COMMITMENT})
    with pytest.raises(ParameterError, match="takes no parameters"):
        run(store, queries["answer-delay"], {"at": "2024-02-01"})


def test_required_parameter_without_value(store, tmp_path):
    path = tmp_path / "needs.rq"
    path.write_text(
        "#+ title: Needs a value\n"
        "#+ description: A required parameter without a default.\n"
        "#+ parameters:\n"
        "#+   at: {type: date, required: true}\n"
        "SELECT ?at WHERE {}\n",
        encoding="utf-8",
    )
    query = load_query(path)
    with pytest.raises(ParameterError, match='needs parameter "at"'):
        run(store, query, {})
    assert run(store, query, {"at": "2024-02-01"}).records() == [{"at": "2024-02-01"}]


# ---------------------------------------------------------------------------- bad headers


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("bad-unknown-key", 3, 'unknown header key "author"'),
        ("bad-yaml", 2, "invalid YAML header"),
        ("bad-missing-title", 1, '"title"'),
        ("bad-unused-parameter", 4, 'parameter "thing" is not used'),
        ("bad-invalid-sparql", 9, "invalid SPARQL"),
        ("bad-unprojected-parameter", 4, "SELECT projection"),
        ("bad-iri-default", 6, "must be under https://w3id.org/parlgraph/"),
        ("bad-no-header", 1, "no header"),
        ("bad-late-header", 4, "header line after the query"),
        ("bad-parameter-type", 5, "type must be one of"),
        ("bad-example", 6, 'unknown parameter "when"'),
    ],
)
def test_bad_query_files_point_at_the_line(name, line, reason):
    path = FIXTURES / f"{name}.rq"
    with pytest.raises(QueryError) as info:
        load_query(path)
    message = str(info.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert reason in message


def test_a_folder_with_a_bad_query_fails_to_load():
    with pytest.raises(QueryError):
        load_queries(FIXTURES)


def test_missing_folder(tmp_path):
    with pytest.raises(QueryError, match="no such folder"):
        load_queries(tmp_path / "nowhere")


# ---------------------------------------------------------------------------- formats


@pytest.fixture(scope="module")
def delay(store, queries) -> QueryResult:
    return run(store, queries["answer-delay"], {})


def test_to_python_gives_plain_values():
    assert to_python(Literal("20", datatype=XSD.integer)) == 20
    assert to_python(Literal("0.615", datatype=XSD.decimal)) == 0.615
    assert to_python(Literal("true", datatype=XSD.boolean)) is True
    assert to_python(Literal("2024-01-23", datatype=XSD.date)) == "2024-01-23"
    assert to_python(Literal("texte", lang="fr")) == "texte"
    assert to_python(URIRef(ID + "x")) == ID + "x"
    assert to_python(None) is None


def test_to_csv(delay):
    assert to_csv(delay) == (
        "question,question_date,answer_date,days\r\n"
        f"{ID}question/wallonia/2023-2024/238,2024-01-23,2024-02-12,20\r\n"
    )


def test_to_json_is_sparql_results_json(delay):
    document = json.loads(to_json(delay))
    assert document["head"] == {"vars": ["question", "question_date", "answer_date", "days"]}
    assert document["results"]["bindings"] == [
        {
            "question": {"type": "uri", "value": ID + "question/wallonia/2023-2024/238"},
            "question_date": {"type": "literal", "value": "2024-01-23", "datatype": str(XSD.date)},
            "answer_date": {"type": "literal", "value": "2024-02-12", "datatype": str(XSD.date)},
            "days": {"type": "literal", "value": "20", "datatype": str(XSD.integer)},
        }
    ]


def test_to_json_leaves_unbound_out_and_keeps_languages(store, queries):
    document = json.loads(to_json(run(store, queries["sme-participation"], {})))
    heco2 = document["results"]["bindings"][0]
    assert "also_known_as" not in heco2 and "total_beneficiaries" not in heco2
    assert heco2["project_label"] == {"type": "literal", "value": "HECO2", "xml:lang": "fr"}


def test_to_markdown_escapes_pipes_and_breaks():
    result = QueryResult(
        ["name", "count"],
        [
            {"name": Literal("a | b\nc"), "count": Literal("3", datatype=XSD.integer)},
            {"name": None, "count": None},
        ],
    )
    assert to_markdown(result) == (
        "| name | count |\n| --- | ---: |\n| a \\| b<br>c | 3 |\n|  |  |\n"
    )


def test_to_table_renders_every_cell(delay):
    console = Console(width=200, record=True)
    console.print(to_table(delay, "Answer delay"))
    text = console.export_text()
    assert "Answer delay" in text
    assert "2024-01-23" in text and " 20 " in text


def test_to_table_does_not_read_markup():
    result = QueryResult(["x"], [{"x": Literal("[bold]not markup[/bold]")}])
    console = Console(width=80, record=True)
    console.print(to_table(result))
    assert "[bold]not markup[/bold]" in console.export_text()
