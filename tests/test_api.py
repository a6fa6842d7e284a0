"""The stored-query API over a tiny Starlette app: binding, paging, negotiation, OpenAPI."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_spec_validator import validate
from rdflib import Literal, URIRef
from starlette.applications import Starlette
from starlette.testclient import TestClient

from parlgraph.paths import Layout
from parlgraph.query import QueryResult, load_queries, run, to_json
from parlgraph.store import load_store
from parlgraph.summaries import refresh_summaries
from parlgraph.web.api import Page, render_table, routes
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.settings import ServeSettings

BASE = "https://w3id.org/parlgraph/"
SITE = "http://127.0.0.1:8000/"
SETTINGS = ServeSettings(base=BASE, site=SITE, page_size=5, row_cap=50)
FIXTURE = Path(__file__).parent / "queries" / "ok-parameters.rq"
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def store(built):
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return store


@pytest.fixture(scope="module")
def queries(tmp_path_factory):
    """The project's stored queries plus the fixture with one parameter of each type."""
    folder = tmp_path_factory.mktemp("queries")
    for path in Layout.default().queries.glob("*.rq"):
        shutil.copy(path, folder)
    shutil.copy(FIXTURE, folder / "search.rq")
    return load_queries(folder)


@pytest.fixture(scope="module")
def client(store, queries) -> TestClient:
    app = Starlette(routes=routes(EmbeddedBackend(store), SETTINGS, queries))
    return TestClient(app)


def links(response) -> dict[str, str]:
    header = response.headers.get("link", "")
    return {rel: url for url, rel in re.findall(r'<([^>]*)>; rel="([a-z]+)"', header)}


def rows(response) -> list[dict]:
    return response.json()["results"]["bindings"]


def test_a_stored_query_answers_what_the_cli_answers(client, store, queries):
    response = client.get("/api/unanswered?at=2024-02-01&per_page=50")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    expected = run(store, queries["unanswered"], {"at": "2024-02-01"}, BASE)
    assert response.json() == __import__("json").loads(to_json(expected))
    assert len(rows(response)) == 1


def test_a_parameter_changes_the_answer(client):
    before = client.get("/api/unanswered?at=2024-02-01")
    after = client.get("/api/unanswered", params={"at": "2024-02-12"})
    assert len(rows(before)) == 1 and rows(after) == []


def test_pages_follow_the_link_header_to_every_row_once(client, store, queries):
    expected = run(store, queries["claim-evidence"], {}, BASE).records()
    assert len(expected) > SETTINGS.page_size  # the test needs more than one page
    seen, url, pages = [], "/api/claim-evidence", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["x-total-count"] == str(len(expected))
        seen += [b["claim"]["value"] for b in rows(response)]
        found = links(response)
        pages += 1
        assert found["first"].endswith("page=1")
        assert found["last"].endswith(f"page={-(-len(expected) // SETTINGS.page_size)}")
        url = found.get("next", "").removeprefix(SITE.rstrip("/"))
    assert seen == [row["claim"] for row in expected]
    assert pages == -(-len(expected) // SETTINGS.page_size)


def test_the_last_page_has_no_next_and_a_prev(client):
    first = client.get("/api/claim-evidence")
    last = client.get(links(first)["last"].removeprefix(SITE.rstrip("/")))
    assert "next" not in links(last) and "prev" in links(last)
    assert 1 <= len(rows(last)) <= SETTINGS.page_size


def test_next_is_given_when_rows_exactly_fill_the_pages(client):
    """grlc #573: `next` must follow the rows, not a guess. 12 claims, per_page 6 and 4."""
    total = int(client.get("/api/claim-evidence").headers["x-total-count"])
    for per_page in (d for d in range(1, total + 1) if total % d == 0):
        pages = total // per_page
        last = client.get(f"/api/claim-evidence?per_page={per_page}&page={pages}")
        assert "next" not in links(last)
        assert len(rows(last)) == per_page
        if pages > 1:
            before = client.get(f"/api/claim-evidence?per_page={per_page}&page={pages - 1}")
            assert "next" in links(before)


def test_links_keep_the_other_parameters(client):
    response = client.get("/api/claim-evidence?format=json&per_page=2&page=2")
    found = links(response)
    assert found["next"] == f"{SITE}api/claim-evidence?format=json&per_page=2&page=3"
    assert found["prev"] == f"{SITE}api/claim-evidence?format=json&per_page=2&page=1"


def test_rows_beyond_the_row_cap_are_refused_and_not_counted(store, queries):
    small = ServeSettings(base=BASE, site=SITE, page_size=5, row_cap=7)
    client = TestClient(Starlette(routes=routes(EmbeddedBackend(store), small, queries)))
    response = client.get("/api/claim-evidence?page=2")
    assert response.status_code == 200
    assert "x-total-count" not in response.headers and "last" not in links(response)
    assert len(rows(response)) == 2 and "next" not in links(response)
    refused = client.get("/api/claim-evidence?page=3")
    assert refused.status_code == 400 and 'parameter "page"' in refused.json()["error"]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv", "text/csv"),
        ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html"),
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("*/*", "application/json"),
    ],
)
def test_results_are_negotiated(client, accept, media_type):
    response = client.get("/api/claim-evidence", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"] == "Accept"


def test_csv_and_html_hold_the_same_page(client):
    as_json = rows(client.get("/api/claim-evidence?page=2"))
    as_csv = list(
        csv.DictReader(io.StringIO(client.get("/api/claim-evidence?page=2&format=csv").text))
    )
    assert [r["claim"] for r in as_csv] == [b["claim"]["value"] for b in as_json]
    page = client.get("/api/claim-evidence?page=2&format=html").text
    for binding in as_json:
        assert binding["claim"]["value"] in page
    assert 'rel="next"' in page


def test_html_escapes_what_the_data_says(queries):
    result = QueryResult(
        ["text", "action"],
        [{"text": Literal("<script>alert(1)</script>"), "action": URIRef('https://x.org/a"b')}],
    )
    page = render_table(queries["search"], Page(result, 1, 5, 1, False), "")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="https://x.org/a&quot;b"' in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("/api/unanswered?at=2024-02-31", 'parameter "at": "2024-02-31" is not a date'),
        ("/api/unanswered?at=tomorrow", 'parameter "at"'),
        ("/api/unanswered?when=2024-02-01", 'no parameter "when"'),
        ("/api/unanswered?at=2024-02-01&at=2024-02-02", 'parameter "at" is given 2 times'),
        ("/api/claim-evidence?source=not-an-iri", 'parameter "source"'),
        ("/api/claim-evidence?page=0", 'parameter "page"'),
        ("/api/claim-evidence?page=-1", 'parameter "page"'),
        ("/api/claim-evidence?per_page=x", 'parameter "per_page"'),
        ("/api/claim-evidence?per_page=51", 'parameter "per_page": 51 is more than 50'),
        ("/api/claim-evidence?page=9", 'parameter "page": 9 is past the last page (3)'),
        ("/api/claim-evidence?format=xml", 'parameter "format"'),
        ("/api/search?at_least=3.5", 'parameter "at_least"'),
    ],
)
def test_bad_parameters_are_a_400_naming_the_parameter(client, query, message):
    response = client.get(query)
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False and body["status"] == 400
    assert message in body["error"]


def test_an_unknown_query_is_a_404_with_a_close_match(client):
    response = client.get("/api/unansewred")
    assert response.status_code == 404
    assert 'did you mean "unanswered"?' in response.json()["error"]


def test_no_acceptable_format_is_a_406(client):
    response = client.get("/api/claim-evidence", headers={"Accept": "image/png"})
    assert response.status_code == 406


INJECTIONS = [
    '"> } ; DROP ALL ; #',
    "x> . ?s ?p ?o #",
    '") } UNION { ?action ?p ?label } #',
    "' || true || '",
    'PIT" ) || true || CONTAINS("',
    "\\u0022) || true #",
]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_string_injection_is_bound_as_data(client, store, payload):
    """grlc #101: a string parameter is a value. It matches no label, so there are no rows."""
    before = len(store)
    response = client.get("/api/search", params={"text": payload, "per_page": 50})
    assert response.status_code == 200
    assert rows(response) == []
    assert len(store) == before
    # the value comes back as data, unchanged, in the ?text column of a matching query
    echo = client.get("/api/search", params={"text": "PIT", "per_page": 50})
    assert {b["text"]["value"] for b in rows(echo)} == {"PIT"}


@pytest.mark.parametrize("payload", INJECTIONS)
def test_iri_and_date_injection_is_refused(client, payload):
    for query, name in (("claim-evidence", "source"), ("unanswered", "at")):
        response = client.get(f"/api/{query}", params={name: payload})
        assert response.status_code == 400
        assert f'parameter "{name}"' in response.json()["error"]
    iri = client.get(
        "/api/claim-evidence",
        params={"source": f"https://w3id.org/parlgraph/id/source/x{payload}"},
    )
    assert iri.status_code == 400


def test_a_known_substring_matches_and_the_rest_does_not(client):
    matching = rows(client.get("/api/search", params={"text": "PIT", "per_page": 50}))
    assert matching and all("pit" in b["label"]["value"].lower() for b in matching)
    everything = rows(client.get("/api/search", params={"text": "", "per_page": 50}))
    assert len(everything) > len(matching)


@HYPOTHESIS
@given(value=st.text(max_size=40))
def test_any_date_value_is_a_page_or_a_400_naming_it(client, value):
    response = client.get("/api/unanswered", params={"at": value})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'parameter "at"' in response.json()["error"]


@HYPOTHESIS
@given(value=st.text(max_size=40))
def test_any_search_text_is_bound_and_echoed(client, value):
    response = client.get("/api/search", params={"text": value, "per_page": 50})
    assert response.status_code == 200
    for binding in rows(response):
        assert binding["text"]["value"] == value


@HYPOTHESIS
@given(page=st.text(max_size=12), per_page=st.text(max_size=12))
def test_any_paging_values_are_a_page_or_a_400_naming_one(client, page, per_page):
    response = client.get("/api/claim-evidence", params={"page": page, "per_page": per_page})
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert re.search(r'parameter "(page|per_page)"', response.json()["error"])
    else:
        assert len(rows(response)) <= int(per_page)


@HYPOTHESIS
@given(accept=st.text(max_size=60))
def test_any_accept_header_is_a_page_or_a_406(client, accept):
    if any(ord(c) < 32 or ord(c) > 126 for c in accept):
        return  # not sendable as an HTTP header value
    response = client.get("/api/claim-evidence", headers={"Accept": accept})
    assert response.status_code in (200, 406)


def test_openapi_document_is_valid_and_covers_every_query(client, queries):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    validate(spec)  # raises on an invalid OpenAPI 3.1 document
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {f"/api/{name}" for name in queries}
    operation = spec["paths"]["/api/unanswered"]["get"]
    assert operation["summary"] == queries["unanswered"].title
    at = next(p for p in operation["parameters"] if p.get("name") == "at")
    assert at["schema"] == {"type": "string", "format": "date", "default": "2024-02-01"}
    assert at["examples"]["example1"]["value"] == "2024-02-12"
    assert set(operation["responses"]["200"]["content"]) == {
        "application/json",
        "application/sparql-results+json",
        "text/csv",
        "text/html",
    }
    search = spec["paths"]["/api/search"]["get"]["parameters"]
    assert next(p for p in search if p.get("name") == "at_least")["schema"]["default"] == 0


def test_the_listing_names_every_query_and_the_openapi_document(client, queries):
    response = client.get("/api/")
    assert response.status_code == 200
    body = response.json()
    assert [q["name"] for q in body["queries"]] == sorted(queries)
    assert body["openapi"] == f"{SITE}api/openapi.json"


def test_a_query_using_a_reserved_parameter_is_refused(store, tmp_path):
    text = FIXTURE.read_text("utf-8").replace("at_least", "page")
    (tmp_path / "paged.rq").write_text(text, "utf-8")
    with pytest.raises(Exception, match='parameter "page" is reserved'):
        routes(EmbeddedBackend(store), SETTINGS, load_queries(tmp_path))
