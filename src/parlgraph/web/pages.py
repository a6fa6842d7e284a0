"""HTML pages about resources, graphs and the dataset, rendered with autoescaping Jinja2.

Pages are built from plain view objects (Link, Value, Row) so templates hold no logic beyond
loops; every string from the data reaches the HTML through Jinja's escaping, and the embedded
JSON-LD through json_script, so a literal holding `<script>` is shown and never run.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .addresses import Addresses
from .describe import Labels, Span
from .docs import ShapeDoc, curie

SPAN_CONTEXT = 300  # characters of source text shown on each side of a quoted span
LONG_LITERAL = 200
LINKED_SCHEMES = ("http://", "https://")  # literals longer than this are shown as a block


@dataclass(frozen=True)
class Link:
    """An IRI or blank node as a page shows it: where it goes, what it reads, what it is."""

    href: str
    text: str
    iri: str
    english: str | None = None
    blank: bool = False


@dataclass(frozen=True)
class Value:
    """An object: a Link, or a literal with its language or datatype."""

    link: Link | None = None
    literal: str | None = None
    language: str | None = None
    datatype: str | None = None

    @property
    def long(self) -> bool:
        return self.literal is not None and (len(self.literal) > LONG_LITERAL)


@dataclass(frozen=True)
class Row:
    """One triple, with the first few graphs stating it and how many more do."""

    subject: Link
    predicate: Link
    value: Value
    graphs: tuple[Link, ...]
    more_graphs: int = 0


GRAPHS_SHOWN = 3


def by_triple(quads: Iterable[ox.Quad]) -> list[list[ox.Quad]]:
    """Quads grouped by triple, keeping their order: one row per triple, listing its graphs."""
    groups: list[list[ox.Quad]] = []
    for quad in quads:
        if groups and groups[-1][0].triple == quad.triple:
            groups[-1].append(quad)
        else:
            groups.append([quad])
    return groups


@dataclass
class Section:
    """The triples of one subject on a page: the resource, or one of its hash IRIs/blank nodes."""

    subject: Link
    anchor: str
    rows: list[Row] = field(default_factory=list)


@dataclass(frozen=True)
class Excerpt:
    """A quoted span in its source text: before, the span itself, after."""

    span: Link
    source: Link
    before: str
    quote: str
    after: str
    start: int
    end: int
    exact: str | None
    matches: bool
    starts_text: bool
    ends_text: bool


def json_script(data: bytes) -> Markup:
    """JSON text safe inside <script type="application/ld+json">: no `<`, `>` or `&` left.

    >>> "<" in json_script(b'{"a": "</script>"}')
    False
    """
    text = json.dumps(json.loads(data), ensure_ascii=False, indent=1)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup(text)


class Renderer:
    """Turns terms into links for one site and renders the templates."""

    def __init__(self, addresses: Addresses, services: list[tuple[str, str]] | None = None) -> None:
        self.addresses = addresses
        self.env = Environment(
            loader=PackageLoader("parlgraph", "resources/templates"),
            autoescape=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals["services"] = services or []

    def link(self, term, labels: dict[str, Labels], page_iri: str | None = None) -> Link:
        """A term as a link: to the local page if served here, to an anchor if on this page."""
        if isinstance(term, ox.BlankNode):
            return Link(f"#b-{term.value}", f"_:{term.value}", f"_:{term.value}", blank=True)
        iri = term.value
        label = labels.get(iri)
        text = label.main if label and label.main else self.addresses.path(iri) or curie(iri)
        english = label.en if label and label.en != text else None
        if page_iri and iri.startswith(page_iri + "#"):
            return Link("#" + iri.split("#", 1)[1], text, iri, english)
        if not iri.lower().startswith(LINKED_SCHEMES):
            return Link("", text, iri, english)  # javascript:, data:, urn: ... shown, not linked
        return Link(self.addresses.link(iri), text, iri, english)

    def graph_link(self, term, labels: dict[str, Labels]) -> Link:
        """A graph name, kept short: its label, or its path on the site."""
        return replace(self.link(term, labels), english=None)

    def value(self, term, labels: dict[str, Labels], page_iri: str | None = None) -> Value:
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value if term.datatype else None
            if term.language or datatype in {None, "http://www.w3.org/2001/XMLSchema#string"}:
                datatype = None
            return Value(
                literal=term.value,
                language=term.language,
                datatype=curie(datatype) if datatype else None,
            )
        return Value(link=self.link(term, labels, page_iri))

    def rows(
        self, quads: Iterable[ox.Quad], labels: dict[str, Labels], page_iri: str | None = None
    ) -> list[Row]:
        """One row per triple; quads must come sorted so a triple's graphs are adjacent."""
        rows = []
        for group in by_triple(quads):
            first = group[0]
            rows.append(
                Row(
                    self.link(first.subject, labels, page_iri),
                    self.link(first.predicate, labels),
                    self.value(first.object, labels, page_iri),
                    tuple(self.graph_link(q.graph_name, labels) for q in group[:GRAPHS_SHOWN]),
                    max(0, len(group) - GRAPHS_SHOWN),
                )
            )
        return rows

    def sections(self, rows: list[Row], iri: str) -> list[Section]:
        """Rows grouped by subject, the resource's own first (rows arrive in that order)."""
        sections: dict[str, Section] = {}
        for row in rows:
            subject = row.subject
            if subject.iri not in sections:
                anchor = subject.href[1:] if subject.href.startswith("#") else "about"
                sections[subject.iri] = Section(subject, anchor)
            sections[subject.iri].rows.append(row)
        return list(sections.values())

    def excerpt(self, span: Span, labels: dict[str, Labels]) -> Excerpt:
        begin = max(0, span.start - SPAN_CONTEXT)
        finish = min(len(span.text), span.end + SPAN_CONTEXT)
        return Excerpt(
            span=self.link(ox.NamedNode(span.iri), labels),
            source=self.link(ox.NamedNode(span.source), labels),
            before=span.text[begin : span.start],
            quote=span.found,
            after=span.text[span.end : finish],
            start=span.start,
            end=span.end,
            exact=span.exact,
            matches=span.matches,
            starts_text=begin == 0,
            ends_text=finish == len(span.text),
        )

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)


@dataclass
class Paging:
    """Where a paged list is: the page shown, and links to its neighbours."""

    page: int
    size: int
    previous: str | None = None
    next: str | None = None

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size


@dataclass
class ResourcePage:
    """Everything a resource page shows; the template only lays it out."""

    iri: str
    title: str
    english: str | None
    types: list[Link]
    sections: list[Section]
    incoming: list[Row]
    excerpts: list[Excerpt]
    shapes: list[Link]
    constraints: list[ShapeDoc]
    alternates: list[tuple[str, str, str]]
    jsonld: Markup
    paging: Paging
    total_rows: int
    documentation: str | None = None
