"""The build's own N-Quads writer reads back, through pyoxigraph, as the terms it was given."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from parlgraph.nquads import BadTermError, encoded
from parlgraph.store import to_ox

GRAPH = URIRef("https://w3id.org/parlgraph/graph/test")
SUBJECT = URIRef("https://w3id.org/parlgraph/id/x")
PREDICATE = URIRef("http://www.w3.org/2000/01/rdf-schema#label")

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
literals = st.one_of(
    texts.map(Literal),
    st.builds(lambda t, lang: Literal(t, lang=lang), texts, st.sampled_from(["fr", "en", "de-BE"])),
    st.integers().map(lambda n: Literal(n, datatype=XSD.integer)),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(
        lambda d: Literal(format(d, "f"), datatype=XSD.decimal)
    ),
    texts.map(lambda t: Literal(t, datatype=XSD.string)),
)
iris = st.from_regex(
    r"https://example\.org/[a-zA-Z0-9/-]{0,20}(#[a-z0-9]{0,5})?", fullmatch=True
).map(URIRef)


def _read(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.N_QUADS))


@given(st.lists(st.tuples(iris, literals), max_size=8))
def test_literals_and_iris_read_back_as_written(pairs: list[tuple[URIRef, Literal]]) -> None:
    triples = [(subject, PREDICATE, value) for subject, value in pairs]
    expected = [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(GRAPH)) for s, p, o in triples]
    # each quad once, in the order first given: the build counts a graph's quads by its lines
    data, count = encoded(triples, GRAPH)
    assert _read(data) == list(dict.fromkeys(expected))
    assert count == len(dict.fromkeys(expected))


def test_blank_nodes_are_written_with_their_label() -> None:
    (quad,) = _read(encoded([(BNode("b1"), PREDICATE, SUBJECT)], GRAPH)[0])
    assert quad.subject == ox.BlankNode("b1")


@pytest.mark.parametrize("bad", ["https://example.org/a b", "https://example.org/<x>", "no-scheme"])
def test_an_iri_nquads_cannot_carry_is_refused_by_name(bad: str) -> None:
    with pytest.raises(BadTermError, match="not an absolute IRI"):
        encoded([(SUBJECT, PREDICATE, URIRef(bad))], GRAPH)
