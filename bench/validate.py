"""Benchmark scale validation against pyshacl on a synthetic corpus, in one run.

Generates (or reuses) a seeded corpus with bench/corpus.py, builds it into a persistent store
with parlgraph's corpus pipeline, then times on the same store:

(a) parlgraph.scale_validate.validate_store over the whole store, one worker per core;
(b) the baseline: the same quads in an rdflib Graph (default in-memory store), validated by one
    pyshacl run through parlgraph.validate.validate (loading is timed apart);
(c) an incremental validation of 1% of the page graphs, the shared graphs as context.

It prints pages, quads, each time, the speed-up and whether (a) and (b) report the same
violations, compared as sets of (focus, path, severity, message fr, message en).

Usage: ``python bench/validate.py --pages 10000 [--work DIR] [--format json]``
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph as ox

from parlgraph.iris import Iris
from parlgraph.pipeline import CorpusBuilder
from parlgraph.scale_validate import store_to_graph, validate_store_timed
from parlgraph.validate import Report

ROOT = Path(__file__).resolve().parents[1]
SEED_SOURCES = ROOT / "data" / "sources"
DOCUMENT_GRAPHS = "https://w3id.org/parlgraph/graph/document/"


def load_corpus_module() -> ModuleType:
    """bench/corpus.py, imported by path: bench is a folder of scripts, not a package."""
    spec = importlib.util.spec_from_file_location(
        "parlgraph_bench_corpus", ROOT / "bench" / "corpus.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def prepare(work: Path, pages: int, seed: int, log: Any) -> tuple[Path, float]:
    """The built store for this corpus size and seed, made or brought up to date."""
    corpus_dir = work / f"corpus-{pages}-s{seed}"
    manifest = corpus_dir / "manifest.json"
    if not manifest.is_file() or json.loads(manifest.read_text())["pages"] != pages:
        log(f"generating {pages} pages in {corpus_dir}")
        load_corpus_module().generate(corpus_dir, pages, seed, overwrite=True, write_truth=False)
    store_dir = work / f"store-{pages}-s{seed}"
    log(f"building {store_dir} (pages already built are skipped)")
    start = time.perf_counter()
    summary = CorpusBuilder(store_dir, Iris()).build([corpus_dir, SEED_SOURCES], validate=False)
    log(f"  built {summary.built}, skipped {summary.skipped}, failed {summary.failed} (on purpose)")
    return store_dir, time.perf_counter() - start


def result_set(report: Report) -> set[tuple]:
    """What both engines must agree on: focus, path, severity and both messages."""
    return {
        (r.focus, r.path, r.severity, r.messages.get("fr"), r.messages.get("en"))
        for r in report.results
    }


def baseline(store_dir: Path, log: Any) -> tuple[Report, float, float, float]:
    """pyshacl over the same quads in rdflib's default store: report, load s, wall s, CPU s."""
    graph, loaded = rdflib_copy(store_dir)
    log(f"  {len(graph)} distinct triples loaded into rdflib in {loaded:.1f}s; running pyshacl")
    report, seconds, cpu = pyshacl_run(graph)
    return report, loaded, seconds, cpu


def rdflib_copy(store_dir: Path) -> tuple[Any, float]:
    """The store's quads in an rdflib Graph (default in-memory store), and seconds taken."""
    start = time.perf_counter()
    graph = store_to_graph(ox.Store.read_only(str(store_dir / "oxigraph")))
    return graph, time.perf_counter() - start


def pyshacl_run(graph: Any) -> tuple[Report, float, float]:
    """pyshacl through parlgraph.validate: the report, wall and CPU seconds."""
    from parlgraph.validate import validate

    start, cpu = time.perf_counter(), time.process_time()
    report = validate(graph)
    return report, time.perf_counter() - start, time.process_time() - cpu


def bounded_baseline(store_dir: Path, limit: float, log: Any) -> dict[str, Any]:
    """baseline() in a process of its own, stopped after `limit` seconds of pyshacl.

    pyshacl over 10,000 synthetic pages of ~300 quads had not finished after 55 minutes: a
    bench that waits for it never ends. Stopped, it still gives a bound: pyshacl takes longer
    than the limit. Returns load and pyshacl seconds (None when stopped), the results it found
    as result_set() tuples and whether the graph conformed (None when stopped). The child is
    this script run with --baseline-of, so that any caller can start it.
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--baseline-of", str(store_dir)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=_read_lines, args=(child.stdout, lines), daemon=True)
    reader.start()
    out: dict[str, Any] = {"limit": limit, "load_seconds": None, "seconds": None}
    out.update(results=None, conforms=None, cpu_seconds=None)
    try:
        loaded = _next_line(child, lines, limit)  # loading is not pyshacl's time, but bounded
        if loaded is None:
            log(f"  rdflib had not loaded the quads after {limit:g} s: stopped")
            return out
        out["load_seconds"] = seconds = loaded["load_seconds"]
        log(f"  loaded into rdflib in {seconds:.1f} s; pyshacl for {limit:g} s at most")
        done = _next_line(child, lines, limit)
        if done is None:
            log(f"  pyshacl had not finished after {limit:g} s: stopped")
            return out
        out.update(done, results={tuple(r) for r in done["results"]})
        return out
    finally:
        child.kill()
        child.wait()
        reader.join()


def _read_lines(stream: Any, lines: queue.Queue) -> None:
    """Every line the child writes, then "" when it has closed its output."""
    with stream:
        for line in stream:
            lines.put(line)
    lines.put("")


def _next_line(child: subprocess.Popen, lines: queue.Queue, timeout: float) -> dict | None:
    """The child's next JSON line, or None if it has not written one within `timeout`."""
    try:
        line = lines.get(timeout=timeout)
    except queue.Empty:
        return None
    if not line:
        raise RuntimeError(f"the pyshacl baseline stopped (exit code {child.wait()})")
    return json.loads(line)


def baseline_child(store_dir: Path) -> None:
    """The child of bounded_baseline: two JSON lines, seconds loading, then the results."""
    graph, loaded = rdflib_copy(store_dir)
    print(json.dumps({"load_seconds": loaded}), flush=True)
    report, seconds, cpu = pyshacl_run(graph)
    results = sorted(result_set(report), key=repr)
    done = {"results": results, "conforms": report.conforms, "seconds": seconds}
    print(json.dumps({**done, "cpu_seconds": cpu}), flush=True)


def sample_graphs(store_dir: Path, share: float) -> list[str]:
    """Every n-th page graph, in name order, so that the sample is the same every run."""
    store = ox.Store.read_only(str(store_dir / "oxigraph"))
    pages = sorted(g.value for g in store.named_graphs() if g.value.startswith(DOCUMENT_GRAPHS))
    step = max(1, round(1 / share))
    return pages[::step]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=10000, help="pages in the corpus")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--work", type=Path, default=Path("build/bench"), help="work folder")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (cores)")
    parser.add_argument("--share", type=float, default=0.01, help="graphs in (c) (0.01)")
    parser.add_argument("--no-baseline", action="store_true", help="skip pyshacl (b)")
    parser.add_argument("--profile", type=int, default=0, help="print the N slowest checks")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("--baseline-of", type=Path, help=argparse.SUPPRESS)  # bounded_baseline
    args = parser.parse_args(argv)
    if args.baseline_of is not None:
        baseline_child(args.baseline_of)
        return 0
    jobs = args.jobs or os.cpu_count() or 1

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    args.work.mkdir(parents=True, exist_ok=True)
    store_dir, build_seconds = prepare(args.work, args.pages, args.seed, log)
    quads = len(ox.Store.read_only(str(store_dir / "oxigraph")))

    log(f"(a) scale validation, {jobs} jobs")
    scale = validate_store_timed(store_dir, jobs=jobs)
    found = len(scale.report.results)
    log(f"  {scale.seconds:.2f}s ({scale.cpu_seconds:.1f} CPU s), {found} results")
    sample = sample_graphs(store_dir, args.share)
    log(f"(c) incremental validation of {len(sample)} page graphs")
    incremental = validate_store_timed(store_dir, graphs=sample, jobs=jobs)
    found = len(incremental.report.results)
    log(f"  {incremental.seconds:.2f}s ({incremental.cpu_seconds:.1f} CPU s), {found} results")
    page_foci = {r.focus for r in scale.report.results}
    out: dict[str, Any] = {
        "pages": args.pages,
        "seed": args.seed,
        "quads": quads,
        "jobs": jobs,
        "build_seconds": round(build_seconds, 2),
        "checks": scale.checks,
        "scale_seconds": round(scale.seconds, 2),
        "scale_cpu_seconds": round(scale.cpu_seconds, 2),
        "scale_results": len(scale.report.results),
        "scale_conforms": scale.report.conforms,
        "incremental_graphs": len(sample),
        "incremental_seconds": round(incremental.seconds, 2),
        "incremental_cpu_seconds": round(incremental.cpu_seconds, 2),
        "incremental_results": len(incremental.report.results),
        "incremental_within_full": {r.focus for r in incremental.report.results} <= page_foci,
    }
    if not args.no_baseline:
        log("(b) baseline: pyshacl through parlgraph.validate")
        reference, loaded, seconds, cpu = baseline(store_dir, log)
        log(f"  {seconds:.2f}s ({cpu:.1f} CPU s), {len(reference.results)} results")
        same = result_set(reference) == result_set(scale.report)
        out.update(
            baseline_load_seconds=round(loaded, 2),
            baseline_seconds=round(seconds, 2),
            baseline_cpu_seconds=round(cpu, 2),
            baseline_results=len(reference.results),
            baseline_conforms=reference.conforms,
            speedup=round(seconds / scale.seconds, 1),
            cpu_ratio=round(cpu / scale.cpu_seconds, 1),
            same_violations=same and reference.conforms == scale.report.conforms,
        )
    if args.profile:
        out["slowest_checks"] = [[label, round(t, 3)] for label, t in scale.timings[: args.profile]]
    if args.format == "json":
        print(json.dumps(out, indent=1))
    else:
        print(render(out))
    return 0 if out.get("same_violations", True) else 1


def render(out: dict[str, Any]) -> str:
    lines = [
        f"pages {out['pages']} (seed {out['seed']}), {out['quads']} quads, {out['jobs']} jobs",
        f"(a) scale_validate, whole store: {out['scale_seconds']:.2f}s "
        f"({out['scale_cpu_seconds']:.1f} CPU s), {out['checks']} queries, "
        f"{out['scale_results']} results, conforms {out['scale_conforms']}",
    ]
    if "baseline_seconds" in out:
        lines += [
            f"(b) pyshacl, rdflib in memory:   {out['baseline_seconds']:.2f}s "
            f"({out['baseline_cpu_seconds']:.1f} CPU s; +{out['baseline_load_seconds']:.1f}s "
            f"loading), {out['baseline_results']} results, conforms {out['baseline_conforms']}",
            f"    speed-up {out['speedup']}x wall-clock, {out['cpu_ratio']}x in CPU time; "
            f"same violations: {out['same_violations']}",
        ]
    lines.append(
        f"(c) incremental, {out['incremental_graphs']} graphs: {out['incremental_seconds']:.2f}s "
        f"({out['incremental_cpu_seconds']:.1f} CPU s), {out['incremental_results']} results"
    )
    for label, seconds in out.get("slowest_checks", []):
        lines.append(f"    {seconds:7.3f}s {label}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
