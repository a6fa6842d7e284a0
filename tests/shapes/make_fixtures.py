"""Regenerate the SHACL fixtures of this folder: small graphs, each with exactly one defect.

Every fixture is a few building blocks copied from the seed graph (source page, minister,
question, answer, action, claims, assessment) plus one edit that introduces its defect. The
script writes <name>.ttl (or .trig) and <name>.expected, and checks both halves of the claim
"exactly one defect": the blocks without the edit conform, and with it the report holds the
expected English messages and nothing else. Rerun it when the model or the shapes change:

    .venv/bin/python tests/shapes/make_fixtures.py
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from parlgraph.validate import validate_files

HERE = Path(__file__).resolve().parent
B = "https://w3id.org/parlgraph/id/"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
TEXT_PLAIN = "<https://www.iana.org/assignments/media-types/text/plain>"
DEFECT = "  # DEFECT"
REMOVED = "    # DEFECT: a statement was removed here.\n"

PREFIXES = """@prefix pg:      <https://w3id.org/parlgraph/def/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcat:    <http://www.w3.org/ns/dcat#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix eli:     <http://data.europa.eu/eli/ontology#> .
@prefix eli-dl:  <http://data.europa.eu/eli/eli-draft-legislation-ontology#> .
@prefix epvoc:   <https://data.europarl.europa.eu/def/epvoc#> .
@prefix person:  <http://www.w3.org/ns/person#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <http://schema.org/> .
@prefix oa:      <http://www.w3.org/ns/oa#> .
@prefix cnt:     <http://www.w3.org/2011/content#> .
@prefix spdx:    <http://spdx.org/rdf/terms#> .
"""

# A shortened excerpt of the seed page (same headings, names and figures); offsets point into
# it. It keeps a typographic apostrophe, thin and no-break spaces, so that code-point offsets
# (not bytes) are exercised.
COMMITMENT_TEXT = "la Wallonie renforcera son soutien aux indépendants, coopératives, TPE et PME"
QUESTION_TEXT = (
    "On peut notamment y lire que : «\u2009" + COMMITMENT_TEXT + "\u2009».\n\n    "
    "Quelles ont été les actions du Gouvernement par rapport à cet engagement\u00a0?"
)
ACTION_TEXT = (
    "Le Partenariat d’Innovation PIT ATMP associe 26 bénéficiaires différents, dont 17 PME."
)
ANSWER_TEXT = (
    "Depuis le début de cette législature, j’ai développé avec ce Gouvernement différents "
    "outils. " + ACTION_TEXT
)
PAGE = (
    "/\n\nLa Déclaration de politique régionale sur la coopération entre PME\n\n"
    "  • Session : 2023-2024\n  • Année : 2024\n  • N° : 238 (2023-2024) 1\n\n"
    "  • Question écrite du 23/01/2024\n    • de MUGEMANGANGO Germain\n"
    "    • à BORSUS Willy, Ministre de l'Economie\n    " + QUESTION_TEXT + "\n"
    "  • Réponse du 12/02/2024\n    • de BORSUS Willy\n    " + ANSWER_TEXT + "\n"
)
SMES_TEXT = "26 bénéficiaires différents, dont 17 PME"
TOTAL_TEXT = "26 bénéficiaires différents"  # the start of SMES_TEXT
TITLE = "La Déclaration de politique régionale sur la coopération entre PME"


def at(text: str) -> tuple[int, int]:
    """Code-point offsets of the only occurrence of `text` in the page."""
    start = PAGE.index(text)
    assert PAGE.rindex(text) == start, text
    return start, start + len(text)


def lit(text: str) -> str:
    """A Turtle string; invisible spaces are written as escapes so that a reader sees them."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + out.replace("\u00a0", "\\u00A0").replace("\u2009", "\\u2009") + '"'


def iri(path: str) -> str:
    return f"<{B}{path}>"


def sub(node: str, suffix: str) -> str:
    """An IRI below another one: <…/x> + "/fra" -> <…/x/fra>."""
    return node[:-1] + suffix + ">"


Q = iri("question/wallonia/2023-2024/238")
A = iri("answer/wallonia/2023-2024/238/1")
SRC = iri("source/wallonia/2023-2024/qe-238")
SESSION = iri("session/wallonia/2023-2024")
ASKER = iri("person/mugemangango-germain")
MIN = iri("person/borsus-willy")
POST = iri("post/wallonia/ministre-economie")
GOV = iri("organization/gouvernement-wallon")
MEMB = iri("membership/wallonia/ministre-economie/borsus-willy")
ASKER_MEMB = iri("membership/wallonia/ministre-economie/mugemangango-germain")
ACTION = iri("action/wallonia/2023-2024/qe-238/pit-atmp")
TOTAL = iri("claim/wallonia/2023-2024/qe-238/pit-atmp-beneficiaries")
SMES = iri("claim/wallonia/2023-2024/qe-238/pit-atmp-smes")
PROJECT = iri("project/wallonia/pit-atmp")
VAR_BEN = iri("variable/beneficiaries")
VAR_SME = iri("variable/sme-participations")
ASSESS = iri("assessment/wallonia/2023-2024/qe-238/pit-atmp")
EDITORS = iri("organization/parlgraph-editors")
DECLARATION = iri("declaration/wallonia/dpr-2019-2024")
COMMITMENT_NODE = iri("commitment/wallonia/dpr-2019-2024/a7962c4c9e")
FRENCH = f"<{AUTHORITY}language/FRA>"


def span_iri(start: int, end: int) -> str:
    return iri(f"span/wallonia/2023-2024/qe-238/{start}-{end}")


def span(start: int, end: int) -> str:
    """A span of the page with its quote and position selectors, as the model writes it."""
    node = span_iri(start, end)
    return f"""{node} a oa:SpecificResource ;
    oa:hasSource {SRC} ;
    oa:hasSelector {sub(node, "#quote")} , {sub(node, "#position")} .
{sub(node, "#quote")} a oa:TextQuoteSelector ;
    oa:exact {lit(PAGE[start:end])} .
{sub(node, "#position")} a oa:TextPositionSelector ;
    oa:start "{start}"^^xsd:nonNegativeInteger ;
    oa:end "{end}"^^xsd:nonNegativeInteger .
"""


Q_AT, A_AT, ACT_AT, C_AT, SMES_AT = map(
    at, (QUESTION_TEXT, ANSWER_TEXT, ACTION_TEXT, COMMITMENT_TEXT, SMES_TEXT)
)
TOTAL_AT = (SMES_AT[0], SMES_AT[0] + len(TOTAL_TEXT))
Q_SPAN, A_SPAN, ACT_SPAN = span_iri(*Q_AT), span_iri(*A_AT), span_iri(*ACT_AT)
C_SPAN, TOTAL_SPAN, SMES_SPAN = span_iri(*C_AT), span_iri(*TOTAL_AT), span_iri(*SMES_AT)

SOURCE = f"""# The source page (a shortened excerpt of the seed page), as the parser describes it.
{SRC} a eli:Manifestation , cnt:ContentAsText ;
    eli:media_type {TEXT_PLAIN} ;
    rdfs:label "Page source de la question écrite 238 (2023-2024) 1 (extrait)"@fr ;
    cnt:chars {lit(PAGE)} .
"""

MINISTER = f"""# The minister, his post and his membership of it.
{MIN} a person:Person , foaf:Person ;
    foaf:familyName "BORSUS" ; foaf:givenName "Willy" ; foaf:name "BORSUS Willy" ;
    rdfs:label "BORSUS Willy" .
{POST} a org:Post ;
    rdfs:label "Ministre de l'Economie"@fr ; skos:prefLabel "Ministre de l'Economie"@fr ;
    org:postIn {GOV} ;
    org:heldBy {MIN} .
{GOV} a org:Organization ;
    rdfs:label "Gouvernement wallon"@fr ; skos:prefLabel "Gouvernement wallon"@fr ;
    dcterms:source <https://www.wallonie.be/> .
{MEMB} a org:Membership ;
    rdfs:label "BORSUS Willy, Ministre de l'Economie"@fr ;
    org:member {MIN} ;
    org:organization {POST} ;
    org:memberDuring {sub(MEMB, "#period")} .
{sub(MEMB, "#period")} a dcterms:PeriodOfTime ;
    dcat:startDate "2019-09-13"^^xsd:date .
"""

PARTICIPATIONS = f"{sub(Q, '/participation/author')} , {sub(Q, '/participation/addressee')}"
QUESTION = f"""# The written question, its session, its asker and its addressee.
{Q} a pg:WrittenQuestion , eli:Work ;
    eli:work_type <{AUTHORITY}resource-type/QUEST_WRITTEN> ;
    dcterms:title "{TITLE}"@fr ;
    rdfs:label "Question écrite 238 (2023-2024) 1 : {TITLE}"@fr ;
    dcterms:identifier "238 (2023-2024) 1" ;
    pg:questionNumber 238 ;
    pg:session {SESSION} ;
    eli:date_document "2024-01-23"^^xsd:date ;
    dcterms:creator {ASKER} ;
    epvoc:workHadParticipation {PARTICIPATIONS} ;
    eli:is_realized_by {sub(Q, "/fra")} ;
    schema:text {lit(QUESTION_TEXT)}@fr ;
    pg:textSpan {Q_SPAN} .
{sub(Q, "/participation/author")} a eli-dl:Participation ;
    eli-dl:participation_role <{AUTHORITY}role/AUT> ;
    eli-dl:had_participant_person {ASKER} .
{sub(Q, "/participation/addressee")} a eli-dl:Participation ;
    eli-dl:participation_role <{AUTHORITY}role/ADDRESSEE> ;
    eli-dl:had_participant_person {MIN} ;
    eli-dl:participation_in_name_of {POST} .
{sub(Q, "/fra")} a eli:Expression ;
    eli:realizes {Q} ;
    eli:language {FRENCH} ;
    eli:title "{TITLE}"@fr ;
    eli:is_embodied_by {SRC} .
{span(*Q_AT)}{SESSION} a pg:ParliamentarySession ;
    rdfs:label "Session 2023-2024"@fr ; skos:prefLabel "Session 2023-2024"@fr .
{ASKER} a person:Person , foaf:Person ;
    foaf:familyName "MUGEMANGANGO" ; foaf:givenName "Germain" ; foaf:name "MUGEMANGANGO Germain" ;
    rdfs:label "MUGEMANGANGO Germain" .
"""

COMMITMENT = f"""# The quoted commitment, its declaration, and how the quote was matched.
{Q} eli:refers_to {COMMITMENT_NODE} .
{COMMITMENT_NODE} a pg:Commitment , eli:WorkSubdivision ;
    eli:is_part_of {DECLARATION} ;
    rdfs:label {lit(COMMITMENT_TEXT)}@fr ;
    schema:text {lit(COMMITMENT_TEXT)}@fr ;
    pg:quotedAt {C_SPAN} .
{DECLARATION} a pg:PolicyDeclaration , eli:Work ;
    eli:work_type pg:policy-declaration ;
    dcterms:creator {GOV} ;
    rdfs:label "Déclaration de politique régionale 2019-2024"@fr ;
    dcterms:title "Déclaration de politique régionale 2019-2024"@fr .
{sub(Q, "/commitment-quote")} a oa:Annotation ;
    oa:motivatedBy oa:identifying ;
    oa:hasBody {COMMITMENT_NODE} ;
    oa:hasTarget {C_SPAN} ;
    dcterms:creator {EDITORS} ;
    pg:matchMethod "exact" ;
    pg:matchScore 1.0 .
{span(*C_AT)}"""

ANSWER = f"""# The minister's answer, attributed to his membership of the post.
{A} a pg:WrittenAnswer , eli:Work ;
    eli:work_type pg:written-answer ;
    eli-dl:answers_to {Q} ;
    eli:date_document "2024-02-12"^^xsd:date ;
    dcterms:identifier "238 (2023-2024) 1 R1" ;
    dcterms:title "Réponse à la question écrite 238 (2023-2024) 1"@fr ;
    rdfs:label "Réponse 1 à la question écrite 238 (2023-2024) 1"@fr ;
    dcterms:creator {MIN} ;
    prov:wasAttributedTo {MEMB} ;
    eli:is_realized_by {sub(A, "/fra")} ;
    schema:text {lit(ANSWER_TEXT)}@fr ;
    pg:textSpan {A_SPAN} .
{sub(A, "/fra")} a eli:Expression ;
    eli:realizes {A} ;
    eli:language {FRENCH} ;
    eli:title "Réponse à la question écrite 238 (2023-2024) 1"@fr ;
    eli:is_embodied_by {SRC} .
{span(*A_AT)}"""

ACTION_BLOCK = f"""# An action the answer reports, attributed to the minister, with its span.
{ACTION} a pg:ReportedAction ;
    rdfs:label "Partenariat d'innovation PIT ATMP"@fr , "PIT ATMP innovation partnership"@en ;
    pg:reportedIn {A} ;
    pg:involves {PROJECT} ;
    prov:wasDerivedFrom {ACT_SPAN} ;
    prov:wasAttributedTo {MEMB} .
{sub(ACTION, "/annotation")} a oa:Annotation ;
    oa:motivatedBy oa:describing ;
    oa:hasBody {ACTION} ;
    oa:hasTarget {ACT_SPAN} ;
    dcterms:creator {EDITORS} .
{span(*ACT_AT)}"""

CLAIMS = f"""# Two figures of the answer: 26 beneficiaries, of which 17 SMEs (a part of that total).
{TOTAL} a pg:QuantifiedClaim , schema:Observation ;
    schema:observationAbout {PROJECT} ;
    schema:variableMeasured {VAR_BEN} ;
    pg:boundKind pg:exact ;
    schema:value 26 ;
    schema:unitText "bénéficiaires" ;
    prov:wasDerivedFrom {TOTAL_SPAN} ;
    prov:wasAttributedTo {MEMB} .
{SMES} a pg:QuantifiedClaim , schema:Observation ;
    schema:observationAbout {PROJECT} ;
    schema:variableMeasured {VAR_SME} ;
    pg:boundKind pg:exact ;
    schema:value 17 ;
    schema:valueReference {TOTAL} ;
    schema:unitText "PME" ;
    prov:wasDerivedFrom {SMES_SPAN} ;
    prov:wasAttributedTo {MEMB} .
{VAR_BEN} a schema:StatisticalVariable ;
    rdfs:label "bénéficiaires"@fr , "beneficiaries"@en .
{VAR_SME} a schema:StatisticalVariable ;
    rdfs:label "PME participantes"@fr , "participating SMEs"@en .
{span(*TOTAL_AT)}{span(*SMES_AT)}"""

RATIONALE_FR = '"« 26 bénéficiaires différents, dont 17 PME » : des PME parmi les partenaires."@fr'
RATIONALE_EN = '"26 beneficiaries of which 17 SMEs: SMEs among the partners."@en'
ASSESSMENT = f"""# The publisher's editorial assessment of the action, with its bilingual rationale.
{ASSESS} a pg:EditorialAssessment ;
    pg:assesses {ACTION} ;
    prov:wasAttributedTo {EDITORS} ;
    pg:cooperationLevel pg:smes-among-partners ;
    pg:rationale {RATIONALE_FR} ,
        {RATIONALE_EN} .
"""

PUBLISHER = f"""# The publisher.
{EDITORS} a foaf:Organization , prov:Agent ;
    rdfs:label "Équipe éditoriale parlgraph"@fr , "parlgraph editorial team"@en .
"""

DOCS = [SOURCE, MINISTER, QUESTION]
WITH_COMMITMENT = [*DOCS, COMMITMENT]
FULL = [SOURCE, MINISTER, QUESTION, ANSWER, ACTION_BLOCK]
CLAIM_SET = [SOURCE, MINISTER, CLAIMS]
EDITORIAL = [ASSESSMENT, PUBLISHER]

# Issue 5: an accepted link to EuroVoc 2359 with its provenance, as the links graph states it.
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SME_CONCEPT = "<http://eurovoc.europa.eu/2359>"
LINK_NODE = iri("link/412a7a3bc8")
LINK_ACTIVITY = iri("link-query/7b360ed8799ede1e/2026-11-26")
LINK_QUERY = iri("link-query/7b360ed8799ede1e")
LINK_SOURCE = iri("link-source/eurovoc/2021-06-04")
SME_LABELS = (
    'skos:prefLabel "petites et moyennes entreprises"@fr , "small and medium-sized enterprises"@en'
)
LINK = f"""# An accepted link (data/links/links.lock.tsv) to EuroVoc 2359, with its provenance.
{Q} eli:is_about {SME_CONCEPT} ; dcterms:subject {SME_CONCEPT} .
{SME_CONCEPT} a skos:Concept ;
    {SME_LABELS} .
{LINK_NODE} a <{RDF_NS}Statement> , prov:Entity , pg:Link ;
    <{RDF_NS}subject> {Q} ;
    <{RDF_NS}predicate> eli:is_about ;
    <{RDF_NS}object> {SME_CONCEPT} ;
    pg:linkMethod "alt-label" ;
    pg:linkScore 0.9 ;
    pg:labelSeen "petites et moyennes entreprises"@fr ;
    prov:wasAttributedTo {EDITORS} ;
    prov:wasGeneratedBy {LINK_ACTIVITY} .
{LINK_ACTIVITY} a prov:Activity ;
    rdfs:label "Recherche de liens eurovoc du 2026-11-26"@fr ,
        "eurovoc link search of 2026-11-26"@en ;
    prov:wasAssociatedWith {EDITORS} ;
    prov:used {LINK_QUERY} , <http://127.0.0.1:17878/query> , {LINK_SOURCE} ;
    dcterms:date "2026-11-26"^^xsd:date .
{LINK_QUERY} a prov:Entity , pg:LinkQuery ;
    dcterms:identifier "sha256:7b360ed8799ede1e179755dbd89174cca3f3d4acb96758d7a02609d83056552f" .
"""
LINKED = [*DOCS, LINK, PUBLISHER]
POS = "^^xsd:nonNegativeInteger"
TOTAL_POSITION = f'oa:start "{TOTAL_AT[0]}"{POS} ;\n    oa:end "{TOTAL_AT[1]}"'
TOTAL_QUOTE, TOTAL_POSITION_NODE = sub(TOTAL_SPAN, "#quote"), sub(TOTAL_SPAN, "#position")
SMES_CLAIM_BOUND = "    pg:boundKind pg:exact ;\n    schema:value 17 ;"


@dataclass
class Fixture:
    """One defect: `edits` (old -> new, each old text unique) and `extra` text to append."""

    what: str
    blocks: list[str]
    edits: list[tuple[str, str]]
    expected: list[str]
    extra: str = ""
    named_graph: str | None = None  # write TriG, everything in this graph


FIXTURES: dict[str, Fixture] = {
    # ------------------------------------------------------------ links to EU graphs (issue 5)
    "link-method-unknown": Fixture(
        "a link whose method is not one the lock file allows",
        LINKED,
        [('pg:linkMethod "alt-label"', 'pg:linkMethod "guess"')],
        ["A link has exactly one method (pg:linkMethod)"],
    ),
    "link-score-above-one": Fixture(
        "a link score of 1.5, outside [0, 1]",
        LINKED,
        [("pg:linkScore 0.9 ;", "pg:linkScore 1.5 ;")],
        ["A link has exactly one score (pg:linkScore)"],
    ),
    "link-triple-not-stated": Fixture(
        "a link record whose eli:is_about triple the graph does not state",
        LINKED,
        [
            (
                f"{Q} eli:is_about {SME_CONCEPT} ; dcterms:subject {SME_CONCEPT} .",
                f"{Q} dcterms:subject {SME_CONCEPT} .",
            )
        ],
        ["that the graph does not state"],
    ),
    "link-target-without-label": Fixture(
        "a link target without the preferred labels of its snapshot",
        LINKED,
        [
            (
                f"{SME_CONCEPT} a skos:Concept ;\n    {SME_LABELS} .",
                f"{SME_CONCEPT} a skos:Concept .",
            )
        ],
        ["has no preferred label: its snapshot is missing"],
    ),
    "same-as-without-review": Fixture(
        "an owl:sameAs that no accepted link stands behind",
        LINKED,
        [],
        ["owl:sameAs to https://example.org/person/germain-mugemangango without a reviewed link"],
        extra=(
            f"{ASKER} <http://www.w3.org/2002/07/owl#sameAs> "
            "<https://example.org/person/germain-mugemangango> .  # DEFECT\n"
        ),
    ),
    # ------------------------------------------------------------ documents and dates
    "answer-before-question": Fixture(
        "the answer is dated 12 January 2024, before the question (23 January 2024)",
        FULL[:4],
        [('eli:date_document "2024-02-12"', 'eli:date_document "2024-01-12"')],
        ["before the question it answers"],
    ),
    "answer-outside-membership": Fixture(
        "the membership starts on 1 March 2024, after the answer it is credited with",
        FULL[:4],
        [('dcat:startDate "2019-09-13"', 'dcat:startDate "2024-03-01"')],
        ["outside the period of the membership it is attributed to"],
    ),
    "answer-without-question": Fixture(
        "the answer does not say which question it answers",
        FULL[:4],
        [(f"    eli-dl:answers_to {Q} ;\n", "")],
        ["An answer answers exactly one question"],
    ),
    "answer-without-author": Fixture(
        "the answer names no author",
        FULL[:4],
        [(f"    dcterms:creator {MIN} ;\n    prov:wasAttributedTo", "    prov:wasAttributedTo")],
        ["An answer has exactly one author"],
    ),
    "date-with-time-part": Fixture(
        "the question date carries a time, which xsd:date parsers silently accept",
        DOCS,
        [('eli:date_document "2024-01-23"', 'eli:date_document "2024-01-23T10:00:00"')],
        ["must be an xsd:date written YYYY-MM-DD"],
    ),
    "question-without-date": Fixture(
        "the question has no eli:date_document",
        DOCS,
        [('    eli:date_document "2024-01-23"^^xsd:date ;\n', "")],
        ["Exactly one document date (eli:date_document) is required"],
    ),
    "question-with-two-askers": Fixture(
        "the question names two askers",
        DOCS,
        [(f"dcterms:creator {ASKER} ;", f"dcterms:creator {ASKER} , {MIN} ;")],
        ["A written question has exactly one asker"],
    ),
    "question-without-addressee": Fixture(
        "the question names no addressee",
        DOCS,
        [(f" , {sub(Q, '/participation/addressee')} ;", " ;")],
        ["A written question has exactly one addressee"],
    ),
    "question-number-zero": Fixture(
        "the question is numbered 0",
        DOCS,
        [("pg:questionNumber 238 ;", "pg:questionNumber 0 ;")],
        ["a positive integer"],
    ),
    "question-title-without-french": Fixture(
        "the question title is tagged @en only",
        DOCS,
        [
            (
                f'dcterms:title "{TITLE}"@fr',
                'dcterms:title "The Regional Policy Declaration on cooperation between SMEs"@en',
            )
        ],
        ["A French title (dcterms:title) is required"],
    ),
    "question-text-in-english": Fixture(
        "the question's verbatim text is tagged @en",
        DOCS,
        [(f"schema:text {lit(QUESTION_TEXT)}@fr", f"schema:text {lit(QUESTION_TEXT)}@en")],
        ["Exactly one text (schema:text) is required, tagged @fr"],
    ),
    "blank-node-question": Fixture(
        "the question is a blank node, so nobody can cite it",
        DOCS,
        [
            (f"{Q} a pg:WrittenQuestion", "_:question a pg:WrittenQuestion"),
            (f"eli:realizes {Q} ;", "eli:realizes _:question ;"),
        ],
        ["A written question must be identified by an IRI, never by a blank node"],
    ),
    "text-differs-from-span": Fixture(
        "the answer's text is not the quote of its span",
        FULL[:4],
        [
            (
                f"schema:text {lit(ANSWER_TEXT)}@fr",
                f"schema:text {lit(ANSWER_TEXT.replace('17 PME', '18 PME'))}@fr",
            )
        ],
        ["differs from the quote (oa:exact) of its span"],
    ),
    "session-label-in-german": Fixture(
        "the session's only label is tagged @de",
        DOCS,
        [('rdfs:label "Session 2023-2024"@fr', 'rdfs:label "Sitzung 2023-2024"@de')],
        ["A French label (rdfs:label) is required"],
    ),
    "expression-without-language": Fixture(
        "the question's expression has no language",
        DOCS,
        [(f'    eli:language {FRENCH} ;\n    eli:title "{TITLE}"', f'    eli:title "{TITLE}"')],
        ["An expression has exactly one language"],
    ),
    "manifestation-without-media-type": Fixture(
        "the source page has no media type",
        CLAIM_SET,
        [(f"    eli:media_type {TEXT_PLAIN} ;\n", "")],
        ["A manifestation has exactly one media type"],
    ),
    "checksum-mismatch": Fixture(
        "the declared SHA-256 checksum is not that of the text",
        CLAIM_SET,
        [],
        ["is not that of the text (cnt:chars)"],
        extra=f"""
# DEFECT: a checksum that does not match cnt:chars.
{SRC} spdx:checksum {sub(SRC, "#sha256")} .
{sub(SRC, "#sha256")} a spdx:Checksum ;
    spdx:algorithm spdx:checksumAlgorithm_sha256 ;
    spdx:checksumValue "{"0" * 64}"^^xsd:hexBinary .
""",
    ),
    # ------------------------------------------------------------ people and posts
    "person-without-family-name": Fixture(
        "the asker has no family name",
        DOCS,
        [
            (
                'foaf:familyName "MUGEMANGANGO" ; foaf:givenName "Germain" ;',
                'foaf:givenName "Germain" ;',
            )
        ],
        ["A person has exactly one family name"],
    ),
    "post-without-government": Fixture(
        "the post belongs to no organisation",
        DOCS,
        [(f"    org:postIn {GOV} ;\n", "")],
        ["A post exists in exactly one organisation"],
    ),
    "membership-without-member": Fixture(
        "the membership names no member",
        CLAIM_SET,
        [(f"    org:member {MIN} ;\n", "")],
        ["A membership has exactly one member"],
    ),
    # ------------------------------------------------------------ commitments
    "commitment-quote-differs": Fixture(
        "the commitment's text is not its quote, though the match is declared exact",
        WITH_COMMITMENT,
        [
            (
                f"    schema:text {lit(COMMITMENT_TEXT)}@fr ;",
                f"    schema:text {lit(COMMITMENT_TEXT.replace('indépendants, ', ''))}@fr ;",
            )
        ],
        ["no normalised or fuzzy match is declared"],
    ),
    "commitment-without-declaration": Fixture(
        "the commitment is part of no declaration",
        WITH_COMMITMENT,
        [(f"    eli:is_part_of {DECLARATION} ;\n", "")],
        ["A commitment is part of exactly one policy declaration"],
    ),
    "declaration-without-author": Fixture(
        "the policy declaration has no author",
        WITH_COMMITMENT,
        [(f"    dcterms:creator {GOV} ;\n    rdfs:label", "    rdfs:label")],
        ["A policy declaration has exactly one author"],
    ),
    "match-score-above-one": Fixture(
        "a match score of 1.5, outside [0, 1]",
        WITH_COMMITMENT,
        [("pg:matchScore 1.0 .", "pg:matchScore 1.5 .")],
        ["match score (pg:matchScore), an xsd:decimal between 0 and 1"],
    ),
    # ------------------------------------------------------------ spans
    "span-outside-source": Fixture(
        "the span of the total ends at 4000, beyond the end of the source text",
        CLAIM_SET,
        [(f'oa:end "{TOTAL_AT[1]}"^^', 'oa:end "4000"^^')],
        ["Span outside its source"],
    ),
    "span-start-after-end": Fixture(
        "the span of the total starts after it ends",
        CLAIM_SET,
        [(TOTAL_POSITION, f'oa:start "{TOTAL_AT[1]}"{POS} ;\n    oa:end "{TOTAL_AT[0]}"')],
        ["Span outside its source"],
    ),
    "span-negative-start": Fixture(
        "a position selector starts at -1, not a non-negative integer",
        CLAIM_SET,
        [(TOTAL_POSITION, f'oa:start "-1"{POS} ;\n    oa:end "{TOTAL_AT[1]}"')],
        [
            "has exactly one start (oa:start), typed xsd:nonNegativeInteger",
            "Span outside its source",
        ],
    ),
    "span-quote-mismatch": Fixture(
        "the quote says 25 beneficiaries where the source text at those positions says 26",
        CLAIM_SET,
        [(f'oa:exact "{TOTAL_TEXT}"', f'oa:exact "{TOTAL_TEXT.replace("26", "25")}"')],
        ["is not the source text between positions"],
    ),
    "empty-quote": Fixture(
        "the quote selector of the total quotes nothing",
        CLAIM_SET,
        [(f'oa:exact "{TOTAL_TEXT}"', 'oa:exact ""')],
        ["a non-empty string without language tag", "is not the source text between positions"],
    ),
    "span-with-two-position-selectors": Fixture(
        "the span of the total has a second position selector",
        CLAIM_SET,
        [],
        ["A span has exactly one position selector"],
        extra=f"""
# DEFECT: a second position selector on the span of the total.
{TOTAL_SPAN} oa:hasSelector {sub(TOTAL_SPAN, "#position2")} .
{sub(TOTAL_SPAN, "#position2")} a oa:TextPositionSelector ;
    {TOTAL_POSITION}{POS} .
""",
    ),
    "span-without-quote-selector": Fixture(
        "the span of the total has no quote selector",
        CLAIM_SET,
        [
            (
                f"    oa:hasSelector {TOTAL_QUOTE} , {TOTAL_POSITION_NODE} .",
                f"    oa:hasSelector {TOTAL_POSITION_NODE} .",
            )
        ],
        ["A span has exactly one quote selector"],
    ),
    "span-source-not-text": Fixture(
        "the span's source is not the text content of a page",
        CLAIM_SET,
        [
            (
                f"{TOTAL_SPAN} a oa:SpecificResource ;\n    oa:hasSource {SRC} ;",
                f"{TOTAL_SPAN} a oa:SpecificResource ;\n"
                "    oa:hasSource <https://www.parlement-wallonie.be/> ;",
            )
        ],
        ["A span has exactly one source (oa:hasSource), typed cnt:ContentAsText"],
    ),
    # ------------------------------------------------------------ quantified claims
    "smes-more-than-beneficiaries": Fixture(
        "27 SMEs out of 26 beneficiaries: a part larger than its total",
        CLAIM_SET,
        [("schema:value 17 ;", "schema:value 27 ;")],
        ["A part cannot exceed its total"],
    ),
    "part-and-total-different-subjects": Fixture(
        "the total is about another project than its part",
        CLAIM_SET,
        [
            (
                f"    schema:observationAbout {PROJECT} ;\n    schema:variableMeasured {VAR_BEN}",
                f"    schema:observationAbout {iri('project/wallonia/pit-aeronautique')} ;\n"
                f"    schema:variableMeasured {VAR_BEN}",
            )
        ],
        ["but its total"],
    ),
    "curated-claim-without-subject": Fixture(
        "the SME claim, curated (no pg:extractionMethod), has no schema:observationAbout",
        CLAIM_SET,
        [
            (
                f"    schema:observationAbout {PROJECT} ;\n    schema:variableMeasured {VAR_SME}",
                f"    schema:variableMeasured {VAR_SME}",
            )
        ],
        ["A quantified claim is about exactly one subject"],
    ),
    "claim-without-span": Fixture(
        "the total claim has no prov:wasDerivedFrom",
        CLAIM_SET,
        [(f"    prov:wasDerivedFrom {TOTAL_SPAN} ;\n", "")],
        ["Must be derived from at least one span"],
    ),
    "claim-without-attribution": Fixture(
        "the SME claim is attributed to nobody",
        CLAIM_SET,
        [
            (
                f"    prov:wasDerivedFrom {SMES_SPAN} ;\n    prov:wasAttributedTo {MEMB} .",
                f"    prov:wasDerivedFrom {SMES_SPAN} .\n"
                "    # DEFECT: prov:wasAttributedTo was removed here.",
            )
        ],
        ["Must be attributed to exactly one membership"],
    ),
    "claim-with-value-and-bound": Fixture(
        "the SME claim states both an exact value and a lower bound",
        CLAIM_SET,
        [("    schema:value 17 ;\n", "    schema:value 17 ;\n    schema:minValue 17 ;\n")],
        ["either a value (schema:value) or a lower bound (schema:minValue)"],
    ),
    "claim-value-as-string": Fixture(
        "the SME count is a string, not a number",
        CLAIM_SET,
        [("schema:value 17 ;", 'schema:value "17" ;')],
        ["has at most one value (schema:value), a number"],
    ),
    "claim-variable-untyped": Fixture(
        "the SME claim measures an IRI that is not a statistical variable",
        CLAIM_SET,
        [
            (
                f"    schema:variableMeasured {VAR_SME} ;",
                f"    schema:variableMeasured {iri('variable/smes')} ;",
            )
        ],
        ["measures exactly one variable"],
    ),
    "claim-unknown-bound-kind": Fixture(
        "the SME claim uses a bound kind outside pg:BoundKinds",
        CLAIM_SET,
        [(SMES_CLAIM_BOUND, "    pg:boundKind pg:roughly ;\n    schema:value 17 ;")],
        ["exactly one kind of bound"],
    ),
    "claim-without-unit": Fixture(
        "the SME claim has no unit",
        CLAIM_SET,
        [('    schema:unitText "PME" ;\n', "")],
        ["exactly one unit (schema:unitText)"],
    ),
    "variable-without-french-label": Fixture(
        "the SME variable is labelled in English only",
        CLAIM_SET,
        [
            (
                'rdfs:label "PME participantes"@fr , "participating SMEs"@en',
                'rdfs:label "participating SMEs"@en',
            )
        ],
        ["A French label (rdfs:label) is required"],
    ),
    "exact-bound-without-value": Fixture(
        "the total is said to be exact but only gives a lower bound",
        CLAIM_SET,
        [("    schema:value 26 ;\n", "    schema:minValue 26 ;\n")],
        ["Bound kind pg:exact without a value"],
    ),
    "more-than-without-exclusive-bound": Fixture(
        "a 'more than' claim without pg:exclusiveMinValue",
        CLAIM_SET,
        [(SMES_CLAIM_BOUND, "    pg:boundKind pg:more-than ;\n    schema:minValue 17 ;")],
        ["Bound kind pg:more-than needs"],
    ),
    "more-than-min-below-exclusive": Fixture(
        "'more than 17' with an inclusive lower bound of 16",
        CLAIM_SET,
        [
            (
                SMES_CLAIM_BOUND,
                "    pg:boundKind pg:more-than ;\n"
                "    pg:exclusiveMinValue 17 ;\n    schema:minValue 16 ;",
            )
        ],
        ["Bound kind pg:more-than needs"],
    ),
    "at-least-without-min-value": Fixture(
        "an 'at least' claim that gives an exact value instead of a lower bound",
        CLAIM_SET,
        [(SMES_CLAIM_BOUND, "    pg:boundKind pg:at-least ;\n    schema:value 17 ;")],
        ["Bound kind pg:at-least without a lower bound"],
    ),
    "approximate-without-range": Fixture(
        "an approximate claim with a lower bound but no upper bound",
        CLAIM_SET,
        [(SMES_CLAIM_BOUND, "    pg:boundKind pg:approximate ;\n    schema:minValue 15 ;")],
        ["Bound kind pg:approximate needs a range"],
    ),
    "exclusive-bound-not-more-than": Fixture(
        "an exact claim that also carries pg:exclusiveMinValue",
        CLAIM_SET,
        [("    schema:value 17 ;\n", "    schema:value 17 ;\n    pg:exclusiveMinValue 16 ;\n")],
        ["while the bound kind is not pg:more-than"],
    ),
    "min-above-max": Fixture(
        "an approximate range whose lower bound exceeds its upper bound",
        CLAIM_SET,
        [
            (
                SMES_CLAIM_BOUND,
                "    pg:boundKind pg:approximate ;\n"
                "    schema:minValue 20 ;\n    schema:maxValue 15 ;",
            )
        ],
        ["cannot exceed the upper bound"],
    ),
    # ------------------------------------------------------------ reported actions
    "action-without-answer": Fixture(
        "the action does not say which answer reports it",
        FULL,
        [(f"    pg:reportedIn {A} ;\n", "")],
        ["An action is reported in exactly one answer"],
    ),
    "action-attributed-to-asker": Fixture(
        "the action is attributed to a membership of the asker, not of the answer's author",
        FULL,
        [
            (
                f"    prov:wasDerivedFrom {ACT_SPAN} ;\n    prov:wasAttributedTo {MEMB} .",
                f"    prov:wasDerivedFrom {ACT_SPAN} ;\n    prov:wasAttributedTo {ASKER_MEMB} .",
            )
        ],
        ["which is not a membership of the author of the answer"],
        extra=f"""
# DEFECT (with the attribution above): a membership of the asker, credited with the action.
{ASKER_MEMB} a org:Membership ;
    rdfs:label "MUGEMANGANGO Germain, Ministre de l'Economie"@fr ;
    org:member {ASKER} ;
    org:organization {POST} .
""",
    ),
    "action-span-outside-answer": Fixture(
        "the action is derived from (and annotated on) the question's span, outside the answer",
        FULL,
        [
            (f"    prov:wasDerivedFrom {ACT_SPAN} ;", f"    prov:wasDerivedFrom {Q_SPAN} ;"),
            (f"    oa:hasTarget {ACT_SPAN} ;", f"    oa:hasTarget {Q_SPAN} ;"),
        ],
        ["is not inside the text of the answer"],
    ),
    "annotation-target-not-derivation": Fixture(
        "the annotation targets the question's span, which the action was not derived from",
        FULL,
        [(f"    oa:hasTarget {ACT_SPAN} ;", f"    oa:hasTarget {Q_SPAN} ;")],
        ["which its body"],
    ),
    "annotation-without-body": Fixture(
        "the action's annotation has no body",
        FULL,
        [(f"    oa:hasBody {ACTION} ;\n", "")],
        ["An annotation has exactly one body"],
    ),
    # ------------------------------------------------------------ editorial assessments
    "assessment-attributed-to-minister": Fixture(
        "the editorial assessment is attributed to the minister's membership",
        [MINISTER, *EDITORIAL],
        [(f"prov:wasAttributedTo {EDITORS} ;", f"prov:wasAttributedTo {MEMB} ;")],
        ["never to a minister's membership", "typed prov:Agent: the publisher"],
    ),
    "assessment-attributed-to-answer-author": Fixture(
        "the editorial assessment is attributed to the minister who wrote the answer",
        [*FULL, *EDITORIAL],
        [(f"prov:wasAttributedTo {EDITORS} ;", f"prov:wasAttributedTo {MIN} ;")],
        ["the author (or their membership) of the answer it assesses", "typed prov:Agent"],
    ),
    "rationale-without-english": Fixture(
        "the rationale is given in French only",
        EDITORIAL,
        [(f" ,\n        {RATIONALE_EN}", "")],
        ["rationale in English (@en) too"],
    ),
    "cooperation-level-unknown": Fixture(
        "the cooperation level is not one of pg:CooperationLevels",
        EDITORIAL,
        [("pg:cooperationLevel pg:smes-among-partners", "pg:cooperationLevel pg:exact")],
        ["exactly one cooperation level"],
    ),
    "rationale-in-german": Fixture(
        "a third rationale, tagged @de, in the editorial named graph",
        EDITORIAL,
        [
            (
                f" ,\n        {RATIONALE_EN}",
                f" ,\n        {RATIONALE_EN} ,\n        # DEFECT: a third rationale, in German.\n"
                '        "26 Begünstigte, davon 17 KMU."@de',
            )
        ],
        ["is a text tagged @fr or @en"],
        named_graph="https://w3id.org/parlgraph/graph/editorial",
    ),
}


def compose(fixture: Fixture, defective: bool) -> str:
    """The blocks, with the fixture's edits (each marked # DEFECT) when `defective`."""
    body = "\n".join(fixture.blocks)
    for old, new in fixture.edits:
        assert body.count(old) == 1, f"not exactly once: {old!r}"
        if defective:
            body = body.replace(old, _marked(old, new))
    lines = body.split("\n")
    lines = [line.replace("\x00", "") + DEFECT if "\x00" in line else line for line in lines]
    body = "\n".join(lines) + (fixture.extra if defective else "")
    if fixture.named_graph is None:
        return PREFIXES + "\n" + body
    indented = "\n".join("    " + line if line else line for line in body.splitlines())
    return PREFIXES + f"\n<{fixture.named_graph}> {{\n{indented}\n}}\n"


def _marked(old: str, new: str) -> str:
    """`new`, with a \\x00 at the start of the first changed line, or a removal comment."""
    if "# DEFECT" in new:
        return new
    if not new:
        return REMOVED
    if old.endswith(new) and old[: -len(new)].endswith("\n"):
        return REMOVED + new
    olds, news = old.split("\n"), new.split("\n")
    changed = next(
        (i for i, (a, b) in enumerate(zip(olds, news, strict=False)) if a != b),
        min(len(olds), len(news)),
    )
    changed = min(changed, len(news) - 1)
    news[changed] = "\x00" + news[changed]
    return "\n".join(news)


def header(name: str, fixture: Fixture) -> str:
    return (
        f"# Fixture {name}: one defect, {fixture.what}.\n"
        "# A small self-contained graph with absolute IRIs, copied from the seed graph (the\n"
        "# source text is a shortened excerpt of the seed page; offsets point into it).\n"
        f"# Made by make_fixtures.py; {name}.expected lists the English message(s) it raises.\n"
    )


def check(path: Path, expected: list[str]) -> None:
    """No expected messages: the graph conforms. Otherwise: those messages and no others."""
    report = validate_files([path], base=B)
    if not expected:
        assert report.conforms and not report.results, f"{path}\n{report.to_text()}"
        return
    assert not report.conforms, path
    english = [r.messages.get("en", "") for r in report.results]
    for line in expected:
        assert any(line in m for m in english), f"{path}: no {line!r}\n{report.to_text()}"
    for message in english:
        assert any(line in message for line in expected), f"{path}: unexpected {message!r}"


def main() -> None:
    for stale in [*HERE.glob("*.ttl"), *HERE.glob("*.trig"), *HERE.glob("*.expected")]:
        stale.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        for name, fixture in sorted(FIXTURES.items()):
            suffix = ".ttl" if fixture.named_graph is None else ".trig"
            clean = Path(tmp) / f"{name}{suffix}"
            clean.write_text(compose(fixture, defective=False), encoding="utf-8")
            check(clean, [])
            path = HERE / f"{name}{suffix}"
            path.write_text(header(name, fixture) + "\n" + compose(fixture, True), "utf-8")
            (HERE / f"{name}.expected").write_text("\n".join(fixture.expected) + "\n", "utf-8")
            check(path, fixture.expected)
            print(f"ok {path.name}")


if __name__ == "__main__":
    main()
