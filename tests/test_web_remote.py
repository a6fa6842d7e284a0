"""The site over a remote store: real `oxigraph serve` and Virtuoso servers holding the seed.

The pages and descriptions must not depend on where the data is: the same requests give the
same RDF (isomorphic) and the same page contents over RemoteBackend as over the embedded store.
"""

from __future__ import annotations

import re
import urllib.request

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from oxigraph_server import oxigraph_server
from parlgraph_server import parlgraph_server
from rdflib import Graph
from rdflib.compare import isomorphic
from servers import free_port
from starlette.testclient import TestClient
from virtuoso_server import virtuoso_binaries, virtuoso_server

from parlgraph.cli import _memory_store, cli
from parlgraph.remote import RemoteBackend, publish
from parlgraph.web.app import create_app
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.settings import ServeSettings

BASE = "https://w3id.org/parlgraph/"
SITE = "http://testserver/"
PATHS = [
    "id/question/wallonia/2023-2024/238",
    "id/claim/wallonia/2023-2024/qe-238/direct-aid-sme-share",
    "id/span/wallonia/2023-2024/qe-238/7404-7449",
    "id/person/borsus-willy",
    "graph/editorial",
    "def",
    "def/QuantifiedClaim",
]


@pytest.fixture(scope="module")
def seed(built) -> ox.Store:
    return _memory_store(built, BASE)


@pytest.fixture(scope="module")
def oxigraph(seed, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("web-oxigraph") / "db") as server:
        publish(seed, server.store_url)
        yield server


@pytest.fixture(scope="module")
def virtuoso(seed, tmp_path_factory):
    if virtuoso_binaries() is None:
        pytest.skip("Virtuoso (virtuoso-t, isql-vt) is not installed")
    with virtuoso_server(tmp_path_factory.mktemp("web-virtuoso")) as server:
        publish(seed, server.store_url)
        yield server


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def clients(request, seed):
    """The embedded site and the same site over each real server."""
    server = request.getfixturevalue(request.param)
    settings = ServeSettings(base=BASE, site=SITE)
    remote = TestClient(create_app(RemoteBackend(server.query_url), settings))
    embedded = TestClient(create_app(EmbeddedBackend(seed), settings))
    return embedded, remote


@pytest.mark.parametrize("path", PATHS)
def test_remote_descriptions_are_the_embedded_ones(clients, path):
    here, there = (c.get(f"/{path}.nt") for c in clients)
    assert here.status_code == there.status_code == 200
    assert isomorphic(
        Graph().parse(data=here.text, format="nt"), Graph().parse(data=there.text, format="nt")
    )


def test_remote_claim_page_marks_the_same_span(clients):
    path = "/id/claim/wallonia/2023-2024/qe-238/direct-aid-sme-share.html"
    pages = [c.get(path).text for c in clients]
    marks = [re.findall(r"<mark[^>]*>(.*?)</mark>", page, re.S) for page in pages]
    assert marks[0] == marks[1] and len(marks[0]) == 1
    incoming = [page[page.index("incoming links") :] for page in pages]
    assert incoming[0] == incoming[1]


def test_remote_unknown_iri_is_404(clients):
    _, remote = clients
    assert remote.get("/id/question/wallonia/2023-2024/99999.ttl").status_code == 404


def test_remote_home_lists_the_dataset_graphs_only(clients):
    pages = [c.get("/", headers={"Accept": "text/html"}).text for c in clients]
    graphs = [re.findall(r'<li><a href="([^"]+)"', page) for page in pages]
    assert graphs[0] == graphs[1] and len(graphs[0]) > 5


def test_parlgraph_serve_endpoint_serves_the_remote_store(oxigraph, seed):
    embedded = TestClient(create_app(EmbeddedBackend(seed), ServeSettings(base=BASE, site=SITE)))
    path = "id/question/wallonia/2023-2024/238"
    with parlgraph_server("--endpoint", oxigraph.query_url) as url:
        request = urllib.request.Request(url + path, headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=10) as response:
            served = Graph().parse(data=response.read(), format="turtle")
    expected = Graph().parse(data=embedded.get(f"/{path}.ttl").text, format="turtle")
    assert len(expected) > 15 and isomorphic(served, expected)


def test_serve_store_and_endpoint_together_is_bad_usage(tmp_path):
    result = CliRunner().invoke(
        cli, ["serve", "--store", str(tmp_path), "--endpoint", "http://127.0.0.1:9/query"]
    )
    assert result.exit_code == 2
    assert "--store and --endpoint are exclusive" in result.output


def test_serve_an_unreachable_endpoint_exits_1_naming_it():
    port = free_port()
    result = CliRunner().invoke(cli, ["serve", "--endpoint", f"http://127.0.0.1:{port}/query"])
    assert result.exit_code == 1
    assert f"http://127.0.0.1:{port}/query" in result.output
