"""The stored-query API and the catalogue over a real `oxigraph serve`, answering as embedded.

The remote path binds by writing checked terms into the query (remote.binding); these tests show
it gives the embedded store's pages, links and description, and that injection stays data.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from oxigraph_server import oxigraph_server
from starlette.applications import Starlette
from starlette.testclient import TestClient

from parlgraph.catalog import describe_dataset
from parlgraph.dump import dump
from parlgraph.formats import FORMATS
from parlgraph.paths import Layout
from parlgraph.query import load_queries
from parlgraph.remote import RemoteBackend
from parlgraph.remote.publish import publish
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries
from parlgraph.web.api import routes
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.settings import ServeSettings

BASE = "https://w3id.org/parlgraph/"
SETTINGS = ServeSettings(base=BASE, site="http://127.0.0.1:8000/", page_size=5, row_cap=50)
FIXTURE = Path(__file__).parent / "queries" / "ok-parameters.rq"


@pytest.fixture(scope="module")
def store(built) -> ox.Store:
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="module")
def remote(store, tmp_path_factory) -> RemoteBackend:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-api") / "db") as server:
        publish(store, server.store_url)
        yield RemoteBackend(server.query_url, cache_seconds=0)


@pytest.fixture(scope="module")
def clients(store, remote, tmp_path_factory) -> tuple[TestClient, TestClient]:
    folder = tmp_path_factory.mktemp("queries")
    for path in Layout.default().queries.glob("*.rq"):
        shutil.copy(path, folder)
    shutil.copy(FIXTURE, folder / "search.rq")
    queries = load_queries(folder)
    return tuple(
        TestClient(Starlette(routes=routes(backend, SETTINGS, queries)))
        for backend in (EmbeddedBackend(store), remote)
    )


def every_page(client: TestClient, url: str) -> list[tuple[dict, str]]:
    """Each page's body and Link header, following `next`."""
    pages = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.text
        pages.append((response.json(), response.headers["link"]))
        nexts = [part for part in response.headers["link"].split(", ") if 'rel="next"' in part]
        url = nexts[0][1:].split(">", 1)[0].removeprefix("http://127.0.0.1:8000") if nexts else ""
    return pages


@pytest.mark.parametrize(
    "url",
    [
        "/api/claim-evidence",
        "/api/unanswered?at=2024-02-01",
        "/api/unanswered?at=2024-02-12",
        "/api/sme-participation",
        "/api/search?text=PIT&per_page=2",
        "/api/commitment-actions?per_page=3",
    ],
)
def test_remote_pages_are_the_embedded_pages(clients, url):
    embedded, remote = clients
    assert every_page(remote, url) == every_page(embedded, url)


@pytest.mark.parametrize(
    "payload", ['"> } ; DROP ALL ; #', "x> . ?s ?p ?o #", '") } UNION { ?a ?p ?label } #']
)
def test_remote_injection_is_bound_as_data(clients, remote, payload):
    _, client = clients
    response = client.get("/api/search", params={"text": payload})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    refused = client.get("/api/claim-evidence", params={"source": payload})
    assert refused.status_code == 400 and 'parameter "source"' in refused.json()["error"]


def test_the_remote_description_is_the_embedded_one(store, remote):
    assert set(describe_dataset(remote, SETTINGS)) == set(
        describe_dataset(EmbeddedBackend(store), SETTINGS)
    )


def test_the_remote_dump_is_the_embedded_one(store, remote):
    fmt = FORMATS["nquads"]
    assert dump(remote, fmt) == dump(EmbeddedBackend(store), fmt)
