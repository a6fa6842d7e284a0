"""The external store: publish to a real `oxigraph serve`, query it, compare with embedded runs.

Every server here is a real Oxigraph process on a free loopback port (tests/oxigraph_server.py).
The seed is published as `parlgraph query` would read it embedded: the bundled sources built in
memory with their summary graph, which the stored queries read.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oxigraph_server import OxigraphServer, oxigraph_server
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from servers import free_port

from parlgraph.cli import cli
from parlgraph.dataset import Built
from parlgraph.errors import ParameterError, QueryError, RemoteQueryError
from parlgraph.query import StoredQuery, load_queries, run
from parlgraph.remote import (
    RemoteBackend,
    check_url,
    graph_store_for,
    publish,
    run_remote,
    substitute,
)
from parlgraph.remote.binding import query_form
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries
from parlgraph.web.backend import EmbeddedBackend

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/parlgraph/"
QUERIES = load_queries(ROOT / "queries")
EXAMPLES = [
    (name, example["params"])
    for name, query in QUERIES.items()
    for example in query.examples
    if isinstance(example, dict) and example.get("params")
]


@pytest.fixture(scope="session")
def seed_store(built: Built) -> ox.Store:
    """The seed as `parlgraph query` builds it in memory, summaries included."""
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as running:
        yield running


@pytest.fixture(scope="session")
def published(server: OxigraphServer, seed_store: ox.Store):
    return publish(seed_store, server.store_url)


@pytest.fixture(scope="session")
def remote(server: OxigraphServer, published) -> RemoteBackend:
    return RemoteBackend(server.query_url)


@pytest.fixture
def scratch(tmp_path: Path, request: pytest.FixtureRequest):
    """A server of one's own, for tests that change what it holds."""
    failed_before = request.session.testsfailed
    with oxigraph_server(tmp_path / "db") as running:
        yield running
        _show_log_if_failed(request, failed_before, running)


@pytest.fixture(autouse=True)
def session_server_log_on_failure(request: pytest.FixtureRequest):
    """A failed test shows what the shared server logged (under "Captured stderr teardown")."""
    failed_before = request.session.testsfailed
    yield
    if "server" in request.fixturenames:
        _show_log_if_failed(request, failed_before, request.getfixturevalue("server"))


def _show_log_if_failed(request: pytest.FixtureRequest, before: int, server) -> None:
    if request.session.testsfailed > before:
        print(f"{server.url} log:\n{server.log_text()[-4000:]}", file=sys.stderr)


def _store(*graphs: tuple[str, list[tuple[str, str, str]]]) -> ox.Store:
    store = ox.Store()
    for graph, triples in graphs:
        for s, p, o in triples:
            store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), ox.Literal(o), ox.NamedNode(graph)))
    return store


def _server_triples(backend: RemoteBackend, graph: str) -> set[tuple[str, str, str]]:
    solutions = backend.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(str(s["s"]), str(s["p"]), str(s["o"])) for s in solutions}


# ------------------------------------------------------------------ acceptance: same rows


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_stored_query_gives_the_embedded_rows_on_the_server(
    name: str, seed_store: ox.Store, remote: RemoteBackend
) -> None:
    query = QUERIES[name]
    embedded = run(seed_store, query, {}, BASE)
    remote_result = run_remote(remote, query, {}, BASE)
    assert embedded.rows, f"{name} has no rows on the seed: the comparison would prove nothing"
    assert remote_result.columns == embedded.columns
    assert remote_result.rows == embedded.rows


@pytest.mark.parametrize(("name", "params"), EXAMPLES, ids=[f"{n}-{p}" for n, p in EXAMPLES])
def test_stored_query_examples_give_the_embedded_rows_on_the_server(
    name: str, params: dict, seed_store: ox.Store, remote: RemoteBackend
) -> None:
    query = QUERIES[name]
    params = {key: str(value) for key, value in params.items()}
    assert run_remote(remote, query, params, BASE).rows == run(seed_store, query, params, BASE).rows


@pytest.mark.parametrize(
    ("at", "listed"), [("2024-01-22", 0), ("2024-01-23", 1), ("2024-02-12", 0)]
)
def test_a_date_parameter_reaches_the_sub_select_and_minus_on_the_server(
    at: str, listed: int, seed_store: ox.Store, remote: RemoteBackend
) -> None:
    """unanswered filters on ?at inside a sub-select and a MINUS, where VALUES would not reach."""
    query = QUERIES["unanswered"]
    embedded = run(seed_store, query, {"at": at}, BASE)
    remote_result = run_remote(remote, query, {"at": at}, BASE)
    assert len(embedded.rows) == listed
    assert remote_result.rows == embedded.rows
    for row in remote_result.rows:
        assert row["at"] == Literal(at, datatype=XSD.date)


def test_query_command_prints_the_same_json_with_endpoint_as_embedded(
    server: OxigraphServer, published
) -> None:
    runner = CliRunner()
    local = runner.invoke(cli, ["query", "sme-participation", "--format", "json"])
    remote_run = runner.invoke(
        cli,
        ["query", "sme-participation", "--format", "json", "--endpoint", server.query_url],
    )
    assert local.exit_code == 0, local.output
    assert remote_run.exit_code == 0, remote_run.output
    assert json.loads(remote_run.output) == json.loads(local.output)
    assert json.loads(local.output)["results"]["bindings"]


# ------------------------------------------------------------------ publishing


def test_publish_reports_every_named_graph_and_its_triples(
    seed_store: ox.Store, published, remote: RemoteBackend
) -> None:
    sizes = remote.graph_sizes()
    local = {
        g.value: len(list(seed_store.quads_for_pattern(None, None, None, g)))
        for g in seed_store.named_graphs()
    }
    assert sizes == local
    assert published.graphs == len(local)
    assert published.triples == sum(local.values())
    assert f"{BASE}graph/summary" in sizes


def test_publishing_twice_leaves_the_server_as_publishing_once(
    scratch: OxigraphServer, seed_store: ox.Store
) -> None:
    backend = RemoteBackend(scratch.query_url, cache_seconds=0)
    first = publish(seed_store, scratch.store_url)
    after_first = backend.graph_sizes()
    second = publish(seed_store, scratch.store_url)
    assert backend.graph_sizes() == after_first
    assert sum(after_first.values()) == first.triples == second.triples


def test_publishing_a_changed_graph_replaces_it(scratch: OxigraphServer) -> None:
    graph = BASE + "graph/document/x"
    backend = RemoteBackend(scratch.query_url)
    publish(
        _store(
            (graph, [("http://e/a", "http://e/p", "old"), ("http://e/b", "http://e/p", "kept")])
        ),
        scratch.store_url,
    )
    publish(
        _store(
            (graph, [("http://e/b", "http://e/p", "kept"), ("http://e/c", "http://e/p", "new")])
        ),
        scratch.store_url,
    )
    assert _server_triples(backend, graph) == {
        ("<http://e/b>", "<http://e/p>", '"kept"'),
        ("<http://e/c>", "<http://e/p>", '"new"'),
    }


def test_prune_deletes_only_stale_graphs_under_the_base(scratch: OxigraphServer) -> None:
    kept, stale, foreign = BASE + "graph/kept", BASE + "graph/stale", "http://other.org/graph"
    triple = [("http://e/a", "http://e/p", "x")]
    backend = RemoteBackend(scratch.query_url, cache_seconds=0)
    publish(_store((kept, triple), (stale, triple), (foreign, triple)), scratch.store_url)
    plain = publish(_store((kept, triple)), scratch.store_url)
    assert plain.pruned == []
    assert set(backend.graph_sizes()) == {kept, stale, foreign}
    pruned = publish(
        _store((kept, triple)), scratch.store_url, prune_under=BASE, endpoint=scratch.query_url
    )
    assert pruned.pruned == [stale]
    assert set(backend.graph_sizes()) == {kept, foreign}


def test_publish_command_pushes_the_seed_and_says_how_much(scratch: OxigraphServer) -> None:
    result = CliRunner().invoke(
        cli, ["publish", "--endpoint", scratch.query_url, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    sizes = RemoteBackend(scratch.query_url).graph_sizes()
    assert report["graph_store"] == scratch.store_url
    assert report["graphs"] == len(sizes) > 0
    assert report["triples"] == sum(sizes.values())


def test_graph_bodies_are_the_same_bytes_on_every_run(seed_store: ox.Store) -> None:
    from parlgraph.remote.publish import graph_body

    graph = ox.NamedNode(BASE + "graph/curated")
    body, count = graph_body(seed_store, graph)
    reloaded = ox.Store()
    reloaded.load(body, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    assert graph_body(reloaded, graph) == (body, count)
    assert body.splitlines() == sorted(body.splitlines())


# ------------------------------------------------------------------ failures


def test_publish_to_an_unreachable_endpoint_exits_1_naming_it() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["publish", "--endpoint", url])
    assert result.exit_code == 1
    store_url = url.removesuffix("/query") + "/store"
    assert f"Error: {store_url}: unreachable" in result.output
    assert "after 0 of" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_query_on_an_unreachable_endpoint_exits_1_naming_it() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"
    result = CliRunner().invoke(cli, ["query", "unanswered", "--endpoint", url])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {url}: unreachable")


def test_publish_to_a_path_the_server_does_not_serve_names_the_status(
    server: OxigraphServer,
) -> None:
    result = CliRunner().invoke(
        cli,
        ["publish", "--endpoint", server.query_url, "--graph-store", server.url + "/nowhere"],
    )
    assert result.exit_code == 1
    assert f"Error: {server.url}/nowhere: HTTP 404 Not Found" in result.output


def test_query_on_a_path_the_server_does_not_serve_names_the_status(
    server: OxigraphServer,
) -> None:
    result = CliRunner().invoke(cli, ["query", "unanswered", "--endpoint", server.url + "/nope"])
    assert result.exit_code == 1
    assert f"Error: {server.url}/nope: HTTP 404 Not Found" in result.output


def test_a_bad_parameter_is_refused_before_anything_is_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens: a request would fail
    result = CliRunner().invoke(
        cli, ["query", "unanswered", "--endpoint", url, "--param", "at=tomorrow"]
    )
    assert result.exit_code == 1
    assert 'parameter "at": "tomorrow" is not a date' in result.output


def test_store_and_endpoint_together_are_bad_usage(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["query", "unanswered", "--store", str(tmp_path), "--endpoint", "http://x/query"]
    )
    assert result.exit_code == 2
    assert "--store and --endpoint are exclusive" in result.output


def test_a_server_without_union_default_graph_is_refused_with_the_fix(
    tmp_path: Path, seed_store: ox.Store
) -> None:
    with oxigraph_server(tmp_path / "db", union_default_graph=False) as plain:
        publish(seed_store, plain.store_url)
        result = CliRunner().invoke(cli, ["query", "unanswered", "--endpoint", plain.query_url])
    assert result.exit_code == 1
    assert "the default graph is not the union of the named graphs" in result.output
    assert "--union-default-graph" in result.output


def test_a_malformed_query_is_a_syntax_error_naming_the_endpoint(remote: RemoteBackend) -> None:
    with pytest.raises(SyntaxError, match=r"/query: HTTP 400 Bad Request") as caught:
        remote.query("SELECT ?x WHERE { ?x ")
    assert isinstance(caught.value, RemoteQueryError)


def test_an_update_is_never_sent_by_the_read_only_backend(remote: RemoteBackend) -> None:
    with pytest.raises(RemoteQueryError, match="read-only"):
        remote.query("DELETE WHERE { ?s ?p ?o }")
    assert remote.graph_sizes()


# ------------------------------------------------------------------ the Backend protocol

BACKEND_SELECTS = [
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "PREFIX pg: <https://w3id.org/parlgraph/def/> SELECT ?q ?d WHERE { ?q pg:askedOn ?d }",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label "
    'FILTER (lang(?label) = "en") }',
]


def _bag(solutions: ox.QuerySolutions) -> Counter:
    names = [v.value for v in solutions.variables]
    return Counter(tuple(str(s[n]) for n in names) for s in solutions)


@pytest.mark.parametrize("sparql", BACKEND_SELECTS)
def test_remote_backend_selects_what_the_embedded_backend_selects(
    sparql: str, seed_store: ox.Store, remote: RemoteBackend
) -> None:
    expected = _bag(EmbeddedBackend(seed_store).query(sparql))
    assert expected
    assert _bag(remote.query(sparql)) == expected


def test_remote_backend_constructs_what_the_embedded_backend_constructs(
    seed_store: ox.Store, remote: RemoteBackend
) -> None:
    question = f"{BASE}id/question/wallonia/2023-2024/238"
    sparql = f"CONSTRUCT {{ <{question}> ?p ?o }} WHERE {{ <{question}> ?p ?o }}"
    expected = {str(t) for t in EmbeddedBackend(seed_store).query(sparql)}
    answer = remote.query(sparql)
    assert isinstance(answer, ox.QueryTriples)
    assert expected
    assert {str(t) for t in answer} == expected


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        (f"ASK {{ <{BASE}id/question/wallonia/2023-2024/238> ?p ?o }}", True),
        (f"ASK {{ <{BASE}id/question/wallonia/2023-2024/999999> ?p ?o }}", False),
    ],
)
def test_remote_backend_asks_what_the_embedded_backend_asks(
    sparql: str, expected: bool, seed_store: ox.Store, remote: RemoteBackend
) -> None:
    assert bool(EmbeddedBackend(seed_store).query(sparql)) is expected
    answer = remote.query(sparql)
    assert isinstance(answer, ox.QueryBoolean)
    assert bool(answer) is expected


def test_remote_backend_passes_the_dataset_of_the_request(
    seed_store: ox.Store, remote: RemoteBackend
) -> None:
    curated, editorial = BASE + "graph/curated", BASE + "graph/editorial"
    default_only = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    named_only = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    embedded = EmbeddedBackend(seed_store)
    for sparql, kwargs in [
        (default_only, {"default_graphs": [curated]}),
        (named_only, {"named_graphs": [editorial]}),
    ]:
        expected = _bag(embedded.query(sparql, **kwargs))
        assert _bag(remote.query(sparql, **kwargs)) == expected
    assert _bag(remote.query(named_only, named_graphs=[editorial])) == Counter(
        {(f"<{editorial}>", f'"{remote.graph_sizes()[editorial]}"^^<{XSD.integer}>'): 1}
    )


def test_remote_version_follows_the_data(scratch: OxigraphServer) -> None:
    graph = BASE + "graph/x"
    backend = RemoteBackend(scratch.query_url, cache_seconds=0)
    publish(_store((graph, [("http://e/a", "http://e/p", "1")])), scratch.store_url)
    first, first_modified = backend.version(), backend.modified()
    publish(_store((graph, [("http://e/a", "http://e/p", "1")])), scratch.store_url)
    assert backend.version() == first
    publish(
        _store((graph, [("http://e/a", "http://e/p", "1"), ("http://e/a", "http://e/p", "2")])),
        scratch.store_url,
    )
    assert backend.version() != first
    assert backend.modified() >= first_modified
    assert backend.modified().tzinfo is not None


def test_remote_version_is_cached_between_checks(scratch: OxigraphServer) -> None:
    now = [0.0]
    backend = RemoteBackend(scratch.query_url, cache_seconds=30, clock=lambda: now[0])
    before = backend.version()
    publish(_store((BASE + "graph/y", [("http://e/a", "http://e/p", "1")])), scratch.store_url)
    assert backend.version() == before  # within the 30 s: no new count
    now[0] = 31.0
    assert backend.version() != before


# ------------------------------------------------------------------ URLs and binding


def test_the_graph_store_of_oxigraph_is_derived_and_others_must_be_given() -> None:
    assert graph_store_for("https://h.example/sparql/query") == "https://h.example/sparql/store"
    with pytest.raises(ParameterError, match="pass --graph-store"):
        graph_store_for("http://localhost:8890/sparql")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("localhost:7878/query", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("http:///query", "no host"),
        ("http://user:secret@h/query", "credentials"),
        ("http://h/query#x", "fragment"),
        ("http://h:99999/query", "not a URL"),
        ("http://h/a query", "not a URL"),
    ],
)
def test_bad_endpoint_urls_are_refused_with_the_reason(url: str, reason: str) -> None:
    with pytest.raises(ParameterError, match=re.escape(reason)):
        check_url(url)


@given(st.text(max_size=60))
def test_any_text_is_a_checked_url_or_a_parameter_error(text: str) -> None:
    try:
        assert check_url(text) == text
    except ParameterError as err:
        assert "--endpoint" in str(err)


@given(
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z]{2,6})?", fullmatch=True),
    st.one_of(st.none(), st.integers(1, 65535)),
    st.from_regex(r"(/[A-Za-z0-9._~-]{1,10}){0,3}", fullmatch=True),
)
def test_well_formed_http_urls_are_accepted(scheme, host, port, path) -> None:
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    assert check_url(url) == url


def test_query_form_reads_tokens_not_comments() -> None:
    assert {name: query_form(q.text) for name, q in QUERIES.items()} == dict.fromkeys(
        QUERIES, "SELECT"
    )
    assert query_form("CONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("PREFIX ask: <http://x/> DESCRIBE ask:a") == "DESCRIBE"
    assert query_form("INSERT DATA { <a:a> <a:b> <a:c> }") == "UPDATE"


def test_a_parameter_assigned_by_the_query_cannot_be_bound() -> None:
    with pytest.raises(QueryError, match='parameter "x" is assigned by the query'):
        substitute("SELECT ?y ?x WHERE { BIND (1 AS ?x) }", {"x": Literal(2)})


BINDING_PROBE = """SELECT ?text ?n ?iri ?echo WHERE {
  { SELECT ?text ?iri WHERE { FILTER (STRLEN(?text) >= 0) } }
  BIND (STRLEN(?text) AS ?n)
  BIND (CONCAT(?text, STR(?iri)) AS ?echo)
  MINUS { FILTER (?text = "never" && ?iri = <urn:x>) }
} ORDER BY ?text"""


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(max_size=40),
    st.from_regex(r"urn:[a-z]{1,8}:[A-Za-z0-9._~-]{0,20}", fullmatch=True),
)
def test_a_substituted_query_answers_as_pyoxigraph_substitutions_do(text: str, iri: str) -> None:
    """Any string, quotes, backslashes and braces included, stays data: same rows, same columns."""
    bindings = {"text": Literal(text), "iri": URIRef(iri)}
    store = ox.Store()
    expected = store.query(
        BINDING_PROBE,
        substitutions={
            ox.Variable("text"): ox.Literal(text),
            ox.Variable("iri"): ox.NamedNode(iri),
        },
    )
    expected_rows = [{v.value: s[v.value] for v in expected.variables} for s in expected]
    bound = substitute(BINDING_PROBE, bindings)
    answer = store.query(bound.text)
    rows = []
    for solution in answer:
        row = {v.value: solution[v.value] for v in answer.variables}
        row.update({"text": ox.Literal(text), "iri": ox.NamedNode(iri)})
        rows.append({name: row.get(name) for name in bound.columns})
    assert bound.columns == [v.value for v in expected.variables]
    assert rows == expected_rows
    assert len(rows) == 1


def _stored(text: str, **parameters: str) -> StoredQuery:
    from parlgraph.query import Parameter

    return StoredQuery(
        name="probe",
        path=Path("probe.rq"),
        title="probe",
        description="probe",
        parameters={n: Parameter(n, kind) for n, kind in parameters.items()},
        tags=[],
        text=text,
    )


def test_a_string_parameter_with_sparql_in_it_matches_nothing_remotely(
    remote: RemoteBackend, seed_store: ox.Store
) -> None:
    """An injection attempt is a literal to compare, on the server as in the embedded store."""
    query = _stored(
        "SELECT ?name ?s WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?name }", name="string"
    )
    names = run(
        seed_store, _stored("SELECT ?name WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?name }"), {}
    )
    real = str(names.rows[0]["name"])
    found = run(seed_store, query, {"name": real}).rows
    assert found
    assert run_remote(remote, query, {"name": real}).rows == found
    attack = '" } UNION { ?s ?p ?name } #'
    assert run(seed_store, query, {"name": attack}).rows == []
    assert run_remote(remote, query, {"name": attack}).rows == []
