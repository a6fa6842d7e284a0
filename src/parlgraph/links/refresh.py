"""`parlgraph links refresh`: query the endpoints, score candidates, rewrite lock and snapshots.

Everything is fetched first and written last, so a refresh that fails anywhere (no network,
429 past its patience, 500, timeout, malformed results) changes no file. Review decisions
survive a refresh: a row whose subject, predicate and target come back keeps its status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rdflib import Graph, Literal, URIRef

from .client import Policy, SparqlClient
from .config import Config, Source
from .lockfile import LockRow, read_lock, write_lock
from .paths import LinkPaths
from .requests import Request, read_requests
from .scoring import score
from .snapshot import triples_from_rows, write_snapshot
from .templates import load_template, query_hash


@dataclass
class RefreshReport:
    """What a refresh found, per source; `unmatched` lists requests with no candidate."""

    rows: list[LockRow] = field(default_factory=list)
    snapshots: dict[str, Graph] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    queries: int = 0

    def to_json(self) -> dict:
        return {
            "candidates": len(self.rows),
            "sources": sorted(self.snapshots),
            "unmatched": self.unmatched,
            "queries": self.queries,
        }


def refresh(
    paths: LinkPaths,
    config: Config,
    names: list[str] | None = None,
    policy: Policy | None = None,
    today: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> RefreshReport:
    """Refresh the named sources (all by default) and write the lock file and snapshots.

    Raises:
        EndpointError: an endpoint failed; no file was written.
        SourceError: a bad requests file, template or lock file.
    """
    sources = config.select(names)
    requests = read_requests(paths.requests, set(config.sources))
    existing = read_lock(paths.lock)  # a bad lock file fails before any query is sent
    day = (today or date.today()).isoformat()
    report = RefreshReport()
    for source in sources:
        wanted = [r for r in requests if r.source == source.name]
        if not wanted:
            continue
        if progress:
            progress(f"{source.name}: {len(wanted)} requests to {source.url}")
        client = SparqlClient(source.url, policy)
        rows = _search(client, source, wanted, day, report)
        report.snapshots[source.name] = _describe(client, source, rows, wanted, day, report)
        report.queries += client.queries_sent
    refreshed = set(report.snapshots)
    decided = {r.key: r.status for r in existing}
    merged = [r for r in existing if r.source not in refreshed]
    merged += [r.with_status(decided.get(r.key, "candidate")) for r in report.rows]
    for source in sources:
        if source.name in report.snapshots:
            header = _header(source, report.rows, day)
            write_snapshot(paths.snapshot(source.name), report.snapshots[source.name], header)
    write_lock(paths.lock, merged)
    return report


def _search(
    client: SparqlClient, source: Source, wanted: list[Request], day: str, report: RefreshReport
) -> list[LockRow]:
    template = load_template(source.search)
    found: dict[tuple[str, str, str], LockRow] = {}
    for request in wanted:
        if request.target is not None:
            continue  # manual: checked by the describe query
        values: dict[str, URIRef | Literal] = {k: _param(v) for k, v in source.params.items()}
        values["lang"] = Literal(request.lang)
        if request.label is not None:
            values["label"] = Literal(request.label)
        if request.code is not None:
            values["code"] = Literal(request.code)
        values = {k: v for k, v in values.items() if k in template.parameters}
        text = template.bind([values])
        sha = query_hash(text)
        best: dict[str, LockRow] = {}
        for row in client.select(text):
            target, matched = row.get("target"), row.get("matched")
            if not isinstance(target, URIRef) or matched is None:
                continue
            requested = request.label if request.label is not None else request.code or ""
            scored = score(requested, str(matched), str(row.get("kind", "")))
            pref = row.get("pref")
            seen = pref if isinstance(pref, Literal) else matched
            candidate = LockRow(
                request.subject,
                request.predicate,
                str(target),
                source.name,
                str(row.get("version") or "unversioned"),
                scored.method,
                scored.score,
                str(seen),
                getattr(seen, "language", None) or "",
                sha,
                source.url,
                day,
                "candidate",
            )
            if str(target) not in best or candidate.score > best[str(target)].score:
                best[str(target)] = candidate
        if not best:
            report.unmatched.append(_describe_request(request))
        for candidate in best.values():
            found[candidate.key] = candidate
    report.rows += found.values()
    return list(found.values())


def _describe(
    client: SparqlClient,
    source: Source,
    rows: list[LockRow],
    wanted: list[Request],
    day: str,
    report: RefreshReport,
) -> Graph:
    """The snapshot of every candidate and manual target; manual rows are made here."""
    template = load_template(source.describe)
    manual = [r for r in wanted if r.target is not None]
    targets = sorted({r.target for r in rows} | {r.target for r in manual if r.target})
    if not targets:
        return Graph()
    text = template.bind([{"target": URIRef(t)} for t in targets])
    graph = triples_from_rows(client.select(text))
    sha = query_hash(text)
    described = {str(s) for s in graph.subjects()}
    for request in manual:
        if request.target not in described:
            report.unmatched.append(_describe_request(request) + " (target not found)")
            continue
        labels = sorted(
            graph.objects(URIRef(request.target), URIRef(_SKOS_PREF)),
            key=lambda label: (getattr(label, "language", None) != request.lang, str(label)),
        )
        label = labels[0] if labels else Literal("")
        version = source.params.get("version", "unversioned")
        report.rows.append(
            LockRow(
                request.subject,
                request.predicate,
                request.target,
                source.name,
                version,
                "manual",
                1.0,
                str(label),
                getattr(label, "language", None) or "",
                sha,
                source.url,
                day,
                "candidate",
            )
        )
    return graph


_SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


def _param(value: str) -> URIRef | Literal:
    return URIRef(value) if value.startswith(("http://", "https://")) else Literal(value)


def _describe_request(request: Request) -> str:
    what = request.label or request.code or request.target
    return f"requests.yaml:{request.line}: {request.source} {what!r} for {request.subject}"


def _header(source: Source, rows: list[LockRow], day: str) -> list[str]:
    versions = sorted({r.source_version for r in rows if r.source == source.name})
    return [
        f"source: {source.name}",
        f"dataset: {source.dataset}",
        f"version: {', '.join(versions) or 'unversioned'}",
        f"licence: {source.licence}",
        f"endpoint: {source.url}",
        f"refreshed: {day}",
    ]
