"""The lock file reader and writer: sorted, escaped, and strict about every field."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parlgraph.errors import SourceError
from parlgraph.links.lockfile import COLUMNS, LockRow, format_lock, parse_lock, read_lock

ROOT = Path(__file__).resolve().parents[1]
HEADER = "\t".join(COLUMNS)


def row(**changes: object) -> LockRow:
    base = dict(
        subject="id/question/wallonia/2023-2024/238",
        predicate="eli:is_about",
        target="http://eurovoc.europa.eu/2359",
        source="eurovoc",
        source_version="2021-06-04",
        method="alt-label",
        score=0.9,
        label="petites et moyennes entreprises",
        lang="fr",
        query_sha256="0" * 64,
        endpoint="http://127.0.0.1:7878/query",
        resolved_at="2026-11-26",
        status="candidate",
    )
    base.update(changes)
    return LockRow(**base)  # type: ignore[arg-type]


def test_committed_lock_file_reads_and_is_sorted() -> None:
    path = ROOT / "data" / "links" / "links.lock.tsv"
    rows = read_lock(path)
    assert rows, "the seed's lock file has rows"
    assert path.read_text(encoding="utf-8") == format_lock(rows)


def test_lock_rows_are_written_sorted_whatever_the_input_order() -> None:
    a, b = row(subject="id/b"), row(subject="id/a")
    assert format_lock([a, b]) == format_lock([b, a])
    assert format_lock([a, b]).splitlines()[1].startswith("id/a\t")


labels = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(label=labels, version=labels, score=st.floats(0, 1))
def test_lock_round_trips_any_label_and_version(label: str, version: str, score: float) -> None:
    original = row(label=label, source_version=version, score=round(score, 2))
    (read_back,) = parse_lock(format_lock([original]), Path("links.lock.tsv"))
    assert read_back == original


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_text_either_parses_or_names_the_file_and_line(text: str) -> None:
    try:
        parse_lock(HEADER + "\n" + text, Path("links.lock.tsv"))
    except SourceError as err:
        assert str(err).startswith("links.lock.tsv:")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": "maybe"}, "links.lock.tsv:2: status 'maybe': expected one of candidate"),
        ({"score": 1.5}, "links.lock.tsv:2: score '1.50': expected a number from 0 to 1"),
        ({"predicate": "ex:foo"}, "links.lock.tsv:2: predicate 'ex:foo': expected one of"),
        ({"method": "guess"}, "links.lock.tsv:2: method 'guess': expected one of"),
        ({"resolved_at": "2026-02-31"}, "links.lock.tsv:2: resolved_at '2026-02-31'"),
        ({"target": "not an iri"}, "links.lock.tsv:2: target 'not an iri'"),
        ({"query_sha256": "abc"}, "links.lock.tsv:2: query_sha256 'abc'"),
    ],
)
def test_bad_field_is_named_with_its_line(changes: dict, message: str) -> None:
    text = format_lock([row(**changes)])
    with pytest.raises(SourceError) as caught:
        parse_lock(text, Path("links.lock.tsv"))
    assert str(caught.value).startswith(message)


def test_missing_header_and_duplicate_rows_are_refused() -> None:
    with pytest.raises(SourceError, match=r"links.lock.tsv:1: first line must be the header"):
        parse_lock("subject\n", Path("links.lock.tsv"))
    text = format_lock([row()]) + format_lock([row()]).splitlines()[1] + "\n"
    with pytest.raises(SourceError, match=r"links.lock.tsv:3: second row for"):
        parse_lock(text, Path("links.lock.tsv"))
