"""The W3C SPARQL 1.1 Protocol and Service Description tests, replayed over real HTTP.

The manifests (w3c/rdf-tests, copied into tests/vendor/w3c-rdf-tests/) describe each test
as HTTP requests in the HTTP-in-RDF vocabulary with the expected status, result format and
boolean. Each test's `ut:graphData` is loaded into the store as the named graph its label
gives; the request is sent to a uvicorn server on 127.0.0.1 with `/sparql/` replaced by our
endpoint path. Tests that expect an update to succeed do not apply to a read-only endpoint and
are skipped with that reason; everything else runs. The last test prints the counts:
"W3C SPARQL 1.1 Protocol: N passed, N failed, N skipped", and writes an EARL report to the
file PARLGRAPH_EARL names, if set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import sparql_server
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection

from parlgraph.web.backend import EmbeddedBackend

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "tests" / "vendor" / "w3c-rdf-tests"  # see its README for the source
PROTOCOL = VENDOR / "sparql11-protocol" / "manifest.ttl"
SERVICE_DESCRIPTION = VENDOR / "sparql11-service-description" / "manifest.ttl"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#StatusCode"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
BOOLEAN_TYPES = {k: v for k, v in RESULT_TYPES.items() if k.endswith(("json", "xml"))}
RDF_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


# ---------------------------------------------------------------------------- the manifest


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]  # "2xx", "4xx", ...
    expected_format: str | None
    expected_boolean: bool | None


@dataclass(frozen=True)
class Case:
    iri: str
    name: str
    title: str
    graphs: dict[str, Path] = field(default_factory=dict)  # graph IRI -> data file
    requests: tuple[Request, ...] = ()


def _request(graph: Graph, node) -> Request:
    headers = {}
    for header in (
        Collection(graph, graph.value(node, HT.headers)) if graph.value(node, HT.headers) else []
    ):
        name = str(graph.value(header, HT.fieldName))
        headers[name] = str(graph.value(header, HT.fieldValue))
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = frozenset(
        str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)
    )
    fmt = graph.value(response, MF.expectedFormat)
    boolean = graph.value(response, MF.expectedBoolean)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        statuses=statuses,
        expected_format=str(fmt) if fmt is not None else None,
        expected_boolean=boolean.toPython() if boolean is not None else None,
    )


def read_manifest(path: Path) -> list[Case]:
    """The manifest's entries in order, with their requests and the data they need."""
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    cases = []
    for entry in Collection(graph, graph.value(manifest, MF.entries)):
        data = {}
        for item in graph.objects(entry, UT.graphData):
            file = Path(str(graph.value(item, UT.graph)).removeprefix("file://"))
            data[str(graph.value(item, RDFS.label))] = file
        action = graph.value(entry, MF.action)
        requests = ()
        if action is not None:
            nodes = Collection(graph, graph.value(action, HT.requests))
            requests = tuple(_request(graph, node) for node in nodes)
        cases.append(
            Case(
                str(entry),
                str(entry).rsplit("#", 1)[-1],
                str(graph.value(entry, MF.name)),
                data,
                requests,
            )
        )
    return cases


def not_applicable(case: Case) -> str | None:
    """Why a test does not apply to a read-only endpoint, or None when it applies."""
    for request in case.requests:
        content_type = request.headers.get("content-type", "")
        body = (request.body or b"").decode("utf-8", "replace")
        is_update = content_type.startswith("application/sparql-update") or (
            content_type == "application/x-www-form-urlencoded" and body.startswith("update=")
        )
        if is_update and request.statuses & {"2xx", "3xx"}:
            return "expects a SPARQL Update to succeed; this endpoint is read-only by design"
    return None


# ---------------------------------------------------------------------------- replaying


@dataclass
class Outcome:
    status: str  # passed, failed, skipped
    reason: str = ""


def _check(request: Request, response: httpx.Response) -> str | None:
    """What is wrong with a response, or None when it meets the manifest's expectations."""
    status = f"{response.status_code // 100}xx"
    if status not in request.statuses:
        expected = " or ".join(sorted(request.statuses))
        return f"status {response.status_code}, expected {expected}: {response.text[:300]}"
    kind = response.headers.get("content-type", "").split(";")[0].strip()
    if request.expected_format == "boolean":
        if kind not in BOOLEAN_TYPES:
            return f"a boolean result came as {kind!r}"
        result = ox.parse_query_results(response.content, BOOLEAN_TYPES[kind])
        if not isinstance(result, ox.QueryBoolean):
            return f"expected a boolean result, got {type(result).__name__}"
        if request.expected_boolean is not None and bool(result) != request.expected_boolean:
            return f"boolean {bool(result)}, expected {request.expected_boolean}"
    elif request.expected_format == "tabular":
        if kind not in RESULT_TYPES:
            return f"a SELECT result came as {kind!r}"
        result = ox.parse_query_results(response.content, RESULT_TYPES[kind])
        if not isinstance(result, ox.QuerySolutions):
            return f"expected solutions, got {type(result).__name__}"
        list(result)
    elif request.expected_format == "RDF":
        if kind not in RDF_TYPES:
            return f"a graph result came as {kind!r} (expected RDF/XML, Turtle or N-Triples)"
        list(ox.parse(response.content, RDF_TYPES[kind]))
    return None


def run_case(case: Case, store: ox.Store, endpoint: str) -> Outcome:
    """Load the case's data, replay its requests in order, and say how it went."""
    reason = not_applicable(case)
    if reason:
        return Outcome("skipped", reason)
    store.clear()
    for graph_iri, file in case.graphs.items():
        store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
    with httpx.Client(timeout=30) as client:
        for number, request in enumerate(case.requests, start=1):
            path = request.path.removeprefix("/sparql/")
            url = endpoint + (path if path.startswith("?") or not path else "/" + path)
            response = client.request(
                request.method, url, headers=request.headers, content=request.body
            )
            problem = _check(request, response)
            if problem:
                return Outcome("failed", f"request {number}: {problem}")
    return Outcome("passed")


PROTOCOL_CASES = read_manifest(PROTOCOL)
OUTCOMES: dict[str, Outcome] = {}


@pytest.fixture(scope="module")
def live() -> Iterator[tuple[ox.Store, str]]:
    store = ox.Store()
    with sparql_server.serve(EmbeddedBackend(store)) as server:
        yield store, server.endpoint


@pytest.mark.parametrize("case", PROTOCOL_CASES, ids=[c.name for c in PROTOCOL_CASES])
def test_w3c_protocol(case: Case, live: tuple[ox.Store, str]) -> None:
    outcome = run_case(case, *live)
    OUTCOMES[case.name] = outcome
    if outcome.status == "skipped":
        pytest.skip(outcome.reason)
    assert outcome.status == "passed", f"{case.name} ({case.title}): {outcome.reason}"


def test_w3c_protocol_manifest_is_read_whole() -> None:
    """The runner sees every entry and every request of the manifest, not a subset."""
    graph = Graph().parse(PROTOCOL, format="turtle")
    assert len(PROTOCOL_CASES) == len(set(graph.subjects(RDF.type, MF.ProtocolTest))) == 34
    assert sum(len(c.requests) for c in PROTOCOL_CASES) == len(
        set(graph.subjects(RDF.type, HT.Request))
    )


# ---------------------------------------------------------------------------- service description


def _service_description(endpoint: str) -> tuple[httpx.Response, Graph]:
    response = httpx.get(endpoint, headers={"accept": "text/turtle"})
    return response, Graph().parse(data=response.text, format="turtle")


SD_LANGUAGES = {SD.SPARQL10Query, SD.SPARQL11Query, SD.SPARQL11Update}
SD_FEATURES = {
    SD.DereferencesURIs,
    SD.UnionDefaultGraph,
    SD.RequiresDataset,
    SD.EmptyGraphs,
    SD.BasicFederatedQuery,
}


def _sd_returns_rdf(endpoint: str) -> str | None:
    response, graph = _service_description(endpoint)
    if response.status_code != 200 or len(graph) == 0:
        return f"GET {endpoint} gave {response.status_code} and {len(graph)} triples"
    return None


def _sd_has_endpoint_triple(endpoint: str) -> str | None:
    _, graph = _service_description(endpoint)
    if (None, SD.endpoint, URIRef(endpoint)) not in graph:
        return f"no sd:endpoint <{endpoint}>"
    return None


def _sd_conforms_to_schema(endpoint: str) -> str | None:
    """The domains and ranges the SD vocabulary (section 3) gives the terms used."""
    _, graph = _service_description(endpoint)
    services = set(graph.subjects(RDF.type, SD.Service))
    if len(services) != 1:
        return f"{len(services)} sd:Service nodes, expected 1"
    (service,) = services
    problems = []
    if not set(graph.objects(service, SD.supportedLanguage)) <= SD_LANGUAGES:
        problems.append("sd:supportedLanguage outside sd:SPARQL10Query/11Query/11Update")
    if not set(graph.objects(service, SD.supportedLanguage)):
        problems.append("no sd:supportedLanguage")
    if not set(graph.objects(service, SD.feature)) <= SD_FEATURES:
        problems.append("an sd:feature that is not one of the vocabulary's features")
    for dataset in graph.objects(service, SD.defaultDataset):
        if (dataset, RDF.type, SD.Dataset) not in graph:
            problems.append("sd:defaultDataset is not an sd:Dataset")
        for default in graph.objects(dataset, SD.defaultGraph):
            if (default, RDF.type, SD.Graph) not in graph:
                problems.append("sd:defaultGraph is not an sd:Graph")
        for named in graph.objects(dataset, SD.namedGraph):
            if graph.value(named, SD.name) is None:
                problems.append("an sd:namedGraph without sd:name")
    if not all(isinstance(f, URIRef) for f in graph.objects(service, SD.resultFormat)):
        problems.append("an sd:resultFormat that is not an IRI")
    return "; ".join(problems) or None


SD_CHECKS = {
    "returns-rdf": _sd_returns_rdf,
    "has-endpoint-triple": _sd_has_endpoint_triple,
    "conforms-to-schema": _sd_conforms_to_schema,
}
SD_MANIFEST = read_manifest(SERVICE_DESCRIPTION)
SD_CASES = [c.name for c in SD_MANIFEST]


@pytest.mark.parametrize("name", SD_CASES)
def test_w3c_service_description(name: str, live: tuple[ox.Store, str]) -> None:
    problem = SD_CHECKS[name](live[1])
    OUTCOMES[f"sd:{name}"] = Outcome("failed" if problem else "passed", problem or "")
    assert problem is None, problem


# ---------------------------------------------------------------------------- summary


EARL = Namespace("http://www.w3.org/ns/earl#")
DOAP = Namespace("http://usefulinc.com/ns/doap#")


def earl_report(outcomes: dict[str, Outcome]) -> Graph:
    """The outcomes as W3C EARL 1.0 assertions, one per test IRI of the manifests."""
    graph = Graph()
    graph.bind("earl", EARL)
    graph.bind("doap", DOAP)
    subject = BNode()
    graph.add((subject, RDF.type, EARL.TestSubject))
    graph.add((subject, RDF.type, DOAP.Project))
    graph.add((subject, DOAP.name, Literal("parlgraph SPARQL endpoint")))
    graph.add((subject, DOAP.release, Literal(version("parlgraph"))))
    outcome_terms = {"passed": EARL.passed, "failed": EARL.failed, "skipped": EARL.inapplicable}
    keyed = [(c.name, c) for c in PROTOCOL_CASES] + [(f"sd:{c.name}", c) for c in SD_MANIFEST]
    for key, case in keyed:
        if key not in outcomes:
            continue
        assertion, result = BNode(), BNode()
        graph.add((assertion, RDF.type, EARL.Assertion))
        graph.add((assertion, EARL.subject, subject))
        graph.add((assertion, EARL.assertedBy, subject))
        graph.add((assertion, EARL.test, URIRef(case.iri)))
        graph.add((assertion, EARL.mode, EARL.automatic))
        graph.add((assertion, EARL.result, result))
        graph.add((result, RDF.type, EARL.TestResult))
        graph.add((result, EARL.outcome, outcome_terms[outcomes[key].status]))
        if outcomes[key].reason:
            graph.add((result, EARL.info, Literal(outcomes[key].reason)))
    return graph


def test_w3c_summary(live: tuple[ox.Store, str], capsys: pytest.CaptureFixture) -> None:
    """Counts for both manifests (running any case that was deselected) and the skip list."""
    for case in PROTOCOL_CASES:
        if case.name not in OUTCOMES:
            OUTCOMES[case.name] = run_case(case, *live)
    for name in SD_CASES:
        if f"sd:{name}" not in OUTCOMES:
            problem = SD_CHECKS[name](live[1])
            OUTCOMES[f"sd:{name}"] = Outcome("failed" if problem else "passed", problem or "")
    lines = []
    for label, names in (
        ("W3C SPARQL 1.1 Protocol", [c.name for c in PROTOCOL_CASES]),
        ("W3C SPARQL 1.1 Service Description", [f"sd:{n}" for n in SD_CASES]),
    ):
        counts = {
            s: sum(OUTCOMES[n].status == s for n in names) for s in ("passed", "failed", "skipped")
        }
        lines.append(
            f"{label}: {counts['passed']} passed, {counts['failed']} failed, "
            f"{counts['skipped']} skipped"
        )
        for n in names:
            if OUTCOMES[n].status != "passed":
                lines.append(f"  {OUTCOMES[n].status} {n}: {OUTCOMES[n].reason}")
    report = earl_report(OUTCOMES)
    assert len(set(report.subjects(RDF.type, EARL.Assertion))) == len(OUTCOMES)
    target = os.environ.get("PARLGRAPH_EARL")  # where to write the EARL report, if anywhere
    if target:
        report.serialize(destination=target, format="turtle")
        lines.append(f"EARL report: {target}")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    failed = [n for n, o in OUTCOMES.items() if o.status == "failed"]
    assert not failed, failed
