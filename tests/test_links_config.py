"""Link configuration and requests: bad input names the file and line, or the parameter."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parlgraph.errors import ParameterError, SourceError
from parlgraph.links.config import load_config, parse_overrides
from parlgraph.links.requests import read_requests
from parlgraph.links.scoring import score

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "queries" / "links" / "sources.toml"


def test_default_config_names_the_live_endpoints() -> None:
    config = load_config(CONFIG)
    assert config.sources["eurovoc"].url == "https://publications.europa.eu/webapi/rdf/sparql"
    assert config.sources["wikidata"].url == "https://query.wikidata.org/sparql"
    assert {"eukg", "cordis", "nuts", "country", "language"} <= set(config.sources)


def test_endpoint_override_points_every_source_of_that_endpoint_elsewhere() -> None:
    config = load_config(CONFIG, parse_overrides(["cellar=http://127.0.0.1:9/query"]))
    assert config.sources["nuts"].url == "http://127.0.0.1:9/query"
    assert config.sources["wikidata"].url == "https://query.wikidata.org/sparql"


def test_unknown_endpoint_or_source_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="defines no endpoint 'celar'"):
        load_config(CONFIG, parse_overrides(["celar=http://127.0.0.1:9/query"]))
    with pytest.raises(ParameterError, match='--endpoint "cellar": expected NAME=http'):
        parse_overrides(["cellar"])
    with pytest.raises(ParameterError, match="--source eurovok: unknown source"):
        load_config(CONFIG).select(["eurovok"])


def test_committed_requests_read_and_name_known_sources() -> None:
    requests = read_requests(ROOT / "data/links/requests.yaml", set(load_config(CONFIG).sources))
    assert any(r.label == "PME" and r.source == "eurovoc" for r in requests)
    assert all(r.why for r in requests)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "- subject: id/x\n  predicate: dct:nope\n  source: eurovoc\n  label: a\n  why: w\n",
            "requests.yaml:1: predicate 'dct:nope' is not one of",
        ),
        (
            "- subject: id/x\n  predicate: dct:subject\n  source: eurovoc\n  why: w\n",
            "requests.yaml:1: give exactly one of label, code or target",
        ),
        (
            "- why: w\n\n- subject: id/x\n  predicate: dct:subject\n  source: nope\n  code: A\n"
            "  why: w\n",
            "requests.yaml:1: missing 'subject'",
        ),
        (
            "- subject: id/x\n  predicate: dct:subject\n  source: nope\n  code: A\n  why: w\n",
            "requests.yaml:1: source 'nope' is not in sources.toml",
        ),
        ("- subject: [\n", "requests.yaml:2: invalid YAML"),
    ],
)
def test_bad_request_names_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "requests.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        read_requests(path, {"eurovoc"})
    assert str(caught.value).startswith(str(tmp_path) + "/" + message)


@settings(max_examples=200, deadline=None)
@given(
    st.text(max_size=200)
    | st.sampled_from(["- {1: a, b: c}\n", "- []\n", "{}\n", "- subject: 1\n", "- ~\n"])
)
def test_any_requests_text_reads_or_names_the_file(tmp_path_factory, text: str) -> None:
    path = tmp_path_factory.mktemp("requests") / "requests.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        read_requests(path, {"eurovoc"})
    except SourceError as err:
        assert str(err).startswith(str(path))


@given(st.text(max_size=20), st.text(max_size=20), st.sampled_from(["pref", "alt", "code", "x"]))
def test_scores_stay_between_zero_and_one(requested: str, matched: str, kind: str) -> None:
    result = score(requested, matched, kind)
    assert 0 <= result.score <= 1
    assert (result.score == 1.0) == (result.method in ("exact-pref", "code"))
