"""Bind stored-query parameters for a remote endpoint as pyoxigraph's substitutions do.

The SPARQL 1.1 Protocol has no way to send bindings beside a query, and a VALUES block does not
reach into sub-selects or MINUS, where pyoxigraph's substitutions do (the
`unanswered` query filters on ?at inside a sub-select and a MINUS). So each occurrence of a bound
variable is replaced by the bound term, written by pyoxigraph in its escaped N-Triples form:
the caller's value is data in a literal or an IRI already checked by `Parameter.convert`, never
SPARQL text. A projection cannot hold a constant, so a bound variable is dropped from SELECT
lists and its column is filled in again from the binding, as pyoxigraph returns it (a SELECT
left with no variable projects `(term AS ?name)` instead). A parameter the query assigns itself
(AS, VALUES) is refused.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..errors import QueryError
from ..store import Term, to_ox

_TOKEN = re.compile(
    r"""(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
      | (?P<comment>\#[^\n\r]*)
      | (?P<variable>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
      | (?P<pname>(?:[A-Za-z][\w\-.]*)?:[\w\-.:%\\]*)
      | (?P<word>[A-Za-z_]\w*)
      | (?P<punct>[(){}*])""",
    re.VERBOSE,
)
_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_ENDS_MODIFIER = {"LIMIT", "OFFSET", "HAVING", "VALUES", "ORDER", "GROUP", "SELECT", "WHERE"}


@dataclass
class Bound:
    """A query with its parameters written in, and how to rebuild pyoxigraph's columns."""

    text: str
    columns: list[str] | None  # the outer SELECT's variables in order; None for SELECT *
    constants: dict[str, Term] = field(default_factory=dict)  # columns the server won't send


def substitute(text: str, bindings: Mapping[str, Term]) -> Bound:
    """Write each bound variable's term into the query; see the module docstring for why.

    >>> from rdflib import Literal
    >>> bound = substitute("SELECT ?s ?n WHERE { ?s ?p ?n }", {"n": Literal(3)})
    >>> bound.text
    'SELECT ?s  WHERE { ?s ?p "3"^^<http://www.w3.org/2001/XMLSchema#integer> }'
    >>> bound.columns, list(bound.constants)
    (['s', 'n'], ['n'])
    """
    terms = {name: str(to_ox(term)) for name, term in bindings.items()}
    out: list[str] = []
    columns: list[str] | None = None
    selects = 0
    projecting = False  # between SELECT and WHERE / {
    kept = 0  # variables the current projection keeps
    dropped: list[tuple[int, str]] = []  # where its bound variables were, in `out`
    modifier = False  # after GROUP BY / ORDER BY
    values = False  # between VALUES and {
    depth = 0
    previous = ""  # last significant token, upper-cased
    position = 0
    for match in _TOKEN.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        kind, token = match.lastgroup, match.group()
        if kind in ("iri", "string", "comment", "pname"):
            out.append(token)
            if kind != "comment":
                previous = token
            continue
        upper = token.upper()
        if kind == "word":
            if upper == "SELECT":
                selects += 1
                projecting, depth, kept, dropped = True, 0, 0, []
                if selects == 1:
                    columns = []
            elif upper in ("WHERE", "FROM") and projecting and depth == 0:
                projecting = _projection_end(out, kept, dropped, terms)
            elif upper == "BY" and previous in ("ORDER", "GROUP"):
                modifier, depth = True, 0
            elif upper in _ENDS_MODIFIER:
                modifier = False
            if upper == "VALUES":
                values = True
        elif kind == "punct":
            if token == "(":
                depth += 1
            elif token == ")":
                depth -= 1
            elif token in "{}":
                if projecting:
                    _projection_end(out, kept, dropped, terms)
                projecting = modifier = values = False
                depth = 0
            elif token == "*" and projecting and depth == 0:
                kept += 1
                if selects == 1:
                    columns = None
        elif kind == "variable":
            name = token[1:]
            outer = projecting and selects == 1 and columns is not None
            if outer and (depth == 0 or previous == "AS"):
                columns.append(name)
            if name in terms:
                if previous == "AS" or values:
                    raise QueryError(
                        f'parameter "{name}" is assigned by the query itself (AS or VALUES) '
                        "and cannot be bound"
                    )
                if projecting and depth == 0:
                    token = ""  # dropped from the projection; its column is refilled
                    dropped.append((len(out), name))
                elif modifier and depth == 0:
                    token = f"({terms[name]})"  # ORDER/GROUP BY take a bracketed expression
                else:
                    token = terms[name]
            elif projecting and (depth == 0 or previous == "AS"):
                kept += 1
        out.append(token)
        previous = upper
    out.append(text[position:])
    constants = {n: t for n, t in bindings.items() if columns is not None and n in columns}
    return Bound("".join(out), columns, constants)


def _projection_end(
    out: list[str], kept: int, dropped: list[tuple[int, str]], terms: Mapping[str, str]
) -> bool:
    """An empty projection is not SPARQL: then the first bound variable is projected as
    `(term AS ?name)`, which is what pyoxigraph's substitution returns for it."""
    if dropped and not kept:
        index, name = dropped[0]
        out[index] = f"({terms[name]} AS ?{name})"
    return False


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, DESCRIBE or ASK, or UPDATE: the first keyword that says which.

    Read from tokens, so a keyword in a comment, string or IRI does not count (SPARQLWrapper's
    own guess reads a SELECT whose header comment says "ask" as an ASK).

    >>> query_form("PREFIX a: <http://x/describe> SELECT * { ?s a:ask 'ASK' }")
    'SELECT'
    """
    for match in _TOKEN.finditer(text):
        if match.lastgroup == "word":
            upper = match.group().upper()
            if upper in _FORMS:
                return upper
            if upper in _UPDATES:
                return "UPDATE"
    return "SELECT"  # not a query: the endpoint will say why
