"""Tests for the synthetic corpus generator (bench/corpus.py): its pages must parse exactly as
intended, its malformed pages must fail, and a seed must always give the same bytes."""

from __future__ import annotations

import datetime as dt
import doctest
import json
from pathlib import Path
from typing import Any

import pytest

from parlgraph.errors import SourceError
from parlgraph.parse import read
from parlgraph.portfolio import split_post

from .conftest import SEED, load_bench

PAGES = 300


corpus = load_bench("corpus")


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any, list[dict[str, Any]]]:
    """300 pages, seed 1, with malformed pages often enough that every kind shows up."""
    out = tmp_path_factory.mktemp("corpus")
    manifest = corpus.generate(out, PAGES, seed=1, malformed_every=60)
    return out, manifest, list(corpus.read_truth(out))


def test_every_good_page_parses_as_intended(generated: tuple[Path, Any, list]) -> None:
    out, _, truths = generated
    good = [t for t in truths if t["malformed"] is None]
    assert len(good) == PAGES - 5
    for truth in good:
        doc = read(out / truth["path"])
        question = doc.question
        assert (doc.session, doc.number, doc.year) == (
            truth["session"],
            truth["number"],
            truth["year"],
        )
        assert doc.title == truth["title"] and doc.reference == truth["reference"]
        assert question.date.isoformat() == truth["question_date"]
        assert question.date.year == doc.year
        first = int(doc.session[:4])
        assert dt.date(first, 9, 1) <= question.date <= dt.date(first + 1, 7, 31)
        assert [question.asker.family_name, question.asker.given_name] == truth["asker"]
        addressee = question.addressee
        assert [addressee.family_name, addressee.given_name] == truth["addressee"]
        assert addressee.post == truth["post"]
        assert len(doc.answers) == len(truth["answers"])
        previous = question.date
        for answer, expected in zip(doc.answers, truth["answers"], strict=True):
            assert answer.date.isoformat() == expected["date"]
            assert [answer.author.family_name, answer.author.given_name] == expected["author"]
            assert 1 <= (answer.date - previous).days <= 90
            previous = answer.date
        if truth["commitment"] is None:
            assert question.commitment is None
        else:
            assert question.commitment is not None
            assert question.commitment.text == truth["commitment"]["text"]
            assert question.commitment.legislature == "2019-2024"
        for figure in truth["figures"]:
            start, end = figure["span"]
            assert doc.source[start:end] == figure["text"]
            (answer,) = [a for a in doc.answers if a.span[0] <= start and end <= a.span[1]]
            if figure["kind"] == "period":  # no answer speaks of its own future
                years = figure["value"] if isinstance(figure["value"], list) else []
                month = figure["value"] if isinstance(figure["value"], str) else "0000-00"
                assert all(y is None or y <= answer.date.year for y in years)
                assert month <= answer.date.isoformat()[:7]
        assert doc.source.startswith("\ufeff") == truth["bom"]
        assert ("\r\n" in doc.source) == truth["crlf"]
        assert not doc.source.endswith(("\n", "\r"))


def test_malformed_pages_fail_with_the_expected_reason(generated: tuple[Path, Any, list]) -> None:
    out, manifest, truths = generated
    listed = {entry["path"]: entry for entry in manifest.malformed}
    assert listed.keys() == {t["path"] for t in truths if t["malformed"]}
    assert {entry["kind"] for entry in listed.values()} == set(corpus.MALFORMED_KINDS)
    for path, entry in listed.items():
        with pytest.raises(SourceError) as error:
            read(out / path)
        assert entry["reason"] in error.value.reason


def test_manifest_counts_match_the_pages(generated: tuple[Path, Any, list]) -> None:
    out, manifest, truths = generated
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest.to_json()
    assert on_disk["pages"] == PAGES and on_disk["seed"] == 1
    assert list(on_disk["sessions"]) == list(corpus.SESSIONS)
    assert sum(on_disk["sessions"].values()) == PAGES
    assert len(list(out.glob("wallonia/*/qe-*.txt"))) == PAGES
    good = [t for t in truths if t["malformed"] is None]
    answers = [len(t["answers"]) for t in good]
    assert on_disk["answers"]["unanswered"] == answers.count(0) > 0
    assert on_disk["answers"]["answered_once"] == answers.count(1)
    assert on_disk["answers"]["multi_answer"] == answers.count(2) > 0
    by_kind = on_disk["figures"]["by_kind"]
    assert set(by_kind) == set(corpus.FIGURE_KINDS) and all(by_kind.values())
    for kind in corpus.FIGURE_KINDS:
        assert by_kind[kind] == sum(f["kind"] == kind for t in good for f in t["figures"])
    variants = on_disk["commitments"]["by_variant"]
    assert variants["exact"] > 0 and sum(variants.values()) == sum(
        t["commitment"] is not None for t in good
    )


def test_seed_commitment_is_quoted(generated: tuple[Path, Any, list]) -> None:
    out, _, truths = generated
    seed_doc = read(SEED)
    assert seed_doc.question.commitment is not None
    assert seed_doc.question.commitment.text == corpus.SEED_COMMITMENT
    good = [t for t in truths if t["malformed"] is None]
    quoting = [t for t in good if corpus.SEED_COMMITMENT in read(out / t["path"]).question.text]
    assert quoting, "no page quotes the seed's commitment"
    # the commitment a matcher must find is the pool entry, whatever the variant
    for truth in truths:
        if truth["commitment"] and truth["commitment"]["variant"] != "exact":
            original = corpus.COMMITMENTS[truth["commitment"]["id"]][1]
            assert truth["commitment"]["text"] != original


def test_same_seed_same_bytes_other_seed_other_pages(
    generated: tuple[Path, Any, list], tmp_path: Path
) -> None:
    out, _, _ = generated
    again = tmp_path / "again"
    corpus.generate(again, PAGES, seed=1, malformed_every=60)
    assert _tree(again) == _tree(out)
    other = tmp_path / "other"
    corpus.generate(other, PAGES, seed=2, malformed_every=60)
    first, second = _tree(out), _tree(other)
    assert first.keys() == second.keys()
    same = [path for path in first if first[path] == second[path]]
    assert len(same) <= 2, same  # at most empty malformed pages may coincide


def test_default_rate_gives_one_malformed_page_from_100(tmp_path: Path) -> None:
    manifest = corpus.generate(tmp_path, 100, seed=5)
    assert len(manifest.malformed) == 1
    assert len(corpus.generate(tmp_path / "small", 50, seed=5).malformed) == 0


def test_world_is_synthetic_and_varied() -> None:
    world = corpus.build_world(1)
    names = [m.name for m in world.members]
    assert len(names) == len(set(names)) == 75
    families = [m.family for m in world.members] + [m.person.family for m in world.ministers]
    assert len(set(families)) == len(families)
    assert any(f.startswith("DE ") for f in families)
    assert any(f.startswith("VAN DEN ") for f in families)
    assert any(f.startswith("D'") for f in families)
    assert any("-" in m.given for m in world.members)
    assert any(not m.given.isascii() for m in world.members)
    assert not {"MUGEMANGANGO", "BORSUS"} & set(families)
    assert len(world.ministers) == 9
    reshuffled = [m for m in world.ministers if m.posts[0] != m.posts[-1]]
    assert reshuffled, "the mid-corpus reshuffle changes no post"
    for minister in world.ministers:
        for post, competences in zip(minister.posts, minister.competences, strict=True):
            assert split_post(post).competences == competences


def test_cli_reports_progress_and_refuses_to_mix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "cli"
    assert corpus.main(["--pages", "20", "--seed", "3", "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("\n") == 1 and "20 pages" in captured.out
    assert captured.err.count("\n") == 10
    assert corpus.main(["--pages", "20", "--out", str(out)]) == 2
    assert corpus.main(["--pages", "10", "--out", str(out), "--force", "--no-truth"]) == 0
    assert len(list(out.glob("wallonia/*/*.txt"))) == 10
    assert not (out / "truth.jsonl").exists()
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["truth"] is None


def test_doctests() -> None:
    assert doctest.testmod(corpus).failed == 0
