"""Accept parsing and the choice of a representation or media type (parlgraph.web.negotiate)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parlgraph.web.negotiate import (
    BY_NAME,
    HTML,
    REPRESENTATIONS,
    BadFormat,
    NotAcceptable,
    by_format_parameter,
    choose,
    parse_accept,
    preferred,
    split_suffix,
)

MEDIA_TYPES = [r.media_type for r in REPRESENTATIONS]


def test_browsers_get_html_and_curl_gets_turtle():
    chrome = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
    assert choose(chrome, REPRESENTATIONS) is HTML
    assert choose("*/*", REPRESENTATIONS).name == "turtle"
    assert choose(None, REPRESENTATIONS).name == "turtle"


def test_the_most_specific_range_sets_the_quality():
    assert (
        choose("text/*;q=0.2, text/html;q=0, application/n-triples;q=0.1", REPRESENTATIONS).name
        == "turtle"
    )
    assert choose("text/*;q=0.2, text/turtle;q=0, text/html", REPRESENTATIONS) is HTML


def test_q_zero_excludes_and_nothing_left_is_not_acceptable():
    with pytest.raises(NotAcceptable, match="available: text/turtle"):
        choose("text/turtle;q=0, text/csv", REPRESENTATIONS)


def test_json_asks_for_json_ld():
    assert choose("application/json", REPRESENTATIONS).name == "jsonld"


def test_format_parameter_takes_names_and_suffixes_and_names_them_when_wrong():
    assert by_format_parameter("ttl") is BY_NAME["turtle"]
    assert by_format_parameter("rdfxml").media_type == "application/rdf+xml"
    with pytest.raises(BadFormat, match="turtle, html, jsonld"):
        by_format_parameter("csv")


def test_suffix_is_split_only_when_known():
    assert split_suffix("id/x/238.nt") == ("id/x/238", BY_NAME["ntriples"])
    assert split_suffix("id/x/v1.2") == ("id/x/v1.2", None)


@given(st.text(max_size=300))
def test_any_accept_header_gives_a_representation_or_not_acceptable(header):
    try:
        chosen = choose(header, REPRESENTATIONS)
    except NotAcceptable as err:
        assert "available:" in str(err)
    else:
        assert chosen in REPRESENTATIONS


media_range = st.one_of(
    st.sampled_from([*MEDIA_TYPES, "*/*", "text/*", "application/*", "image/png", "text/csv"]),
)
weighted = st.tuples(media_range, st.sampled_from(["", ";q=0", ";q=0.3", ";q=0.7", ";q=1"]))


@given(st.lists(weighted, min_size=1, max_size=6))
def test_the_choice_has_the_highest_quality_offered(items):
    header = ", ".join(f"{t}{q}" for t, q in items)
    ranges = parse_accept(header)
    assert len(ranges) == len(items)

    def quality(media_type: str) -> float:
        main = media_type.split("/")[0]
        best = (-1, 0.0)
        for r in ranges:
            level = (
                2
                if f"{r.type}/{r.subtype}" == media_type
                else 1
                if (r.type, r.subtype) == (main, "*")
                else 0
                if (r.type, r.subtype) == ("*", "*")
                else -1
            )
            if level > best[0]:
                best = (level, r.q)
        return best[1]

    top = max(quality(r.media_type) for r in REPRESENTATIONS)
    if top == 0:
        with pytest.raises(NotAcceptable):
            choose(header, REPRESENTATIONS)
    else:
        assert quality(choose(header, REPRESENTATIONS).media_type) == top


# ------------------------------------------- preferred: the catalogue, the API, the SPARQL endpoint

SPARQL_MEDIA = st.sampled_from(
    [
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+json",
        "text/turtle",
        "application/sparql-results+xml",
        "text/html",
    ]
)


@given(st.text(max_size=200))
def test_any_accept_header_gives_a_sparql_offer_or_none(header: str) -> None:
    offers = ["application/sparql-results+json", "text/csv"]
    assert preferred(header, offers) in (*offers, None)
    assert all(0 <= r.q <= 1 for r in parse_accept(header))


@settings(max_examples=200, deadline=None)
@given(header=st.text(max_size=80))
def test_any_accept_header_gives_a_catalogue_offer_or_none(header):
    offers = ["text/turtle", "text/html", "application/ld+json"]
    assert preferred(header, offers) in [*offers, None]


@given(st.lists(SPARQL_MEDIA, min_size=1, max_size=5, unique=True), st.data())
def test_preferred_picks_the_type_ranked_highest(types: list[str], data: st.DataObject) -> None:
    weights = data.draw(
        st.lists(st.integers(1, 9), min_size=len(types), max_size=len(types), unique=True)
    )
    header = ", ".join(f"{t};q=0.{w}" for t, w in zip(types, weights, strict=True))
    best = types[weights.index(max(weights))]
    offers = [
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
        "text/turtle",
        "text/html",
    ]
    assert preferred(header + ", */*;q=0.05", offers) == best
