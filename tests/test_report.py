"""Tests for the Markdown accountability report built from the stored queries."""

from __future__ import annotations

from pathlib import Path

import pytest

from parlgraph.dataset import build
from parlgraph.iris import DEFAULT_BASE
from parlgraph.query import load_queries
from parlgraph.report import render_report
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries

QUERIES = Path(__file__).resolve().parents[1] / "queries"
PORTFOLIOS = ["Reverse Metallurgy +", "REMIND", "HECO2", "PIT ATMP", "PIT Aéronautique"]


@pytest.fixture(scope="module")
def queries():
    return load_queries(QUERIES)


@pytest.fixture(scope="module")
def report(queries) -> str:
    return render_report(_store(), queries)


def _store():
    """The seed in a store with its summaries, as the CLI serves it."""
    store = load_store(build().dataset)
    refresh_summaries(store, DEFAULT_BASE)
    return store


def test_report_opens_with_its_title(report):
    assert report.startswith("# Accountability report\n")
    assert report.endswith("\n") and not report.endswith("\n\n")


def test_report_has_every_query_in_name_order(report, queries):
    positions = []
    for query in queries.values():
        heading = f"\n## {query.title}\n"
        assert report.count(heading) == 1, query.name
        assert query.description in report
        positions.append(report.index(heading))
    assert positions == sorted(positions)
    assert report.count("\n## ") == len(queries) == 10


def test_report_has_the_answer_delay(report):
    assert (
        "| https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238 | 2024-01-23 |" in report
    )
    assert "| 2024-02-12 | 20 |" in report


def test_report_names_the_five_portfolios(report):
    section = report.split("## SME participations per project or portfolio", 1)[1]
    section = section.split("\n## ", 1)[0]
    for name in PORTFOLIOS:
        assert f"| {name} |" in section, name
    assert "PIT WINGS" in section
    assert "participations, not distinct firms" in section


def test_report_states_default_parameters(report):
    assert "Parameters: `at` = `2024-02-01`." in report


def test_two_renders_are_identical(report, queries):
    again = render_report(_store(), load_queries(QUERIES))
    assert again == report
    assert render_report(_store(), list(queries.values())[::-1]) == report
