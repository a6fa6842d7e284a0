"""Validate the accountability graph against the SHACL shapes in shapes/.

pyshacl runs once over the union of all named graphs, so rules that cross layers (an answer's
date against its question's, a curated span against the parsed source text) can see everything.
Results come back as plain dataclasses with one message per language, ready for JSON or a
terminal, sorted so that two runs on the same data print the same report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

import pyshacl
import rdflib
from pyshacl.errors import ReportableRuntimeError, ValidationFailure
from rdflib import BNode, Dataset, Graph, Literal
from rdflib.graph import ConjunctiveGraph
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import ParameterError, SourceError
from .paths import Layout
from .vocab import PREFIXES, SH

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
# Data formats validate_files accepts, by file suffix.
DATA_FORMATS = {".ttl": "turtle", ".trig": "trig"}
# pyshacl fills {?var} / {$var} in SPARQL messages but drops their language tag on the way.
_TEMPLATE_VAR = re.compile(r"\{[?$][^{}]+\}")
_BAD_SYNTAX = re.compile(r"Bad syntax \((.*)\) at \^")


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, with nodes as strings and messages keyed by language tag."""

    focus: str
    path: str | None
    value: str | None
    severity: str
    messages: dict[str, str] = field(default_factory=dict)
    source_shape: str = ""

    def message(self, lang: str = "en") -> str:
        """The message in `lang`, else an untagged one, else any: a result is never mute."""
        if lang in self.messages:
            return self.messages[lang]
        if "" in self.messages:
            return self.messages[""]
        return next(iter(sorted(self.messages.items())), ("", ""))[1]


@dataclass
class Report:
    """Whether the data conforms, and every result (warnings and infos included)."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def to_json(self) -> dict:
        """A JSON-ready dict: {"conforms": bool, "results": [...]}."""
        return {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}

    def to_text(self) -> str:
        """One line per result, `focus | path | message (fr) / message (en)`; "conforms" if ok."""
        lines = [
            f"{r.focus} | {_compact(r.path)} | {r.message('fr')} / {r.message('en')}"
            for r in self.results
        ]
        if self.conforms:
            lines.append("conforms")
        return "\n".join(lines)


def validate(data: Graph, shapes: list[Path] | None = None) -> Report:
    """Validate `data` (all layers merged) against the shapes files, in one pyshacl run."""
    shape_paths = list(shapes) if shapes is not None else Layout.default().shapes
    if not shape_paths:
        raise ParameterError("no SHACL shapes files to validate against (shapes/*.ttl)")
    shapes_graph = Graph()
    for path in shape_paths:
        _parse(Path(path), "turtle", shapes_graph, base=None)
    # Our own copy: a Dataset is merged (pyshacl would check each named graph alone), and
    # in-place validation of the copy spares pyshacl a second clone and keeps the query cache.
    quads = data.quads((None, None, None, None)) if isinstance(data, ConjunctiveGraph) else None
    work = _CachedQueryGraph()
    for triple in (q[:3] for q in quads) if quads is not None else data:
        work.add(triple)
    try:
        conforms, report_graph, _ = pyshacl.validate(
            work,
            shacl_graph=shapes_graph,
            inference="none",
            advanced=True,
            allow_warnings=True,
            inplace=True,
        )
    except (ReportableRuntimeError, ValidationFailure) as err:
        raise _shapes_error(err, shape_paths) from err
    if not isinstance(report_graph, Graph):  # pyshacl returns the failure instead of a report
        raise _shapes_error(report_graph, shape_paths)
    results = [_result(report_graph, shapes_graph, node) for node in _result_nodes(report_graph)]
    results.sort(key=lambda r: (r.focus, r.path or "", r.message("en")))
    # pyshacl lets a node shape's sh:Warning excuse its property shapes' violations; SHACL does
    # not inherit severity, so any Violation result means the data does not conform.
    violated = any(r.severity == "Violation" for r in results)
    return Report(bool(conforms) and not violated, results)


def validate_files(paths: list[Path], base: str, shapes: list[Path] | None = None) -> Report:
    """Load Turtle / TriG data files into one graph and validate it (test fixtures, drafts)."""
    data = Graph()
    for path in paths:
        path = Path(path)
        fmt = DATA_FORMATS.get(path.suffix.lower())
        if fmt is None:
            known = ", ".join(sorted(DATA_FORMATS))
            raise SourceError(f"unsupported data file type {path.suffix!r} (use {known})", path)
        _parse(path, fmt, data, base=base)
    return validate(data, shapes)


# ---------------------------------------------------------------------------- loading


class _CachedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl sends the same constraint query once per focus node; rdflib would re-parse it
    every time, which costs more than evaluating it (seconds on the seed graph).
    """

    def query(self, query_object, *args, **kwargs):  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(_canonical(query_object))
        return super().query(query_object, *args, **kwargs)


def _canonical(text: str) -> str:
    """The query with its PREFIX lines sorted: pyshacl emits them in a different order per run."""
    lines = text.split("\n")
    prefixes = sorted(line for line in lines if line.startswith("PREFIX "))
    return "\n".join([*prefixes, *(line for line in lines if not line.startswith("PREFIX "))])


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def _parse(path: Path, fmt: str, into: Graph, base: str | None) -> None:
    """Parse one file into `into`, turning any parser error into a SourceError with its line."""
    if not path.is_file():
        raise SourceError("no such file", path)
    target = Dataset() if fmt == "trig" else into
    try:
        with _lexical_forms_kept():
            target.parse(path, format=fmt, publicID=base)
    except Exception as err:  # rdflib raises many unrelated types for bad syntax
        raise SourceError(f"invalid {fmt.capitalize()}: {_reason(err)}", path, _line(err)) from err
    if target is not into:
        into += _union(target)


@contextmanager
def _lexical_forms_kept() -> Iterator[None]:
    """Parse literals as written, not normalised.

    rdflib would silently rewrite "2024-01-23T10:00:00"^^xsd:date to "2024-01-23"
    (NORMALIZE_LITERALS), hiding the very defects the shapes look for. The switch is global
    in rdflib, so it is flipped only for the duration of one parse.
    """
    previous = rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = previous


def _union(dataset: ConjunctiveGraph) -> Graph:
    """Every quad of a dataset as one plain graph."""
    merged = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged


def _line(err: Exception) -> int | None:
    """1-based line of a parser error: rdflib's BadSyntax counts lines from 0."""
    lines = getattr(err, "lines", None)
    if isinstance(lines, int):
        return lines + 1
    line = getattr(err, "line", None)
    return line if isinstance(line, int) else None


def _reason(err: Exception) -> str:
    text = str(err)
    found = _BAD_SYNTAX.search(text)
    if found:
        return found.group(1)
    return text.splitlines()[0] if text.strip() else type(err).__name__


def _shapes_error(err: object, shape_paths: list[Path]) -> SourceError:
    """pyshacl could not use the shapes (bad SPARQL, bad parameter): blame the shapes files."""
    where = shape_paths[0] if len(shape_paths) == 1 else Path(shape_paths[0]).parent
    message = getattr(err, "message", None) or str(err)
    return SourceError(f"unusable SHACL shapes: {message}", where)


# ---------------------------------------------------------------------------- results


def _result_nodes(report: Graph) -> Iterable[Node]:
    return report.subjects(RDF.type, SH.ValidationResult)


def _result(report: Graph, shapes: Graph, node: Node) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    value = report.value(node, SH.value)
    severity = report.value(node, SH.resultSeverity)
    shape = report.value(node, SH.sourceShape)
    templates = _templates(shapes, report.value(node, SH.sourceConstraint), shape)
    messages: dict[str, str] = {}
    for message in sorted(report.objects(node, SH.resultMessage), key=str):
        if not isinstance(message, Literal):
            continue
        lang = message.language or _language_of(str(message), templates)
        messages.setdefault(lang, str(message))
    return ValidationResult(
        focus=_text(focus) or "",
        path=_text(path),
        value=_text(value),
        severity=_severity(severity),
        messages=messages,
        source_shape=_text(shape) or "",
    )


def _templates(shapes: Graph, constraint: Node | None, shape: Node | None) -> list[Literal]:
    """The language-tagged sh:message templates a result's messages were made from."""
    found: list[Literal] = []
    for owner in (constraint, shape):
        if owner is not None:
            found += [m for m in shapes.objects(owner, SH.message) if isinstance(m, Literal)]
    return [m for m in found if m.language]


def _language_of(message: str, templates: list[Literal]) -> str:
    """Give back the language pyshacl dropped when it filled a SPARQL message's variables."""
    for template in templates:
        parts = _TEMPLATE_VAR.split(str(template))
        pattern = "(.*?)".join(re.escape(part) for part in parts)
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return str(template.language)
    return ""


def _severity(node: Node | None) -> str:
    """sh:Violation -> "Violation"; a custom severity keeps its IRI; none means Violation."""
    if node is None:
        return "Violation"
    return SEVERITIES.get(node, str(node))


def _text(node: Node | None) -> str | None:
    """IRIs and literals as their plain string; blank nodes as _:id so they stay recognisable."""
    if node is None:
        return None
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _compact(iri: str | None) -> str:
    """A path as prefix:name for the text report, "-" when the result has no path."""
    if iri is None:
        return "-"
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)) :]}"
    return iri
