"""Facts the build derives from the whole corpus, kept in their own named graph.

A minister's membership of a post is attested by the answers signed in it: the first and
last answer dates bound the period the corpus can vouch for, next to any start or end date
that a curated file gives with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from .iris import Iris
from .terms import DCAT, DCTERMS, PROV, RDF, XSD
from .vocab import ELI, PG, TIME, labels_fr_en


@dataclass
class AnswerFacts:
    """What a page's own triples say of its answers, read once for the two rows a corpus
    build keeps per page: answers signed in a post (attributed_answers) and answers without
    one (summaries.unattributed_answers)."""

    answers: set[Node] = field(default_factory=set)  # typed pg:WrittenAnswer
    attributed: dict[Node, list[Node]] = field(default_factory=dict)  # prov:wasAttributedTo
    dates: dict[Node, list[Node]] = field(default_factory=dict)  # eli:date_document
    authors: list[tuple[Node, Node]] = field(default_factory=list)  # dcterms:creator


def answer_facts(triples: Iterable[tuple]) -> AnswerFacts:
    """A page's answers and their posts, dates and authors, in one pass over its triples."""
    # The predicates told apart by a dict: comparing rdflib terms calls Python code, and a page
    # has some 300 triples (separate passes took a fifth of a page's modelling time).
    typed, attributed_to, dated, created = 0, 1, 2, 3
    wanted = {
        RDF.type: typed,
        PROV.wasAttributedTo: attributed_to,
        ELI.date_document: dated,
        DCTERMS.creator: created,
    }
    answer_class = PG.WrittenAnswer
    facts = AnswerFacts()
    for s, p, o in triples:
        kind = wanted.get(p)
        if kind == typed:
            if o == answer_class:
                facts.answers.add(s)
        elif kind == attributed_to:
            facts.attributed.setdefault(s, []).append(o)
        elif kind == dated:
            facts.dates.setdefault(s, []).append(o)
        elif kind == created:
            facts.authors.append((s, o))
    return facts


def attributed_answers(facts: AnswerFacts) -> list[tuple[str, str]]:
    """(membership, date) for each answer of a page attributed to a membership.

    Read from the page's own triples, so a corpus build keeps them per page in its manifest
    and derives the periods without querying 100,000 graphs again.
    """
    return [
        (str(membership), str(date))
        for answer in sorted(facts.answers)
        for membership in facts.attributed.get(answer, [])
        for date in facts.dates.get(answer, [])
    ]


def periods(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(membership, first date, last date) from (membership, date) pairs, as the query sorts."""
    bounds: dict[str, tuple[str, str]] = {}
    for membership, date in pairs:
        first, last = bounds.get(membership, (date, date))
        bounds[membership] = (min(first, date), max(last, date))
    return [(m, first, last) for m, (first, last) in sorted(bounds.items())]


def period_triples(rows: Iterable[tuple[str, str, str]]) -> list[tuple]:
    """The attested period of each (membership, first date, last date)."""
    triples: list[tuple] = []
    for iri, first, last in rows:
        membership = URIRef(iri)
        period = URIRef(f"{membership}#attested")
        triples += [
            (membership, PG.attestedDuring, period),
            (period, RDF.type, DCTERMS.PeriodOfTime),
            (period, RDF.type, TIME.Interval),
            (period, DCAT.startDate, Literal(first, datatype=XSD.date)),
            (period, DCAT.endDate, Literal(last, datatype=XSD.date)),
            *labels_fr_en(
                period,
                f"Période attestée par les réponses : {first} – {last}",
                f"Period attested by answers: {first} – {last}",
            ),
        ]
    return triples


def derived_graph_name(iris: Iris) -> URIRef:
    return URIRef(f"{iris.base}graph/derived")
