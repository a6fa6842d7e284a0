"""Text from the data is shown, never run: a tiny store holding markup in its literals."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from parlgraph.web.app import create_app
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.settings import ServeSettings

BASE = "https://w3id.org/parlgraph/"
THING = BASE + "id/organization/evil"
ATTACK = "<script>alert(1)</script>"
LABEL = 'Évil " onmouseover="alert(2) </script><b>'


@pytest.fixture(scope="module")
def client() -> TestClient:
    store = ox.Store()
    graph = ox.NamedNode(BASE + "graph/curated")
    thing = ox.NamedNode(THING)
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    comment = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
    store.add(ox.Quad(thing, label, ox.Literal(LABEL, language="fr"), graph))
    store.add(ox.Quad(thing, comment, ox.Literal(ATTACK), graph))
    other = ox.NamedNode(BASE + "id/organization/other")
    store.add(ox.Quad(other, ox.NamedNode("http://www.w3.org/ns/org#linkedTo"), thing, graph))
    store.add(ox.Quad(other, label, ox.Literal(ATTACK, language="fr"), graph))
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    store.add(ox.Quad(thing, see_also, ox.NamedNode("javascript:alert(3)"), graph))
    app = create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site="http://testserver/"))
    return TestClient(app)


def test_a_script_literal_is_shown_escaped_and_never_run(client):
    html = client.get("/id/organization/evil", headers={"Accept": "text/html"}).text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert(2)' not in html
    assert "<b>" not in html
    assert html.count("<script") == 1  # only the JSON-LD block
    assert html.count("</script>") == 1


def test_embedded_json_ld_keeps_the_literal_exactly(client):
    html = client.get("/id/organization/evil.html").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert ATTACK in json.dumps(json.loads(block), ensure_ascii=False)


def test_incoming_labels_and_graph_pages_are_escaped_too(client):
    for path in ("/id/organization/evil.html", "/graph/curated.html", "/"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html, path


def test_iris_of_other_schemes_are_shown_but_never_linked(client):
    html = client.get("/id/organization/evil.html").text
    assert 'href="javascript:' not in html
    assert 'title="javascript:alert(3)">javascript:alert(3)</span>' in html
