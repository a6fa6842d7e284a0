"""Shared fixtures: the seed's built graph is made once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from parlgraph.dataset import Built, build
from parlgraph.paths import Layout

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "sources" / "wallonia" / "2023-2024" / "qe-238.txt"
BASE = "https://w3id.org/parlgraph/"


@pytest.fixture(scope="session")
def layout() -> Layout:
    return Layout(ROOT)


@pytest.fixture(scope="session")
def built(layout: Layout) -> Built:
    return build(layout)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_bytes().decode("utf-8")
