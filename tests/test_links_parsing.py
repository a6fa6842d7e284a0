"""What refresh eats from outside: SPARQL JSON results, Retry-After headers, bound labels."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.plugins.sparql import prepareQuery

from parlgraph.links.client import retry_after
from parlgraph.links.errors import EndpointError
from parlgraph.links.results import parse_results
from parlgraph.links.templates import load_template

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "queries" / "links"

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_rows_or_a_malformed_results_error(body: bytes) -> None:
    try:
        rows = parse_results(body, "http://127.0.0.1:1/q")
    except EndpointError as err:
        assert str(err).startswith("http://127.0.0.1:1/q: malformed results")
    else:
        assert isinstance(rows, list)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_is_rows_or_a_malformed_results_error(value: object) -> None:
    body = json.dumps({"head": {}, "results": {"bindings": value}}).encode()
    try:
        parse_results(body, "e")
    except EndpointError as err:
        assert "malformed results" in str(err)


def test_results_keep_language_and_datatype() -> None:
    body = json.dumps(
        {
            "results": {
                "bindings": [
                    {
                        "t": {"type": "uri", "value": "http://eurovoc.europa.eu/2359"},
                        "n": {"type": "literal", "value": "1", "datatype": "http://x/int"},
                    }
                ]
            }
        }
    ).encode()
    assert parse_results(body, "e") == [
        {"t": URIRef("http://eurovoc.europa.eu/2359"), "n": Literal("1", datatype="http://x/int")}
    ]


@given(st.text(max_size=40))
def test_retry_after_is_seconds_or_none(value: str) -> None:
    seconds = retry_after(value)
    assert seconds is None or seconds >= 0


@settings(max_examples=200, deadline=None)
@given(label=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_a_bound_label_stays_one_literal_whatever_it_contains(label: str) -> None:
    """Quotes, braces, backslashes or `} UNION {` in a label cannot change the query."""
    template = load_template(TEMPLATES / "eurovoc-label.rq")
    text = template.bind(
        [
            {
                "scheme": URIRef("http://eurovoc.europa.eu/100141"),
                "label": Literal(label),
                "lang": Literal("fr"),
            }
        ]
    )
    query = prepareQuery(text)
    values = _values(query.algebra)
    assert values == [
        {
            "scheme": URIRef("http://eurovoc.europa.eu/100141"),
            "label": Literal(label),
            "lang": Literal("fr"),
        }
    ]


def _values(node: object) -> list[dict] | None:
    """The rows of the first VALUES block found in a query's algebra."""
    if getattr(node, "name", None) == "values":
        return [{str(k): v for k, v in row.items()} for row in node.res]  # type: ignore[attr-defined]
    if isinstance(node, dict):
        for child in node.values():
            found = _values(child)
            if found is not None:
                return found
    if isinstance(node, list):
        for child in node:
            found = _values(child)
            if found is not None:
                return found
    return None


def test_every_template_has_a_title_and_one_values_line() -> None:
    for path in sorted(TEMPLATES.glob("*.rq")):
        template = load_template(path)
        assert template.title, path
        assert template.parameters, path
