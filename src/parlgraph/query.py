"""Stored SPARQL queries: a YAML header in `#+ ` comments, a SELECT body, bound parameters.

The header keeps each query self-describing (title, description, typed parameters) while the
file stays plain SPARQL that any endpoint accepts. Parameters are converted by type and bound
as values through pyoxigraph substitutions, never pasted into the text, so a caller's value can
change what the query matches but never what the query is.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.sparql.parser import parseQuery
from rich.table import Table
from rich.text import Text

from .errors import ParameterError, QueryError
from .iris import DEFAULT_BASE
from .store import Term, select, to_ox

HEADER_MARK = "#+"
HEADER_KEYS = ("title", "description", "parameters", "tags", "examples")
PARAMETER_KEYS = ("type", "default", "required", "description")
PARAMETER_TYPES = ("iri", "string", "date", "integer")

_SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")
_SPARQL_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)

# SPARQL tokens that may hide a "?name": IRIs, strings and comments are skipped, variables kept.
_TOKENS = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<long_string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*''')
      | (?P<string>"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<comment>\#[^\n\r]*)
      | (?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)""",
    re.VERBOSE,
)

_INTEGER_TYPES = {
    XSD[name]
    for name in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_DECIMAL_TYPES = {XSD.decimal, XSD.double, XSD.float}


# ---------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Parameter:
    """One typed query parameter; `default` is kept as the string a caller would type."""

    name: str
    type: str
    default: str | None = None
    required: bool = False
    description: str = ""

    def convert(self, value: str) -> Term:
        """Turn a caller's string into the RDF term to bind, refusing anything malformed.

        >>> term = Parameter("at", "date").convert("2024-02-01")
        >>> str(term), term.datatype == XSD.date
        ('2024-02-01', True)
        """
        if not isinstance(value, str):
            raise ParameterError(f'parameter "{self.name}": expected a string, got {value!r}')
        if self.type == "iri":
            return URIRef(_check_iri(self.name, value))
        if self.type == "date":
            return Literal(_check_date(self.name, value).isoformat(), datatype=XSD.date)
        if self.type == "integer":
            if not _INTEGER.fullmatch(value):
                raise ParameterError(f'parameter "{self.name}": "{value}" is not an integer')
            return Literal(str(int(value)), datatype=XSD.integer)
        return Literal(value)


@dataclass(frozen=True)
class StoredQuery:
    """A query file: its header, read once, and its SPARQL text, run as is."""

    name: str
    path: Path
    title: str
    description: str
    parameters: dict[str, Parameter]
    tags: list[str]
    text: str
    examples: list[Any] = field(default_factory=list)


@dataclass
class QueryResult:
    """The answer of a SELECT: column names in query order, one dict of terms per row."""

    columns: list[str]
    rows: list[dict[str, Term | None]]

    def records(self) -> list[dict[str, Any]]:
        """The rows with plain Python values: numbers as numbers, IRIs and dates as strings."""
        return [{name: to_python(row.get(name)) for name in self.columns} for row in self.rows]


# ---------------------------------------------------------------------------- loading


def load_queries(folder: Path | str) -> dict[str, StoredQuery]:
    """Every `*.rq` file of a folder, keyed and sorted by name (the file name without .rq)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise QueryError(f"{folder}: no such folder of stored queries")
    return {path.stem: load_query(path) for path in sorted(folder.glob("*.rq"))}


def load_query(path: Path | str) -> StoredQuery:
    """Read and check one stored query, pointing at the offending line when it is malformed."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"{path}:1: cannot read query: {err}") from err
    first_line, header_lines = _split_header(path, text)
    node, data = _parse_yaml(path, first_line, header_lines)

    def fail(line: int, message: str) -> QueryError:
        return QueryError(f"{path}:{line}: {message}")

    key_lines = _key_lines(path, first_line, node)
    for key, line in key_lines.items():
        if key not in HEADER_KEYS:
            close = difflib.get_close_matches(key, HEADER_KEYS, n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            allowed = ", ".join(HEADER_KEYS)
            raise fail(line, f'unknown header key "{key}" (allowed: {allowed}){hint}')
    for key in ("title", "description"):
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            line = key_lines.get(key, first_line)
            raise fail(line, f'header needs a non-empty "{key}" string')
    tags = data.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise fail(key_lines.get("tags", first_line), '"tags" must be a list of strings')
    examples = data.get("examples") or []
    if not isinstance(examples, list):
        raise fail(key_lines.get("examples", first_line), '"examples" must be a list')
    parameters = _parameters(path, first_line, node, data.get("parameters"), key_lines)
    _check_examples(path, first_line, node, examples, parameters)
    used = _variables(text)
    for parameter in parameters.values():
        if parameter.name not in used:
            line = _parameter_line(first_line, node, parameter.name)
            raise fail(line, f'parameter "{parameter.name}" is not used as ?{parameter.name}')
    _check_sparql(path, first_line, node, text, parameters)
    return StoredQuery(
        name=path.stem,
        path=path,
        title=data["title"].strip(),
        description=data["description"].strip(),
        parameters=parameters,
        tags=list(tags),
        text=text,
        examples=list(examples),
    )


def _check_examples(
    path: Path,
    first_line: int,
    node: yaml.MappingNode,
    examples: list[Any],
    parameters: dict[str, Parameter],
) -> None:
    """Each example is `{params: {name: value}, description: ...}` naming real parameters."""
    block = _child(node, "examples")
    items = block.value if isinstance(block, yaml.SequenceNode) else []
    for index, example in enumerate(examples):
        line = first_line + items[index].start_mark.line if index < len(items) else first_line
        if not isinstance(example, dict) or set(example) - {"params", "description"}:
            raise QueryError(
                f"{path}:{line}: an example is a mapping with `params` and `description`"
            )
        params = example.get("params") or {}
        if not isinstance(params, dict):
            raise QueryError(f"{path}:{line}: example `params` must map names to values")
        for name, value in params.items():
            if name not in parameters:
                raise QueryError(f'{path}:{line}: example uses unknown parameter "{name}"')
            try:
                parameters[name].convert(str(value))
            except ParameterError as err:
                raise QueryError(f"{path}:{line}: example: {err}") from err


def _split_header(path: Path, text: str) -> tuple[int, list[str]]:
    """The leading `#+` lines with the mark removed, and the file line where they start."""
    first_line, header, started = 1, [], False
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith(HEADER_MARK):
            if started:
                raise QueryError(f"{path}:{number}: header line after the query has started")
            if not header:
                first_line = number
            content = line[len(HEADER_MARK) :]
            header.append(content[1:] if content.startswith(" ") else content)
        elif header or line.strip():
            started = True
    if not header:
        raise QueryError(f"{path}:1: no header: start the file with `#+ title: ...` lines")
    return first_line, header


def _parse_yaml(path: Path, first_line: int, header: list[str]) -> tuple[yaml.Node, dict]:
    """Compose (for line numbers) and construct (for values) the header as YAML."""
    loader = yaml.SafeLoader("\n".join(header))
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        line = first_line + (mark.line if mark is not None else 0)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise QueryError(f"{path}:{line}: invalid YAML header: {problem}") from err
    finally:
        loader.dispose()
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        raise QueryError(f"{path}:{first_line}: the header must be a YAML mapping of keys")
    return node, data


def _key_lines(path: Path, first_line: int, node: yaml.MappingNode) -> dict[str, int]:
    """File line of each top-level key; a key given twice is an error, not a silent override."""
    lines: dict[str, int] = {}
    for key_node, _ in node.value:
        key = str(key_node.value)
        line = first_line + key_node.start_mark.line
        if key in lines:
            raise QueryError(f'{path}:{line}: header key "{key}" is given twice')
        lines[key] = line
    return lines


def _child(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    for key_node, value_node in node.value:
        if key_node.value == key:
            return value_node
    return None


def _parameter_line(first_line: int, node: yaml.MappingNode, name: str, key: str = "") -> int:
    """File line of a parameter's entry (or of one of its keys) in the header."""
    block = _child(node, "parameters")
    if not isinstance(block, yaml.MappingNode):
        return first_line
    for key_node, value_node in block.value:
        if key_node.value == name:
            if key and isinstance(value_node, yaml.MappingNode):
                for inner_key, _ in value_node.value:
                    if inner_key.value == key:
                        return first_line + inner_key.start_mark.line
            return first_line + key_node.start_mark.line
    return first_line + block.start_mark.line


def _parameters(
    path: Path, first_line: int, node: yaml.MappingNode, raw: Any, key_lines: dict[str, int]
) -> dict[str, Parameter]:
    """Check the `parameters` block and build one Parameter per entry."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        line = key_lines.get("parameters", first_line)
        raise QueryError(f'{path}:{line}: "parameters" must map names to their description')
    return {str(name): _parameter(path, first_line, node, name, spec) for name, spec in raw.items()}


def _parameter(
    path: Path, first_line: int, node: yaml.MappingNode, name: Any, spec: Any
) -> Parameter:
    """Check one parameter entry; errors point at the entry or at the key that is wrong."""

    def fail(message: str, key: str = "") -> QueryError:
        line = _parameter_line(first_line, node, str(name), key)
        return QueryError(f'{path}:{line}: parameter "{name}": {message}')

    if not isinstance(name, str) or not _SNAKE_CASE.fullmatch(name):
        raise fail("names are snake_case (a-z, 0-9, _)")
    if not isinstance(spec, dict):
        raise fail("expected a mapping with type, default, required, description")
    for key in spec:
        if key not in PARAMETER_KEYS:
            close = difflib.get_close_matches(str(key), PARAMETER_KEYS, n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            raise fail(f'unknown key "{key}" (allowed: {", ".join(PARAMETER_KEYS)}){hint}', key)
    kind = spec.get("type")
    if kind not in PARAMETER_TYPES:
        raise fail(f"type must be one of {', '.join(PARAMETER_TYPES)}", "type")
    required = spec.get("required", False)
    if not isinstance(required, bool):
        raise fail("required must be true or false", "required")
    description = spec.get("description", "")
    if not isinstance(description, str):
        raise fail("description must be a string", "description")
    default = spec.get("default")
    # YAML reads 2024-02-01 as a date and 3 as an int; keep the string a caller would type.
    if isinstance(default, dt.date):
        default = default.isoformat()
    elif isinstance(default, int) and not isinstance(default, bool):
        default = str(default)
    parameter = Parameter(name, kind, default, required, description.strip())
    if default is not None:
        if not isinstance(default, str):
            raise fail("default must be a string", "default")
        try:
            parameter.convert(default)
        except ParameterError as err:
            raise fail(f"bad default: {_reason(err)}", "default") from err
        if kind == "iri" and not default.startswith(DEFAULT_BASE):
            raise fail(f"an IRI default must be under {DEFAULT_BASE}", "default")
    return parameter


def _reason(err: ParameterError) -> str:
    return str(err).split(": ", 1)[-1]


def _variables(text: str) -> set[str]:
    """Names of the variables the SPARQL text uses, ignoring comments, strings and IRIs."""
    return {m.group("variable")[1:] for m in _TOKENS.finditer(text) if m.group("variable")}


def _placeholder(parameter: Parameter) -> Term:
    if parameter.default is not None:
        return parameter.convert(parameter.default)
    return {
        "iri": URIRef(DEFAULT_BASE),
        "date": Literal("2000-01-01", datatype=XSD.date),
        "integer": Literal("0", datatype=XSD.integer),
    }.get(parameter.type, Literal(""))


def _syntax_error(path: Path, first_line: int, text: str, message: str) -> str:
    """Where and why a query does not parse.

    pyoxigraph often reports the furthest point it reached (the end of the file, say), so the
    line comes from rdflib's parser when that one points at an earlier, more useful place.
    """
    match = _SPARQL_ERROR.match(message)
    line = int(match.group(1)) if match else first_line
    column = int(match.group(2)) if match else 1
    problem = (match.group(3) if match else message).splitlines()[0]
    try:
        parseQuery(text)
    except Exception as err:  # pyparsing's ParseException; rdflib is only asked for a place
        at_line, at_column = getattr(err, "lineno", None), getattr(err, "col", None)
        located = isinstance(at_line, int) and isinstance(at_column, int)
        if located and (at_line, at_column) < (line, column):
            found = str(getattr(err, "line", ""))[at_column - 1 :].split(maxsplit=1)[:1]
            near = f", near {found[0]!r}" if found else ""
            reason = getattr(err, "msg", "syntax error")
            return (
                f"{path}:{at_line}: invalid SPARQL (column {at_column}{near}): {reason}; "
                f"pyoxigraph: {problem}"
            )
    return f"{path}:{line}: invalid SPARQL (column {column}): {problem}"


def _check_sparql(
    path: Path,
    first_line: int,
    node: yaml.MappingNode,
    text: str,
    parameters: dict[str, Parameter],
) -> None:
    """Parse the query with pyoxigraph, binding every parameter as `run` will.

    Running it against an empty store parses it and checks that each parameter can be bound
    (pyoxigraph binds only variables of the SELECT projection), without evaluating anything.
    """
    substitutions = {ox.Variable(n): to_ox(_placeholder(p)) for n, p in parameters.items()}
    try:
        result = ox.Store().query(
            text, substitutions=substitutions, use_default_graph_as_union=True
        )
    except SyntaxError as err:
        raise QueryError(_syntax_error(path, first_line, text, str(err))) from err
    except (RuntimeError, ValueError, OSError) as err:
        message = str(err)
        for name in parameters:
            if f"?{name} " in f"{message} " and "projection" in message:
                line = _parameter_line(first_line, node, name)
                raise QueryError(
                    f'{path}:{line}: parameter "{name}" must be in the SELECT projection '
                    f"to be bound ({message})"
                ) from err
        raise QueryError(f"{path}:{first_line}: query rejected: {message}") from err
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError(f"{path}:{first_line}: stored queries must be SELECT queries")


# ---------------------------------------------------------------------------- running


def _check_iri(name: str, value: str) -> str:
    if not _ABSOLUTE_IRI.fullmatch(value):
        raise ParameterError(f'parameter "{name}": "{value}" is not an absolute IRI')
    try:
        ox.NamedNode(value)
    except ValueError as err:
        raise ParameterError(f'parameter "{name}": "{value}" is not a valid IRI') from err
    return value


def _check_date(name: str, value: str) -> dt.date:
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterError(f'parameter "{name}": "{value}" is not a date (YYYY-MM-DD)')


def bind_parameters(
    query: StoredQuery, params: Mapping[str, str] | None = None, base: str = DEFAULT_BASE
) -> dict[str, Term]:
    """The terms to bind: caller strings converted by type, defaults filled in.

    Shared by the embedded run and the remote one, so both refuse and bind alike.

    IRI defaults are written under the default base; under another --base they are moved
    there too, so a default still names the same resource.
    """
    params = dict(params or {})
    for name in params:
        if name not in query.parameters:
            known = sorted(query.parameters)
            close = difflib.get_close_matches(name, known, n=1)
            if close:
                hint = f'; did you mean "{close[0]}"?'
            elif known:
                hint = f" (parameters: {', '.join(known)})"
            else:
                hint = " (this query takes no parameters)"
            raise ParameterError(f'query "{query.name}" has no parameter "{name}"{hint}')
    bindings: dict[str, Term] = {}
    for name, parameter in query.parameters.items():
        value = params.get(name, parameter.default)
        if name not in params and parameter.type == "iri" and value is not None:
            value = base + value.removeprefix(DEFAULT_BASE)
        if value is None:
            if parameter.required:
                raise ParameterError(f'query "{query.name}" needs parameter "{name}"')
            continue
        bindings[name] = parameter.convert(value)
    return bindings


def run(
    store: ox.Store,
    query: StoredQuery,
    params: Mapping[str, str] | None = None,
    base: str = DEFAULT_BASE,
) -> QueryResult:
    """Run a stored query with caller strings converted by type and bound, defaults filled in."""
    bindings = bind_parameters(query, params, base)
    try:
        columns, solutions = select(store, query.text, bindings)
        rows = list(solutions)
    except (SyntaxError, RuntimeError, ValueError, OSError) as err:
        raise QueryError(f"{query.path}: query failed: {err}") from err
    return QueryResult(columns, rows)


# ---------------------------------------------------------------------------- formatting


def to_python(term: Term | None) -> Any:
    """A plain value for one cell: int or float for numbers, bool, else the lexical string.

    >>> to_python(Literal("20", datatype=XSD.integer)), to_python(URIRef("https://x.org/a"))
    (20, 'https://x.org/a')
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, BNode):
        return f"_:{term}"
    datatype = term.datatype
    try:
        if datatype in _INTEGER_TYPES:
            return int(str(term))
        if datatype == XSD.decimal:
            return float(Decimal(str(term)))
        if datatype in _DECIMAL_TYPES:
            return float(str(term))
    except (ValueError, InvalidOperation):
        return str(term)
    if datatype == XSD.boolean and str(term) in ("true", "false", "1", "0"):
        return str(term) in ("true", "1")
    return str(term)


def _text(term: Term | None) -> str:
    """The text shown for a cell: the lexical form, so numbers print as the store wrote them."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _numeric(result: QueryResult, column: str) -> bool:
    values = [row.get(column) for row in result.rows if row.get(column) is not None]
    return bool(values) and all(
        isinstance(v, Literal) and v.datatype in _INTEGER_TYPES | _DECIMAL_TYPES for v in values
    )


def to_csv(result: QueryResult) -> str:
    """CSV as in the SPARQL 1.1 CSV results format: a header row, lexical forms, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_text(row.get(name)) for name in result.columns])
    return buffer.getvalue()


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    binding = {"type": "literal", "value": str(term)}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype is not None and term.datatype != XSD.string:
        binding["datatype"] = str(term.datatype)
    return binding


def to_json(result: QueryResult) -> str:
    """The SPARQL 1.1 query results JSON format; unbound cells are left out of a binding."""
    document = {
        "head": {"vars": list(result.columns)},
        "results": {
            "bindings": [
                {
                    name: _json_term(row[name])
                    for name in result.columns
                    if row.get(name) is not None
                }
                for row in result.rows
            ]
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_table(result: QueryResult, title: str | None = None) -> Table:
    """A rich table for the terminal; cells are Text so data is never read as markup."""
    table = Table(title=title, show_lines=False)
    for name in result.columns:
        table.add_column(name, justify="right" if _numeric(result, name) else "left")
    for row in result.rows:
        table.add_row(*(Text(_text(row.get(name))) for name in result.columns))
    if not result.rows:
        table.caption = "no rows"
    return table


def _markdown_cell(text: str) -> str:
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return re.sub(r"\r\n|\r|\n", "<br>", text).strip()


def to_markdown(result: QueryResult) -> str:
    """A GitHub-flavoured Markdown table; `|` is escaped and line breaks become <br>."""
    if not result.columns:
        return ""
    header = "| " + " | ".join(_markdown_cell(c) for c in result.columns) + " |"
    rule = "|" + "|".join(" ---: " if _numeric(result, c) else " --- " for c in result.columns)
    lines = [header, rule + "|"]
    for row in result.rows:
        cells = (_markdown_cell(_text(row.get(name))) for name in result.columns)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
