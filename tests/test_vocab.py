"""The cached literal factory gives the literal rdflib would make, whatever came before."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.namespace import XSD

from parlgraph.vocab import literal

values = st.one_of(
    st.text(max_size=12),
    st.text(min_size=201, max_size=260),  # long texts are not cached
    st.integers(-5, 5),
    st.booleans(),
)
datatypes = st.sampled_from([None, XSD.integer, XSD.nonNegativeInteger, XSD.decimal, XSD.string])


def _same(a: Literal, b: Literal) -> bool:
    return (str(a), a.language, a.datatype, type(a.value)) == (
        str(b),
        b.language,
        b.datatype,
        type(b.value),
    )


@given(st.lists(st.tuples(values, st.sampled_from([None, "fr", "en"]), datatypes), max_size=20))
def test_cached_literals_equal_fresh_ones(asked: list) -> None:
    for value, lang, datatype in asked:
        if lang is not None:
            datatype = None  # rdflib refuses both
        assert _same(literal(value, lang=lang, datatype=datatype), Literal(value, lang, datatype))


def test_one_and_true_stay_different_literals() -> None:
    one, true = literal(1), literal(True)
    assert (str(one), one.datatype) == ("1", XSD.integer)
    assert (str(true), true.datatype) == ("true", XSD.boolean)
