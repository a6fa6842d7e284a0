"""IRI minting: readable, stable, valid under any accepted base."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parlgraph.errors import ParameterError
from parlgraph.iris import Iris, check_base, slugify, text_key


@given(st.text())
def test_slugs_are_lowercase_ascii_words(text):
    assert re.fullmatch(r"([a-z0-9]+(-[a-z0-9]+)*)?", slugify(text))


@given(st.text(min_size=1))
def test_text_keys_ignore_whitespace_differences(text):
    assert text_key(text) == text_key("  " + text.replace(" ", "\u00a0 ") + "\n")


@pytest.mark.parametrize("base", ["", "ftp://x/", "https://x", "https://x y/", "https://x/#/"])
def test_bad_bases_are_refused_naming_the_option(base):
    with pytest.raises(ParameterError, match="--base"):
        check_base(base)


def test_commitment_iri_does_not_depend_on_spacing():
    iris = Iris()
    declaration = iris.declaration("DPR", "2019-2024")
    assert iris.commitment(declaration, "la  Wallonie\nrenforcera") == iris.commitment(
        declaration, "la Wallonie renforcera"
    )
