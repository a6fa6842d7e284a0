"""Benchmark of corpus builds: full, incremental, insertion against raw bulk_extend.

Prints, for each corpus size, pages/s, quads/s and peak memory of a full build (the whole
process tree, workers included), the same for a rebuild after 1 % of the pages change, and,
measured in the same run on the same quads, the baseline: pyoxigraph's Store.bulk_extend into
a fresh on-disk store. Builds include validation (the build validates what it wrote). On each
built store it then runs bench/queries.py (each stored query's median latency, and a raw scan)
and, at the sizes given by --pyshacl-at (10,000 by default), bench/validate.py's comparison:
scale validation of the whole store against pyshacl over the same quads in rdflib's default
in-memory store, with the violations compared. pyshacl is stopped after --pyshacl-limit seconds
(600 by default; at 10,000 pages it had not finished after 55 minutes): the speed-up printed is
then a lower bound, and the violations are not compared.

    python bench/build.py --sizes 1000,10000,100000 --work /tmp/pgbench
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import corpus as corpus_generator  # noqa: E402
import validate as validation_bench  # noqa: E402


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:"))
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(c) for c in children]
        except (OSError, StopIteration):
            continue
    return total


def _children_cpu() -> float:
    """User + system CPU seconds of every descendant this process has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_measured(command: list[str]) -> tuple[float, int, str, float]:
    """Wall time, peak RSS of the whole process tree (KiB), stdout and CPU seconds of one
    command. CPU seconds (its workers' included: they are waited for) say what a build costs
    whatever else the host runs; wall time divided by them, how busy the cores were."""
    cpu = _children_cpu()
    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    done.set()
    sampler.join()
    return time.perf_counter() - start, peak, out, _children_cpu() - cpu


def build(corpus: Path, store: Path, jobs: int | None) -> dict:
    command = [
        sys.executable,
        "-m",
        "parlgraph",
        "build",
        str(corpus),
        str(ROOT / "data/sources"),
        "--store",
        str(store),
        "--format",
        "json",
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    seconds, peak_kib, out, cpu = run_measured(command)
    summary = json.loads(out)
    summary.update(
        wall_seconds=round(seconds, 2), peak_mib=round(peak_kib / 1024), cpu_seconds=round(cpu, 1)
    )
    return summary


def touch_pages(corpus: Path, share: float) -> list[tuple[Path, bytes]]:
    """Change `share` of the pages (a sentence added to the last paragraph); return originals."""
    pages = sorted(corpus.rglob("qe-*.txt"))
    step = max(1, round(1 / share))
    originals = []
    for page in pages[::step]:
        data = page.read_bytes()
        originals.append((page, data))
        page.write_bytes(data + " Cette réponse a été complétée.".encode())
    return originals


def raw_bulk_extend(store: Path, scratch: Path, chunk: int = 1_000_000) -> dict:
    """Baseline: the same quads, already built in Python, into a fresh store with bulk_extend.

    The quads are read from the built store a million at a time (a list of all 33 million
    quads of 100,000 pages would not fit in memory); only the bulk_extend calls are timed.
    """
    if scratch.exists():
        shutil.rmtree(scratch)
    target = ox.Store(str(scratch))
    source = iter(ox.Store.read_only(str(store / "oxigraph")))
    seconds, total = 0.0, 0
    while batch := list(itertools.islice(source, chunk)):
        start = time.perf_counter()
        target.bulk_extend(batch)
        seconds += time.perf_counter() - start
        total += len(batch)
    start = time.perf_counter()
    target.flush()
    seconds += time.perf_counter() - start
    del target
    shutil.rmtree(scratch)
    return {
        "quads": total,
        "seconds": round(seconds, 2),
        "quads_per_second": round(total / seconds),
    }


def query_latencies(store: Path) -> dict:
    """bench/queries.py on the built store, in its own process (it opens the store read-only)."""
    command = [sys.executable, str(ROOT / "bench/queries.py"), "--store", str(store)]
    out = subprocess.run(
        [*command, "--format", "json"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def validation_against_pyshacl(store: Path, jobs: int | None, limit: float) -> dict:
    """Scale validation of the whole store, then pyshacl over the same quads (the baseline),
    stopped after `limit` seconds: then the speed-up is a lower bound, the violations not
    compared."""
    from parlgraph.scale_validate import validate_store_timed

    scale = validate_store_timed(store, jobs=jobs or os.cpu_count())
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    reference = validation_bench.bounded_baseline(store, limit, log)
    finished = reference["seconds"] is not None
    same = finished and (
        reference["results"] == validation_bench.result_set(scale.report)
        and reference["conforms"] == scale.report.conforms
    )
    speedup = None  # rdflib never finished loading: pyshacl did not start, no bound
    if reference["load_seconds"] is not None:
        speedup = round((reference["seconds"] if finished else limit) / scale.seconds, 1)
    return {
        "scale_seconds": round(scale.seconds, 2),
        "pyshacl_finished": finished,
        "pyshacl_limit_seconds": limit,
        "pyshacl_seconds": round(reference["seconds"], 2) if finished else None,
        "pyshacl_load_seconds": reference["load_seconds"] and round(reference["load_seconds"], 2),
        "speedup": speedup,
        "same_violations": same if finished else None,
        "results": len(scale.report.results),
    }


def bench_size(
    pages: int, work: Path, jobs: int | None, pyshacl: bool, pyshacl_limit: float
) -> dict:
    corpus = work / f"corpus-{pages}"
    if not (corpus / "manifest.json").exists():
        corpus_generator.generate(corpus, pages, seed=1, overwrite=True, write_truth=False)
    store = work / f"store-{pages}"
    if store.exists():
        shutil.rmtree(store)
    full = build(corpus, store, jobs)
    print(f"full build: {json.dumps(full)}", file=sys.stderr, flush=True)
    originals = touch_pages(corpus, 0.01)
    incremental = build(corpus, store, jobs)
    print(f"incremental: {json.dumps(incremental)}", file=sys.stderr, flush=True)
    for page, data in originals:
        page.write_bytes(data)
    raw = raw_bulk_extend(store, work / "raw-bulk-extend")
    print("stored queries...", file=sys.stderr, flush=True)
    queries = query_latencies(store)
    checked = None
    if pyshacl:
        print("validation against pyshacl...", file=sys.stderr, flush=True)
        checked = validation_against_pyshacl(store, jobs, pyshacl_limit)
    insert = full["seconds"]["insert"]
    return {
        "queries": queries,
        "validation_vs_pyshacl": checked,
        "pages": pages,
        "full": full,
        "full_pages_per_second": round(full["built"] / full["wall_seconds"], 1),
        "full_quads_per_second": round(full["store_quads"] / full["wall_seconds"]),
        "insert_quads_per_second": round(full["quads_loaded"] / insert) if insert else None,
        "incremental": incremental,
        "changed_pages": len(originals),
        "raw_bulk_extend": raw,
    }


def _print(result: dict) -> None:
    full, inc, raw = result["full"], result["incremental"], result["raw_bulk_extend"]
    print(f"\n== {result['pages']} pages ==")
    print(
        f"full build        {full['wall_seconds']:8.1f} s  {result['full_pages_per_second']:8.1f}"
        f" pages/s  {result['full_quads_per_second']:9d} quads/s  peak {full['peak_mib']} MiB"
        f"  ({full['built']} built, {full['failed']} failed, {full['store_quads']} quads)"
    )
    print(
        f"  of which insert {full['seconds']['insert']:8.1f} s  "
        f"{result['insert_quads_per_second']} quads/s (bulk_load of N-Quads)"
    )
    print(
        f"raw bulk_extend   {raw['seconds']:8.1f} s  {raw['quads_per_second']:9d} quads/s"
        f"  (same {raw['quads']} quads, baseline)"
    )
    ratio = result["full_quads_per_second"] / raw["quads_per_second"]
    print(f"end-to-end build / raw bulk_extend: {ratio:.2f}")
    print(
        f"incremental       {inc['wall_seconds']:8.1f} s  after {result['changed_pages']} changed"
        f" pages ({inc['built']} rebuilt, {inc['skipped']} skipped)  peak {inc['peak_mib']} MiB"
    )
    for name, build in (("full", full), ("incremental", inc)):
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in build["seconds"].items())
        print(f"  {name} phases: {phases}")
        cores = build["cpu_seconds"] / build["wall_seconds"] if build["wall_seconds"] else 0
        print(
            f"  {name} CPU: {build['cpu_seconds']:.1f} s user+system, process tree"
            f" ({cores:.2f} of {os.cpu_count()} cores busy on average)"
        )
        print(
            f"  {name} validation: {build['validated_graphs']} graphs, conforms "
            f"{(build.get('validation') or {}).get('conforms')}"
        )
    print(validation_bench_text(result["validation_vs_pyshacl"]))
    print(queries_text(result["queries"]))


def validation_bench_text(checked: dict | None) -> str:
    if checked is None:
        return "validation vs pyshacl: not run at this size (--pyshacl-at)"
    head = f"validation, whole store {checked['scale_seconds']:8.1f} s; pyshacl over rdflib's "
    limit = checked["pyshacl_limit_seconds"]
    if checked["pyshacl_load_seconds"] is None:
        return head + f"in-memory store (baseline): its input not loaded in {limit:g} s"
    loading = f" (+{checked['pyshacl_load_seconds']:.1f} s loading)"
    if not checked["pyshacl_finished"]:
        return (
            f"{head}in-memory store (baseline) not finished after {limit:g} s{loading}, stopped:"
            f" more than {checked['speedup']}x; violations not compared"
            f" ({checked['results']} results)"
        )
    return (
        f"{head}in-memory store (baseline) {checked['pyshacl_seconds']:.1f} s{loading}:"
        f" {checked['speedup']}x; same violations: {checked['same_violations']}"
        f" ({checked['results']} results)"
    )


def queries_text(queries: dict) -> str:
    import queries as query_bench

    return query_bench.to_text(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated page counts")
    parser.add_argument("--work", type=Path, default=Path("/tmp/parlgraph-bench"))
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument(
        "--pyshacl-at", default="10000", help="sizes at which to run the pyshacl baseline"
    )
    parser.add_argument(
        "--pyshacl-limit",
        type=float,
        default=600.0,
        help="seconds after which pyshacl is stopped (default 600): a bound, then",
    )
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args()
    if args.pyshacl_limit <= 0:
        parser.error(f"--pyshacl-limit {args.pyshacl_limit}: must be more than 0 seconds")
    pyshacl_sizes = {int(s) for s in args.pyshacl_at.split(",") if s}
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {os.cpu_count()} cores", file=sys.stderr)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"benchmarking {size} pages...", file=sys.stderr)
        result = bench_size(size, args.work, args.jobs, size in pyshacl_sizes, args.pyshacl_limit)
        results.append(result)
        if args.format == "text":
            _print(result)
    if args.format == "json":
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
