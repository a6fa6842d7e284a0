"""The curated and editorial layers: every quote is exact, every figure is traced and
attributed, and the layers never duplicate each other."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import ORG, PROV, RDF

from parlgraph.vocab import CNT, OA, PG, SCHEMA


def _selectors(graph, span):
    quote = position = None
    for selector in graph.objects(span, OA.hasSelector):
        if (selector, RDF.type, OA.TextQuoteSelector) in graph:
            quote = str(graph.value(selector, OA.exact))
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            position = int(graph.value(selector, OA.start)), int(graph.value(selector, OA.end))
    return quote, position


def test_every_span_quotes_its_source_exactly(built, seed_text):
    g = built.union()
    spans = list(g.subjects(RDF.type, OA.SpecificResource))
    assert len(spans) > 20
    for span in spans:
        source = str(g.value(g.value(span, OA.hasSource), CNT.chars))
        assert source == seed_text
        quote, (start, end) = _selectors(g, span)
        assert source[start:end] == quote, span


def test_every_claim_is_traced_attributed_and_annotated(built):
    g = built.union()
    claims = list(g.subjects(RDF.type, PG.QuantifiedClaim))
    assert len(claims) == 12
    for claim in claims:
        membership = g.value(claim, PROV.wasAttributedTo)
        assert (membership, RDF.type, ORG.Membership) in g
        span = g.value(claim, PROV.wasDerivedFrom)
        annotations = list(g.subjects(OA.hasBody, claim))
        assert len(annotations) == 1
        assert g.value(annotations[0], OA.hasTarget) == span


def test_figures_keep_their_kind_of_bound(built):
    g = built.union()
    heco2 = URIRef("https://w3id.org/parlgraph/id/claim/wallonia/2023-2024/qe-238/heco2-smes")
    assert g.value(heco2, PG.boundKind) == PG["more-than"]
    assert int(g.value(heco2, PG.exclusiveMinValue)) == 10
    assert int(g.value(heco2, SCHEMA.minValue)) == 11
    assert g.value(heco2, SCHEMA.value) is None
    atmp = URIRef("https://w3id.org/parlgraph/id/claim/wallonia/2023-2024/qe-238/pit-atmp-smes")
    total = g.value(atmp, SCHEMA.valueReference)
    assert (int(g.value(atmp, SCHEMA.value)), int(g.value(total, SCHEMA.value))) == (17, 26)


def test_editorial_assessments_are_the_publishers_not_the_ministers(built):
    editorial = built.dataset.graph(built.editorial_graph)
    publisher = URIRef("https://w3id.org/parlgraph/id/organization/parlgraph-editors")
    assessments = list(editorial.subjects(RDF.type, PG.EditorialAssessment))
    assert len(assessments) == 13
    for assessment in assessments:
        assert editorial.value(assessment, PROV.wasAttributedTo) == publisher
        langs = {r.language for r in editorial.objects(assessment, PG.rationale)}
        assert langs == {"fr", "en"}


def test_curated_and_parsed_layers_never_duplicate_a_statement(built):
    curated = set(built.dataset.graph(built.curated_graph))
    for name in built.document_graphs:
        assert not curated & set(built.dataset.graph(name))


def test_every_curated_resource_names_its_source(built):
    from rdflib.namespace import DCTERMS

    curated = built.dataset.graph(built.curated_graph)
    typed = {s for s in curated.subjects(RDF.type, None)}
    exempt_types = {
        OA.SpecificResource,
        OA.TextQuoteSelector,
        OA.TextPositionSelector,
        OA.Annotation,
        PROV.Activity,
        SCHEMA.StatisticalVariable,
    }
    for node in typed:
        types = set(curated.objects(node, RDF.type))
        if types & exempt_types or str(node).endswith("parlgraph-editors"):
            continue
        if "/scheme/" in str(node):
            continue
        assert curated.value(node, DCTERMS.source) is not None, node
