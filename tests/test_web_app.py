"""The linked-data site over the seed (parlgraph.web.app), through Starlette's TestClient."""

from __future__ import annotations

import json
import re
from email.utils import format_datetime

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.compare import isomorphic
from starlette.testclient import TestClient

from parlgraph.cli import _memory_store
from parlgraph.vocab import ONTOLOGY_IRI
from parlgraph.web import sparql
from parlgraph.web.app import create_app
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.negotiate import BY_EXTENSION, REPRESENTATIONS
from parlgraph.web.settings import ServeSettings

BASE = "https://w3id.org/parlgraph/"
SITE = "http://testserver/"
QUESTION = "id/question/wallonia/2023-2024/238"
CLAIM = "id/claim/wallonia/2023-2024/qe-238/direct-aid-sme-share"
SPAN = "id/span/wallonia/2023-2024/qe-238/7404-7449"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
RDF_PARSERS = {
    "turtle": "turtle",
    "jsonld": "json-ld",
    "ntriples": "nt",
    "rdfxml": "xml",
    "nquads": "nquads",
    "trig": "trig",
}


def dump(store: ox.Store) -> Dataset:
    """The whole store as an rdflib Dataset (through N-Quads, no parlgraph code)."""
    dataset = Dataset()
    dataset.parse(data=store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8"), format="nquads")
    return dataset


def expected_description(dataset: Dataset, iri: str) -> Graph:
    """Apart from parlgraph.web: the IRI's triples, its hash IRIs', blank nodes below."""
    graph = Graph()
    subject = URIRef(iri)
    todo = [subject]
    todo += [
        o
        for _, _, o, _ in dataset.quads((subject, None, None, None))
        if str(o).startswith(iri + "#")
    ]
    seen = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for _, p, o, _g in dataset.quads((node, None, None, None)):
            graph.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return graph


@pytest.fixture(scope="module")
def store(built) -> ox.Store:
    return _memory_store(built, BASE)


@pytest.fixture(scope="module")
def dataset(store) -> Dataset:
    return dump(store)


@pytest.fixture(scope="module")
def client(store) -> TestClient:
    backend, settings = EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE)
    app = create_app(backend, settings, sparql.routes(backend, settings))
    return TestClient(app)


def parse(body: bytes, name: str) -> Graph:
    """Any served RDF back to one graph of triples (quad formats merged)."""
    if RDF_PARSERS[name] in {"nquads", "trig", "json-ld"}:
        data = Dataset()
        data.parse(data=body, format=RDF_PARSERS[name])
        merged = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            merged.add((s, p, o))
        return merged
    return Graph().parse(data=body, format=RDF_PARSERS[name])


@pytest.mark.parametrize("name", sorted(RDF_PARSERS))
@pytest.mark.parametrize("path", [QUESTION, CLAIM, SPAN, "id/person/borsus-willy"])
def test_each_rdf_format_is_the_description_computed_apart(client, dataset, path, name):
    media_type = next(r.media_type for r in REPRESENTATIONS if r.name == name)
    response = client.get(f"/{path}", headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    expected = expected_description(dataset, BASE + path)
    assert len(expected) > 0
    assert isomorphic(parse(response.content, name), expected)


def test_quad_formats_keep_the_graph_each_triple_comes_from(client):
    response = client.get(f"/{QUESTION}", headers={"Accept": "application/n-quads"})
    graphs = {m for m in re.findall(r"<([^>]+)> \.\n", response.text)}
    assert f"{BASE}graph/document/wallonia/2023-2024/qe-238" in graphs
    assert f"{BASE}graph/summary" in graphs


def test_span_description_includes_its_selectors(client):
    body = client.get(f"/{SPAN}.nt").text
    assert f"<{BASE}{SPAN}#quote> <http://www.w3.org/ns/oa#exact>" in body
    assert f"<{BASE}{SPAN}#position> <http://www.w3.org/ns/oa#start>" in body


def test_an_unsupported_type_is_406_naming_what_is_available(client):
    response = client.get(f"/{QUESTION}", headers={"Accept": "text/csv, image/*"})
    assert response.status_code == 406
    body = response.json()
    assert body["ok"] is False and body["status"] == 406
    assert "text/turtle" in body["error"] and "text/html" in body["error"]


def test_format_parameter_and_suffix_override_accept(client):
    by_parameter = client.get(f"/{QUESTION}?format=ntriples", headers={"Accept": "text/html"})
    by_suffix = client.get(f"/{QUESTION}.nt", headers={"Accept": "text/html"})
    assert by_parameter.headers["content-type"] == "application/n-triples"
    assert by_suffix.content == by_parameter.content


def test_conflicting_or_unknown_formats_are_400(client):
    assert client.get(f"/{QUESTION}.ttl?format=jsonld").status_code == 400
    response = client.get(f"/{QUESTION}?format=csv")
    assert response.status_code == 400
    assert "turtle" in response.json()["error"]
    assert client.get(f"/{QUESTION}?sort=up").json()["error"].startswith("unknown query")


def test_no_minted_iri_ends_with_a_format_suffix(dataset):
    """Stripping a known suffix from a path can never hide a resource."""
    names = {str(t) for q in dataset.quads((None, None, None, None)) for t in q if t is not None}
    last_segments = {iri.split("#")[0].rsplit("/", 1)[-1] for iri in names if iri.startswith(BASE)}
    suffixed = {s for s in last_segments if "." in s and s.rsplit(".", 1)[1] in BY_EXTENSION}
    assert len(last_segments) > 100 and suffixed == set()


def test_the_thing_answers_200_with_content_location_vary_and_links(client):
    """Policy: 200 at the thing's IRI, the document named in Content-Location (no 303)."""
    response = client.get(f"/{QUESTION}", headers={"Accept": "text/turtle"}, follow_redirects=False)
    assert response.status_code == 200
    assert response.headers["content-location"] == f"{SITE}{QUESTION}.ttl"
    assert "accept" in response.headers["vary"].lower()
    link = response.headers["link"]
    assert f'<{SITE}{QUESTION}.html>; rel="alternate"; type="text/html"' in link
    assert f'<{SITE}{QUESTION}.jsonld>; rel="alternate"; type="application/ld+json"' in link
    assert f'<{BASE}{QUESTION}>; rel="describes"' in link
    assert f"{QUESTION}.ttl>" not in link  # the alternates are the other formats


def test_no_request_is_ever_redirected(client):
    for path in (QUESTION, "def", "shapes", "graph/curated", "def/WrittenQuestion", ""):
        for accept in ("text/html", "text/turtle"):
            response = client.get(f"/{path}", headers={"Accept": accept}, follow_redirects=False)
            assert response.status_code in {200, 406}, (path, accept)


def test_every_iri_minted_under_the_base_resolves(client, dataset):
    names = {
        str(t).split("#")[0]
        for q in dataset.quads((None, None, None, None))
        for t in q
        if isinstance(t, URIRef) and str(t).startswith(BASE)
    }
    assert len(names) > 200
    for iri in sorted(names):
        path = "/" + iri.removeprefix(BASE)
        response = client.get(path, headers={"Accept": "application/n-triples"})
        assert response.status_code == 200, iri


def test_unknown_iris_under_the_base_are_404_in_json(client):
    response = client.get("/id/question/wallonia/2023-2024/99999", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.json() == {
        "ok": False,
        "error": f"nothing is said of <{BASE}id/question/wallonia/2023-2024/99999> in this dataset",
        "status": 404,
    }
    assert client.get("/nowhere").status_code == 404
    assert client.get("/id/x%3Cy%3E").status_code == 404


def test_graph_iris_give_the_named_graph(client, dataset):
    name = f"{BASE}graph/editorial"
    response = client.get("/graph/editorial", headers={"Accept": "application/n-quads"})
    served = parse(response.content, "nquads")
    expected = Graph()
    for s, p, o in dataset.graph(URIRef(name)):
        expected.add((s, p, o))
    assert len(expected) > 50 and isomorphic(served, expected)


def test_ontology_iri_gives_its_turtle_and_pylode_html(client, dataset):
    turtle = client.get("/def", headers={"Accept": "text/turtle"})
    expected = Graph()
    for s, p, o in dataset.graph(URIRef(ONTOLOGY_IRI)):
        expected.add((s, p, o))
    assert isomorphic(Graph().parse(data=turtle.text, format="turtle"), expected)
    html = client.get("/def", headers={"Accept": "text/html"}).text
    assert "pyLODE" in html and "written question" in html


def test_class_page_lists_the_constraints_of_its_shapes(client):
    html = client.get("/def/WrittenQuestion", headers={"Accept": "text/html"}).text
    assert f'href="{SITE}shapes/WrittenQuestionShape"' in html
    assert "pg:questionNumber" in html and "sh:minInclusive 1" in html
    assert "Une question écrite a exactement un numéro" in html


def test_shape_iris_dereference_with_their_blank_nodes(client):
    response = client.get("/shapes/WrittenQuestion-addressee", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    values = {str(o) for o in graph.objects(None, URIRef("http://www.w3.org/ns/shacl#hasValue"))}
    assert values == {"http://publications.europa.eu/resource/authority/role/ADDRESSEE"}


def test_html_page_has_labels_links_incoming_and_json_ld(client, dataset):
    html = client.get(f"/{QUESTION}", headers={"Accept": "text/html"}).text
    assert "<h1>Question écrite 238 (2023-2024) 1 : La Déclaration de politique" in html
    assert f'href="{SITE}id/person/mugemangango-germain"' in html  # rewritten to the site
    assert f'href="{SITE}id/answer/wallonia/2023-2024/238/1"' in html  # incoming: eli-dl:answers_to
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = Dataset().parse(data=embedded.group(1), format="json-ld")
    triples = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        triples.add((s, p, o))
    assert isomorphic(triples, expected_description(dataset, BASE + QUESTION))


def test_english_labels_are_shown_beside_the_french(client):
    html = client.get("/id/action/wallonia/2023-2024/qe-238/heco2.html").text
    assert "<h1>Portefeuille HECO2 (industrie bas carbone, PNRR)</h1>" in html
    assert 'lang="en">HECO2 portfolio (low-carbon industry' in html


def test_claim_page_marks_the_quoted_span_in_its_source(client, dataset):
    html = client.get(f"/{CLAIM}", headers={"Accept": "text/html"}).text
    marked = re.findall(r'<mark id="quote-\d+"><a href="([^"]+)">(.*?)</a></mark>', html, re.S)
    quote = (URIRef(f"{BASE}{SPAN}#quote"), URIRef("http://www.w3.org/ns/oa#exact"), None, None)
    [exact] = [o for _, _, o, _ in dataset.quads(quote)]
    assert marked == [(f"{SITE}id/source/wallonia/2023-2024/qe-238#char=7404,7449", str(exact))]
    assert "differs from the quote" not in html


def test_big_resources_are_paged(store):
    app = create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE, page_size=5))
    client = TestClient(app)
    first = client.get("/graph/curated.html")
    assert first.headers["link"].endswith(f'<{SITE}graph/curated?page=2>; rel="next"')
    second = client.get("/graph/curated.html?page=2")
    assert f'<a rel="prev" href="{SITE}graph/curated">' in second.text
    rows = lambda r: re.findall(r"<tr><td>.*?</tr>", r.text, re.S)  # noqa: E731
    assert len(rows(first)) == 5 and rows(first) != rows(second)
    assert client.get("/graph/curated.html?page=999").status_code == 404
    assert client.get("/graph/curated.html?page=0").status_code == 400
    person = client.get("/id/person/borsus-willy.html?page=2")
    assert person.status_code == 200 and "Page 2" in person.text


def test_etag_and_last_modified_revalidate_to_304(client):
    first = client.get(f"/{QUESTION}", headers={"Accept": "text/turtle"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(f"/{QUESTION}", headers={"Accept": "text/turtle", "If-None-Match": etag})
    assert first.headers["cache-control"] == "public, no-cache"
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag and "accept" in again.headers["vary"].lower()
    assert modified == format_datetime(client.app.state.site.backend.modified(), usegmt=True)
    by_date = client.get(f"/{QUESTION}.ttl", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    older = {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"}
    assert client.get(f"/{QUESTION}.ttl", headers=older).status_code == 200
    unreadable = {"If-Modified-Since": "yesterday"}
    assert client.get(f"/{QUESTION}.ttl", headers=unreadable).status_code == 200
    html = client.get(f"/{QUESTION}", headers={"Accept": "text/html"})
    assert html.headers["etag"] != etag  # one validator per representation
    stale = client.get(f"/{QUESTION}", headers={"Accept": "text/html", "If-None-Match": etag})
    assert stale.status_code == 200


def test_etag_changes_with_the_data_version(store):
    one = EmbeddedBackend(store)
    other = ox.Store()
    other.extend(store)
    other.add(
        ox.Quad(
            ox.NamedNode(BASE + QUESTION),
            ox.NamedNode("urn:p"),
            ox.Literal("x"),
            ox.NamedNode(BASE + "graph/new"),
        )
    )
    two = EmbeddedBackend(other, modified=one.modified())
    tags = []
    for backend in (one, two):
        app = create_app(backend, ServeSettings(base=BASE, site=SITE))
        tags.append(TestClient(app).get(f"/{QUESTION}.ttl").headers["etag"])
    assert tags[0] != tags[1]


def test_cors_is_open_for_get_by_default_and_configurable(client, store):
    response = client.get(f"/{QUESTION}.ttl", headers={"Origin": "https://example.org"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]
    closed = TestClient(
        create_app(EmbeddedBackend(store), ServeSettings(site=SITE, cors_origins=()))
    )
    assert (
        "access-control-allow-origin"
        not in closed.get("/def.ttl", headers={"Origin": "https://example.org"}).headers
    )
    one = ServeSettings(site=SITE, cors_origins=("https://ok.example",))
    limited = TestClient(create_app(EmbeddedBackend(store), one))
    denied = limited.get("/def.ttl", headers={"Origin": "https://other.example"})
    assert "access-control-allow-origin" not in denied.headers


def test_the_sparql_routes_are_reached_and_get_the_middleware(client):
    headers = {"Origin": "https://example.org", "Accept": "application/sparql-results+json"}
    query = f"ASK {{ <{BASE}{QUESTION}> ?p ?o }}"
    response = client.get("/sparql", params={"query": query}, headers=headers)
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert response.headers["etag"] and "accept" in response.headers["vary"].lower()
    assert response.headers["access-control-allow-origin"] == "*"
    again = client.get(
        "/sparql",
        params={"query": query},
        headers={**headers, "If-None-Match": response.headers["etag"]},
    )
    assert again.status_code == 304


def test_other_methods_are_405_in_json(client):
    response = client.post(f"/{QUESTION}")
    assert response.status_code == 405 and response.json()["status"] == 405


def test_iris_dereference_literally_when_the_base_is_the_site():
    from parlgraph.dataset import build
    from parlgraph.iris import Iris

    base = "http://127.0.0.1:8123/"
    backend = EmbeddedBackend(_memory_store(build(iris=Iris(base)), base))
    client = TestClient(create_app(backend, ServeSettings(base=base, site=base)))
    response = client.get(f"/{QUESTION}", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=response.text, format="turtle")
    assert len(graph.predicate_objects(URIRef(base + QUESTION)).__iter__().__next__()) == 2
    assert f'<{base}{QUESTION}>; rel="describes"' in response.headers["link"]
    html = client.get(f"/{QUESTION}.html").text
    assert f'href="{base}id/person/mugemangango-germain"' in html


paths = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(prefix=st.sampled_from(["id/", "graph/", "def/", "shapes/", "", "def", "id"]), rest=paths)
def test_any_path_is_answered_without_a_server_error(client, prefix, rest):
    from urllib.parse import quote

    response = client.get("/" + quote(prefix + rest), headers={"Accept": "text/html"})
    assert response.status_code in {200, 400, 404, 406}
    if response.status_code != 200:
        assert json.loads(response.text)["ok"] is False


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.one_of(st.text(max_size=12), st.integers(-5, 10**12).map(str)),
    fmt=st.one_of(st.none(), st.text(max_size=10), st.sampled_from(["ttl", "html", "jsonld"])),
)
def test_any_query_parameters_are_answered_without_a_server_error(client, page, fmt):
    params = {"page": page} if fmt is None else {"page": page, "format": fmt}
    response = client.get("/id/person/borsus-willy", params=params)
    assert response.status_code in {200, 400, 404}


def test_head_answers_the_headers_of_get_without_a_body(client):
    get = client.get(f"/{QUESTION}.ttl")
    head = client.head(f"/{QUESTION}.ttl")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-location"] == get.headers["content-location"]


def test_cors_preflight_allows_get_from_anywhere(client):
    response = client.options(
        f"/{QUESTION}",
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 200
    assert "GET" in response.headers["access-control-allow-methods"]


def test_shapes_index_documents_every_node_shape_with_its_target(client):
    html = client.get("/shapes.html").text
    expected = Graph().parse("shapes/parlgraph-shapes.ttl", format="turtle")
    shacl = "http://www.w3.org/ns/shacl#"
    node_shapes = {
        s
        for s in expected.subjects(URIRef(RDF_TYPE), URIRef(shacl + "NodeShape"))
        if isinstance(s, URIRef)
    }
    assert html.count('<section class="shape"') == len(node_shapes) > 40
    assert f'<a href="{SITE}def/WrittenQuestion"><code>{BASE}def/WrittenQuestion</code></a>' in html


def test_a_shape_page_says_which_constraints_apply_to_its_target_class(client):
    html = client.get("/shapes/PersonShape.html").text
    assert "<code>http://www.w3.org/ns/person#Person</code>" in html
    assert "<code>foaf:familyName</code>" in html


def test_a_triple_stated_in_many_graphs_is_one_row_naming_its_graphs():
    store = ox.Store()
    thing = ox.NamedNode(BASE + "id/scheme/x")
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    for n in range(5):
        graph = ox.NamedNode(f"{BASE}graph/document/wallonia/2023-2024/qe-{n}")
        store.add(ox.Quad(thing, label, ox.Literal("schéma", language="fr"), graph))
    client = TestClient(create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE)))
    html = client.get("/id/scheme/x.html").text
    assert html.count("<td>schéma") == 0 and html.count(">schéma</span>") == 1
    assert html.count(f'href="{SITE}graph/document/wallonia/2023-2024/qe-') == 3
    assert "+ 2" in html
    nquads = client.get("/id/scheme/x.nq").text
    assert nquads.count("\n") == 5  # RDF keeps every graph


class TimeoutsSeen(EmbeddedBackend):
    """The real embedded backend, noting the timeout each query was given."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.timeouts: set[float | None] = set()

    def query(self, sparql, **kwargs):
        self.timeouts.add(kwargs.get("timeout"))
        return super().query(sparql, **kwargs)


def test_every_query_of_a_page_carries_the_configured_timeout(store):
    backend = TimeoutsSeen(store)
    settings = ServeSettings(base=BASE, site=SITE, query_timeout_s=2.5)
    client = TestClient(create_app(backend, settings))
    backend.timeouts.clear()  # the ontology read at build time is not a request
    assert client.get(f"/{CLAIM}.html").status_code == 200
    assert backend.timeouts == {2.5}


def test_a_span_whose_offsets_miss_its_quote_is_flagged_not_hidden():
    oa = "http://www.w3.org/ns/oa#"
    graph = ox.NamedNode(BASE + "graph/curated")
    source, span = ox.NamedNode(BASE + "id/source/s"), ox.NamedNode(BASE + "id/span/s/0-5")
    position, quote = ox.NamedNode(f"{span.value}#position"), ox.NamedNode(f"{span.value}#quote")
    facts = [
        (
            source,
            ox.NamedNode("http://www.w3.org/2011/content#chars"),
            ox.Literal("Bonjour le monde"),
        ),
        (span, ox.NamedNode(oa + "hasSource"), source),
        (span, ox.NamedNode(oa + "hasSelector"), position),
        (span, ox.NamedNode(oa + "hasSelector"), quote),
        (position, ox.NamedNode(oa + "start"), ox.Literal("0", datatype=ox.NamedNode(XSD_INTEGER))),
        (position, ox.NamedNode(oa + "end"), ox.Literal("5", datatype=ox.NamedNode(XSD_INTEGER))),
        (quote, ox.NamedNode(oa + "exact"), ox.Literal("monde")),
    ]
    store = ox.Store()
    store.extend(ox.Quad(s, p, o, graph) for s, p, o in facts)
    client = TestClient(create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE)))
    html = client.get("/id/span/s/0-5.html").text
    assert re.search(r"<mark[^>]*><a [^>]*>Bonjo</a></mark>", html)
    assert "differs from the quote" in html and "« monde »" in html


def test_a_graph_page_also_shows_what_is_said_about_the_graph():
    graph = ox.NamedNode(BASE + "graph/curated")
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(BASE + "id/x"), title, ox.Literal("x", language="fr"), graph))
    meta = ox.NamedNode(BASE + "graph/catalog")
    store.add(ox.Quad(graph, title, ox.Literal("Données éditées", language="fr"), meta))
    client = TestClient(create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE)))
    html = client.get("/graph/curated.html").text
    assert "<h1>Données éditées</h1>" in html and "about this graph" in html
    turtle = Graph().parse(data=client.get("/graph/curated.ttl").text, format="turtle")
    assert len(turtle) == 1  # the RDF is the graph's content


def test_pages_link_only_the_services_mounted_beside_them(client, store):
    html = client.get(f"/{QUESTION}.html").text
    assert f'<a href="{SITE}sparql">SPARQL</a>' in html and f'href="{SITE}api/"' not in html
    alone = TestClient(create_app(EmbeddedBackend(store), ServeSettings(base=BASE, site=SITE)))
    assert f'href="{SITE}sparql"' not in alone.get(f"/{QUESTION}.html").text
