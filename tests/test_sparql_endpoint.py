"""The /sparql endpoint over real HTTP (uvicorn on 127.0.0.1) on the seed's graph.

Each way of sending a query, each results and RDF format read back with pyoxigraph's own
parsers and compared with what the store answers directly, the dataset parameters, the two
limits, read-only refusal, syntax errors with line and column, the Service Description and
the YASGUI page. Query parameters get hypothesis tests (Accept parsing: test_web_negotiate).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import anyio
import httpx
import pyoxigraph as ox
import pytest
import sparql_server
from chromium import CHROMIUM, QUIET_FLAGS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Namespace, URIRef

from parlgraph.dataset import Built
from parlgraph.formats import FORMATS
from parlgraph.query import StoredQuery, load_queries
from parlgraph.store import load_store
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.settings import ServeSettings
from parlgraph.web.sparql_execute import Executor, Limits
from parlgraph.web.sparql_protocol import EndpointError, Operation
from parlgraph.web.sparql_results import OX_RDF_FORMATS
from parlgraph.web.yasgui import page

ROOT = Path(__file__).resolve().parents[1]
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
QUESTION = "https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238"
SELECT = """PREFIX schema: <http://schema.org/>
SELECT ?claim ?value ?g WHERE {
  GRAPH ?g { ?claim a schema:Observation ; schema:value ?value }
} ORDER BY ?claim"""
RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


@pytest.fixture(scope="module")
def store(built: Built) -> ox.Store:
    return load_store(built.dataset)


@pytest.fixture(scope="module")
def endpoint(store: ox.Store) -> Iterator[str]:
    with sparql_server.serve(EmbeddedBackend(store)) as live:
        yield live.endpoint


def rows(results: ox.QuerySolutions) -> list[tuple]:
    variables = [v.value for v in results.variables]
    return [tuple(s[v] for v in variables) for s in results]


def expected_rows(store: ox.Store, query: str) -> list[tuple]:
    return rows(store.query(query, use_default_graph_as_union=True))


# ---------------------------------------------------------------------------- methods, formats


def test_get_form_post_and_direct_post_give_the_rows_of_the_store(
    store: ox.Store, endpoint: str
) -> None:
    expected = expected_rows(store, SELECT)
    assert len(expected) > 5  # the seed's figures: enough for the comparison to mean something
    answers = [
        httpx.get(endpoint, params={"query": SELECT}),
        httpx.post(endpoint, data={"query": SELECT}),
        httpx.post(endpoint, content=SELECT, headers={"content-type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["vary"] == "Accept"
        assert response.headers["x-result-rows"] == str(len(expected))
        parsed = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
        assert rows(parsed) == expected


@pytest.mark.parametrize("media_type", list(RESULTS))
def test_each_results_format_parses_back_to_the_rows_of_the_store(
    media_type: str, store: ox.Store, endpoint: str
) -> None:
    expected = expected_rows(store, SELECT)
    response = httpx.get(endpoint, params={"query": SELECT}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":
        # CSV keeps the text of each term, not its kind or datatype; pyoxigraph will not read
        # it back for that reason, so the csv module does.
        header, *lines = csv.reader(io.StringIO(response.content.decode("utf-8")))
        assert header == ["claim", "value", "g"]
        assert lines == [[t.value for t in row] for row in expected]
    else:
        assert rows(ox.parse_query_results(response.content, RESULTS[media_type])) == expected


@pytest.mark.parametrize(
    "media_type", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask_answers_in_json_and_xml(media_type: str, endpoint: str) -> None:
    for query, value in (
        (f"ASK {{ <{QUESTION}> ?p ?o }}", True),
        ("ASK { <urn:x:none> ?p ?o }", False),
    ):
        response = httpx.get(endpoint, params={"query": query}, headers={"accept": media_type})
        assert response.status_code == 200
        result = ox.parse_query_results(response.content, RESULTS[media_type])
        assert bool(result) is value


TRICKY = """SELECT ?s ?o ?none WHERE {
  VALUES (?s ?o) {
    (<http://example.org/a?x=1&y=2> "tab\\there, \\"quoted\\" <&> line\\nbreak")
    (<http://example.org/b> "bonjour"@fr-BE)
    (<http://example.org/c> "12.50"^^<http://www.w3.org/2001/XMLSchema#decimal>)
    (<http://example.org/d> "")
  }
  OPTIONAL { ?s <urn:x:none> ?none }
}"""


@pytest.mark.parametrize("media_type", list(RESULTS))
def test_escaping_language_tags_datatypes_and_unbound_cells_survive_every_format(
    media_type: str, endpoint: str
) -> None:
    expected = rows(ox.Store().query(TRICKY))
    assert len(expected) == 4 and all(row[2] is None for row in expected)
    response = httpx.post(endpoint, data={"query": TRICKY}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    if media_type == "text/csv":
        header, *lines = csv.reader(io.StringIO(response.content.decode("utf-8"), newline=""))
        assert header == ["s", "o", "none"]
        assert lines == [[row[0].value, row[1].value, ""] for row in expected]
    else:
        assert rows(ox.parse_query_results(response.content, RESULTS[media_type])) == expected


def test_ask_in_csv_is_not_acceptable(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "ASK {}"}, headers={"accept": "text/csv"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["available"]


@pytest.mark.parametrize("name", list(FORMATS))
def test_construct_answers_in_every_rdf_format(name: str, store: ox.Store, endpoint: str) -> None:
    query = f"CONSTRUCT {{ <{QUESTION}> ?p ?o }} WHERE {{ <{QUESTION}> ?p ?o }}"
    expected = {str(t) for t in store.query(query, use_default_graph_as_union=True)}
    assert expected
    media_type = FORMATS[name].media_type
    response = httpx.post(endpoint, data={"query": query}, headers={"accept": media_type})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    parsed = ox.parse(response.content, OX_RDF_FORMATS[name])
    assert {str(ox.Triple(q.subject, q.predicate, q.object)) for q in parsed} == expected


def test_describe_defaults_to_turtle(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": f"DESCRIBE <{QUESTION}>"})
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    assert any(t.subject == ox.NamedNode(QUESTION) for t in triples)


def test_an_unacceptable_media_type_gets_406_naming_the_available_ones(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": SELECT}, headers={"accept": "image/png"})
    assert response.status_code == 406
    body = response.json()
    assert body["ok"] is False and body["status"] == 406
    assert "text/csv" in body["error"]


# ---------------------------------------------------------------------------- datasets


def _graph_count(endpoint: str, query: str, **params: str | list[str]) -> int:
    response = httpx.get(endpoint, params={"query": query, **params})
    assert response.status_code == 200, response.text
    result = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    return int(next(iter(result))["n"].value)


def test_default_graph_uri_restricts_the_default_graph(built: Built, endpoint: str) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    curated = str(built.curated_graph)
    in_curated = len(built.dataset.graph(URIRef(curated)))
    everything = _graph_count(endpoint, query)
    assert _graph_count(endpoint, query, **{"default-graph-uri": curated}) == in_curated
    assert 0 < in_curated < everything


def test_named_graph_uri_restricts_the_named_graphs(built: Built, endpoint: str) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    two = [str(built.curated_graph), str(built.editorial_graph)]
    assert _graph_count(endpoint, query) > 2
    assert _graph_count(endpoint, query, **{"named-graph-uri": two}) == 2


def test_from_in_the_query_is_respected(built: Built, endpoint: str) -> None:
    """Regression: the union-default-graph flag used to replace a query's own FROM."""
    curated = str(built.curated_graph)
    query = f"SELECT (COUNT(*) AS ?n) FROM <{curated}> WHERE {{ ?s ?p ?o }}"
    assert _graph_count(endpoint, query) == len(built.dataset.graph(URIRef(curated)))


def test_a_dataset_parameter_that_is_not_an_iri_is_refused(endpoint: str) -> None:
    response = httpx.get(endpoint, params={"query": "ASK {}", "default-graph-uri": "not an iri"})
    assert response.status_code == 400
    assert "default-graph-uri" in response.json()["error"]


# ---------------------------------------------------------------------------- limits


def _slow_backend() -> EmbeddedBackend:
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    store.bulk_extend(
        ox.Quad(ox.NamedNode(f"http://example.org/{i}"), p, ox.Literal(str(i)), ox.DefaultGraph())
        for i in range(1500)
    )
    return EmbeddedBackend(store)


SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . FILTER(STR(?x) < STR(?y)) }"


def test_a_query_over_the_timeout_gets_503_naming_the_limit() -> None:
    with sparql_server.serve(_slow_backend(), ServeSettings(query_timeout_s=0.2)) as live:
        started = time.monotonic()
        response = httpx.get(live.endpoint, params={"query": SLOW}, timeout=30)
        elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["timeout_s"] == 0.2
    assert "0.2 s" in body["error"] and "timeout" in body["error"]
    assert elapsed < 1.0  # at the limit, not when the query ends


def test_the_same_query_within_the_timeout_is_answered() -> None:
    """The slow query is slow, not broken: with a generous limit it has an answer."""
    with sparql_server.serve(_slow_backend(), ServeSettings(query_timeout_s=60)) as live:
        started = time.monotonic()
        response = httpx.get(live.endpoint, params={"query": SLOW}, timeout=90)
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text
    assert elapsed > 0.4  # so the 0.2 s limit of the test above is really passed
    result = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    assert int(next(iter(result))["n"].value) == 1500 * 1499 // 2


def test_a_query_that_finds_no_free_worker_gets_503_saying_so() -> None:
    """With one worker busy past the timeout, the next query is told the workers are busy."""
    executor = Executor(_slow_backend(), Limits(timeout_s=0.3, row_cap=10), "http://e/", workers=1)
    errors: list[EndpointError] = []

    async def one() -> None:
        try:
            await executor.run(Operation(SLOW), None)
        except EndpointError as err:
            errors.append(err)

    async def both() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(one)
            await anyio.sleep(0.05)
            group.start_soon(one)

    anyio.run(both)
    assert [e.status for e in errors] == [503, 503]
    assert "did not finish within 0.3 s" in errors[0].message
    assert "all 1 query workers stayed busy for 0.3 s" in errors[1].message
    # The abandoned query keeps its slot until its thread ends, then frees it exactly once.
    deadline = time.monotonic() + 60
    while True:
        try:
            answer = anyio.run(executor.run, Operation("ASK {}"), None)
            break
        except EndpointError as err:
            assert "stayed busy" in err.message and time.monotonic() < deadline
            time.sleep(0.2)
    assert answer.body == b'{"head": {}, "boolean": true}'
    assert executor._slots.acquire(blocking=False)  # the one slot is free again


def test_the_row_cap_refuses_larger_results_and_names_the_cap(store: ox.Store) -> None:
    count = len(expected_rows(store, SELECT))
    backend = EmbeddedBackend(store)
    with sparql_server.serve(backend, ServeSettings(row_cap=count - 1)) as live:
        over = httpx.get(live.endpoint, params={"query": SELECT})
        limited = httpx.get(live.endpoint, params={"query": f"{SELECT} LIMIT {count - 1}"})
        construct = httpx.get(live.endpoint, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert over.status_code == 400
    assert over.json()["row_cap"] == count - 1
    assert f"more than {count - 1} rows" in over.json()["error"]
    assert "LIMIT" in over.json()["error"]
    assert limited.status_code == 200
    assert limited.headers["x-result-rows"] == str(count - 1)
    assert construct.status_code == 400 and "triples" in construct.json()["error"]


# ---------------------------------------------------------------------------- refusals


def test_updates_are_refused_and_change_nothing(store: ox.Store, endpoint: str) -> None:
    before = len(store)
    update = "DELETE WHERE { ?s ?p ?o }"
    answers = [
        httpx.post(endpoint, content=update, headers={"content-type": "application/sparql-update"}),
        httpx.post(endpoint, data={"update": update}),
        httpx.get(endpoint, params={"update": update}),
    ]
    for response in answers:
        assert response.status_code == 403
        assert "read-only" in response.json()["error"]
    assert len(store) == before


def test_a_bad_query_gets_400_with_the_parsers_line_and_column(endpoint: str) -> None:
    query = "PREFIX ex: <http://example.org/>\nSELECT ?s WHERE {\n  ?s ex:p ?o ..\n}"
    response = httpx.post(endpoint, data={"query": query})
    assert response.status_code == 400
    body = response.json()
    assert (body["line"], body["column"]) == (3, 15)
    assert body["error"].startswith("invalid SPARQL at line 3, column 15 (near '.'); ")
    assert "pyoxigraph stopped at line 4, column 2" in body["error"]
    assert body["context"] == "  ?s ex:p ?o ..\n              ^"


def test_a_bad_first_line_reports_the_column_the_user_typed(endpoint: str) -> None:
    """The BASE put before the query must not shift the column on line 1."""
    body = httpx.get(endpoint, params={"query": "ASK {"}).json()
    assert (body["line"], body["column"]) == (1, 6)


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "words"),
    [
        ("PUT", {}, 405, "GET or POST"),
        (
            "POST",
            {"content": "ASK {}", "headers": {"content-type": "text/plain"}},
            415,
            "text/plain",
        ),
        ("POST", {"content": "ASK {}"}, 415, "no Content-Type"),
        ("GET", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "2 queries"),
        ("GET", {"params": {"query": "  "}}, 400, "empty"),
        ("POST", {"data": {"default-graph-uri": "http://g"}}, 400, "without a query"),
        (
            "POST",
            {
                "content": "ASK {}".encode("utf-16"),
                "headers": {"content-type": "application/sparql-query; charset=UTF-16"},
            },
            415,
            "UTF-8",
        ),
        (
            "POST",
            {"content": b"ASK { \xff }", "headers": {"content-type": "application/sparql-query"}},
            400,
            "UTF-8",
        ),
        (
            "GET",
            {"params": {"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}},
            400,
            "SERVICE",
        ),
    ],
)
def test_malformed_requests_get_a_4xx_that_says_why(
    endpoint: str, method: str, kwargs: dict, status: int, words: str
) -> None:
    response = httpx.request(method, endpoint, **kwargs)
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {**body, "ok": False, "status": status}
    assert words in body["error"]
    if status == 405:
        assert response.headers["allow"] == "GET, HEAD, POST"


def test_head_options_and_oversized_bodies(endpoint: str) -> None:
    head = httpx.head(endpoint, params={"query": "ASK {}"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == "application/sparql-results+json"
    options = httpx.options(endpoint)
    assert options.status_code == 204 and options.headers["allow"] == "GET, HEAD, POST"
    big = httpx.post(
        endpoint,
        content=b"#" * 1_000_001,
        headers={"content-type": "application/sparql-query"},
    )
    assert big.status_code == 413 and "1000000 bytes" in big.json()["error"]


# ---------------------------------------------------------------------------- service description


@pytest.mark.parametrize("name", list(FORMATS))
def test_the_service_description_comes_in_every_rdf_format(name: str, endpoint: str) -> None:
    response = httpx.get(endpoint, headers={"accept": FORMATS[name].media_type})
    assert response.status_code == 200
    triples = {
        (q.subject, q.predicate, q.object) for q in ox.parse(response.content, OX_RDF_FORMATS[name])
    }
    service = ox.NamedNode(endpoint)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (service, ox.NamedNode(sd + "endpoint"), service) in triples
    assert (
        service,
        ox.NamedNode(sd + "supportedLanguage"),
        ox.NamedNode(sd + "SPARQL11Query"),
    ) in triples


def test_the_service_description_lists_the_formats_and_the_limits(endpoint: str) -> None:
    graph = Graph().parse(data=httpx.get(endpoint).text, format="turtle")
    service = URIRef(endpoint)
    assert (service, RDF.type, SD.Service) in graph
    formats = {str(f) for f in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_TSV" in formats
    assert "http://www.w3.org/ns/formats/JSON-LD" in formats
    settings = ServeSettings()
    comment = " ".join(
        str(c)
        for c in graph.objects(service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))
    )
    assert f"{settings.query_timeout_s:g} s" in comment and str(settings.row_cap) in comment


# ---------------------------------------------------------------------------- YASGUI


class _Assets(HTMLParser):
    """Every URL the page makes a browser load: src=, link href=, and the inline JSON."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.links: list[str] = []
        self.queries: str = ""
        self._in_queries = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("src"):
            self.loads.append(values["src"])
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"])
        elif values.get("href"):
            self.links.append(values["href"])
        self._in_queries = values.get("id") == "parlgraph-queries"

    def handle_data(self, data: str) -> None:
        if self._in_queries:
            self.queries += data

    def handle_endtag(self, tag: str) -> None:
        self._in_queries = False


def _page(endpoint: str, **params: str) -> tuple[httpx.Response, _Assets]:
    response = httpx.get(endpoint, params=params, headers={"accept": BROWSER})
    assets = _Assets()
    assets.feed(response.text)
    return response, assets


def test_a_browser_gets_yasgui_with_every_stored_query_as_a_tab(endpoint: str) -> None:
    response, assets = _page(endpoint)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    stored = load_queries(ROOT / "queries")
    tabs = json.loads(assets.queries)
    assert [t["name"] for t in tabs] == [q.title for q in stored.values()]
    assert [t["query"] for t in tabs] == [q.text for q in stored.values()]  # defaults untouched


def test_query_text_cannot_break_out_of_the_pages_script() -> None:
    text = 'SELECT * { ?s ?p "</script><script>alert(1)</script><!-- & -->" }'
    stored = {"x": StoredQuery("x", Path("x.rq"), "X", "x", {}, [], text)}
    html = page(stored)
    assets = _Assets()
    assets.feed(html)
    assert json.loads(assets.queries)[0]["query"] == text
    assert html.count("<script") == 3  # the JSON, the bundle and the page's own script


def test_a_browser_following_a_query_link_gets_the_page(endpoint: str) -> None:
    response, _ = _page(endpoint, query="ASK {}")
    assert response.headers["content-type"].startswith("text/html")


def test_the_page_loads_every_asset_from_this_site(endpoint: str) -> None:
    response, assets = _page(endpoint)
    assert {a.rsplit("/", 1)[-1] for a in assets.loads} == {"yasgui.min.js", "yasgui.min.css"}
    for url in assets.loads + assets.links:
        assert not re.match(r"^(https?:)?//", url), f"the page loads {url} from elsewhere"
        asset = httpx.get(httpx.URL(endpoint).join(url))
        assert asset.status_code == 200, url
        if url.endswith(".css"):
            remote = re.findall(r"(?:url\(|@import)\s*['\"]?\s*(?:https?:)?//", asset.text)
            assert not remote, "the stylesheet loads something from elsewhere"
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert inline and not re.search(r"https?://", "".join(inline))


def test_the_page_overrides_every_remote_default_of_the_bundle(endpoint: str) -> None:
    """YASGUI's bundle defaults to remote endpoints and completers; the page replaces them all."""
    response, _ = _page(endpoint)
    script = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)[0]
    bundle = httpx.get(endpoint.removesuffix("sparql") + "static/yasgui/yasgui.min.js").text
    remote_endpoints = re.findall(r"endpoint:`(https?://[^`]+)`", bundle)
    assert remote_endpoints, "the bundle changed: look for its default endpoints again"
    assert "requestConfig: { endpoint: endpoint" in script
    assert (
        "endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]"
        in script
    )
    remote_completers = set(re.findall(r"fetchFromLov\(e,`(\w+)`", bundle))
    assert remote_completers, "the bundle changed: look for its remote completers again"
    (completers,) = re.findall(r"autocompleters: \[([^\]]*)\]", script)
    used = set(re.findall(r'"(\w+)"', completers))
    assert used and not used & remote_completers
    assert "prefixCcApi: null" in script


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium on this machine to render the page")
def test_a_real_browser_shows_one_tab_per_stored_query_and_loads_only_from_this_site(
    endpoint: str, tmp_path: Path
) -> None:
    """Headless Chromium renders the page; its net log lists what the page asked for.

    Requests the page starts carry the page's origin as initiator; Chromium's own traffic
    (component updates, accounts) does not, and is not the page's doing.
    """
    netlog = tmp_path / "netlog.json"
    command = [
        CHROMIUM,
        "--headless=new",
        *QUIET_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        f"--log-net-log={netlog}",
        "--virtual-time-budget=5000",
        "--dump-dom",
        endpoint,
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    stored = load_queries(ROOT / "queries")
    assert re.findall(r'aria-controls="(pg-[\w-]+)"', dom) == [f"pg-{n}" for n in stored]
    events = json.JSONDecoder().raw_decode(netlog.read_text())[0]["events"]
    origin = endpoint.removesuffix("/sparql")
    page_requests = {
        e["params"]["url"]
        for e in events
        if e.get("params", {}).get("initiator") == origin and "url" in e["params"]
    }
    assert any(u.endswith("/static/yasgui/yasgui.min.js") for u in page_requests)
    elsewhere = {u for u in page_requests if not u.startswith(origin + "/")}
    assert not elsewhere, f"the page fetched {elsewhere}"


def test_yasgui_ships_with_its_licence_and_source_note(endpoint: str) -> None:
    base = endpoint.removesuffix("sparql") + "static/yasgui/"
    assert "MIT License" in httpx.get(base + "LICENSE").text
    note = httpx.get(base + "SOURCE.md").text
    assert "@zazuko/yasgui" in note and "4.6.2" in note


# ---------------------------------------------------------------------------- hypothesis


@pytest.fixture(scope="module")
def tiny() -> Iterator[str]:
    store = ox.Store()
    quad = ox.Quad(
        ox.NamedNode("http://e/s"),
        ox.NamedNode("http://e/p"),
        ox.Literal("o"),
        ox.NamedNode("http://e/g"),
    )
    store.add(quad)
    with sparql_server.serve(EmbeddedBackend(store)) as live:
        yield live.endpoint


NAMES = st.sampled_from(["query", "update", "default-graph-uri", "named-graph-uri", "format", "x"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(st.tuples(NAMES, st.text(max_size=60)), max_size=4),
    st.sampled_from(["GET", "POST"]),
    # Printable ASCII, stripped: HTTP cannot carry a header value that starts or ends with a
    # space (the client refuses to send one, so it would test httpx, not the endpoint).
    st.one_of(
        st.none(),
        st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40).map(str.strip),
    ),
)
def test_any_parameters_get_an_answer_or_a_4xx_never_a_5xx(
    tiny: str, params: list[tuple[str, str]], method: str, accept: str | None
) -> None:
    headers = {"accept": accept} if accept is not None else {}
    if method == "GET":
        response = httpx.get(tiny, params=params, headers=headers)
    else:
        response = httpx.post(tiny, data=dict(params), headers=headers)
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        body = response.json()
        assert body["ok"] is False and body["error"]
