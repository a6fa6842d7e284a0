"""The external store on Virtuoso, the engine behind the EU Publications Office's endpoints.

Skipped where Virtuoso is not installed (Debian: `apt-get install virtuoso-opensource`). Virtuoso
needs no server setting for the stored queries: with no dataset given, its default graph is
already the union of all graphs. Three stored queries meet documented engine differences.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from virtuoso_server import virtuoso_binaries, virtuoso_server

from parlgraph.cli import cli
from parlgraph.dataset import Built
from parlgraph.query import load_queries, run
from parlgraph.remote import RemoteBackend, publish, run_remote
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries

pytestmark = pytest.mark.skipif(
    virtuoso_binaries() is None, reason="Virtuoso (virtuoso-t, isql-vt) is not installed"
)

BASE = "https://w3id.org/parlgraph/"
QUERIES = load_queries(Path(__file__).resolve().parents[1] / "queries")
# The stored queries are written to give the same rows on both engines: GROUP_CONCAT results
# get their language tag back with STRLANG (Virtuoso, as SPARQL 1.1 says, returns a simple
# literal), and divisions cast to xsd:decimal (Virtuoso divides integers as integers).
DIFFERENCES: dict[str, str] = {}


@pytest.fixture(scope="module")
def seed_store(built: Built) -> ox.Store:
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory, seed_store: ox.Store):
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        publish(seed_store, server.store_url)
        yield server


def _ours(sizes: dict[str, int]) -> dict[str, int]:
    """Our graphs only: Virtuoso keeps system graphs of its own beside them."""
    return {graph: count for graph, count in sizes.items() if graph.startswith(BASE)}


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(reason=DIFFERENCES[n], strict=True))
        if n in DIFFERENCES
        else n
        for n in sorted(QUERIES)
    ],
)
def test_stored_query_gives_the_embedded_rows_on_virtuoso(
    name: str, seed_store: ox.Store, virtuoso
) -> None:
    query = QUERIES[name]
    embedded = run(seed_store, query, {}, BASE)
    remote = run_remote(RemoteBackend(virtuoso.query_url), query, {}, BASE)
    assert embedded.rows
    assert remote.columns == embedded.columns
    assert remote.rows == embedded.rows


@pytest.mark.parametrize("at", ["2024-01-22", "2024-01-23", "2024-02-12"])
def test_a_date_parameter_binds_on_virtuoso_as_embedded(
    at: str, seed_store: ox.Store, virtuoso
) -> None:
    query = QUERIES["unanswered"]
    remote = run_remote(RemoteBackend(virtuoso.query_url), query, {"at": at}, BASE)
    assert remote.rows == run(seed_store, query, {"at": at}, BASE).rows


def test_republishing_to_virtuoso_is_idempotent(seed_store: ox.Store, virtuoso) -> None:
    backend = RemoteBackend(virtuoso.query_url, cache_seconds=0)
    before = _ours(backend.graph_sizes())
    report = publish(seed_store, virtuoso.store_url)
    assert _ours(backend.graph_sizes()) == before
    assert sum(before.values()) == report.triples
    assert len(before) == report.graphs


def test_query_command_on_virtuoso_prints_the_embedded_json(virtuoso) -> None:
    runner = CliRunner()
    local = runner.invoke(cli, ["query", "sme-participation", "--format", "json"])
    remote = runner.invoke(
        cli, ["query", "sme-participation", "--format", "json", "--endpoint", virtuoso.query_url]
    )
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)


def test_publish_command_needs_the_graph_store_of_virtuoso_spelled_out(virtuoso) -> None:
    result = CliRunner().invoke(cli, ["publish", "--endpoint", virtuoso.query_url])
    assert result.exit_code == 1
    assert "pass --graph-store URL" in result.output
    given = CliRunner().invoke(
        cli, ["publish", "--endpoint", virtuoso.query_url, "--graph-store", virtuoso.store_url]
    )
    assert given.exit_code == 0, given.output
    graphs = len(_ours(RemoteBackend(virtuoso.query_url).graph_sizes()))
    assert f"published {graphs} graphs, " in given.output
