"""The Markdown accountability report: every stored query answered with its defaults.

The report is the readable face of the stored queries, so it holds nothing they do not:
one section per query, in name order, with no date or timing in it, so that two builds of
the same data give byte-identical reports that can be diffed and published.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pyoxigraph as ox

from .iris import DEFAULT_BASE
from .query import StoredQuery, run, to_markdown

TITLE = "Accountability report"
INTRO = (
    "What ministers' answers to written questions report, as structured by parlgraph. "
    "Figures and actions are the answers' own claims, not verified facts; editorial "
    "assessments are the publisher's and are marked as such. Each section is a stored "
    "query run with its default parameters."
)


def _ordered(queries: Mapping[str, StoredQuery] | Iterable[StoredQuery]) -> list[StoredQuery]:
    items = queries.values() if isinstance(queries, Mapping) else queries
    return sorted(items, key=lambda q: q.name)


def _parameters_line(query: StoredQuery) -> str:
    bound = [
        f"`{name}` = `{parameter.default}`"
        for name, parameter in sorted(query.parameters.items())
        if parameter.default is not None
    ]
    return f"Parameters: {', '.join(bound)}." if bound else ""


def render_section(store: ox.Store, query: StoredQuery, base: str = DEFAULT_BASE) -> str:
    """One query's section: heading, description, how it was run, and its answer."""
    result = run(store, query, {}, base)
    count = len(result.rows)
    lines = [f"## {query.title}", "", query.description, ""]
    where = f"Query `{query.name}`, {count} row{'' if count == 1 else 's'}."
    parameters = _parameters_line(query)
    lines += [f"{where} {parameters}".rstrip(), ""]
    lines.append(to_markdown(result).rstrip("\n") if result.rows else "_No rows._")
    return "\n".join(lines)


def render_report(
    store: ox.Store,
    queries: Mapping[str, StoredQuery] | Iterable[StoredQuery],
    base: str = DEFAULT_BASE,
) -> str:
    """The whole report as Markdown text, ending with one newline."""
    sections = [f"# {TITLE}", INTRO]
    sections += [render_section(store, query, base) for query in _ordered(queries)]
    return "\n\n".join(sections) + "\n"
