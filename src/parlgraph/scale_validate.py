"""Validate a corpus store at scale: the SHACL shapes compiled to SPARQL, run on all cores.

pyshacl walks focus node by focus node in Python; at 10,000 pages that takes a minute. Here
every constraint of the shapes graph becomes one SELECT query whose solutions are its
violations (focus node, value, and whatever a SPARQL rule projects); the sh:message, path,
severity and source shape are known when the query is compiled. The queries run on pyoxigraph,
split across worker processes that each open the store read-only, and the results come back as
parlgraph.validate's Report, so the CLI prints either the same way.

Semantics follow pyshacl, not just the SHACL text, so that both report the same violations:
sh:datatype accepts what rdflib accepts (a canonical lexical form is checked in SPARQL, any
other goes to rdflib itself through a custom SPARQL function), sh:pattern uses Python's re,
sh:languageIn and the value ranges compare as pyshacl does, and a SPARQL rule keeps pyshacl's
message filling. Focus nodes are read per named graph (so a run can be restricted to the graphs
a build changed), values from the union of all graphs, where shared resources are restated by
every page: every value set is therefore made DISTINCT before it is counted or compared.

Whatever the compiler does not support (sh:closed, sh:equals, SPARQL targets, nested
qualified shapes, ...) raises UnsupportedShapeError naming the shape: nothing is skipped.
"""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import multiprocessing
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from .errors import ParameterError, SourceError
from .memory import release_freed_memory
from .paths import Layout

if TYPE_CHECKING:  # rdflib and validate (which imports pyshacl) load lazily: workers skip them
    from rdflib import Graph
    from rdflib.term import Node

    from .validate import Report, ValidationResult

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = f"<{RDF}type>"

PARALLEL_FROM_GRAPHS = 200

# Custom SPARQL functions that hand a value to Python where pyshacl's answer is rdflib's.
WELL_TYPED = "urn:x-parlgraph:well-typed"
MATCHES = "urn:x-parlgraph:matches"
COMPARE = "urn:x-parlgraph:compare"

# Lexical forms that rdflib surely reads as a value of the right Python type: checked in SPARQL,
# so only unusual literals pay for a call into Python.
_CANONICAL = {
    f"{XSD}integer": r"^[+-]?[0-9]+$",
    f"{XSD}nonNegativeInteger": r"^[+]?[0-9]+$",
    f"{XSD}decimal": r"^[+-]?[0-9]+(\.[0-9]+)?$",
    f"{XSD}double": r"^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$",
    f"{XSD}boolean": r"^(true|false)$",
    f"{XSD}date": (
        r"^[1-9][0-9]{3}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
        r"|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$"
    ),
}
_NUMERIC = (f"{XSD}integer", f"{XSD}decimal")
_NODE_KINDS = {
    f"{SH}IRI": "isIRI({x})",
    f"{SH}BlankNode": "isBlank({x})",
    f"{SH}Literal": "isLiteral({x})",
    f"{SH}BlankNodeOrIRI": "!isLiteral({x})",
    f"{SH}BlankNodeOrLiteral": "!isIRI({x})",
    f"{SH}IRIOrLiteral": "!isBlank({x})",
}
_RANGES = {"minInclusive": ">=", "maxInclusive": "<=", "minExclusive": ">", "maxExclusive": "<"}
_SEVERITIES = {f"{SH}Violation": "Violation", f"{SH}Warning": "Warning", f"{SH}Info": "Info"}
_TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")
# Every sh: term the compiler understands on a shape; any other raises UnsupportedShapeError.
_VALUE_PARAMETERS = {
    "class", "datatype", "nodeKind", "minInclusive", "maxInclusive", "minExclusive",
    "maxExclusive", "minLength", "maxLength", "pattern", "languageIn", "in", "not", "and",
    "or", "xone", "node",
}  # fmt: skip
_COUNT_PARAMETERS = {
    "minCount", "maxCount", "uniqueLang", "hasValue", "qualifiedValueShape", "lessThanOrEquals",
}  # fmt: skip
_OTHER_PARAMETERS = {
    "path", "property", "sparql", "message", "severity", "deactivated", "name", "description",
    "order", "group", "defaultValue", "flags", "qualifiedMinCount", "qualifiedMaxCount",
    "qualifiedValueShapesDisjoint", *_TARGETS,
}  # fmt: skip
_KNOWN = _VALUE_PARAMETERS | _COUNT_PARAMETERS | _OTHER_PARAMETERS
# SPARQL that pre-binding $this allows but a join with the focus nodes would change.
_FORBIDDEN_SPARQL = {
    "MINUS": r"MINUS\b",
    "VALUES": r"VALUES\b",
    "SERVICE": r"SERVICE\b",
    "GROUP BY": r"GROUP\s+BY\b",
    "HAVING": r"HAVING\b",
    "LIMIT": r"LIMIT\b",
    "OFFSET": r"OFFSET\b",
    "an aggregate": r"(COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT)\s*\(",
    "$currentShape": r"[?$]currentShape\b",
    "$shapesGraph": r"[?$]shapesGraph\b",
    "?failure": r"[?$]failure\b",
    "GRAPH": r"GRAPH\b",  # pyshacl reads one merged graph, where no named graph is left
}
_KEYWORD_BEFORE = r"(?<![\w\-:?$])"
_SPARQL_TOKEN = re.compile(
    r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<comment>#[^\n]*)"
    r"|(?P<code>[^\"'<#]+|[\"'<#])",
    re.S,
)
_PATH_VARIABLE = re.compile(r"([\s{}()])[\$\?]PATH", flags=re.M)


class UnsupportedShapeError(SourceError):
    """A shape uses SHACL that the compiler does not translate; parlgraph.validate handles it."""


# ============================================================================ compiled checks


@dataclass(frozen=True)
class SparqlRule:
    """What turning an sh:sparql solution into a result needs, as pyshacl does it."""

    templates: tuple[tuple[str, str], ...]  # (message, language) of the shape, then the rule
    this_projected: bool
    node_shape: bool


@dataclass(frozen=True)
class Part:
    """One constraint component answered by a check: the column that is true when it fails."""

    component: str  # "sh:minCount"
    flag: str  # variable name, without "?"
    value: str  # where sh:value comes from: "value" (?value), "focus" (?this) or "none"
    generic: str = ""  # pyshacl's wording, for a shape without sh:message
    repeat: str = ""  # a column of space-separated items: one result per item seen twice


@dataclass(frozen=True)
class Check:
    """One SELECT over one shape's focus nodes: each solution is a violation of its parts.

    The constraints of a shape that read the same values share one query (values once, counts
    once); a row says which of them failed in one boolean column per Part.
    """

    label: str
    query: str
    shape: str
    path: str | None
    severity: str
    templates: tuple[tuple[str, str], ...]  # (message, language) of the shape
    parts: tuple[Part, ...] = ()
    rule: SparqlRule | None = None
    weight: int = 1  # rough relative cost, to start the slow queries first
    focus: str = ""  # the sub-select of its focus nodes, as it appears in the query


@dataclass
class Run:
    """A validation and what it cost, per check (for benchmarks and profiling)."""

    report: Report
    checks: int
    seconds: float  # wall-clock
    cpu_seconds: float  # this process and the workers' queries
    timings: list[tuple[str, float]] = field(default_factory=list)  # CPU seconds per check


# ============================================================================ public API


def validate_store(
    store_path_or_store: Path | str | ox.Store,
    shapes: list[Path] | None = None,
    graphs: list[str] | None = None,
    jobs: int | None = None,
) -> Report:
    """Validate a corpus store (or a Store object, in this process) against the shapes.

    `graphs` restricts the focus nodes to those typed in these named graphs (the pages a build
    changed); values and SPARQL rules still read every graph. `jobs` worker processes (default:
    one per core for a whole store, none for a few graphs) each open the store read-only and
    take a share of the queries.
    """
    return validate_store_timed(store_path_or_store, shapes, graphs, jobs).report


def validate_dataset(
    dataset: Graph, shapes: list[Path] | None = None, graphs: list[str] | None = None
) -> Report:
    """Validate an rdflib Dataset or Graph, loaded into an in-memory store first (small data)."""
    return validate_store(load_dataset(dataset), shapes, graphs, jobs=1)


def validate_store_timed(
    store_path_or_store: Path | str | ox.Store,
    shapes: list[Path] | None = None,
    graphs: list[str] | None = None,
    jobs: int | None = None,
    bulk: bool | None = None,
) -> Run:
    """validate_store, also returning the number of checks and the time each one took.

    `bulk` chooses how focus nodes meet their values (see compile_shapes); by default, hash
    joins unless `graphs` names less than a tenth of the store's graphs.
    """
    start, cpu = time.perf_counter(), time.process_time()
    shape_paths = [Path(p) for p in shapes] if shapes is not None else Layout.default().shapes
    if not shape_paths:
        raise ParameterError("no SHACL shapes files to validate against (shapes/*.ttl)")
    if isinstance(store_path_or_store, ox.Store):
        store, location = store_path_or_store, None
    else:
        location = _store_location(Path(store_path_or_store))
        store = ox.Store.read_only(location)
    if bulk is None:
        # Counting stops at ten times the graphs given: counting all 100,000 takes 4 s.
        limit = None if graphs is None else len(graphs) * 10 + 1
        bulk = graphs is None or len(graphs) * 10 > sum(
            1 for _ in itertools.islice(store.named_graphs(), limit)
        )
    # A few graphs are checked faster here than worker processes take to start (a second or
    # two); a few hundred, as after 1 % of a large corpus changed, are worth the workers.
    parallel = bulk or graphs is None or len(graphs) >= PARALLEL_FROM_GRAPHS
    jobs = max(1, jobs or ((os.cpu_count() or 1) if parallel else 1))
    pool = _pool(location, jobs) if location is not None and jobs > 1 else None
    try:
        files = tuple(_signature(p) for p in shape_paths)
        hierarchy = tuple(sorted((k, tuple(sorted(v))) for k, v in subclasses(store).items()))
        checks = _compiled(files, hierarchy, graphs is not None, bulk)
        named = None if graphs is None else sorted({ox.NamedNode(g).value for g in graphs})
        queries = [c.query for c in checks]
        if named is not None and not bulk:
            queries = _inline_focus(store, checks, named)
        if pool is None:
            answers = (_answer(store, i, q, named) for i, q in enumerate(queries))
        else:
            del store  # the workers read; this process only assembles the report
            order = sorted(range(len(checks)), key=lambda i: -checks[i].weight)
            tasks = [(i, queries[i], named) for i in order]
            answers = pool.imap_unordered(_worker_answer, tasks)
        results: list[ValidationResult] = []
        timings: list[tuple[str, float]] = []
        for index, variables, rows, seconds in answers:
            results += _results(checks[index], variables, rows)
            timings.append((checks[index].label, seconds))
        if pool is not None:
            pool.close()
    except BaseException:
        if pool is not None:
            pool.terminate()
        raise
    finally:
        if pool is not None:
            pool.join()
    timings.sort(key=lambda t: -t[1])
    cpu = time.process_time() - cpu + (sum(t for _, t in timings) if pool is not None else 0)
    return Run(_report(results), len(checks), time.perf_counter() - start, cpu, timings)


def _inline_focus(store: ox.Store, checks: Sequence[Check], graphs: list[str]) -> list[str]:
    """The queries with each focus sub-select replaced by its focus nodes, listed in VALUES.

    pyoxigraph may evaluate a rule's own patterns before a sub-select it is joined with, which
    on a few graphs means reading the whole store; a VALUES block is always evaluated first.
    Focus nodes are computed once per distinct sub-select. Blank nodes cannot be named in a
    query: a focus set holding one keeps its sub-select.
    """
    named = [ox.NamedNode(g) for g in graphs]
    listed: dict[str, str] = {}
    for pattern in {c.focus for c in checks if c.focus}:
        nodes = [
            row["this"]
            for row in store.query(
                f"SELECT ?this WHERE {pattern}",
                use_default_graph_as_union=True,
                named_graphs=named,
            )
        ]
        if all(isinstance(n, ox.NamedNode) for n in nodes):
            listed[pattern] = "{ VALUES ?this { " + " ".join(str(n) for n in nodes) + " } }"
    return [
        c.query.replace(c.focus, listed[c.focus]) if c.focus in listed else c.query for c in checks
    ]


def _signature(path: Path) -> tuple[str, int, int]:
    """A shapes file as the compile cache knows it: edited files are compiled again."""
    if not path.is_file():
        raise SourceError("no such file", path)
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _compiled(
    files: tuple[tuple[str, int, int], ...],
    children: tuple[tuple[str, tuple[str, ...]], ...],
    restricted: bool,
    bulk: bool,
) -> tuple[Check, ...]:
    """Compiled checks, kept while the shapes files, class hierarchy and options stay the same.

    The graphs of a restricted run are not in the queries (they are given to pyoxigraph as the
    named graphs), so an incremental build does not compile again for every set of pages.
    """
    paths = [Path(name) for name, _, _ in files]
    hierarchy = {cls: set(subs) for cls, subs in children}
    return tuple(compile_shapes(load_shapes(paths), hierarchy, restricted, paths, bulk))


def load_dataset(dataset: Graph) -> ox.Store:
    """An in-memory store with every quad of an rdflib Dataset (or triple of a Graph)."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

    from .store import to_ox

    store = ox.Store()
    if isinstance(dataset, ConjunctiveGraph):
        quads = []
        for s, p, o, g in dataset.quads((None, None, None, None)):
            name = g.identifier if hasattr(g, "identifier") else g
            graph = ox.DefaultGraph() if name == DATASET_DEFAULT_GRAPH_ID else to_ox(name)
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph))
    else:
        quads = [ox.Quad(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in dataset]
    store.bulk_extend(quads)
    return store


def store_to_graph(store: ox.Store) -> Graph:
    """The union of a store's graphs as one rdflib Graph, for pyshacl (benchmarks, tests).

    Terms come out as rdflib's own parsers make them: lexical forms as written, and a simple
    literal without a datatype. pyoxigraph reports "x" as "x"^^xsd:string, which rdflib (and so
    pyshacl's sh:in and sh:hasValue) would take for a different literal than the shapes' "x".
    """
    from rdflib import BNode, Graph, Literal, URIRef

    cache: dict[Any, Any] = {}

    def term(node: Any) -> Any:
        found = cache.get(node)
        if found is None:
            if isinstance(node, ox.NamedNode):
                found = URIRef(node.value)
            elif isinstance(node, ox.BlankNode):
                found = BNode(node.value)
            elif node.language:
                found = Literal(node.value, lang=node.language, normalize=False)
            elif node.datatype.value == f"{XSD}string":
                found = Literal(node.value, normalize=False)
            else:
                found = Literal(node.value, datatype=URIRef(node.datatype.value), normalize=False)
            cache[node] = found
        return found

    graph = Graph()
    for quad in store:
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def load_shapes(paths: Sequence[Path]) -> Graph:
    """The shapes files as one rdflib graph, literals kept as written (sh:in, sh:hasValue)."""
    from rdflib import Graph

    graph = Graph()
    for path in paths:
        if not Path(path).is_file():
            raise SourceError("no such file", path)
        try:
            with _lexical_forms_kept():
                graph.parse(path, format="turtle")
        except Exception as err:  # rdflib raises many unrelated types for bad syntax
            line = getattr(err, "lines", None)
            reason = str(err).splitlines()[0] if str(err).strip() else type(err).__name__
            raise SourceError(
                f"invalid Turtle: {reason}", path, line + 1 if line else None
            ) from err
    return graph


def subclasses(store: ox.Store) -> dict[str, set[str]]:
    """Every class with its direct rdfs:subClassOf children, as the data (ontology) states them."""
    children: dict[str, set[str]] = {}
    query = f"SELECT DISTINCT ?sub ?super WHERE {{ ?sub <{RDFS}subClassOf> ?super }}"
    for row in store.query(query, use_default_graph_as_union=True):
        sub, sup = row["sub"], row["super"]
        if isinstance(sub, ox.NamedNode) and isinstance(sup, ox.NamedNode):
            children.setdefault(sup.value, set()).add(sub.value)
    return children


# ============================================================================ running


def _store_location(path: Path) -> str:
    """The RocksDB folder: STORE/oxigraph as `parlgraph build` makes it, or the folder itself."""
    location = path / "oxigraph" if (path / "oxigraph").is_dir() else path
    if not location.is_dir():
        raise ParameterError(f"--store {path}: no store there (run parlgraph build first)")
    return str(location)


def _pool(location: str, jobs: int) -> Any:
    """Worker processes, started before the shapes are compiled so their start-up overlaps."""
    # spawn, not fork: this process may hold RocksDB threads, which a fork would not survive.
    context = multiprocessing.get_context("spawn")
    return context.Pool(jobs, initializer=_open_worker_store, initargs=(location,))


_WORKER_STORE: ox.Store | None = None


def _open_worker_store(location: str) -> None:
    global _WORKER_STORE
    _WORKER_STORE = ox.Store.read_only(location)


def _worker_answer(
    task: tuple[int, str, list[str] | None],
) -> tuple[int, list[str], list[tuple], float]:
    assert _WORKER_STORE is not None, "worker started without its store"
    answer = _answer(_WORKER_STORE, *task)
    release_freed_memory()  # not to hold the largest query's hash tables while others run
    return answer


def _answer(
    store: ox.Store, index: int, query: str, graphs: list[str] | None = None
) -> tuple[int, list[str], list[tuple], float]:
    """Run one check; rows come back as plain tuples so they cross process boundaries.

    `graphs` become the query's named graphs (those GRAPH ?g ranges over); its default graph
    is always the union of all. The time returned is CPU time: what the check costs, even on
    a shared machine.
    """
    start = time.process_time()
    named = None if graphs is None else [ox.NamedNode(g) for g in graphs]
    solutions = store.query(
        query,
        use_default_graph_as_union=True,
        named_graphs=named,
        custom_functions=_CUSTOM_FUNCTIONS,
    )
    variables = [v.value for v in solutions.variables]
    rows = list(dict.fromkeys(tuple(_plain(s[v]) for v in variables) for s in solutions))
    return index, variables, rows, time.process_time() - start


def _plain(term: Any) -> tuple | None:
    """A pyoxigraph term as a picklable tuple: ("I", iri), ("B", id), ("L", lex, dt, lang)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ("I", term.value)
    if isinstance(term, ox.BlankNode):
        return ("B", term.value)
    return ("L", term.value, term.datatype.value, term.language or "")


# ============================================================================ custom functions
# pyshacl decides datatypes, patterns and ranges with rdflib and Python's re; these give the
# SPARQL queries the same answers for the literals the fast SPARQL tests do not settle.

_TRUE = ox.Literal("true", datatype=ox.NamedNode(f"{XSD}boolean"))
_FALSE = ox.Literal("false", datatype=ox.NamedNode(f"{XSD}boolean"))


def _well_typed_function(term: Any) -> ox.Literal:
    if not isinstance(term, ox.Literal):
        return _FALSE
    return _TRUE if _well_typed(term.value, term.datatype.value, term.language or "") else _FALSE


def _matches_function(text: Any, pattern: Any, flags: Any) -> ox.Literal | None:
    if not all(isinstance(t, ox.Literal) for t in (text, pattern, flags)):
        return None
    return _TRUE if _regex(pattern.value, flags.value)(text.value) else _FALSE


def _compare_function(value: Any, bound: Any) -> ox.Literal | None:
    if not isinstance(value, ox.Literal) or not isinstance(bound, ox.Literal):
        return None
    order = _compare(_key(value), _key(bound))
    return None if order is None else ox.Literal(str(order), datatype=ox.NamedNode(f"{XSD}integer"))


_CUSTOM_FUNCTIONS = {
    ox.NamedNode(WELL_TYPED): _well_typed_function,
    ox.NamedNode(MATCHES): _matches_function,
    ox.NamedNode(COMPARE): _compare_function,
}


def _key(term: ox.Literal) -> tuple[str, str, str]:
    return (term.value, term.datatype.value, term.language or "")


@lru_cache(maxsize=65536)
def _well_typed(lexical: str, datatype: str, language: str) -> bool:
    """pyshacl's sh:datatype test: rdflib does not call it ill-typed and its value has the type."""
    literal = _rdflib_literal(lexical, datatype, language)
    if getattr(literal, "ill_typed", None) is True:
        return False
    value = literal.value
    expected: dict[str, type | tuple[type, ...]] = {
        f"{XSD}string": (str, bytes),
        f"{RDF}langString": (str, bytes),
        f"{XSD}integer": int,
        f"{XSD}float": float,
        f"{XSD}decimal": Decimal,
        f"{XSD}boolean": bool,
        f"{XSD}date": dt.date,
        f"{XSD}time": dt.time,
        f"{XSD}dateTime": dt.datetime,
    }
    kind = expected.get(datatype)
    return kind is None or isinstance(value, kind)


@lru_cache(maxsize=256)
def _regex(pattern: str, flags: str) -> Callable[[str], bool]:
    """pyshacl's sh:pattern: Python's re, flags i and m only, match or search."""
    options = (re.I if "i" in flags.lower() else 0) | (re.M if "m" in flags.lower() else 0)
    compiled = re.compile(pattern, options)
    return lambda text: bool(compiled.match(text) or compiled.search(text))


@lru_cache(maxsize=65536)
def _compare(value: tuple[str, str, str], bound: tuple[str, str, str]) -> int | None:
    """pyshacl's range comparison of two literals: -1, 0, 1, or None when they do not compare."""
    left, right = _rdflib_literal(*value), _rdflib_literal(*bound)
    if isinstance(left.value, str) != isinstance(right.value, str):
        return None
    try:
        if left.eq(right):
            return 0
        if left.value.__class__ in (dt.datetime, dt.time):
            if left.value == right.value:
                return 0
            if left.value > right.value:
                return 1
        elif left > right:
            return 1
        return -1
    except (TypeError, NotImplementedError):
        return None


def _rdflib_literal(lexical: str, datatype: str, language: str) -> Any:
    from rdflib import Literal, URIRef

    rdflib_term = logging.getLogger("rdflib.term")
    quiet, rdflib_term.disabled = rdflib_term.disabled, True  # no traceback per bad lexical form
    try:
        if language:
            return Literal(lexical, lang=language, normalize=False)
        if datatype == f"{XSD}string":
            return Literal(lexical, normalize=False)
        return Literal(lexical, datatype=URIRef(datatype), normalize=False)
    finally:
        rdflib_term.disabled = quiet


@contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """rdflib would rewrite literals while parsing (NORMALIZE_LITERALS); keep them as written."""
    import rdflib

    previous, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


# ============================================================================ the compiler


def compile_shapes(
    shapes: Graph,
    subclass_children: dict[str, set[str]] | None = None,
    restricted: bool = False,
    shape_paths: Sequence[Path] = (),
    bulk: bool = True,
) -> list[Check]:
    """Every constraint of every targeted shape as Checks, for this data's class hierarchy.

    `restricted` reads focus nodes in the named graphs a query is given (a run on some graphs).
    `bulk` joins focus nodes and values by scanning whole predicates (hash joins), the fast way
    to check a whole store; otherwise each focus node's values are looked up (nested loops),
    the fast way to check a few graphs.
    """
    where = Path(shape_paths[0]) if shape_paths else Path("shapes")
    if len(shape_paths) > 1:
        where = where.parent
    return _Compiler(shapes, subclass_children or {}, restricted, where, bulk).compile()


@dataclass
class _Focus:
    """Where a shape's focus nodes come from: classes, predicates and nodes, merged."""

    classes: set[str] = field(default_factory=set)
    subjects_of: set[str] = field(default_factory=set)
    objects_of: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)  # SPARQL terms

    def __bool__(self) -> bool:
        return bool(self.classes or self.subjects_of or self.objects_of or self.nodes)

    def add(self, other: _Focus) -> None:
        self.classes |= other.classes
        self.subjects_of |= other.subjects_of
        self.objects_of |= other.objects_of
        self.nodes |= other.nodes


@dataclass(frozen=True)
class _Test:
    """A value-level constraint: a SPARQL expression, and a pattern it may need joined first."""

    component: str
    expression: str
    pattern: str = ""


class _Compiler:
    """Turns one shapes graph into checks; one instance per validation run."""

    def __init__(
        self,
        graph: Graph,
        children: dict[str, set[str]],
        restricted: bool,
        where: Path,
        bulk: bool,
    ) -> None:
        from rdflib import Namespace

        self.g, self.children, self.where, self.bulk = graph, children, where, bulk
        self.sh = Namespace(SH)
        self.restricted = restricted
        self.counter = 0
        self.nesting: list[Node] = []

    # ------------------------------------------------------------------ shapes
    def compile(self) -> list[Check]:
        self._refuse_custom_components()
        for shape in self._all_shapes():
            self._check_parameters(shape)
        focus: dict[Node, _Focus] = {}
        for shape in self._targeted():
            if self._deactivated(shape):
                continue
            own = self._own_focus(shape)
            focus.setdefault(shape, _Focus()).add(own)
            for child in self.g.objects(shape, self.sh.property):
                if not self._deactivated(child):
                    focus.setdefault(child, _Focus()).add(own)
        checks: list[Check] = []
        for shape in sorted(focus, key=str):
            if focus[shape]:
                pattern = self._focus_pattern(focus[shape])
                for check in self._shape_checks(shape, pattern):
                    checks.append(replace(check, focus=pattern))
        return checks

    def _all_shapes(self) -> set[Node]:
        from rdflib import RDF as RDFNS
        from rdflib.collection import Collection

        sh = self.sh
        found = set(self.g.subjects(RDFNS.type, sh.NodeShape))
        found |= set(self.g.subjects(RDFNS.type, sh.PropertyShape))
        for name in (*_TARGETS, "path", "property", "sparql"):
            found |= set(self.g.subjects(sh[name], None))
        for name in ("property", "node", "not", "qualifiedValueShape"):
            found |= set(self.g.objects(None, sh[name]))
        for name in ("and", "or", "xone"):
            for head in self.g.objects(None, sh[name]):
                found |= set(Collection(self.g, head))
        return found

    def _targeted(self) -> list[Node]:
        from rdflib import RDF as RDFNS

        shapes = {s for name in _TARGETS for s in self.g.subjects(self.sh[name], None)}
        shapes |= {s for s in self.g.subjects(RDFNS.type, self.sh.NodeShape)}
        return sorted((s for s in shapes if self._targets(s)), key=str)

    def _targets(self, shape: Node) -> bool:
        return self._implicit_class(shape) or any(self._objects(shape, t) for t in _TARGETS)

    def _implicit_class(self, shape: Node) -> bool:
        """A node shape that is also a class targets that class's instances (SHACL 2.1.3.3)."""
        from rdflib import RDF as RDFNS
        from rdflib import URIRef

        types = {str(t) for t in self.g.objects(shape, RDFNS.type)}
        classes = {f"{RDFS}Class", f"{OWL}Class"}
        return isinstance(shape, URIRef) and f"{SH}NodeShape" in types and bool(types & classes)

    def _refuse_custom_components(self) -> None:
        from rdflib import RDF as RDFNS

        for component in self.g.subjects(RDFNS.type, self.sh.ConstraintComponent):
            raise self._unsupported(component, "a custom constraint component")
        for name in ("target", "rule", "shapesGraph"):
            for shape in self.g.subjects(self.sh[name], None):
                raise self._unsupported(shape, f"sh:{name}")

    def _check_parameters(self, shape: Node) -> None:
        for predicate in set(self.g.predicates(shape, None)):
            text = str(predicate)
            if text.startswith(SH) and text[len(SH) :] not in _KNOWN:
                raise self._unsupported(shape, f"sh:{text[len(SH) :]}")
        if self._path(shape) is not None and self._value(shape, "property") is not None:
            raise self._unsupported(shape, "sh:property on a property shape")
        if self._truthy(shape, "qualifiedValueShapesDisjoint"):
            raise self._unsupported(shape, "sh:qualifiedValueShapesDisjoint true")
        if len(set(self.g.objects(shape, self.sh.qualifiedValueShape))) > 1:
            raise self._unsupported(shape, "several sh:qualifiedValueShape")

    def _own_focus(self, shape: Node) -> _Focus:
        focus = _Focus()
        classes = set(self.g.objects(shape, self.sh.targetClass))
        if self._implicit_class(shape):
            classes.add(shape)
        for cls in classes:
            focus.classes |= self._closure(self._iri(shape, cls))
        focus.subjects_of |= {self._iri(shape, p) for p in self._objects(shape, "targetSubjectsOf")}
        focus.objects_of |= {self._iri(shape, p) for p in self._objects(shape, "targetObjectsOf")}
        focus.nodes |= {self._term(shape, n) for n in self._objects(shape, "targetNode")}
        return focus

    def _closure(self, cls: str) -> set[str]:
        """The class and all its subclasses: SHACL instances are typed with any of them."""
        found, todo = {cls}, [cls]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return found

    # ------------------------------------------------------------------ focus nodes
    def _focus_pattern(self, focus: _Focus) -> str:
        """A sub-select binding ?this once per focus node.

        In a restricted run the query is given the graphs as its named graphs (pyoxigraph's
        named_graphs), which GRAPH ?g then ranges over; the default graph stays the union.
        """
        branches = []

        def scoped(pattern: str) -> str:
            return f"GRAPH ?g {{ {pattern} }}" if self.restricted else pattern

        if len(focus.classes) == 1:
            branches.append(scoped(f"?this {RDF_TYPE} {_iris(focus.classes)}"))
        elif focus.classes:
            branches.append(
                f"{scoped(f'?this {RDF_TYPE} ?c')} VALUES ?c {{ {_iris(focus.classes)} }}"
            )
        if focus.subjects_of:
            branches.append(
                f"{scoped('?this ?sp ?so')} VALUES ?sp {{ {_iris(focus.subjects_of)} }}"
            )
        if focus.objects_of:
            branches.append(f"{scoped('?os ?op ?this')} VALUES ?op {{ {_iris(focus.objects_of)} }}")
        if focus.nodes:
            nodes = f"VALUES ?this {{ {' '.join(sorted(focus.nodes))} }}"
            if self.restricted:
                nodes += " GRAPH ?g { { ?this ?np ?no } UNION { ?ns ?np ?this } }"
            branches.append(nodes)
        body = " UNION ".join(f"{{ {b} }}" for b in branches)
        return f"{{ SELECT DISTINCT ?this WHERE {{ {body} }} }}"

    # ------------------------------------------------------------------ checks of one shape
    def _shape_checks(self, shape: Node, focus: str) -> list[Check]:
        path = self._path(shape)
        checks: list[Check] = []
        if path is None:
            for name in sorted(_COUNT_PARAMETERS - {"hasValue"}):
                if self._value(shape, name) is not None:
                    raise self._unsupported(shape, f"sh:{name} on a node shape")
            tests = self._value_tests(shape, "?this", top=True)
            checks += self._flagged(shape, "values", "?this", focus, tests, "focus")
        else:
            values = self._values(focus, path)
            tests = self._value_tests(shape, "?value", top=True)
            checks += self._flagged(shape, "values", "?this ?value", values, tests, "value", 2)
            checks += self._count_checks(shape, path, focus, values)
        for rule in self._objects(shape, "sparql"):
            if not self._truthy(rule, "deactivated"):
                checks.append(self._sparql_check(shape, rule, path, focus))
        return checks

    def _values(self, focus: str, path: str) -> str:
        """A sub-select of (?this, ?value) pairs, each once although graphs restate them."""
        if self.bulk:  # both sides are distinct already, and so is their join
            return f"{{ {focus} {self._pairs(path)} }}"
        return f"{{ SELECT DISTINCT ?this ?value WHERE {{ {focus} {self._pairs(path)} }} }}"

    def _pairs(self, path: str) -> str:
        """?this path ?value, joined by a scan of the whole predicate when in bulk."""
        if self.bulk:
            return f"{{ SELECT DISTINCT ?this ?value WHERE {{ ?this {path} ?value }} }}"
        return f"?this {path} ?value"

    def _flagged(
        self,
        shape: Node,
        kind: str,
        head: str,
        where: str,
        tests: list[_Test],
        value: str,
        weight: int = 1,
    ) -> list[Check]:
        """One query for several value tests: a column per test, true where it fails."""
        if not tests:
            return []
        parts = []
        for index, test in enumerate(tests):
            component_value = "none" if test.component == "sh:hasValue" else value
            generic = self._generic(shape, test.component)
            parts.append(Part(test.component, f"k{index}", component_value, generic))
        patterns = " ".join(test.pattern for test in tests if test.pattern)
        failed = " || ".join(f"!({test.expression})" for test in tests)
        # The flags are computed in the projection: only for the rows that failed something.
        flags = " ".join(
            f"(!({t.expression}) AS ?{p.flag})" for t, p in zip(tests, parts, strict=True)
        )
        query = f"SELECT {head} {flags} WHERE {{ {where} {patterns} FILTER ({failed}) }}"
        return [self._check(shape, kind, query, parts, weight)]

    def _count_checks(self, shape: Node, path: str, focus: str, values: str) -> list[Check]:
        """minCount, maxCount, hasValue and qualified counts in one grouped query."""
        aggregates, extra, joined, conditions = [], "", "", []
        repeat = ""
        unique_lang = self._truthy(shape, "uniqueLang")
        if unique_lang and self.bulk:  # the pairs are distinct here: list each value's tag
            # LANG read once; pyoxigraph keeps tags lower-cased, as pyshacl compares them.
            extra += ' BIND (LANG(?value) AS ?_tag) BIND (IF(?_tag != "", ?_tag, ?_none) AS ?lang)'

            aggregates.append("(COUNT(?lang) AS ?tagged) (COUNT(DISTINCT ?lang) AS ?tags)")
            aggregates.append('(GROUP_CONCAT(?lang; separator=" ") AS ?langs)')
            conditions.append(("sh:uniqueLang", "?tagged > ?tags"))
            repeat = "langs"
        low, high = self._integer(shape, "minCount"), self._integer(shape, "maxCount")
        if low or high is not None:
            aggregates.append("(COUNT(DISTINCT ?value) AS ?n)")
        if low:
            conditions.append(("sh:minCount", f"?n < {low}"))
        if high is not None:
            conditions.append(("sh:maxCount", f"?n > {high}"))
        for index, expected in enumerate(self._objects(shape, "hasValue")):
            same = f"COALESCE(sameTerm(?value, {self._term(shape, expected)}), false)"
            aggregates.append(f"(SUM(IF({same}, 1, 0)) AS ?h{index})")
            conditions.append(("sh:hasValue", f"?h{index} = 0"))
        qualified = self._value(shape, "qualifiedValueShape")
        if qualified is not None and not self._deactivated(qualified):
            q_low = self._integer(shape, "qualifiedMinCount")
            q_high = self._integer(shape, "qualifiedMaxCount")
            if q_low is None and q_high is None:
                raise self._unsupported(shape, "sh:qualifiedValueShape without a count")
            test = self._conformance_test(qualified, "?value")
            joined = test.pattern  # joined inside the OPTIONAL: only values are looked up
            extra += f" BIND (IF({test.expression}, ?value, ?_none) AS ?q)"
            aggregates.append("(COUNT(DISTINCT ?q) AS ?nq)")
            if q_low:
                conditions.append(("sh:qualifiedMinCount", f"?nq < {q_low}"))
            if q_high is not None:
                conditions.append(("sh:qualifiedMaxCount", f"?nq > {q_high}"))
        checks = []
        if conditions:
            parts = [
                Part(
                    label,
                    f"k{i}",
                    "none",
                    self._generic(shape, label),
                    repeat if label == "sh:uniqueLang" else "",
                )
                for i, (label, _) in enumerate(conditions)
            ]
            binds = " ".join(f"BIND ({c} AS ?k{i})" for i, (_, c) in enumerate(conditions))
            failed = " || ".join(f"?{p.flag}" for p in parts)
            columns = " ".join(f"?{p.flag}" for p in parts) + (f" ?{repeat}" if repeat else "")
            if self.bulk:
                # Statistics per subject of the whole predicate, then onto the focus nodes: no
                # join before grouping. A focus node without values has no statistics: zeros.
                rows = f"?this {path} ?value"
                if repeat:  # the languages are listed per distinct value
                    rows = f"{{ SELECT DISTINCT ?this ?value WHERE {{ {rows} }} }}"
                stats = (
                    f"{{ SELECT ?this {' '.join(aggregates)} WHERE {{ {rows} {joined} {extra} }} "
                    "GROUP BY ?this }"
                )
                zeros = " ".join(
                    f"BIND (COALESCE(?{name}, 0) AS ?{name}_)"
                    for name in re.findall(r"AS \?(\w+)\)", " ".join(aggregates))
                    if name != "langs"
                )
                binds = re.sub(r"\?(n|nq|h\d+|tagged|tags)\b", r"?\1_", binds)
                query = (
                    f"SELECT ?this {columns} WHERE {{ {focus} OPTIONAL {stats} {zeros} "
                    f"{binds} FILTER ({failed}) }}"
                )
            else:
                query = (
                    f"SELECT ?this {columns} WHERE {{ "
                    f"{{ SELECT ?this {' '.join(aggregates)} WHERE {{ {focus} "
                    f"OPTIONAL {{ {self._pairs(path)} {joined} }} {extra} }} GROUP BY ?this }} "
                    f"{binds} FILTER ({failed}) }}"
                )
            checks.append(self._check(shape, "counts", query, parts, 2))
        if unique_lang and not self.bulk:
            query = (
                f"SELECT ?this ?lang (true AS ?k0) WHERE {{ {values} "
                'FILTER (LANG(?value) != "") '
                "BIND (LCASE(LANG(?value)) AS ?lang) } "
                "GROUP BY ?this ?lang HAVING (COUNT(?value) > 1)"
            )
            part = Part("sh:uniqueLang", "k0", "none", self._generic(shape, "sh:uniqueLang"))
            checks.append(self._check(shape, "uniqueLang", query, [part], 2))
        for index, other in enumerate(self._objects(shape, "lessThanOrEquals")):
            other_values = f"?this <{self._iri(shape, other)}> ?other"
            if self.bulk:
                other_values = f"{{ SELECT DISTINCT ?this ?other WHERE {{ {other_values} }} }}"
            query = (
                f"SELECT DISTINCT ?this ?value (true AS ?k0) WHERE {{ {values} {other_values} "
                f"FILTER (!({_less_or_equal('?value', '?other')})) }}"
            )
            part = Part(
                "sh:lessThanOrEquals", "k0", "value", self._generic(shape, "sh:lessThanOrEquals")
            )
            checks.append(self._check(shape, f"lessThanOrEquals {index}", query, [part], 2))
        return checks

    def _check(
        self, shape: Node, kind: str, query: str, parts: Sequence[Part], weight: int = 1
    ) -> Check:
        return Check(
            label=f"{self._name(shape)} {kind}",
            query=query,
            shape=_text(shape) or "",
            path=self._result_path(shape),
            severity=self._severity(shape),
            templates=self._templates(shape),
            parts=tuple(parts),
            weight=weight,
        )

    # ------------------------------------------------------------------ value tests
    def _value_tests(self, shape: Node, x: str, top: bool = False) -> list[_Test]:
        """One test per value-level constraint: its expression is true when x passes.

        Expressions never raise a SPARQL error: an error inside a FILTER would silently drop the
        solution, which here means dropping a violation. At the top of a bulk query a class
        test joins the class's instances once instead of looking each value's types up.
        """
        from rdflib.collection import Collection

        tests: list[_Test] = []
        for cls in self._objects(shape, "class"):
            tests.append(self._class_test(self._iri(shape, cls), x, top and self.bulk))
        datatypes = list(self._objects(shape, "datatype"))
        if len(datatypes) > 1:
            raise self._unsupported(shape, "several sh:datatype")
        for datatype in datatypes:
            tests.append(_Test("sh:datatype", self._datatype_test(shape, datatype, x)))
        for kind in self._objects(shape, "nodeKind"):
            if str(kind) not in _NODE_KINDS:
                raise self._unsupported(shape, f"sh:nodeKind {kind}")
            tests.append(_Test("sh:nodeKind", _NODE_KINDS[str(kind)].format(x=x)))
        for name, operator in _RANGES.items():
            for bound in self._objects(shape, name):
                tests.append(_Test(f"sh:{name}", self._range_test(shape, bound, operator, x)))
        for name, operator in (("minLength", ">="), ("maxLength", "<=")):
            length = self._integer(shape, name)
            if length == 0 and name == "minLength":
                continue
            if length is not None:
                test = f"STRLEN(STR({x})) {operator} {length}"  # STR(blank node): error
                tests.append(_Test(f"sh:{name}", f"COALESCE({test}, false)"))
        flags = str(self._value(shape, "flags") or "")
        for pattern in self._objects(shape, "pattern"):
            call = f"<{MATCHES}>(STR({x}), {_string(str(pattern))}, {_string(flags)})"
            tests.append(_Test("sh:pattern", f"COALESCE({call}, false)"))
        for languages in self._objects(shape, "languageIn"):
            tags = [str(t).lower() for t in Collection(self.g, languages)]
            tests.append(_Test("sh:languageIn", _language_test(tags, x)))
        for members in self._objects(shape, "in"):
            terms = [self._term(shape, t) for t in Collection(self.g, members)]
            same = " || ".join(f"sameTerm({x}, {t})" for t in terms) or "false"
            tests.append(_Test("sh:in", f"COALESCE({same}, false)"))
        if self._path(shape) is None:
            for expected in self._objects(shape, "hasValue"):
                same = f"sameTerm({x}, {self._term(shape, expected)})"
                tests.append(_Test("sh:hasValue", same))
        joined = top and self.bulk
        for nested in self._objects(shape, "not"):
            member = self._conformance_test(nested, x, joined)
            tests.append(_Test("sh:not", f"!({member.expression})", member.pattern))
        for nested in self._objects(shape, "node"):
            member = self._conformance_test(nested, x, joined)
            tests.append(_Test("sh:node", member.expression, member.pattern))
        for name in ("and", "or", "xone"):
            for head in self._objects(shape, name):
                members = [
                    self._conformance_test(m, x, joined)
                    for m in Collection(self.g, head)
                    if not self._deactivated(m)
                ]
                if not members:
                    continue
                parts = [m.expression for m in members]
                if name == "and":
                    test = " && ".join(f"({p})" for p in parts)
                elif name == "or":
                    test = " || ".join(f"({p})" for p in parts)
                else:
                    test = " + ".join(f"IF({p}, 1, 0)" for p in parts) + " = 1"
                pattern = " ".join(m.pattern for m in members if m.pattern)
                tests.append(_Test(f"sh:{name}", f"({test})", pattern))
        return tests

    def _class_test(self, cls: str, x: str, join: bool) -> _Test:
        instance = self._instance(cls, x)
        if not join:
            return _Test("sh:class", f"EXISTS {{ {instance} }}")
        return self._joined("sh:class", x, instance)

    def _instance(self, cls: str, x: str) -> str:
        """x is a SHACL instance of cls: typed with it or with one of its subclasses."""
        closure = self._closure(cls)
        if len(closure) == 1:
            return f"{x} {RDF_TYPE} <{cls}>"
        types = self._fresh("type")
        return f"{x} {RDF_TYPE} {types} VALUES {types} {{ {_iris(closure)} }}"

    def _joined(self, component: str, x: str, members: str) -> _Test:
        """x is in the set `members` binds: the set computed once and joined, not probed."""
        found = self._fresh("member")
        pattern = f"OPTIONAL {{ SELECT DISTINCT {x} (true AS {found}) WHERE {{ {members} }} }}"
        return _Test(component, f"BOUND({found})", pattern)

    def _conformance_test(self, shape: Node, x: str, joined: bool = True) -> _Test:
        """x conforms to a nested shape: joined as a set in bulk when the shape is one."""
        members = self._conforming_set(shape, x) if self.bulk and joined else None
        if members is not None:
            return self._joined("", x, members)
        return _Test("", self._conforms(shape, x))

    def _conforming_set(self, shape: Node, x: str) -> str | None:
        """A pattern binding x to every node that conforms to `shape`, when there is a simple one.

        Shapes made only of sh:class (instances), or of a path with sh:hasValue or
        sh:minCount 1 (subjects of it): the qualified shapes of parlgraph's shapes are such.
        """
        if self._deactivated(shape):
            return None
        names = {
            str(p)[len(SH) :] for p in self.g.predicates(shape, None) if str(p).startswith(SH)
        } - {"message", "severity", "name", "description", "order", "group"}
        path = self._path(shape)
        if path is None:
            if names != {"class"}:
                return None
            return " . ".join(
                self._instance(self._iri(shape, c), x) for c in self._objects(shape, "class")
            )
        expected = self._objects(shape, "hasValue")
        low = self._integer(shape, "minCount") if "minCount" in names else None
        if not names <= {"path", "hasValue", "minCount"} or low not in (None, 1):
            return None
        if len(expected) == 1:
            return f"{x} {path} {self._term(shape, expected[0])}"
        if not expected and low == 1:
            return f"{x} {path} {self._fresh('any')}"
        return None

    def _datatype_test(self, shape: Node, datatype: Node, x: str) -> str:
        iri = self._iri(shape, datatype)
        if iri == f"{RDF}langString":
            return f'COALESCE(LANG({x}) != "", false)'
        if iri == f"{XSD}string":
            return f"COALESCE({_datatype_is(iri, x)}, false)"
        if iri == f"{RDFS}Literal":
            return f"isLiteral({x})"
        if iri == f"{RDFS}Datatype":  # rdflib tells "x" from "x"^^xsd:string; SPARQL cannot
            raise self._unsupported(shape, "sh:datatype rdfs:Datatype")
        fallback = f"<{WELL_TYPED}>({x})"
        if iri in _CANONICAL:
            fallback = f"REGEX(STR({x}), {_string(_CANONICAL[iri])}) || {fallback}"
        return f"COALESCE({_datatype_is(iri, x)} && ({fallback}), false)"

    def _range_test(self, shape: Node, bound: Node, operator: str, x: str) -> str:
        from rdflib import Literal

        if not isinstance(bound, Literal):
            raise self._unsupported(shape, "a value range bound that is not a literal")
        slow = f"COALESCE(<{COMPARE}>({x}, {self._term(shape, bound)}) {operator} 0, false)"
        datatype = str(bound.datatype or f"{XSD}string")
        if datatype not in _NUMERIC or not re.fullmatch(r"[+-]?[0-9]+(\.[0-9]+)?", str(bound)):
            return slow
        fast = " || ".join(
            f"({_datatype_is(d, x)} && REGEX(STR({x}), {_string(_CANONICAL[d])}))" for d in _NUMERIC
        )
        compare = f"{x} {operator} {self._term(shape, bound)}"
        # Not a literal: the test is an error, the value out of range, as the slow way says.
        return f"COALESCE(IF({fast}, {compare}, {slow}), false)"

    # ------------------------------------------------------------------ nested shapes
    def _conforms(self, shape: Node, x: str) -> str:
        """An expression true when x conforms to `shape` (no result of any severity)."""
        if self._deactivated(shape):
            return "true"
        if shape in self.nesting:
            raise self._unsupported(shape, "a recursive shape")
        self.nesting.append(shape)
        try:
            if self._objects(shape, "sparql"):
                raise self._unsupported(shape, "sh:sparql in a nested shape")
            path = self._path(shape)
            if path is None:
                parts = [test.expression for test in self._value_tests(shape, x)]
                for name in sorted(_COUNT_PARAMETERS - {"hasValue"}):
                    if self._value(shape, name) is not None:
                        raise self._unsupported(shape, f"sh:{name} on a node shape")
                for child in self._objects(shape, "property"):
                    parts.append(self._conforms(child, x))
            else:
                parts = self._nested_property(shape, path, x)
            return " && ".join(f"({p})" for p in parts) if parts else "true"
        finally:
            self.nesting.pop()

    def _nested_property(self, shape: Node, path: str, x: str) -> list[str]:
        v = self._fresh("v")
        parts = []
        tests = [test.expression for test in self._value_tests(shape, v)]
        if tests:
            failing = " && ".join(f"({t})" for t in tests)
            parts.append(f"NOT EXISTS {{ {x} {path} {v} FILTER (!({failing})) }}")
        low, high = self._integer(shape, "minCount"), self._integer(shape, "maxCount")
        if low:
            parts.append(f"EXISTS {{ {self._distinct_values(shape, x, path, low)} }}")
        if high is not None:
            parts.append(f"NOT EXISTS {{ {self._distinct_values(shape, x, path, high + 1)} }}")
        for expected in self._objects(shape, "hasValue"):
            parts.append(f"EXISTS {{ {x} {path} {self._term(shape, expected)} }}")
        if self._truthy(shape, "uniqueLang"):
            a, b = self._fresh("a"), self._fresh("b")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {a} , {b} FILTER (!sameTerm({a}, {b}) "
                f'&& isLiteral({a}) && isLiteral({b}) && LANG({a}) != "" '
                f"&& LCASE(LANG({a})) = LCASE(LANG({b}))) }}"
            )
        for other in self._objects(shape, "lessThanOrEquals"):
            o = self._fresh("o")
            parts.append(
                f"NOT EXISTS {{ {x} {path} {v} . {x} <{self._iri(shape, other)}> {o} "
                f"FILTER (!({_less_or_equal(v, o)})) }}"
            )
        if self._value(shape, "qualifiedValueShape") is not None:
            raise self._unsupported(shape, "sh:qualifiedValueShape in a nested shape")
        return parts

    def _distinct_values(self, shape: Node, x: str, path: str, count: int) -> str:
        """A pattern matching `count` pairwise different values (nested min/max counts)."""
        if count > 4:
            raise self._unsupported(shape, "a nested count above 4")
        names = [self._fresh("n") for _ in range(count)]
        triples = " . ".join(f"{x} {path} {n}" for n in names)
        pairs = [f"!sameTerm({a}, {b})" for i, a in enumerate(names) for b in names[i + 1 :]]
        return triples + (f" FILTER ({' && '.join(pairs)})" if pairs else "")

    # ------------------------------------------------------------------ SPARQL rules
    def _sparql_check(self, shape: Node, rule: Node, path: str | None, focus: str) -> Check:
        """The rule's SELECT, joined with the focus nodes first (as if $this were pre-bound)."""
        from rdflib import Literal

        selects = list(self.g.objects(rule, self.sh.select))
        if len(selects) != 1 or not isinstance(selects[0], Literal):
            raise self._unsupported(shape, "an sh:sparql without exactly one sh:select")
        text = str(selects[0])
        code = _code_only(text)
        for what, pattern in _FORBIDDEN_SPARQL.items():
            if re.search(_KEYWORD_BEFORE + pattern, code, flags=re.I):
                raise self._unsupported(shape, f"{what} in its sh:select")
        if len(re.findall(_KEYWORD_BEFORE + r"SELECT\b", code, flags=re.I)) != 1:
            raise self._unsupported(shape, "a sub-select in its sh:select")
        if _PATH_VARIABLE.search(text):
            if path is None:
                raise self._unsupported(shape, "$PATH in a node shape's sh:select")
            text = _PATH_VARIABLE.sub(lambda m: m.group(1) + path, text)
        text = _rewrite_rule(text, self.bulk)
        code = _code_only(text)
        head = re.search(_KEYWORD_BEFORE + r"SELECT\b(\s+(DISTINCT|REDUCED)\b)?", code, re.I)
        brace = code.find("{", head.end()) if head else -1
        if head is None or brace < 0:
            raise self._unsupported(shape, "an sh:select without a WHERE clause")
        projection = re.sub(r"\bWHERE\s*$", "", code[head.end() : brace].strip(), flags=re.I)
        this_projected = projection == "*" or bool(
            re.search(r"(^|[\s(])[?$]this\b", _outside_parentheses(projection))
            or re.search(r"\bAS\s+[?$]this\b", projection, re.I)
        )
        closing = _closing_brace(code, brace)
        if self.bulk or closing is None:
            body = f" {focus} {text[brace + 1 :]}"
        else:
            # On a few graphs, each focus node is substituted into the rule (as SHACL's
            # pre-binding of $this says): pyoxigraph would otherwise hash-join the focus nodes
            # with a scan of the rule's first pattern over the whole store (105 s instead of
            # 0.6 s for one rule on 1,000 of 100,000 pages).
            body = f" {focus} LATERAL {{ {text[brace + 1 : closing]} }} {text[closing:]}"
        query = "".join(
            (
                self._prefixes(shape, rule),
                text[: head.end()],
                "" if this_projected else " ?this",
                text[head.end() : brace + 1],
                body,
            )
        )
        shape_templates = self._templates(shape)
        templates = shape_templates + tuple(
            t for t in self._templates(rule) if t not in shape_templates
        )
        return Check(
            label=f"{self._name(shape)} sparql",
            query=query,
            shape=_text(shape) or "",
            path=self._result_path(shape),
            severity=self._severity(shape),
            templates=(),
            rule=SparqlRule(templates, this_projected, path is None),
            weight=4,
        )

    def _prefixes(self, shape: Node, rule: Node) -> str:
        """PREFIX lines from sh:prefixes, following owl:imports as SHACL says."""
        from rdflib import URIRef

        lines, seen = [], set()
        todo = list(self.g.objects(rule, self.sh.prefixes))
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            todo += self.g.objects(node, URIRef(f"{OWL}imports"))
            for declaration in self.g.objects(node, self.sh.declare):
                prefix = self.g.value(declaration, self.sh.prefix)
                namespace = self.g.value(declaration, self.sh.namespace)
                if prefix is None or namespace is None:
                    raise self._unsupported(shape, "an sh:declare without prefix or namespace")
                lines.append(f"PREFIX {prefix}: <{namespace}>\n")
        return "".join(sorted(set(lines)))

    # ------------------------------------------------------------------ shape helpers
    def _objects(self, node: Node, name: str) -> list[Node]:
        return sorted(self.g.objects(node, self.sh[name]), key=str)

    def _value(self, node: Node, name: str) -> Node | None:
        found = self._objects(node, name)
        return found[0] if found else None

    def _truthy(self, node: Node, name: str) -> bool:
        value = self._value(node, name)
        return value is not None and getattr(value, "value", None) is True

    def _deactivated(self, node: Node) -> bool:
        return self._truthy(node, "deactivated")

    def _integer(self, shape: Node, name: str) -> int | None:
        value = self._value(shape, name)
        if value is None:
            return None
        number = getattr(value, "value", None)
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            raise self._unsupported(shape, f"sh:{name} {value} (not a non-negative integer)")
        return number

    def _path(self, shape: Node) -> str | None:
        node = self._value(shape, "path")
        return None if node is None else self._sparql_path(shape, node)

    def _sparql_path(self, shape: Node, node: Node) -> str:
        from rdflib import RDF as RDFNS
        from rdflib import BNode, URIRef
        from rdflib.collection import Collection

        if isinstance(node, URIRef):
            return f"<{self._iri(shape, node)}>"
        if not isinstance(node, BNode):
            raise self._unsupported(shape, f"the path {node}")
        if (node, RDFNS.first, None) in self.g:
            steps = [self._sparql_path(shape, step) for step in Collection(self.g, node)]
            return "(" + "/".join(steps) + ")"
        for name, make in (
            ("inversePath", lambda p: f"^{p}"),
            ("zeroOrMorePath", lambda p: f"{p}*"),
            ("oneOrMorePath", lambda p: f"{p}+"),
            ("zeroOrOnePath", lambda p: f"{p}?"),
        ):
            inner = self.g.value(node, self.sh[name])
            if inner is not None:
                return "(" + make(self._sparql_path(shape, inner)) + ")"
        alternatives = self.g.value(node, self.sh.alternativePath)
        if alternatives is not None:
            options = [self._sparql_path(shape, o) for o in Collection(self.g, alternatives)]
            return "(" + "|".join(options) + ")"
        raise self._unsupported(shape, "a path it cannot read")

    def _result_path(self, shape: Node) -> str | None:
        node = self._value(shape, "path")
        return None if node is None else _text(node)

    def _severity(self, shape: Node) -> str:
        severity = self._value(shape, "severity")
        return "Violation" if severity is None else _SEVERITIES.get(str(severity), str(severity))

    def _templates(self, node: Node) -> tuple[tuple[str, str], ...]:
        from rdflib import Literal

        messages = [m for m in self.g.objects(node, self.sh.message) if isinstance(m, Literal)]
        return tuple(sorted((str(m), m.language or "") for m in messages))

    def _iri(self, shape: Node, node: Node) -> str:
        from rdflib import URIRef

        if not isinstance(node, URIRef):
            raise self._unsupported(shape, f"{node!r} where an IRI is expected")
        return ox.NamedNode(str(node)).value  # refuses what would break the query text

    def _term(self, shape: Node, node: Node) -> str:
        """A shapes-graph term written as SPARQL, lexical form unchanged."""
        from rdflib import Literal, URIRef

        if isinstance(node, URIRef):
            return f"<{self._iri(shape, node)}>"
        if isinstance(node, Literal):
            if node.language:
                return f"{_string(str(node))}@{node.language}"
            return f"{_string(str(node))}^^<{node.datatype or XSD + 'string'}>"
        raise self._unsupported(shape, "a blank node as a value to compare with")

    def _fresh(self, stem: str) -> str:
        self.counter += 1
        return f"?_{stem}{self.counter}"

    def _name(self, node: Node) -> str:
        """A shape as a person finds it in the file: its prefixed name, or where it is nested."""
        from rdflib import RDF as RDFNS
        from rdflib import BNode

        if not isinstance(node, BNode):
            return node.n3(self.g.namespace_manager)
        for _ in range(50):  # climb rdf:rest links up to the list's owner
            parents = [s for s, p in self.g.subject_predicates(node) if p != RDFNS.rest]
            owners = [s for s in self.g.subjects(RDFNS.rest, node)]
            if parents:
                return f"a blank-node shape in {self._name(parents[0])}"
            if not owners:
                break
            node = owners[0]
        return f"the blank-node shape {node.n3()}"

    def _unsupported(self, shape: Node, what: str) -> UnsupportedShapeError:
        return UnsupportedShapeError(
            f"shape {self._name(shape)} uses {what}, which scale validation does not support "
            "(parlgraph.validate does)",
            self.where,
        )

    # ------------------------------------------------------------------ generic messages
    def _generic(self, shape: Node, label: str) -> str:
        """pyshacl's message for a shape without sh:message; \0focus / \0value filled later."""
        from rdflib.collection import Collection

        if self._templates(shape):
            return ""
        names = self.g.namespace_manager
        path = self._value(shape, "path")
        on = "\0focus" + (f"->{_describe(path, names, self.g)}" if path is not None else "")
        name = label.removeprefix("sh:")
        one = self._value(shape, name)
        shown = _describe(one, names, self.g) if one is not None else ""
        if name in ("minCount", "maxCount"):
            shown = str(self._integer(shape, name))
        if name in ("or", "and", "xone") and one is not None:
            shown = " , ".join(_describe(m, names, self.g) for m in Collection(self.g, one))
        members = [_describe(m, names, self.g) for m in self._in(shape)]
        texts = {
            "minCount": f"Less than {shown} values on {on}",
            "maxCount": f"More than {shown} values on {on}",
            "class": f"Value does not have class {shown}",
            "datatype": f"Value is not Literal with datatype {shown}",
            "nodeKind": f"Value is not of Node Kind {shown}",
            "minInclusive": f"Value is not >= {shown}",
            "maxInclusive": f"Value is not <= {shown}",
            "minExclusive": f"Value is not > {shown}",
            "maxExclusive": f"Value is not < {shown}",
            "minLength": f"String length not >= {shown}",
            "maxLength": f"String length not <= {shown}",
            "pattern": f"Value does not match pattern '{one}'",
            "languageIn": f"String language is not in {shown}",
            "uniqueLang": "More than one String shares the same Language",
            "in": f"Value \0value not in list {members}",
            "hasValue": (
                f"Node {on} does not contain a value in the set: {[shown]}"
                if path is not None
                else f"Node \0focus value is not a in the set of values: {[shown]}"
            ),
            "not": f"Node \0value must not conform to shape {shown}",
            "node": f"Value does not conform to Shape {shown}. See details for more information.",
            "or": f"Node \0value must conform to one or more shapes in {shown}",
            "and": f"Node \0value must conform to all shapes in {shown}",
            "xone": f"Node \0value must conform to exactly one shape in {shown}",
            "lessThanOrEquals": f"Value of \0focus->{shown} < \0value",
        }
        if name.startswith("qualified"):
            qualified = _describe(self._value(shape, "qualifiedValueShape"), names, self.g)
            counts = "".join(
                f" {word} {self._integer(shape, key)}"
                for key, word in (
                    ("qualifiedMinCount", "MinCount"),
                    ("qualifiedMaxCount", "MaxCount"),
                )
                if self._value(shape, key) is not None
            )
            return f"Focus node does not conform to shape{counts}: {qualified}"
        return texts.get(name, f"Constraint {label} not satisfied")

    def _in(self, shape: Node) -> list[Node]:
        from rdflib.collection import Collection

        head = self._value(shape, "in")
        return [] if head is None else list(Collection(self.g, head))


# ============================================================================ small helpers


def _iris(iris: Iterable[str]) -> str:
    return " ".join(f"<{i}>" for i in sorted(iris))


def _string(text: str) -> str:
    """A SPARQL string literal."""
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def _datatype_is(iri: str, x: str) -> str:
    """Whether {x} is a literal of this datatype; an error for other terms.

    pyoxigraph reads a long literal back from the store for each function applied to it, and
    compares a computed IRI with a constant one more slowly than two strings: this reads it
    once (at 10,000 pages, the checks that test datatypes took 37 % less time).
    """
    return f"STR(DATATYPE({x})) = {_string(iri)}"


def _language_test(tags: list[str], x: str) -> str:
    """pyshacl's sh:languageIn: the tag, or its first subtag, lower-cased, is in the list."""
    if "*" in tags:
        return f'COALESCE(LANG({x}) != "", false)'
    listed = ", ".join(_string(t) for t in tags) or '""'
    # Each LANG() reads a long literal back from the store, as does each member of an IN:
    # the common case reads it once (pyoxigraph lower-cases tags), pyshacl's full rule only
    # runs for the others. LANG() of anything but a literal is an error, hence false.
    if all(re.fullmatch(r"[a-z0-9-]*", t) for t in tags):
        exact = f"REGEX(LANG({x}), {_string('^(' + '|'.join(tags) + ')$')})"
    else:
        exact = f"LANG({x}) IN ({listed})"
    whole = f"LCASE(LANG({x})) IN ({listed})"
    first = f'LCASE(STRBEFORE(CONCAT(LANG({x}), "-"), "-")) IN ({listed})'
    rest = f'LANG({x}) != "" && ({whole} || {first})'
    return f"COALESCE({exact} || ({rest}), false)"


def _less_or_equal(a: str, b: str) -> str:
    """pyshacl's sh:lessThanOrEquals: strings (and IRIs) compare as text, never with numbers."""

    def stringy(x: str) -> str:
        text = f'(LANG({x}) != "" || {_datatype_is(f"{XSD}string", x)})'
        return f"(isIRI({x}) || (isLiteral({x}) && {text}))"

    return (
        f"COALESCE(IF({stringy(a)} || {stringy(b)}, "
        f"{stringy(a)} && {stringy(b)} && STR({a}) <= STR({b}), "
        f"!isBlank({a}) && !isBlank({b}) && {a} <= {b}), false)"
    )


def _code_only(text: str) -> str:
    """The query with strings, IRIs and comments blanked out, positions kept."""
    parts = []
    for match in _SPARQL_TOKEN.finditer(text):
        kind = match.lastgroup
        parts.append(match.group() if kind == "code" else " " * len(match.group()))
    return "".join(parts)


def _closing_brace(code: str, opening: int) -> int | None:
    """Where the group opened at `opening` closes, in a query whose strings are blanked."""
    depth = 0
    for index in range(opening, len(code)):
        depth += code[index] == "{"
        depth -= code[index] == "}"
        if depth == 0:
            return index
    return None


def _outside_parentheses(text: str) -> str:
    depth, kept = 0, []
    for char in text:
        depth += char == "("
        kept.append(char if depth == 0 else " ")
        depth -= char == ")"
    return "".join(kept)


# ============================================================================ rule rewriting
# pyoxigraph joins the triple patterns of a basic graph pattern by nested loops, one RocksDB
# seek per solution (10-20 microseconds each), and plans a FILTER NOT EXISTS body without the
# outer bindings. Over a whole store, single-triple sub-selects joined by hashing, and
# anti-joins for NOT EXISTS, are several times faster. The rewriter below parses the WHERE
# clause of an sh:select only as far as it needs to; on anything it does not follow it keeps
# the query exactly as written.

_TOKEN = re.compile(
    r"(?P<space>\s+|#[^\n]*)"
    r'|(?P<string>(?:"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\')(?:@[A-Za-z]+(?:-[A-Za-z0-9]+)*)?)'
    r'|(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)'
    r"|(?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)"
    r"|(?P<bnode>_:[A-Za-z0-9_\-.]*[A-Za-z0-9_\-])"
    r"|(?P<pname>(?:[A-Za-z\u00c0-\uffff][\w\-.]*)?:(?:[\w\-:%\u00c0-\uffff]|\.(?=[\w\-:%]))*)"
    r"|(?P<number>\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<punct>\^\^|&&|\|\||!=|<=|>=|[{}()\[\].;,^|/*+?!=<>\-])",
    re.S,
)
_ELEMENT_WORDS = {"FILTER", "BIND", "OPTIONAL", "MINUS", "GRAPH", "SERVICE", "VALUES"}


class _Unparsable(Exception):
    """The rewriter met SPARQL it does not follow: the query is then used as written."""


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    def word(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def _tokens(text: str) -> list[_Token]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Unparsable(text[position : position + 20])
        if match.lastgroup != "space":
            tokens.append(_Token(match.lastgroup or "", match.group(), match.start(), match.end()))
        position = match.end()
    return tokens


class _Rewriter:
    """Rewrites the WHERE clause of one sh:select (see the section comment)."""

    def __init__(self, text: str, bulk: bool) -> None:
        self.text, self.bulk = text, bulk
        self.tokens = _tokens(text)
        self.absent = 0

    def rewrite(self) -> str:
        selects = [i for i, t in enumerate(self.tokens) if t.word() == "SELECT"]
        opening = next(i for i in range(selects[0], len(self.tokens)) if self.tokens[i].text == "{")
        closing = self._match(opening)
        where = self._group(opening + 1, closing)
        return (
            self.text[: self.tokens[opening].end]
            + f" {where} "
            + self.text[self.tokens[closing].start :]
        )

    # ------------------------------------------------------------------ parsing
    def _match(self, opening: int) -> int:
        pairs = {"{": "}", "(": ")", "[": "]"}
        want, depth = pairs[self.tokens[opening].text], 0
        for index in range(opening, len(self.tokens)):
            text = self.tokens[index].text
            if self.tokens[index].kind == "punct":
                depth += text in pairs
                depth -= text in pairs.values()
                if depth == 0:
                    if text != want:
                        raise _Unparsable(text)
                    return index
        raise _Unparsable("unbalanced")

    def _elements(self, i: int, end: int) -> list[tuple]:
        """The group's elements: ("triples", [(s, p, o)]), ("optional"|"exists"|"not_exists",
        first, last), ("union", [(first, last)]) or ("verbatim", first, last) token spans."""
        elements: list[tuple] = []
        while i < end:
            token = self.tokens[i]
            word = token.word()
            if token.text == ".":
                i += 1
            elif token.text == "{":
                groups = [(i + 1, self._match(i))]
                i = groups[-1][1] + 1
                while i < end and self.tokens[i].word() == "UNION":
                    if self.tokens[i + 1].text != "{":
                        raise _Unparsable("UNION")
                    groups.append((i + 2, self._match(i + 1)))
                    i = groups[-1][1] + 1
                elements.append(("union", groups))
            elif word == "FILTER":
                after = [t.word() for t in self.tokens[i + 1 : i + 3]]
                if after[:2] == ["NOT", "EXISTS"] and self.tokens[i + 3].text == "{":
                    close = self._match(i + 3)
                    elements.append(("not_exists", i + 4, close))
                elif after[:1] == ["EXISTS"] and self.tokens[i + 2].text == "{":
                    close = self._match(i + 2)
                    elements.append(("exists", i + 3, close))
                else:
                    close = self._call_end(i + 1)
                    elements.append(("verbatim", i, close))
                i = close + 1
            elif word == "BIND":
                close = self._match(i + 1)
                elements.append(("verbatim", i, close))
                i = close + 1
            elif word == "OPTIONAL" and self.tokens[i + 1].text == "{":
                close = self._match(i + 1)
                elements.append(("optional", i + 2, close))
                i = close + 1
            elif word in _ELEMENT_WORDS:
                raise _Unparsable(word)
            else:
                triples, i = self._triples(i, end)
                elements.append(("triples", triples))
        return elements

    def _call_end(self, i: int) -> int:
        """The last token of a FILTER's constraint: (expression) or function(arguments)."""
        if self.tokens[i].text != "(":
            i += 1  # a function name
        if self.tokens[i].text != "(":
            raise _Unparsable("FILTER")
        return self._match(i)

    def _triples(self, i: int, end: int) -> tuple[list[tuple[str, str, str]], int]:
        subject, i = self._term(i)
        triples = []
        while True:
            verb, i = self._verb(i)
            while True:
                obj, i = self._term(i)
                triples.append((subject, verb, obj))
                if i < end and self.tokens[i].text == ",":
                    i += 1
                    continue
                break
            if i >= end or self.tokens[i].text != ";":
                return triples, i
            while i < end and self.tokens[i].text == ";":
                i += 1
            if i >= end or self.tokens[i].text in (".", "{"):
                return triples, i
            if self.tokens[i].word() in _ELEMENT_WORDS:
                return triples, i

    def _term(self, i: int) -> tuple[str, int]:
        token = self.tokens[i]
        if token.kind in ("var", "iri", "pname", "bnode", "number"):
            if token.kind == "bnode":
                raise _Unparsable("blank node label")  # scoped to its basic graph pattern
            return token.text, i + 1
        if token.kind == "string":
            if i + 2 < len(self.tokens) and self.tokens[i + 1].text == "^^":
                datatype = self.tokens[i + 2]
                return self.text[token.start : datatype.end], i + 3
            return token.text, i + 1
        if token.word() in ("TRUE", "FALSE"):
            return token.text, i + 1
        if token.text in ("+", "-") and self.tokens[i + 1].kind == "number":
            return token.text + self.tokens[i + 1].text, i + 2
        if token.text == "[" and self.tokens[i + 1].text == "]":
            return "[]", i + 2
        raise _Unparsable(token.text)

    def _verb(self, i: int) -> tuple[str, int]:
        if self.tokens[i].kind == "var":
            return self.tokens[i].text, i + 1
        first = i
        i = self._path(i)
        return self.text[self.tokens[first].start : self.tokens[i - 1].end], i

    def _path(self, i: int) -> int:
        """path := elt (('/' | '|') elt)*, elt := '^'? primary ('*' | '+' | '?')?."""
        while True:
            if self.tokens[i].text == "^":
                i += 1
            token = self.tokens[i]
            if token.kind in ("iri", "pname") or token.text == "a":
                i += 1
            elif token.text == "(":
                close = self._match(i)
                if self._path(i + 1) != close:
                    raise _Unparsable("path")
                i = close + 1
            else:
                raise _Unparsable(token.text)
            if self.tokens[i].text in ("*", "+", "?"):
                i += 1
            if self.tokens[i].text in ("/", "|"):
                i += 1
                continue
            return i

    # ------------------------------------------------------------------ rendering
    def _group(self, i: int, end: int, rename: dict[str, str] | None = None) -> str:
        elements = self._elements(i, end)
        bound = _bound_by_triples(elements)
        parts, tail = [], []
        for kind, *rest in elements:
            if kind == "triples":
                parts += [self._triple(t, rename) for t in rest[0]]
            elif kind == "union":
                parts.append(
                    " UNION ".join(f"{{ {self._group(a, b, rename)} }}" for a, b in rest[0])
                )
            elif kind == "optional":
                parts.append(f"OPTIONAL {{ {self._group(rest[0], rest[1], rename)} }}")
            elif kind in ("not_exists", "exists") and self._flat(*rest):
                inner = self._names(*rest)
                others = self._names_outside(*rest)
                local = {n: f"{n}_x{self.absent}" for n in inner - others}
                body = self._group(rest[0], rest[1], {**(rename or {}), **local})
                shared = sorted(inner & others)
                if kind == "not_exists":
                    marker = f"?_absent{self.absent}"
                    tail.append(f"OPTIONAL {{ {body} BIND (true AS {marker}) }}")
                    tail.append(f"FILTER (!BOUND({marker}))")
                elif self.bulk and shared and set(shared) <= bound and self._closed(*rest):
                    names = " ".join(f"?{(rename or {}).get(n, n)}" for n in shared)
                    tail.append(f"{{ SELECT DISTINCT {names} WHERE {{ {body} }} }}")
                else:
                    parts.append(self._verbatim(rest[0] - 3, rest[1], rename))
                self.absent += 1
            elif kind in ("not_exists", "exists"):
                offset = 4 if kind == "not_exists" else 3
                parts.append(self._verbatim(rest[0] - offset, rest[1], rename))
            else:
                parts.append(self._verbatim(rest[0], rest[1], rename))
        return " ".join(parts + tail)

    def _triple(self, triple: tuple[str, str, str], rename: dict[str, str] | None) -> str:
        subject, verb, obj = (self._renamed(t, rename) for t in triple)
        names = list(dict.fromkeys(_name(t) for t in (subject, obj) if t[:1] in "?$"))
        if not self.bulk or not names or verb[:1] in "?$":
            return f"{subject} {verb} {obj} ."
        variables = " ".join(f"?{n}" for n in names)
        return f"{{ SELECT {variables} WHERE {{ {subject} {verb} {obj} }} }}"

    def _verbatim(self, first: int, last: int, rename: dict[str, str] | None) -> str:
        if not rename:
            return self.text[self.tokens[first].start : self.tokens[last].end]
        pieces = []
        for token in self.tokens[first : last + 1]:
            pieces.append(self._renamed(token.text, rename) if token.kind == "var" else token.text)
        return " ".join(pieces)

    @staticmethod
    def _renamed(term: str, rename: dict[str, str] | None) -> str:
        if rename and term[:1] in "?$" and _name(term) in rename:
            return term[0] + rename[_name(term)]
        return term

    def _names(self, first: int, last: int) -> set[str]:
        return {_name(t.text) for t in self.tokens[first:last] if t.kind == "var"}

    def _names_outside(self, first: int, last: int) -> set[str]:
        return self._names(0, first) | self._names(last + 1, len(self.tokens))

    def _flat(self, first: int, last: int) -> bool:
        """Only triples, FILTERs and BINDs: its filters see what a join would show them."""
        return all(e[0] in ("triples", "verbatim") for e in self._elements(first, last))

    def _closed(self, first: int, last: int) -> bool:
        """Every variable its filters use is bound by its own triples."""
        elements = self._elements(first, last)
        bound = _bound_by_triples(elements)
        return all(
            self._names(rest[0], rest[1] + 1) <= bound
            for kind, *rest in elements
            if kind == "verbatim"
        )


def _bound_by_triples(elements: list[tuple]) -> set[str]:
    """The variables the triple patterns among a group's elements bind (as subject or object)."""
    return {
        _name(term)
        for kind, *rest in elements
        if kind == "triples"
        for triple in rest[0]
        for term in (triple[0], triple[2])
        if term[:1] in "?$"
    }


def _name(variable: str) -> str:
    return variable[1:]


def _rewrite_rule(text: str, bulk: bool) -> str:
    """The sh:select with hash joins and anti-joins where it is safe, else as written."""
    try:
        return _Rewriter(text, bulk).rewrite()
    except (_Unparsable, IndexError, StopIteration):
        return text


def _text(node: Node | None) -> str | None:
    """Nodes as validate.py prints them: IRIs and literals plain, blank nodes as _:id."""
    from rdflib import BNode

    if node is None:
        return None
    return f"_:{node}" if isinstance(node, BNode) else str(node)


def _describe(node: Node | None, names: Any, graph: Graph | None = None, depth: int = 0) -> str:
    """A node as pyshacl's stringify_node writes it; a blank node of `graph` as Turtle."""
    from rdflib import RDF as RDFNS
    from rdflib import BNode, Literal

    if node is None:
        return ""
    if isinstance(node, BNode) and graph is not None and depth < 12:
        predicates = list(graph.predicates(node, None))
        if RDFNS.first in predicates:
            items = [_describe(i, names, graph, depth + 1) for i in graph.items(node)]
            return "( {} )".format(" ".join(items))
        described = {}
        for predicate in set(predicates):
            objects = [
                _describe(o, names, graph, depth + 1) for o in graph.objects(node, predicate)
            ]
            described[predicate.n3(names)] = ", ".join(sorted(objects))
        inside = " ; ".join(f"{p} {o}" for p, o in sorted(described.items()))
        return f"[ {inside} ]" if inside else "[ ]"
    if isinstance(node, Literal):
        datatype = f", datatype={node.datatype.n3(names)}" if node.datatype else ""
        language = f", lang={node.language}" if node.language else ""
        value = "" if node.value is None or str(node.value) == str(node) else f" = {node.value}"
        return f'Literal("{node}"{value}{language}{datatype})'
    if isinstance(node, BNode):
        return f"_:{node}"
    try:
        return node.n3(names)
    except Exception:
        return str(node)


# ============================================================================ results


def _results(check: Check, variables: list[str], rows: list[tuple]) -> list[ValidationResult]:
    """The ValidationResults of one check's solutions: one per failed part of each row."""
    from .validate import ValidationResult

    results = []
    for row in rows:
        bound = {name: term for name, term in zip(variables, row, strict=True) if term is not None}
        if check.rule is not None:
            result = _rule_result(check, check.rule, bound)
            if result is not None:
                results.append(result)
            continue
        focus = bound.get("this")
        for part in check.parts:
            flag = bound.get(part.flag)
            if flag is None or flag[1] != "true":
                continue
            value = {"value": bound.get("value"), "focus": focus, "none": None}[part.value]
            messages = _messages(check.templates)
            if not messages:
                shown = part.generic.replace("\0focus", _shown(focus))
                messages = {"": shown.replace("\0value", _shown(value))}
            times = 1
            if part.repeat:  # sh:uniqueLang: one result per language used twice
                items = (bound.get(part.repeat) or ("L", ""))[1].split()
                times = sum(1 for item in set(items) if items.count(item) > 1)
            result = ValidationResult(
                focus=_term_text(focus) or "",
                path=check.path,
                value=_term_text(value),
                severity=check.severity,
                messages=messages,
                source_shape=check.shape,
            )
            results += [result] * times
    return results


def _rule_result(
    check: Check, rule: SparqlRule, bound: dict[str, tuple]
) -> ValidationResult | None:
    """One sh:sparql solution as pyshacl reports it (its defaults and its message filling)."""
    from .validate import ValidationResult

    focus = bound.pop("this")
    this = focus if rule.this_projected else None
    path, value = bound.pop("path", None), bound.pop("value", None)
    if this is None and path is None and value is None:
        return None  # pyshacl drops a solution that says nothing
    if value is None and rule.node_shape:
        value = focus
    filling = {name: _term_value(term) for name, term in bound.items()}
    for name, term in (("this", this), ("path", path), ("value", value)):
        if term is not None:
            filling[name] = _term_value(term)
    filled = []
    for template, language in rule.templates:
        text = template
        for name, replacement in filling.items():
            text = re.sub(f"{{[?$]{name}}}", replacement, text)  # as pyshacl fills them
        filled.append((text, language))
    messages = _messages(filled)
    return ValidationResult(
        focus=_term_text(focus) or "",
        path=_term_text(path) if path is not None else check.path,
        value=_term_text(value),
        severity=check.severity,
        messages=messages,
        source_shape=check.shape,
    )


def _messages(templates: Iterable[tuple[str, str]]) -> dict[str, str]:
    """One message per language, the first in text order, as validate.py keeps them."""
    messages: dict[str, str] = {}
    for text, language in sorted(templates):
        messages.setdefault(language, text)
    return messages


def _term_value(term: tuple) -> str:
    return term[1]


def _term_text(term: tuple | None) -> str | None:
    if term is None:
        return None
    return f"_:{term[1]}" if term[0] == "B" else term[1]


@lru_cache(maxsize=1)
def _data_names() -> Any:
    from rdflib import Graph

    return Graph().namespace_manager


def _shown(term: tuple | None) -> str:
    """A data node in a generic message, as pyshacl names it with a fresh graph's prefixes."""
    from rdflib import BNode, URIRef

    if term is None:
        return "None"
    if term[0] == "I":
        return _describe(URIRef(term[1]), _data_names())
    if term[0] == "B":
        return _describe(BNode(term[1]), _data_names())
    return _describe(_rdflib_literal(term[1], term[2], term[3]), _data_names())


def _sort_key(r: ValidationResult) -> tuple:
    """Everything a result says, in the order reports list them."""
    messages = tuple(sorted(r.messages.items()))
    return (
        r.focus,
        r.path or "",
        r.message("en"),
        r.value or "",
        r.severity,
        r.source_shape,
        messages,
    )


def _report(results: list[ValidationResult]) -> Report:
    """Sorted as validate.py sorts; conforming unless a result is more than a warning."""
    from .validate import Report

    results.sort(key=_sort_key)
    conforms = all(r.severity in ("Warning", "Info") for r in results)
    return Report(conforms, results)
