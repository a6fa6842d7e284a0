"""Facts the build derives from the whole corpus, kept in their own named graph.

A minister's membership of a post is attested by the answers signed in it: the first and
last answer dates bound the period the corpus can vouch for, next to any start or end date
that a curated file gives with its source.
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, XSD

from .iris import Iris
from .vocab import PG, TIME, labels_fr_en

ATTESTED_PERIODS = """
PREFIX eli:  <http://data.europa.eu/eli/ontology#>
PREFIX pg:   <https://w3id.org/parlgraph/def/>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?membership (MIN(?date) AS ?first) (MAX(?date) AS ?last) (COUNT(?answer) AS ?answers)
WHERE {
  GRAPH ?g { ?answer a pg:WrittenAnswer ; prov:wasAttributedTo ?membership ;
                     eli:date_document ?date . }
}
GROUP BY ?membership
ORDER BY ?membership
"""


def derived_triples(store: ox.Store, iris: Iris) -> list[tuple]:
    """Attested periods of every membership that signed at least one answer."""
    del iris  # the IRIs come from the memberships themselves
    triples: list[tuple] = []
    for row in store.query(ATTESTED_PERIODS):
        membership = URIRef(row["membership"].value)
        period = URIRef(f"{membership}#attested")
        first, last = row["first"].value, row["last"].value
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
