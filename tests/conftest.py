"""Shared fixtures: the seed's built graph is made once per test session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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


def load_bench(name: str) -> ModuleType:
    """Import bench/NAME.py by path: bench is a folder of scripts, not an installed package."""
    module_name = f"parlgraph_bench_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module
