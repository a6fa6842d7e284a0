"""Turn a parsed Document into RDF: the layer of the graph that the parser derives.

What an answer *reports* (strategies, projects, figures) is curated separately in data/;
this module only states what the page itself structurally says: who asked whom, when,
in which post, with which competences, quoting which commitment, and where each text is.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from rdflib import Graph, Literal, URIRef

from .iris import Iris
from .parse import Addressee, Answer, Commitment, Document, Person
from .people import Identity, PeopleOverrides
from .portfolio import split_post
from .resolve import CommitmentIndex, CommitmentMatch
from .terms import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SKOS, XSD
from .vocab import (
    AT,
    CNT,
    ELI,
    ELI_DL,
    EPVOC,
    OA,
    PERSON,
    PG,
    SCHEMA,
    SPDX,
    bind_prefixes,
    labels_fr_en,
    literal,
)

FRENCH = AT["language/FRA"]
TEXT_PLAIN = URIRef("https://www.iana.org/assignments/media-types/text/plain")
ROLE_AUTHOR = AT["role/AUT"]
ROLE_ADDRESSEE = AT["role/ADDRESSEE"]
WRITTEN_QUESTION_TYPE = AT["resource-type/QUEST_WRITTEN"]


def _fr(text: str) -> Literal:
    return literal(text, lang="fr")


def _date(value) -> Literal:
    return literal(value.isoformat(), datatype=XSD.date)


class DocumentModel:
    """Builds the named graph of one source document."""

    def __init__(
        self,
        doc: Document,
        iris: Iris,
        commitments: CommitmentIndex | None = None,
        people: PeopleOverrides | None = None,
    ) -> None:
        self.doc, self.iris, self.commitments = doc, iris, commitments
        self.people = people or PeopleOverrides()
        self.triples: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
        # Descriptions of nodes that many pages name (people, posts, memberships, competences,
        # sessions): the build states them once, in the entities graph, not in every page.
        self.shared: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
        self.session, self.number = doc.session, doc.number
        self.source = iris.source(doc.session, doc.number)
        self.question = iris.question(doc.session, doc.number)
        self.government = iris.organisation("gouvernement-wallon")
        self.parliament = iris.organisation("parlement-de-wallonie")

    def add(self, s, p, o) -> None:
        self.triples.append((s, p, o))

    def share(self, s, p, o) -> None:
        self.shared.append((s, p, o))

    def collect(self) -> tuple[list[tuple], list[tuple]]:
        """The page's own triples and its shared descriptions, in a stable order, each once."""
        self._source()
        self._session()
        self._question()
        for index, answer in enumerate(self.doc.answers, start=1):
            self._answer(index, answer)
        return list(dict.fromkeys(self.triples)), list(dict.fromkeys(self.shared))

    # ------------------------------------------------------------------ source page
    def _source(self) -> None:
        g, src, text = self, self.source, self.doc.source
        g.add(src, RDF.type, ELI.Manifestation)
        g.add(src, RDF.type, CNT.ContentAsText)
        g.add(src, ELI.media_type, TEXT_PLAIN)
        g.add(src, DCTERMS["format"], AT["file-type/TXT"])
        g.add(src, RDFS.label, _fr(f"Page source de la question écrite {self.doc.reference}"))
        g.add(src, CNT.chars, literal(text))
        g.add(src, CNT.characterEncoding, literal("UTF-8"))
        g.add(
            src, DCAT.byteSize, literal(len(text.encode("utf-8")), datatype=XSD.nonNegativeInteger)
        )
        checksum = URIRef(f"{src}#sha256")
        g.add(src, SPDX.checksum, checksum)
        g.add(checksum, RDF.type, SPDX.Checksum)
        g.add(checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        g.add(checksum, SPDX.checksumValue, literal(digest, datatype=XSD.hexBinary))

    def _span(self, start: int, end: int) -> URIRef:
        span, triples = span_triples(
            self.iris, self.session, self.number, start, end, self.doc.source[start:end]
        )
        self.triples += triples
        return span

    # ------------------------------------------------------------------ question
    def _session(self) -> None:
        session = self.iris.session(self.session)
        self.share(session, RDF.type, PG.ParliamentarySession)
        self.share(session, SKOS.prefLabel, _fr(f"Session {self.session}"))
        self.share(session, RDFS.label, _fr(f"Session {self.session}"))

    def _work_text(self, work: URIRef, text: str, span: tuple[int, int], title: str) -> None:
        expression = self.iris.expression(work)
        self.add(work, ELI.is_realized_by, expression)
        self.add(expression, RDF.type, ELI.Expression)
        self.add(expression, ELI.realizes, work)
        self.add(expression, ELI.language, FRENCH)
        self.add(expression, ELI.title, _fr(title))
        self.add(expression, ELI.is_embodied_by, self.source)
        self.add(self.source, ELI.embodies, expression)
        self.add(work, SCHEMA.text, _fr(text))
        self.add(work, PG.textSpan, self._span(*span))

    def _question(self) -> None:
        doc, q, qn = self.doc, self.question, self.doc.question
        self.add(q, RDF.type, PG.WrittenQuestion)
        self.add(q, RDF.type, ELI.Work)
        self.add(q, ELI.work_type, WRITTEN_QUESTION_TYPE)
        self.add(q, DCTERMS.title, _fr(doc.title))
        self.add(q, RDFS.label, _fr(f"Question écrite {doc.reference} : {doc.title}"))
        self.add(q, DCTERMS.identifier, literal(doc.reference))
        self.add(q, PG.questionNumber, literal(doc.number, datatype=XSD.integer))
        self.add(q, PG.session, self.iris.session(doc.session))
        self.add(q, ELI.date_document, _date(qn.date))
        self.add(q, DCTERMS.publisher, self.parliament)
        asker = self._person(qn.asker, qn.date)
        self.add(q, DCTERMS.creator, asker)
        author = self._participation(q, "author", ROLE_AUTHOR, asker, _name(qn.asker))
        minister, post, _ = self._minister(qn.addressee, qn.date)
        addressee = self._participation(
            q, "addressee", ROLE_ADDRESSEE, minister, _name(qn.addressee)
        )
        self.add(addressee, ELI_DL.participation_in_name_of, post)
        self._submission(q, qn.date, [author, addressee])
        self._work_text(q, qn.text, qn.span, doc.title)
        if qn.commitment is not None:
            self._commitment(qn.commitment)

    def _submission(self, work: URIRef, day, participations: list[URIRef]) -> None:
        """The submission as an eli-dl:Activity holding the participations (issue 5).

        The European Parliament's questions reach author and addressee this way
        (Activity -> had_participation); epvoc:workHadParticipation is its shortcut. Stating
        both lets one query read Walloon and European questions alike.
        """
        submission = self.iris.submission(work)
        self.add(submission, RDF.type, ELI_DL.Activity)
        self.add(submission, ELI_DL.created_a_realization_of, work)
        self.add(submission, ELI_DL.activity_date, _date(day))
        for participation in participations:
            self.add(submission, ELI_DL.had_participation, participation)

    def _participation(
        self, work: URIRef, key: str, role: URIRef, person: URIRef, name: str
    ) -> URIRef:
        """A role played in a work, labelled with who played it so pages can show it as text."""
        participation = self.iris.participation(work, key)
        fr, en = _PARTICIPATION_LABELS[key]
        for triple in labels_fr_en(participation, f"{fr} : {name}", f"{en}: {name}"):
            self.add(*triple)
        self.add(work, EPVOC.workHadParticipation, participation)
        self.add(participation, RDF.type, ELI_DL.Participation)
        self.add(participation, ELI_DL.participation_role, role)
        self.add(participation, ELI_DL.had_participant_person, person)
        return participation

    def _commitment(self, commitment: Commitment) -> None:
        if commitment.legislature is None or self.commitments is None:
            # Which declaration is quoted cannot be told (the text stays on the question),
            # or the caller resolves commitments across documents itself.
            return
        match = self.commitments.match(
            commitment.declaration, commitment.legislature, commitment.text
        )
        self.triples += commitment_link_triples(
            self.iris, self.doc.session, self.doc.number, commitment, match
        )

    # ------------------------------------------------------------------ people and posts
    def _identity(self, person: Person | Addressee, day: dt.date) -> Identity:
        return self.people.resolve(person.family_name, person.given_name, day)

    def _person(self, person: Person | Addressee, day: dt.date) -> URIRef:
        """The node of the person a page names on `day`; the name as written stays on the
        page's participation, the node shows the spelling the override file gives."""
        identity = self._identity(person, day)
        node = self.iris.person_by_key(identity.key)
        self.share(node, RDF.type, PERSON.Person)
        self.share(node, RDF.type, FOAF.Person)
        self.share(node, FOAF.familyName, literal(identity.family_name))
        self.share(node, FOAF.givenName, literal(identity.given_name))
        name = _name(identity)
        self.share(node, FOAF.name, literal(name))
        self.share(node, RDFS.label, literal(name))
        if identity.source is not None:
            self.share(node, DCTERMS.source, URIRef(identity.source))
        return node

    def _minister(self, addressee: Addressee, day: dt.date) -> tuple[URIRef, URIRef, URIRef]:
        """The person, the post named in the question, and the membership linking them."""
        person = self._person(addressee, day)
        post = self.iris.post(addressee.post)
        self.share(post, RDF.type, ORG.Post)
        self.share(post, SKOS.prefLabel, _fr(addressee.post))
        self.share(post, RDFS.label, _fr(addressee.post))
        self.share(post, ORG.postIn, self.government)
        portfolio = split_post(addressee.post)
        for role in portfolio.roles:
            self.share(post, ORG.role, PG[role])
        scheme = self.iris.competence_scheme()
        if portfolio.competences:
            self.share(scheme, RDF.type, SKOS.ConceptScheme)
            self.share(scheme, SKOS.prefLabel, _fr("Compétences ministérielles wallonnes"))
            self.share(scheme, RDFS.label, _fr("Compétences ministérielles wallonnes"))
        for label in portfolio.competences:
            competence = self.iris.competence(label)
            self.share(competence, RDF.type, PG.Competence)
            self.share(competence, RDF.type, SKOS.Concept)
            self.share(competence, SKOS.prefLabel, _fr(label))
            self.share(competence, RDFS.label, _fr(label))
            self.share(competence, SKOS.inScheme, scheme)
            self.share(post, ORG.purpose, competence)
        self.share(person, ORG.holds, post)
        self.share(post, ORG.heldBy, person)
        membership = self.iris.membership(post, person)
        self.share(membership, RDF.type, ORG.Membership)
        self.share(membership, ORG.member, person)
        self.share(membership, ORG.organization, post)
        for role in portfolio.roles:
            self.share(membership, ORG.role, PG[role])
        holder = _name(self._identity(addressee, day))
        self.share(membership, RDFS.label, _fr(f"{holder}, {addressee.post}"))
        return person, post, membership

    # ------------------------------------------------------------------ answers
    def _answer(self, index: int, answer: Answer) -> None:
        doc = self.doc
        a = self.iris.answer(doc.session, doc.number, index)
        self.add(a, RDF.type, PG.WrittenAnswer)
        self.add(a, RDF.type, ELI.Work)
        self.add(a, ELI.work_type, PG["written-answer"])
        self.add(a, ELI_DL.answers_to, self.question)
        self.add(a, ELI.date_document, _date(answer.date))
        self.add(a, DCTERMS.identifier, literal(f"{doc.reference} R{index}"))
        self.add(a, RDFS.label, _fr(f"Réponse {index} à la question écrite {doc.reference}"))
        title = f"Réponse à la question écrite {doc.reference} : {doc.title}"
        self.add(a, DCTERMS.title, _fr(title))
        author = self._person(answer.author, answer.date)
        self.add(a, DCTERMS.creator, author)
        signed = self._participation(a, "author", ROLE_AUTHOR, author, _name(answer.author))
        self._submission(a, answer.date, [signed])
        addressee = doc.question.addressee
        if author == self._person(addressee, doc.question.date):
            # The page names the author's post only when the question was addressed to them.
            _, _, membership = self._minister(addressee, doc.question.date)
            self.add(a, PROV.wasAttributedTo, membership)
        self._work_text(a, answer.text, answer.span, title)


def span_triples(
    iris: Iris, session: str, number: int, start: int, end: int, exact: str
) -> tuple[URIRef, list[tuple]]:
    """A span of a source page, with an exact-quote and a position selector."""
    span = iris.span(session, number, start, end)
    quote, position = URIRef(f"{span}#quote"), URIRef(f"{span}#position")
    return span, [
        (span, RDF.type, OA.SpecificResource),
        (span, OA.hasSource, iris.source(session, number)),
        (span, OA.hasSelector, quote),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, literal(exact)),
        (span, OA.hasSelector, position),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, literal(start, datatype=XSD.nonNegativeInteger)),
        (position, OA.end, literal(end, datatype=XSD.nonNegativeInteger)),
    ]


def commitment_link_triples(
    iris: Iris, session: str, number: int, quote: Commitment, match: CommitmentMatch
) -> list[tuple]:
    """Tie a question to the commitment it quotes, recording how the quote was matched.

    The commitment's own description is shared by every question quoting it, so it lives in
    the commitments graph (CommitmentIndex.triples), not in the document's graph.
    """
    question = iris.question(session, number)
    commitment = URIRef(match.iri)
    span, triples = span_triples(iris, session, number, *quote.span, quote.text)
    annotation = URIRef(f"{question}/commitment-quote")
    return [
        (question, ELI.refers_to, commitment),
        (commitment, PG.quotedAt, span),
        *triples,
        (annotation, RDF.type, OA.Annotation),
        (annotation, OA.motivatedBy, OA.identifying),
        (annotation, OA.hasBody, commitment),
        (annotation, OA.hasTarget, span),
        (annotation, DCTERMS.creator, iris.organisation("parlgraph-editors")),
        (annotation, PG.matchMethod, literal(match.method)),
        (annotation, PG.matchScore, literal(f"{match.score:.4f}", datatype=XSD.decimal)),
    ]


def document_layers(
    doc: Document,
    iris: Iris | None = None,
    commitments: CommitmentIndex | None = None,
    people: PeopleOverrides | None = None,
) -> tuple[list[tuple], list[tuple]]:
    """The parser layer of one document: its graph's triples, and what goes to the entities graph.

    A page's own graph points at its asker, minister, post and session; their descriptions
    (names, the post's competences, the membership) are the same in every page that names
    them, so the build states them once instead of once per page (15 % of a corpus's quads).
    """
    return DocumentModel(doc, iris or Iris(), commitments, people).collect()


def document_triples(
    doc: Document, iris: Iris | None = None, commitments: CommitmentIndex | None = None
) -> list[tuple]:
    """Both layers of one document as plain triples, for whoever wants the page on its own."""
    own, shared = document_layers(doc, iris, commitments)
    return own + shared


def build_document_graph(
    doc: Document, iris: Iris | None = None, commitments: CommitmentIndex | None = None
) -> Graph:
    """The parser layer of one document, as its own rdflib graph."""
    graph = bind_prefixes(Graph())
    for triple in document_triples(doc, iris, commitments):
        graph.add(triple)
    return graph


_PARTICIPATION_LABELS = {"author": ("Auteur", "Author"), "addressee": ("Destinataire", "Addressee")}


def _name(person) -> str:
    """A person's name as their node's label gives it: FAMILY Given."""
    return f"{person.family_name} {person.given_name}"
