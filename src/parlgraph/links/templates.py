"""Query templates of queries/links/: a `#+` header naming the parameters, and one VALUES row.

Remote endpoints take no bindings over the SPARQL protocol, so values go into the template's
VALUES block written as RDF terms (escaped by rdflib), never pasted as free text: a label with
quotes, backslashes or braces stays a literal.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Literal, URIRef

from .errors import SourceError

_IRI = re.compile(r"[^\s<>\"{}|\\^`]+:[^\s<>\"{}|\\^`]*")

Term = URIRef | Literal


@dataclass(frozen=True)
class Template:
    """A query with the line of its VALUES block and the parameters that block binds."""

    path: Path
    title: str
    parameters: tuple[str, ...]
    lines: tuple[str, ...]
    values_line: int  # index in lines

    def bind(self, rows: list[dict[str, Term]]) -> str:
        """The query text with `rows` as the VALUES block (UNDEF for a missing value).

        Raises:
            SourceError: a row names a parameter the template does not declare.
        """
        body = []
        for row in rows:
            extra = set(row) - set(self.parameters)
            if extra:
                raise SourceError(f"no parameter {sorted(extra)[0]!r} in the header", self.path)
            terms = [term_n3(row[p]) if p in row else "UNDEF" for p in self.parameters]
            body.append(terms[0] if len(terms) == 1 else "(" + " ".join(terms) + ")")
        line = self.lines[self.values_line]
        indent = line[: len(line) - len(line.lstrip())]
        head = " ".join(f"?{p}" for p in self.parameters)
        head = head if len(self.parameters) == 1 else f"({head})"
        lines = list(self.lines)
        lines[self.values_line] = f"{indent}VALUES {head} {{ {' '.join(body)} }}"
        return "\n".join(lines) + "\n"


def term_n3(term: Term) -> str:
    """An RDF term in SPARQL syntax; IRIs are checked so none can close the brackets.

    >>> term_n3(Literal('say "hi"', lang="fr"))
    '"say \\\\"hi\\\\""@fr'
    >>> term_n3(URIRef("http://eurovoc.europa.eu/100141"))
    '<http://eurovoc.europa.eu/100141>'
    """
    if isinstance(term, URIRef):
        if not _IRI.fullmatch(str(term)):
            raise ValueError(f"not an IRI: {str(term)!r}")
        return f"<{term}>"
    return term.n3()


def query_hash(text: str) -> str:
    """sha256 of the query text as sent, so a lock row names the exact query behind it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_template(path: Path) -> Template:
    """Read a template and find its single VALUES line.

    Raises:
        SourceError: no header, bad YAML, no parameters, or not exactly one VALUES line
        declaring those parameters, naming the file and line.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise SourceError(f"cannot read ({err.strerror})", path) from err
    lines = tuple(text.splitlines())
    header = [line[2:] for line in lines if line.startswith("#+")]
    if not header:
        raise SourceError("no `#+` header (title, description, parameters)", path, 1)
    try:
        meta = yaml.safe_load("\n".join(header)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceError(f"bad header YAML: {err}", path, mark.line + 1 if mark else 1) from err
    params = meta.get("parameters")
    if not isinstance(params, list) or not params or not all(isinstance(p, str) for p in params):
        raise SourceError("header needs `parameters: [name, ...]`", path, 1)
    head = " ".join(f"?{p}" for p in params)
    head = head if len(params) == 1 else f"({head})"
    found = [i for i, line in enumerate(lines) if line.strip().startswith("VALUES ")]
    if len(found) != 1 or not lines[found[0]].strip().startswith(f"VALUES {head} {{"):
        line = found[0] + 1 if found else 1
        raise SourceError(f"expected one line `VALUES {head} {{ ... }}`", path, line)
    return Template(path, str(meta.get("title", "")), tuple(params), lines, found[0])
