"""What the site says about one IRI, read from a Backend with plain SPARQL.

A resource's description is its concise bounded description across all named graphs: every
triple with the resource as subject, plus the same for its hash IRIs that it links to
(`…/7404-7449#quote`, which a client cannot ask for apart from their document) and for every
blank node reachable from those through blank nodes only. Each triple keeps the graph it is in,
so quad formats and pages say who said it. Incoming links are listed on HTML pages, not in the
RDF description, so the description stays bounded whatever points at the resource.

IRIs reach the query text only after addresses.Addresses.iri has refused every character that
could end an IRIREF, so no request can change a query's shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from .backend import Backend

_MAX_BLANK_DEPTH = 64
LABEL_PREDICATES = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "http://schema.org/name",
)
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OA = "http://www.w3.org/ns/oa#"
_CNT = "http://www.w3.org/2011/content#"


def _term_key(term) -> tuple[int, str]:
    order = {ox.NamedNode: 0, ox.BlankNode: 1, ox.Literal: 2}
    return (order.get(type(term), 3), str(term))


def quad_key(quad: ox.Quad) -> tuple:
    """A total, stable order: subject, predicate, object, graph."""
    return (
        _term_key(quad.subject),
        _term_key(quad.predicate),
        _term_key(quad.object),
        _term_key(quad.graph_name),
    )


def _levels(iri: str, depth: int) -> str:
    """One UNION branch per start and depth: the resource or one of its hash IRIs, then blank
    nodes below it. The IRI is written as a constant in each branch (no BIND before the join)
    so the store walks its indexes from it instead of scanning every quad."""
    hash_child = (
        f'GRAPH ?gh {{ <{iri}> ?hp ?h }} FILTER(isIRI(?h) && STRSTARTS(STR(?h), "{iri}#")) '
    )
    branches = []
    for start, prefix in ((f"<{iri}>", ""), ("?h", hash_child)):
        for level in range(depth + 1):
            steps, previous = [], start
            for step in range(1, level + 1):
                steps.append(
                    f"GRAPH ?gx{step} {{ {previous} ?px{step} ?x{step} }} FILTER(isBlank(?x{step}))"
                )
                previous = f"?x{step}"
            branches.append(
                f"{{ {prefix}{' '.join(steps)} GRAPH ?g {{ {previous} ?p ?o }} "
                f"BIND({previous} AS ?s) BIND({level} AS ?level) }}"
            )
    return " UNION ".join(branches)


def description(backend: Backend, iri: str) -> list[ox.Quad]:
    """The resource's description as quads in a stable order; empty if nothing is said of it.

    Two plain queries (the resource's triples, its hash IRIs' triples) serve resources without
    blank nodes, which is every resource parlgraph mints and runs on any SPARQL engine. Only
    when a blank node shows up is the closure asked for, in one query so that blank node labels
    stay consistent even on a remote store.
    """
    own = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} BIND(<{iri}> AS ?s) }}"
    hashes = (
        f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?gh {{ <{iri}> ?hp ?s }} "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{iri}#")) GRAPH ?g {{ ?s ?p ?o }} }}'
    )
    quads = {
        ox.Quad(row["s"], row["p"], row["o"], row["g"])
        for query in (own, hashes)
        for row in backend.query(query)
    }
    if any(isinstance(quad.object, ox.BlankNode) for quad in quads):
        return _ordered(_closure(backend, iri), iri)
    return _ordered(quads, iri)


def _closure(backend: Backend, iri: str) -> set[ox.Quad]:
    """The description with blank nodes followed, depth doubling until none is left below."""
    depth = 2
    while True:
        query = f"SELECT DISTINCT ?s ?p ?o ?g ?level WHERE {{ {_levels(iri, depth)} }}"
        quads, deepest_has_blank = set(), False
        for row in backend.query(query):
            quads.add(ox.Quad(row["s"], row["p"], row["o"], row["g"]))
            if int(row["level"].value) == depth and isinstance(row["o"], ox.BlankNode):
                deepest_has_blank = True
        if not deepest_has_blank or depth >= _MAX_BLANK_DEPTH:
            return quads
        depth *= 2


def _ordered(quads: Iterable[ox.Quad], iri: str) -> list[ox.Quad]:
    """The resource's own triples first, then its hash IRIs, then blank nodes."""

    def key(quad: ox.Quad) -> tuple:
        subject = quad.subject
        rank = 0 if getattr(subject, "value", None) == iri else 1
        return (rank, *quad_key(quad))

    return sorted(quads, key=key)


def incoming(backend: Backend, iri: str, limit: int, offset: int = 0) -> list[ox.Quad]:
    """Triples pointing at the resource, one page of them, ordered by predicate and subject."""
    query = (
        f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} "
        f"ORDER BY ?p ?s ?g LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    target = ox.NamedNode(iri)
    return [ox.Quad(row["s"], row["p"], target, row["g"]) for row in backend.query(query)]


def is_graph(backend: Backend, iri: str) -> bool:
    """Whether a named graph of that name holds any triple."""
    return bool(backend.query(f"ASK {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))


def graph_content(
    backend: Backend, iri: str, limit: int | None = None, offset: int = 0
) -> list[ox.Quad]:
    """The triples of one named graph (a page of them when limit is given), in a stable order."""
    page = f" LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None else ""
    query = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} ORDER BY ?s ?p ?o{page}"
    graph = ox.NamedNode(iri)
    return [ox.Quad(row["s"], row["p"], row["o"], graph) for row in backend.query(query)]


def graph_size(backend: Backend, iri: str) -> int:
    """How many triples a named graph holds."""
    rows = list(backend.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"))
    return int(rows[0]["n"].value)


def named_graphs(
    backend: Backend, namespaces: Sequence[str], limit: int, offset: int = 0
) -> list[str]:
    """One page of the names of the named graphs under the namespaces, in order.

    The store's own graphs (Virtuoso keeps system graphs) are left out. DISTINCT runs in a
    sub-select: Oxigraph takes seconds over DISTINCT, ORDER BY and LIMIT together on a corpus.
    """
    starts = " || ".join(f'STRSTARTS(STR(?g), "{namespace}")' for namespace in namespaces)
    query = (
        "SELECT ?g WHERE { { SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } } "
        f"FILTER({starts}) }} ORDER BY ?g LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    return [row["g"].value for row in backend.query(query)]


@dataclass(frozen=True)
class Labels:
    """A resource's French and English labels (either may be missing)."""

    fr: str | None = None
    en: str | None = None
    other: str | None = None

    @property
    def main(self) -> str | None:
        return self.fr or self.other or self.en


def labels(backend: Backend, iris: Iterable[str]) -> dict[str, Labels]:
    """French and English labels of many IRIs in one query; label predicates in a fixed order."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(f"<{iri}>" for iri in wanted)
    alternatives = "|".join(f"<{p}>" for p in LABEL_PREDICATES)
    query = (
        f"SELECT DISTINCT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
        f"GRAPH ?g {{ ?x ?p ?l }} FILTER(?p IN ({alternatives.replace('|', ', ')})) "
        "FILTER(isLiteral(?l)) }"
    )
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for row in backend.query(query):
        literal, rank = row["l"], LABEL_PREDICATES.index(row["p"].value)
        language = (literal.language or "").split("-")[0]
        slot = found.setdefault(row["x"].value, {})
        candidate = (rank, literal.value)
        if language not in slot or candidate < slot[language]:
            slot[language] = candidate
    result = {}
    for iri, slot in found.items():
        others = sorted((v, lang) for lang, v in slot.items() if lang not in {"fr", "en"})
        result[iri] = Labels(
            fr=slot["fr"][1] if "fr" in slot else None,
            en=slot["en"][1] if "en" in slot else None,
            other=others[0][0][1] if others else None,
        )
    return result


@dataclass(frozen=True)
class Span:
    """A quoted span: where it is in its source, what it quotes, and the source's full text."""

    iri: str
    source: str
    start: int
    end: int
    exact: str | None
    text: str

    @property
    def found(self) -> str:
        """The characters of the source at the span's offsets (code points, as the data says)."""
        return self.text[self.start : self.end]

    @property
    def matches(self) -> bool:
        return self.exact is None or self.found == self.exact


def spans(backend: Backend, iri: str) -> list[Span]:
    """The text spans a resource is, links to, or is the body of an annotation on, by offset."""
    query = f"""
        SELECT DISTINCT ?span ?source ?start ?end ?exact WHERE {{
            {{ BIND(<{iri}> AS ?span) }}
            UNION {{ GRAPH ?g1 {{ <{iri}> ?via ?span }} FILTER(isIRI(?span)) }}
            UNION {{ GRAPH ?g2 {{ ?ann <{_OA}hasBody> <{iri}> ; <{_OA}hasTarget> ?span }} }}
            GRAPH ?g3 {{ ?span <{_OA}hasSource> ?source ; <{_OA}hasSelector> ?position }}
            GRAPH ?g4 {{ ?position <{_OA}start> ?start ; <{_OA}end> ?end }}
            OPTIONAL {{
                GRAPH ?g5 {{ ?span <{_OA}hasSelector> ?quote . ?quote <{_OA}exact> ?exact }}
            }}
        }} ORDER BY ?source ?start ?end ?span"""
    rows = list(backend.query(query))
    texts: dict[str, str | None] = {}
    found = []
    for row in rows:
        source = row["source"].value
        if source not in texts:
            texts[source] = _source_text(backend, source)
        text = texts[source]
        if text is None:
            continue
        exact = row["exact"].value if row["exact"] is not None else None
        span = Span(
            row["span"].value, source, int(row["start"].value), int(row["end"].value), exact, text
        )
        if not found or found[-1].iri != span.iri:
            found.append(span)
    return found


def _source_text(backend: Backend, source: str) -> str | None:
    query = f"SELECT ?chars WHERE {{ GRAPH ?g {{ <{source}> <{_CNT}chars> ?chars }} }} LIMIT 1"
    rows = list(backend.query(query))
    return rows[0]["chars"].value if rows else None


def is_mentioned(backend: Backend, iri: str) -> bool:
    """Whether the IRI appears anywhere: as subject, predicate, object or graph name."""
    query = (
        f"ASK {{ {{ GRAPH ?g {{ <{iri}> ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p <{iri}> }} }} "
        f"UNION {{ GRAPH ?g {{ ?s <{iri}> ?o }} }} UNION {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} }}"
    )
    return bool(backend.query(query))


def instances(backend: Backend, cls: str, limit: int, offset: int = 0) -> list[str]:
    """IRIs typed cls, one page of them, in IRI order."""
    query = (
        f"SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x a <{cls}> }} FILTER(isIRI(?x)) }} "
        f"ORDER BY ?x LIMIT {int(limit)} OFFSET {int(offset)}"
    )
    return [row["x"].value for row in backend.query(query)]
