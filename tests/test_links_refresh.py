"""`links refresh` and `links review` against real servers on 127.0.0.1.

A real Oxigraph server holds the vendored EU data under Cellar's graph names; a small
misbehaving server answers 429, 500, garbage or nothing. No test reaches beyond loopback.
"""

from __future__ import annotations

import itertools
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

sys.path.insert(0, str(Path(__file__).parent))
from link_servers import cellar_server, load_store, misbehaving_server
from servers import free_port

from parlgraph.cli import cli
from parlgraph.dataset import build
from parlgraph.iris import Iris
from parlgraph.links.client import USER_AGENT, Policy, SparqlClient
from parlgraph.links.errors import EndpointError
from parlgraph.links.lockfile import read_lock
from parlgraph.paths import Layout
from parlgraph.vocab import ELI, PG

ROOT = Path(__file__).resolve().parents[1]
CELLAR_SOURCES = ["eurovoc", "nuts", "country", "language", "resource-type", "role", "file-type"]
EUROVOC_SME = "http://eurovoc.europa.eu/2359"
BE3 = "http://data.europa.eu/nuts/code/BE3"
BEL = "http://publications.europa.eu/resource/authority/country/BEL"
FRA = "http://publications.europa.eu/resource/authority/language/FRA"


@pytest.fixture(scope="session")
def cellar(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The vendored EU data served by `oxigraph serve-read-only` on a free loopback port."""
    work = tmp_path_factory.mktemp("cellar")
    load_store(work / "store", work / "files")
    with cellar_server(work / "store") as url:
        yield url


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's data, so refresh and review can write without touching data/."""
    for folder in ("data", "ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "data" / "links" / "links.lock.tsv").unlink()
    shutil.rmtree(tmp_path / "data" / "links" / "snapshots")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def refresh_args(project: Path, url: str, sources: list[str]) -> list[str]:
    args = ["links", "refresh", "--root", str(project), "--endpoint", f"cellar={url}"]
    for source in sources:
        args += ["--source", source]
    return [*args, "--timeout", "5"]


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_refresh_proposes_eurovoc_2359_be3_bel_and_fra(cellar: str, project: Path) -> None:
    code, _, err = run(*refresh_args(project, cellar, CELLAR_SOURCES))
    assert code == 0, err
    rows = {(r.subject, r.target): r for r in read_lock(project / "data/links/links.lock.tsv")}
    sme = rows["id/question/wallonia/2023-2024/238", EUROVOC_SME]
    assert (sme.method, sme.score, sme.label, sme.status) == (
        "alt-label",
        0.9,
        "petites et moyennes entreprises",
        "candidate",
    )
    assert sme.source_version == "2021-06-04" and sme.endpoint == cellar
    assert rows["id/organization/parlement-de-wallonie", BE3].method == "code"
    assert rows["id/organization/parlement-de-wallonie", BEL].label == "Belgique"
    assert rows["id/question/wallonia/2023-2024/238/fra", FRA].source_version == "20211208-0"
    snapshot = (project / "data/links/snapshots/eurovoc.nt").read_text(encoding="utf-8")
    assert f'<{EUROVOC_SME}> <http://www.w3.org/2004/02/skos/core#prefLabel> "petites et ' in (
        snapshot
    )
    assert "_:" not in snapshot


def test_committed_lock_file_is_what_the_vendored_data_gives(cellar: str, project: Path) -> None:
    """The seed's rows are reproducible: same targets, methods, labels, versions and queries."""
    code, _, err = run(*refresh_args(project, cellar, CELLAR_SOURCES))
    assert code == 0, err

    def comparable(path: Path) -> set[tuple]:
        return {
            (
                r.subject,
                r.predicate,
                r.target,
                r.source,
                r.source_version,
                r.method,
                r.score,
                r.label,
                r.lang,
                r.query_sha256,
            )
            for r in read_lock(path)
        }

    assert comparable(project / "data/links/links.lock.tsv") == comparable(
        ROOT / "data/links/links.lock.tsv"
    )


def test_review_accepts_and_the_rebuilt_graph_carries_links_with_provenance(
    cellar: str, project: Path
) -> None:
    assert run(*refresh_args(project, cellar, ["eurovoc", "nuts"]))[0] == 0
    lock = project / "data/links/links.lock.tsv"
    wanted = [r for r in read_lock(lock) if r.target in (EUROVOC_SME, BE3)]
    accept = [arg for r in wanted for arg in ("--accept", r.id)]
    code, _, err = run("links", "review", "--root", str(project), *accept)
    assert code == 0, err
    assert f"{len(wanted)} row(s) changed" in err
    statuses = {r.target: r.status for r in read_lock(lock) if r.status == "accepted"}
    assert statuses == {EUROVOC_SME: "accepted", BE3: "accepted"}

    built = build(Layout(project), Iris())
    links = built.dataset.graph(built.links_graph)
    question = URIRef("https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238")
    assert (question, ELI.is_about, URIRef(EUROVOC_SME)) in links
    assert (question, DCTERMS.subject, URIRef(EUROVOC_SME)) in links
    (record,) = links.subjects(RDF.object, URIRef(EUROVOC_SME))
    assert (record, RDF.subject, question) in links
    assert (record, PG.linkMethod, Literal("alt-label")) in links
    (activity,) = links.objects(record, PROV.wasGeneratedBy)
    assert (activity, PROV.used, URIRef(cellar)) in links
    assert (URIRef(EUROVOC_SME), None, None) in links  # its snapshot description
    # Candidates that were not accepted stay out of the graph.
    assert (None, None, URIRef(BEL)) not in links


def test_review_with_an_unknown_id_changes_nothing(project: Path) -> None:
    shutil.copy(ROOT / "data/links/links.lock.tsv", project / "data/links/links.lock.tsv")
    before = (project / "data/links/links.lock.tsv").read_bytes()
    code, _, err = run("links", "review", "--root", str(project), "--reject", "0000000000")
    assert code == 1
    assert "0000000000: no row of" in err
    assert (project / "data/links/links.lock.tsv").read_bytes() == before


def _with_committed_files(project: Path) -> dict[str, bytes]:
    shutil.copy(ROOT / "data/links/links.lock.tsv", project / "data/links/links.lock.tsv")
    shutil.copytree(ROOT / "data/links/snapshots", project / "data/links/snapshots")
    return snapshot_of(project / "data/links")


def test_refresh_without_network_fails_closed(project: Path) -> None:
    before = _with_committed_files(project)
    dead = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    code, _, err = run(*refresh_args(project, dead, ["eurovoc"]))
    assert code == 1
    assert f"{dead}: cannot reach the endpoint" in err
    assert "nothing was changed" in err
    assert snapshot_of(project / "data/links") == before


@pytest.mark.parametrize(
    ("plan", "message"),
    [
        ([("500", "")] * 3, "HTTP 500 (endpoint internal error), still after 3 attempts"),
        ([("429", "3600")], "HTTP 429; Retry-After asks for 3600 s, more than the 2 s"),
        ([("garbage", "<html>busy</html>")], "malformed results (not JSON"),
        ([("garbage", '{"results": {"bindings": [42]}}')], "malformed results (a binding"),
        ([("hang", "3")] * 3, "no answer within 1 s, still after 3 attempts"),
    ],
    ids=["500", "429-too-long", "html", "bad-binding", "timeout"],
)
def test_refresh_reports_a_misbehaving_endpoint_and_leaves_files_intact(
    project: Path, plan: list[tuple[str, str]], message: str
) -> None:
    before = _with_committed_files(project)
    with misbehaving_server() as (url, state):
        state.plan = list(plan)
        args = refresh_args(project, url, ["eurovoc"])
        args[args.index("--timeout") + 1] = "1"
        code, _, err = run(*args, "--max-wait", "2")
    assert code == 1, err
    assert message in err
    assert "nothing was changed" in err
    assert snapshot_of(project / "data/links") == before


def test_client_honours_retry_after_then_succeeds() -> None:
    waits: list[float] = []
    with misbehaving_server() as (url, state):
        state.plan = [("429", "2")]
        client = SparqlClient(url, Policy(timeout=5, pause=0, sleep=waits.append))
        assert client.select("SELECT * WHERE { ?s ?p ?o }") == []
        assert len(state.requests) == 2
        assert all(r["user-agent"] == USER_AGENT for r in state.requests)
    assert waits == [2.0]
    assert USER_AGENT.startswith("parlgraph/")


def test_client_sends_queries_one_after_the_other_with_a_pause() -> None:
    with misbehaving_server() as (url, state):
        client = SparqlClient(url, Policy(timeout=5, pause=0.3))
        for _ in range(3):
            client.select("SELECT * WHERE { ?s ?p ?o }")
        times = [float(r["time"]) for r in state.requests]
    assert all(b - a >= 0.29 for a, b in itertools.pairwise(times))


def test_client_gives_up_when_500_persists() -> None:
    with misbehaving_server() as (url, state):
        state.default = ("500", "")
        client = SparqlClient(url, Policy(timeout=5, pause=0, backoff=0.01, attempts=2))
        started = time.monotonic()
        with pytest.raises(EndpointError, match="still after 2 attempts"):
            client.select("SELECT * WHERE { ?s ?p ?o }")
        assert len(state.requests) == 2
    assert time.monotonic() - started < 5
