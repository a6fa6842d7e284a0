"""Benchmark of the stored queries on a corpus store, next to raw scans of the same store.

For each stored query: median and p90 latency with its default parameters, measured in this
process on a store opened once, with every row read and converted as `parlgraph query` does
(`parlgraph.query.run`), and the number of rows. In the same run, on the same store, the
baselines: a raw scan that counts every quad, and a naive whole-corpus aggregate (quantified
claims per measured variable, read from the page graphs without summaries), so a latency can
be read against what merely touching the corpus costs on this machine.

    python bench/corpus.py --pages 10000 --seed 1 --out /tmp/q10k --force
    parlgraph build /tmp/q10k data/sources --store /tmp/q10k-store
    python bench/queries.py --store /tmp/q10k-store --repeat 7 [--format json]

The store must carry its summary graph (`parlgraph.summaries.refresh_summaries`, run at the
end of every build): the stored queries read it, and the script says so when it is missing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from parlgraph.query import StoredQuery, load_queries, run  # noqa: E402

BASELINES = {
    "raw scan: COUNT(*) over every quad": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "naive aggregate: quantified claims per variable, no summaries": """
        PREFIX pg:     <https://w3id.org/parlgraph/def/>
        PREFIX schema: <http://schema.org/>
        SELECT ?variable (COUNT(?claim) AS ?claims)
        WHERE { ?claim a pg:QuantifiedClaim ; schema:variableMeasured ?variable }
        GROUP BY ?variable
        ORDER BY DESC(?claims)""",
}
SUMMARY_PROBE = """
    PREFIX pg: <https://w3id.org/parlgraph/def/>
    SELECT ?questions WHERE { ?summary pg:questionCount ?questions }"""


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank, as p90).

    >>> percentile([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], 0.9)
    9.0
    """
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without importing math
    return ordered[int(rank) - 1]


def measure(action: Callable[[], int], repeat: int) -> dict[str, Any]:
    """Median and p90 seconds of `repeat` runs after one warm-up run, and its row count."""
    rows = action()  # warm-up: caches and first-use costs are not what a user waits for
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = action()
        times.append(time.perf_counter() - start)
    return {
        "median_ms": round(statistics.median(times) * 1000, 1),
        "p90_ms": round(percentile(times, 0.9) * 1000, 1),
        "rows": rows,
    }


def stored_query_runner(store: ox.Store, query: StoredQuery) -> Callable[[], int]:
    """Run one stored query with its defaults, every row converted as the CLI does."""
    return lambda: len(run(store, query, {}).rows)


def raw_runner(store: ox.Store, text: str) -> Callable[[], int]:
    """Run a SPARQL text on the union of all graphs, every solution read."""

    def action() -> int:
        solutions = store.query(text, use_default_graph_as_union=True)
        return sum(1 for _ in solutions)

    return action


def quad_count(store: ox.Store) -> int:
    """How many quads the store holds (the raw scan's answer)."""
    solutions = store.query(
        BASELINES["raw scan: COUNT(*) over every quad"], use_default_graph_as_union=True
    )
    return int(next(iter(solutions))["n"].value)


def summary_questions(store: ox.Store) -> int | None:
    """The number of questions the summary graph sums up, or None without a summary graph."""
    for solution in store.query(SUMMARY_PROBE, use_default_graph_as_union=True):
        return int(solution["questions"].value)
    return None


def benchmark(store: ox.Store, queries: dict[str, StoredQuery], repeat: int) -> dict[str, Any]:
    """Every measurement of one run, as plain data."""
    result: dict[str, Any] = {
        "quads": quad_count(store),
        "summary_questions": summary_questions(store),
        "repeat": repeat,
        "queries": {},
        "baselines": {},
    }
    for name, query in queries.items():
        print(f"  {name}...", file=sys.stderr, flush=True)
        result["queries"][name] = measure(stored_query_runner(store, query), repeat)
    for name, text in BASELINES.items():
        print(f"  {name}...", file=sys.stderr, flush=True)
        result["baselines"][name] = measure(raw_runner(store, text), repeat)
    return result


def to_text(result: dict[str, Any]) -> str:
    """The run as an aligned table, baselines last."""
    questions = result["summary_questions"]
    lines = [
        f"store: {result['quads']:,} quads, "
        + (f"{questions:,} questions in the summary" if questions is not None else "NO SUMMARY")
        + f"; {result['repeat']} runs each after one warm-up",
        f"{'query':<58} {'rows':>7} {'median ms':>10} {'p90 ms':>9}",
    ]
    for section in ("queries", "baselines"):
        if section == "baselines":
            lines.append("baselines, same store:")
        for name, m in result[section].items():
            lines.append(f"{name:<58} {m['rows']:>7} {m['median_ms']:>10.1f} {m['p90_ms']:>9.1f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """CLI entry: open the store read-only, measure, print text or JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a `parlgraph build` store")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query (default 7)")
    parser.add_argument("--queries", type=Path, default=ROOT / "queries", help="*.rq folder")
    parser.add_argument("--only", default="", help="comma-separated query names to run")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    location = args.store / "oxigraph"
    if not location.is_dir():
        parser.error(f"--store {args.store}: no store there (run parlgraph build first)")
    store = ox.Store.read_only(str(location))
    queries = load_queries(args.queries)
    if args.only:
        wanted = args.only.split(",")
        unknown = sorted(set(wanted) - set(queries))
        if unknown:
            parser.error(f"--only: no stored query {', '.join(unknown)}")
        queries = {name: queries[name] for name in wanted}
    result = benchmark(store, queries, args.repeat)
    if result["summary_questions"] is None:
        print("warning: the store has no summary graph; queries will miss rows", file=sys.stderr)
    print(json.dumps(result, indent=2) if args.format == "json" else to_text(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
