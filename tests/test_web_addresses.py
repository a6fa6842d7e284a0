"""Request paths to IRIs and back (parlgraph.web.addresses)."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import given
from hypothesis import strategies as st

from parlgraph.web.addresses import Addresses

SITE = "http://127.0.0.1:8000/"
ADDRESSES = [Addresses("https://w3id.org/parlgraph/", SITE), Addresses(SITE, SITE)]
segments = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(
    addresses=st.sampled_from(ADDRESSES),
    root=st.sampled_from(["id/", "graph/", "def/", "shapes/", "def", "shapes", "", "x/"]),
    rest=segments,
)
def test_a_path_maps_to_a_valid_iri_that_maps_back_or_to_nothing(addresses, root, rest):
    path = root + rest
    iri = addresses.iri(path)
    if iri is not None:
        ox.NamedNode(iri)  # a valid IRI: never a SPARQL syntax error downstream
        assert addresses.path(iri) == path
        assert addresses.link(iri) == SITE + path


def test_the_vocabulary_keeps_its_iris_whatever_the_base():
    local = Addresses(SITE, SITE)
    assert local.iri("def/WrittenQuestion") == "https://w3id.org/parlgraph/def/WrittenQuestion"
    assert local.iri("id/person/x") == SITE + "id/person/x"
    assert (
        local.link("https://w3id.org/parlgraph/shapes/PersonShape") == SITE + "shapes/PersonShape"
    )


def test_paths_that_escape_or_end_in_a_slash_are_not_addresses():
    addresses = ADDRESSES[0]
    for path in ("id/../etc", "id/a//b", "id/x/", "id/a#b", "id/a b", "favicon.ico", "id"):
        assert addresses.iri(path) is None, path
