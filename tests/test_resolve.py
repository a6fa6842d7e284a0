"""Tests for commitment resolution: the fuzzy-match cache never changes an answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parlgraph.iris import Iris
from parlgraph.resolve import CommitmentIndex

BASES = [
    "Soutenir la coopération entre PME wallonnes au sein des pôles de compétitivité",
    "Renforcer la coopération entre les PME et les centres de recherche agréés",
    "Développer les circuits courts dans l'agriculture wallonne",
]
EDITS = ["", ".", " ;", "s", " en Wallonie", " et les grandes entreprises"]


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(st.sampled_from(BASES)) + draw(st.sampled_from(EDITS))
    if draw(st.booleans()):
        text = text.upper()
    return draw(st.sampled_from(["DPR", "DPR-bis"])), text


@settings(max_examples=80, deadline=None)
@given(st.lists(quotes(), min_size=1, max_size=25))
def test_cached_matches_are_those_computed_afresh(sequence: list[tuple[str, str]]) -> None:
    cached, fresh = CommitmentIndex(Iris()), CommitmentIndex(Iris())
    for name, text in sequence:
        fresh._fuzzy.clear()  # every fuzzy match computed again
        assert cached.match(name, "2019-2024", text) == fresh.match(name, "2019-2024", text)
    assert cached.to_json() == fresh.to_json()


def test_a_repeated_fuzzy_quote_is_answered_from_the_cache() -> None:
    index = CommitmentIndex(Iris())
    index.match("DPR", "2019-2024", BASES[0])
    first = index.match("DPR", "2019-2024", BASES[0] + " en Wallonie")
    assert first.method == "fuzzy"
    assert index.match("DPR", "2019-2024", BASES[0] + " en Wallonie") is first
    index.match("DPR", "2019-2024", BASES[2])  # a new commitment: the cache starts over
    assert index.match("DPR", "2019-2024", BASES[0] + " en Wallonie") == first
