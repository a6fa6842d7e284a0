"""Load benchmark of `parlgraph serve` on loopback, with a plain `oxigraph serve` as baseline.

Both servers hold the same quads (a store made by `parlgraph build`, by default the bundled
sources). For a bounded time per kind of request, N concurrent clients (threads, one
keep-alive connection each) send:

- lookups: each sampled IRI in each format (Turtle, JSON-LD, N-Triples, RDF/XML, HTML);
- api: every stored query through GET /api/NAME (JSON);
- sparql: every stored query, bound with its defaults, through GET /sparql.

The baseline gets the nearest equivalent from Oxigraph's own endpoint: a lookup is a
DESCRIBE of the IRI in the same RDF format (HTML has no equivalent and is not sent), and a
stored query is the same bound SPARQL text. Prints requests per second, p50/p99 latency and
the error count (any status other than 200, or a failed connection) for each.

    python bench/serve.py --seconds 10 --clients 8 [--store build/store] [--format json]

Requests go to 127.0.0.1 only; each phase stops at its time or at --max-requests.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from oxigraph_server import oxigraph_server  # noqa: E402
from parlgraph_server import parlgraph_server  # noqa: E402

from parlgraph.query import bind_parameters, load_queries  # noqa: E402
from parlgraph.remote.binding import substitute  # noqa: E402

BASE = "https://w3id.org/parlgraph/"
FORMATS = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "html": "text/html",
}
SAMPLE_CLASSES = (
    "https://w3id.org/parlgraph/def/WrittenQuestion",
    "https://w3id.org/parlgraph/def/WrittenAnswer",
    "https://w3id.org/parlgraph/def/QuantifiedClaim",
    "http://www.w3.org/ns/person#Person",
)


@dataclass(frozen=True)
class Request:
    path: str  # path and query string
    accept: str


@dataclass
class Phase:
    target: str
    kind: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]

    def figures(self) -> dict:
        ordered = sorted(self.latencies_ms) or [0.0]

        def pick(share: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)

        return {
            "target": self.target,
            "kind": self.kind,
            "requests": self.requests,
            "errors": self.errors,
            "requests_per_second": round(self.requests / self.seconds, 1),
            "p50_ms": pick(0.50),
            "p99_ms": pick(0.99),
        }


def sample_iris(store: ox.Store, per_class: int) -> list[str]:
    """A few IRIs of each main kind of resource, in a stable order."""
    iris: list[str] = []
    for cls in SAMPLE_CLASSES:
        rows = store.query(
            f"SELECT DISTINCT ?s WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} }}"
            f" ORDER BY ?s LIMIT {per_class}"
        )
        iris += [row[0].value for row in rows]
    return iris


def bound_queries(base: str) -> dict[str, str]:
    """Every stored query with its default parameters bound, as sent to an endpoint."""
    out = {}
    for name, stored in load_queries(ROOT / "queries").items():
        out[name] = substitute(stored.text, bind_parameters(stored, {}, base)).text
    return out


def drive(
    host: str, port: int, requests: list[Request], clients: int, seconds: float, cap: int
) -> tuple[int, int, float, list[float]]:
    """Send the requests round-robin from `clients` threads until time or count runs out."""
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    counter = {"sent": 0, "errors": 0}
    latencies: list[float] = []

    def client(offset: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        index = offset
        mine: list[float] = []
        errors = 0
        while time.perf_counter() < deadline:
            with lock:
                if counter["sent"] >= cap:
                    break
                counter["sent"] += 1
            request = requests[index % len(requests)]
            index += 1
            start = time.perf_counter()
            try:
                connection.request("GET", request.path, headers={"Accept": request.accept})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=30)
            mine.append((time.perf_counter() - start) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)
            counter["errors"] += errors

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counter["sent"], counter["errors"], time.perf_counter() - started, latencies


def local_path(iri: str, base: str) -> str:
    return "/" + iri[len(base) :] if iri.startswith(base) else "/?iri=" + urllib.parse.quote(iri)


def parlgraph_requests(iris: list[str], queries: dict[str, str]) -> dict[str, list[Request]]:
    names = sorted(queries)
    return {
        "lookups": [Request(local_path(i, BASE), t) for i in iris for t in FORMATS.values()],
        "api": [Request(f"/api/{n}", "application/json") for n in names],
        "sparql": [
            Request(
                "/sparql?" + urllib.parse.urlencode({"query": queries[n]}),
                "application/sparql-results+json",
            )
            for n in names
        ],
    }


def oxigraph_requests(iris: list[str], queries: dict[str, str]) -> dict[str, list[Request]]:
    names = sorted(queries)

    def query(text: str, accept: str) -> Request:
        return Request("/query?" + urllib.parse.urlencode({"query": text}), accept)

    stored = [query(queries[n], "application/sparql-results+json") for n in names]
    return {
        "lookups": [
            query(f"DESCRIBE <{i}>", t)
            for i in iris
            for name, t in FORMATS.items()
            if name not in ("html", "jsonld")  # Oxigraph serves neither
        ],
        "api": stored,
        "sparql": stored,
    }


def build_store(work: Path) -> Path:
    store_dir = work / "store"
    subprocess.run(
        [sys.executable, "-m", "parlgraph", "build", "--store", str(store_dir), "--format", "json"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return store_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="a `parlgraph build` store (default: seed)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per phase (default 10)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per phase")
    parser.add_argument("--sample", type=int, default=5, help="IRIs per class (default 5)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.clients < 1 or args.max_requests < 1:
        parser.error("--seconds, --clients and --max-requests must be positive")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="parlgraph-bench-serve-") as scratch:
        work = Path(scratch)
        store_dir = args.store or build_store(work)
        source = ox.Store.read_only(str(store_dir / "oxigraph"))
        iris = sample_iris(source, args.sample)
        queries = bound_queries(BASE)
        dump = work / "data.nq"
        source.dump(str(dump), format=ox.RdfFormat.N_QUADS)
        quads = len(source)
        del source
        log(f"{quads} quads, {len(iris)} sampled IRIs, {len(queries)} stored queries")
        phases: list[Phase] = []
        with parlgraph_server("--store", str(store_dir)) as url:
            host, port = "127.0.0.1", urllib.parse.urlsplit(url).port
            for kind, requests in parlgraph_requests(iris, queries).items():
                log(f"parlgraph serve: {kind} ({len(requests)} distinct requests)...")
                sent, errors, seconds, lat = drive(
                    host, port, requests, args.clients, args.seconds, args.max_requests
                )
                phases.append(Phase("parlgraph", kind, sent, errors, seconds, lat))
        location = work / "oxigraph"
        baseline = ox.Store(str(location))
        baseline.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
        baseline.flush()
        del baseline
        with oxigraph_server(location) as server:
            port = int(server.url.rsplit(":", 1)[1])
            for kind, requests in oxigraph_requests(iris, queries).items():
                log(f"oxigraph serve (baseline): {kind} ({len(requests)} distinct requests)...")
                sent, errors, seconds, lat = drive(
                    "127.0.0.1", port, requests, args.clients, args.seconds, args.max_requests
                )
                phases.append(Phase("oxigraph", kind, sent, errors, seconds, lat))
    figures = [p.figures() for p in phases]
    if args.format == "json":
        print(json.dumps({"quads": quads, "clients": args.clients, "phases": figures}, indent=1))
    else:
        print(
            f"{quads} quads, {args.clients} clients, {args.seconds:g} s per phase,"
            f" {os.cpu_count()} cores"
        )
        print(
            f"{'target':10} {'kind':8} {'requests':>9} {'req/s':>8} {'p50 ms':>8}"
            f" {'p99 ms':>8} {'errors':>7}"
        )
        for f in figures:
            print(
                f"{f['target']:10} {f['kind']:8} {f['requests']:9d} {f['requests_per_second']:8.1f}"
                f" {f['p50_ms']:8.2f} {f['p99_ms']:8.2f} {f['errors']:7d}"
            )
    return 1 if any(f["errors"] for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
