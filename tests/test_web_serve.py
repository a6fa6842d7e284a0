"""End to end: `parlgraph serve --port 0` as a real process, asked over HTTP on 127.0.0.1."""

from __future__ import annotations

import socket
import urllib.error
import urllib.parse
import urllib.request
from email.message import Message

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from parlgraph_server import parlgraph_server
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from parlgraph.cli import _memory_store, cli

BASE = "https://w3id.org/parlgraph/"
QUESTION = "id/question/wallonia/2023-2024/238"


@pytest.fixture(scope="module")
def server():
    with parlgraph_server() as url:
        yield url


def get(url: str, accept: str) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()


def test_turtle_of_the_question_is_its_description(server, built):
    status, headers, body = get(server + QUESTION, "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert headers["content-location"] == f"{server}{QUESTION}.ttl"
    served = Graph().parse(data=body, format="turtle")
    store = _memory_store(built, BASE)  # the data `serve` builds: the seed and its summaries
    everything = Dataset()
    everything.parse(data=store.dump(format=ox.RdfFormat.N_QUADS), format="nquads")
    expected = Graph()
    for s, p, o, _ in everything.quads((URIRef(BASE + QUESTION), None, None, None)):
        expected.add((s, p, o))
    assert len(expected) > 15 and isomorphic(served, expected)


def test_html_page_and_406_over_http(server):
    status, headers, body = get(server + QUESTION, "text/html")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>Question écrite 238 (2023-2024) 1" in body.decode("utf-8")
    status, _, body = get(server + QUESTION, "image/png")
    assert status == 406 and b"text/turtle" in body


def test_serve_refuses_a_port_in_use_naming_it():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 1
    assert f"--host 127.0.0.1 --port {port}: cannot bind" in result.output


def test_serve_refuses_a_site_without_final_slash():
    result = CliRunner().invoke(cli, ["serve", "--site", "http://example.org/pg"])
    assert result.exit_code == 1
    assert '--site "http://example.org/pg" must end with "/"' in result.output


def test_docs_writes_pylode_documentation_of_the_ontology(tmp_path):
    result = CliRunner().invoke(cli, ["docs", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "ontology.html").read_text("utf-8")
    assert "pyLODE" in html and "quantified claim" in html


def test_the_served_app_answers_sparql_beside_the_pages(server):
    query = urllib.parse.quote(f"ASK {{ <{BASE}{QUESTION}> ?p ?o }}")
    status, headers, body = get(f"{server}sparql?query={query}", "application/sparql-results+json")
    assert status == 200 and b"true" in body
    assert headers["etag"] and "Accept" in headers["vary"]


def test_the_served_app_mounts_the_catalogue_and_the_api_and_links_them(server):
    status, headers, body = get(f"{server}.well-known/void", "text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    assert b"void:Dataset" in body and "Accept" in headers["vary"]
    status, _, _ = get(f"{server}api/", "application/json")
    assert status == 200
    _, _, home = get(server, "text/html")
    for path in ("sparql", "api/", "catalog"):
        assert f'href="{server}{path}"' in home.decode("utf-8")


def test_accepted_connections_have_nagle_off():
    """asyncio sets TCP_NODELAY only on sockets whose proto is TCP; without it keep-alive
    clients waited ~40 ms per response for a delayed ACK."""
    import socket

    from parlgraph.web.serve import bind

    listening = bind("127.0.0.1", 0)
    try:
        client = socket.create_connection(listening.getsockname())
        accepted, _ = listening.accept()
        assert accepted.proto == socket.IPPROTO_TCP
        accepted.close()
        client.close()
    finally:
        listening.close()
