"""Authoring aid: writes data/curated/.../qe-238.ttl and data/editorial/.../qe-238.ttl.

Quotes are given as (first words, last words) of the source page so that offsets are
computed, never typed; the test suite then checks source[start:end] == quote for each span.
Rerun after editing the tables below; review the diff of the Turtle like code.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from parlgraph.iris import Iris  # noqa: E402
from parlgraph.parse import read  # noqa: E402

SOURCE = ROOT / "data/sources/wallonia/2023-2024/qe-238.txt"
doc = read(SOURCE)
text = doc.source
iris = Iris("http://base.invalid/")
SESSION, NUMBER = doc.session, doc.number


def rel(iri) -> str:
    return "<" + str(iri).removeprefix("http://base.invalid/") + ">"


def find(first: str, last: str | None = None) -> tuple[int, int]:
    start = text.index(first)
    assert text.count(first) == 1, first
    if last is None:
        return start, start + len(first)
    end = text.index(last, start) + len(last)
    return start, end


question = doc.question
post = iris.post(question.addressee.post)
person = iris.person(question.addressee.family_name, question.addressee.given_name)
MEMBERSHIP = rel(iris.membership(post, person))
ANSWER = rel(iris.answer(SESSION, NUMBER, 1))
SOURCE_IRI = rel(iris.source(SESSION, NUMBER))
decl = iris.declaration(question.commitment.declaration, question.commitment.legislature)
COMMITMENT = rel(iris.commitment(decl, question.commitment.text))
ACTIVITY = f"<id/activity/curation/wallonia/{SESSION}/qe-{NUMBER}>"
PUBLISHER = "<id/organization/parlgraph-editors>"
GOV = "<id/organization/gouvernement-wallon>"


def span_block(start: int, end: int) -> tuple[str, str]:
    span = rel(iris.span(SESSION, NUMBER, start, end))
    quote = text[start:end].replace("\\", "\\\\").replace('"', '\\"')
    s = span[:-1]
    block = (
        f"{span} a oa:SpecificResource ;\n"
        f"    oa:hasSource {SOURCE_IRI} ;\n"
        f"    oa:hasSelector {s}#quote>, {s}#position> .\n"
        f'{s}#quote> a oa:TextQuoteSelector ; oa:exact "{quote}" .\n'
        f"{s}#position> a oa:TextPositionSelector ;\n"
        f'    oa:start "{start}"^^xsd:nonNegativeInteger ;\n'
        f'    oa:end "{end}"^^xsd:nonNegativeInteger .\n'
    )
    return span, block


def annotated(node: str, start: int, end: int, motivation: str) -> str:
    span, block = span_block(start, end)
    ann = node[:-1] + "/annotation>"
    return (
        f"{node} prov:wasDerivedFrom {span} ;\n"
        f"    prov:wasAttributedTo {MEMBERSHIP} ;\n"
        f"    prov:wasGeneratedBy {ACTIVITY} ;\n"
        f"    dct:source {SOURCE_IRI} .\n"
        f"{ann} a oa:Annotation ;\n"
        f"    oa:motivatedBy oa:{motivation} ;\n"
        f"    oa:hasBody {node} ;\n"
        f"    oa:hasTarget {span} ;\n"
        f"    dct:creator {PUBLISHER} .\n" + block
    )


A = f"<id/action/wallonia/{SESSION}/qe-{NUMBER}/"
C = f"<id/claim/wallonia/{SESSION}/qe-{NUMBER}/"

# key, label fr, label en, quote (first, last), involves, instrument or None
ACTIONS = [
    (
        "s3-collaborative-approach",
        "La S3 met l'accent sur l'approche collaborative et sélectionne 19 IIS",
        "The S3 strategy stresses collaboration and selects 19 strategic innovation initiatives",
        ("La nouvelle stratégie de spécialisation intelligente", "la sélection de ces IIS."),
        ["<id/strategy/wallonia/s3>"],
        None,
    ),
    (
        "s3-coordination-cells",
        "Cellules de coordination des DIS associant les pôles de compétitivité et le cluster Tweed",
        "Coordination cells of the innovation domains bringing in the competitiveness clusters"
        " and the Tweed cluster",
        ("Par ailleurs, au travers de la gouvernance de la stratégie", "et le cluster Tweed."),
        [
            "<id/strategy/wallonia/s3>",
            "<id/organization/s3-coordination-cells>",
            "<id/organization/poles-de-competitivite>",
            "<id/organization/cluster-tweed>",
        ],
        None,
    ),
    (
        "s3-call-may-2023",
        "Appel à projets de mai 2023 pour des projets d'innovation collaboratifs"
        " portés par des PME",
        "May 2023 call for collaborative innovation projects led by SMEs",
        ("De manière très concrète, un appel à projets", "la sélection de 17 projets."),
        ["<id/strategy/wallonia/s3>", "<id/call/wallonia/s3-iis-2023-05>"],
        None,
    ),
    (
        "circular-wallonia-value-chains",
        "Circular Wallonia : communauté des coordinateurs des chaînes de valeur",
        "Circular Wallonia: community of value-chain coordinators",
        ("Afin de faciliter les collaborations multiacteurs", "là où cela s’avère pertinent."),
        [
            "<id/strategy/wallonia/circular-wallonia>",
            "<id/organization/communaute-coordinateurs-chaines-de-valeur>",
            "<id/organization/spw-eer>",
        ],
        None,
    ),
    (
        "plan-de-relance-collaboration",
        "Projets du Plan de relance de collaboration majeure entre acteurs économiques (2022-2023)",
        "Recovery Plan projects of major collaboration between economic actors (2022-2023)",
        ("Entre 2022 et 2023, plusieurs projets du Plan de relance", "entre acteurs économiques."),
        ["<id/funding/wallonia/plan-de-relance>"],
        "<id/funding/wallonia/plan-de-relance>",
    ),
    (
        "reverse-metallurgy-plus",
        "Portefeuille Reverse Metallurgy+ (PNRR)",
        "Reverse Metallurgy+ portfolio (national recovery and resilience plan)",
        (
            "Le nouveau portefeuille de projets Reverse Metallurgy",
            "10 PME collaborent à ce projet.",
        ),
        ["<id/project/wallonia/reverse-metallurgy-plus>"],
        "<id/funding/wallonia/pnrr>",
    ),
    (
        "remind",
        "Portefeuille REMIND (construction)",
        "REMIND portfolio (construction)",
        ("Le portefeuille de projets REMIND", "5 PME participent à ce portefeuille de projets."),
        ["<id/project/wallonia/remind>"],
        "<id/funding/wallonia/pnrr>",
    ),
    (
        "heco2",
        "Portefeuille HECO2 (industrie bas carbone, PNRR)",
        "HECO2 portfolio (low-carbon industry, national recovery and resilience plan)",
        (
            "Dans le cadre de ce même PNRR",
            "Plus de 10 PME participent à ce portefeuille de projets.",
        ),
        ["<id/project/wallonia/heco2>"],
        "<id/funding/wallonia/pnrr>",
    ),
    (
        "pit-atmp",
        "Partenariat d'innovation PIT ATMP (médicaments de thérapie innovante)",
        "PIT ATMP innovation partnership (advanced therapy medicinal products)",
        ("Le Partenariat d’Innovation PIT ATMP", "dont 17 PME."),
        ["<id/project/wallonia/pit-atmp>"],
        None,
    ),
    (
        "pit-aeronautique",
        "PIT Aéronautique (PIT WINGS)",
        "Aeronautics innovation partnership (PIT WINGS)",
        ("c’est le cas du PIT Aéronautique", "l’aviation du futur"),
        ["<id/project/wallonia/pit-aeronautique>"],
        None,  # "lancés dans le cadre du Plan de Relance" may only qualify the next item
    ),
    (
        "space-defence-projects",
        "Projets liés au spatial et à la défense (Plan de relance)",
        "Space and defence projects (Recovery Plan)",
        ("de projets liés au spatial et à la défense", "Plan de Relance de la Wallonie."),
        ["<id/project/wallonia/space-defence-plan-de-relance>"],
        "<id/funding/wallonia/plan-de-relance>",
    ),
    (
        "direct-aid",
        "Aides directes : soutien à l'innovation ciblant les PME, aides individuelles ou guichet",
        "Direct aid: innovation support targeting SMEs, individual or counter aid",
        ("En matière d’aides directes", "octroyés depuis 2018."),
        [
            "<id/funding/wallonia/aides-directes>",
            "<id/funding/wallonia/aides-individuelles-guichet>",
        ],
        "<id/funding/wallonia/aides-directes>",
    ),
    (
        "research-decree-cootech",
        "Décret recherche : partenariats avec une PME, coopérations entre entreprises (COOTECH)",
        "Research decree: partnerships with an SME, cooperation between enterprises (COOTECH)",
        ("En matière de partenariats, le décret recherche", "« COOTECH »)."),
        ["<id/legislation/wallonia/decret-recherche>", "<id/funding/wallonia/cootech>"],
        "<id/funding/wallonia/cootech>",
    ),
]

# key, action, about, variable, quote, kind, value, unit fr, extra turtle
CLAIMS = [
    (
        "structuring-strategies",
        None,
        GOV,
        "structuring-strategies",
        ("2 stratégies structurantes",),
        "exact",
        2,
        "stratégies",
        "",
    ),
    (
        "s3-innovation-domains",
        "s3-collaborative-approach",
        "<id/strategy/wallonia/s3>",
        "innovation-domains",
        ("5 domaines d’innovation (DIS)",),
        "exact",
        5,
        "domaines",
        "",
    ),
    (
        "s3-strategic-initiatives",
        "s3-collaborative-approach",
        "<id/strategy/wallonia/s3>",
        "strategic-initiatives",
        ("19 Initiatives d’Innovation Stratégiques (IIS) ont été sélectionnées",),
        "exact",
        19,
        "initiatives",
        "",
    ),
    (
        "s3-call-selected-projects",
        "s3-call-may-2023",
        "<id/call/wallonia/s3-iis-2023-05>",
        "selected-projects",
        ("sélection de 17 projets",),
        "exact",
        17,
        "projets",
        "",
    ),
    (
        "reverse-metallurgy-plus-smes",
        "reverse-metallurgy-plus",
        "<id/project/wallonia/reverse-metallurgy-plus>",
        "sme-participations",
        ("10 PME collaborent à ce projet",),
        "exact",
        10,
        "PME",
        "",
    ),
    (
        "remind-smes",
        "remind",
        "<id/project/wallonia/remind>",
        "sme-participations",
        ("5 PME participent à ce portefeuille de projets",),
        "exact",
        5,
        "PME",
        "",
    ),
    (
        "heco2-smes",
        "heco2",
        "<id/project/wallonia/heco2>",
        "sme-participations",
        ("Plus de 10 PME participent à ce portefeuille de projets",),
        "more-than",
        10,
        "PME",
        "",
    ),
    (
        "pit-atmp-work-packages",
        "pit-atmp",
        "<id/project/wallonia/pit-atmp>",
        "work-packages",
        ("12 workpackages",),
        "exact",
        12,
        "workpackages",
        "",
    ),
    (
        "pit-atmp-beneficiaries",
        "pit-atmp",
        "<id/project/wallonia/pit-atmp>",
        "beneficiaries",
        ("26 bénéficiaires différents",),
        "exact",
        26,
        "bénéficiaires",
        "",
    ),
    (
        "pit-atmp-smes",
        "pit-atmp",
        "<id/project/wallonia/pit-atmp>",
        "sme-participations",
        ("26 bénéficiaires différents, dont 17 PME",),
        "exact",
        17,
        "PME",
        f"    schema:valueReference {C}pit-atmp-beneficiaries> ;\n",
    ),
    (
        "pit-wings-smes",
        "pit-aeronautique",
        "<id/project/wallonia/pit-aeronautique>",
        "sme-participations",
        ("11 PME participent au PIT WINGS",),
        "exact",
        11,
        "PME",
        "",
    ),
    (
        "direct-aid-sme-share",
        "direct-aid",
        "<id/funding/wallonia/aides-individuelles-guichet>",
        "sme-share-of-aid-amounts",
        ("plus de 85% des montants octroyés depuis 2018",),
        "more-than",
        85,
        "%",
        '    schema:unitCode "P1" ;\n    schema:maxValue 100 ;\n'
        '    schema:observationPeriod "2018/.." ;\n',
    ),
]

PREFIXES = """@prefix pg:     <https://w3id.org/parlgraph/def/> .
@prefix dct:    <http://purl.org/dc/terms/> .
@prefix oa:     <http://www.w3.org/ns/oa#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix skos:   <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""


def curated() -> str:
    out = [
        f"# Curated layer of written question {doc.reference}: the actions and figures that the\n"
        "# minister's answer reports, each attributed to his membership of the post and\n"
        "# anchored to"
        " the exact span of the source page. IRIs are relative to the dataset base.\n"
        "# Generated by tools/curate_qe238.py; offsets are computed from the quotes,\n"
        "# never typed.\n",
        PREFIXES,
        f"{ACTIVITY} a prov:Activity ;\n"
        f'    rdfs:label "Curation de la question écrite {doc.reference}"@fr ,\n'
        f'        "Curation of written question {doc.reference}"@en ;\n'
        f"    prov:used {SOURCE_IRI} ;\n"
        f"    prov:wasAssociatedWith {PUBLISHER} .\n",
    ]
    for key, fr, en, quote, involves, instrument in ACTIONS:
        node = f"{A}{key}>"
        lines = [
            f"{node} a pg:ReportedAction ;",
            f'    rdfs:label "{fr}"@fr , "{en}"@en ;',
            f"    pg:reportedIn {ANSWER} ;",
            f"    pg:respondsTo {COMMITMENT} ;",
            "    pg:involves " + " , ".join(involves) + " ;",
        ]
        if instrument:
            lines.append(f"    pg:fundingInstrument {instrument} ;")
        out.append("\n".join(lines)[:-2] + " .\n" + annotated(node, *find(*quote), "describing"))
    for key, action, about, variable, quote, kind, value, unit, extra in CLAIMS:
        node = f"{C}{key}>"
        if kind == "exact":
            figure = f"    schema:value {value} ;\n"
        else:
            inclusive = value + 1 if unit != "%" else value
            figure = f"    pg:exclusiveMinValue {value} ;\n    schema:minValue {inclusive} ;\n"
        body = (
            f"{node} a pg:QuantifiedClaim , schema:Observation ;\n"
            f'    rdfs:label "{text[slice(*find(*quote))]}"@fr ;\n'
            f"    schema:observationAbout {about} ;\n"
            f"    schema:variableMeasured pg:{variable} ;\n"
            f"    pg:boundKind pg:{kind} ;\n{figure}{extra}"
            f'    schema:unitText "{unit}" ;\n'
        )
        if action:
            body += f"    pg:supports {A}{action}> ;\n"
        out.append(body[:-2] + " .\n" + annotated(node, *find(*quote), "describing"))
    return "\n".join(out)


if __name__ == "__main__":
    target = ROOT / "data/curated/wallonia/2023-2024/qe-238.ttl"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(curated(), encoding="utf-8")
    print(target)
