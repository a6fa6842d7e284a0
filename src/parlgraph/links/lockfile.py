"""data/links/links.lock.tsv: one link a line, sorted, so a refresh shows up as a readable diff.

Tab-separated with a header line; tabs, newlines and backslashes inside a field are escaped
(\\t, \\n, \\r, \\\\). Reading checks every field and names the file and line of the first bad
one; writing goes to a temporary file renamed over the old one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path

from ..export import write_atomic
from .errors import SourceError
from .requests import PREDICATES
from .scoring import METHODS

STATUSES = ("candidate", "accepted", "rejected")
COLUMNS = (
    "subject",
    "predicate",
    "target",
    "source",
    "source_version",
    "method",
    "score",
    "label",
    "lang",
    "query_sha256",
    "endpoint",
    "resolved_at",
    "status",
)
_IRI = re.compile(r"[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_RELATIVE = re.compile(r"[^\s<>\"{}|\\^`:]+(/[^\s<>\"{}|\\^`]*)*")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


@dataclass(frozen=True, order=True)
class LockRow:
    """One proposed or reviewed link and where it came from."""

    subject: str  # relative to the dataset base, as in data/
    predicate: str  # a CURIE from requests.PREDICATES
    target: str
    source: str
    source_version: str
    method: str
    score: float
    label: str
    lang: str
    query_sha256: str
    endpoint: str
    resolved_at: str  # ISO date of the refresh
    status: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.target)

    @property
    def id(self) -> str:
        """Short stable id that `links review --accept/--reject` takes.

        >>> LockRow("a", "dct:subject", "http://x/1", *["s"] * 3, 1.0, *["s"] * 6).id
        '2da0464b74'
        """
        return hashlib.sha256("\t".join(self.key).encode("utf-8")).hexdigest()[:10]

    def with_status(self, status: str) -> LockRow:
        return replace(self, status=status)


def escape(text: str) -> str:
    r"""One field on one line.

    >>> escape("a\tb\\c")
    'a\\tb\\\\c'
    """
    return re.sub(r"[\\\t\n\r]", lambda m: _ESCAPES[m.group()], text)


def unescape(text: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group()], text)


def format_lock(rows: list[LockRow]) -> str:
    """The lock file's text: header, then rows sorted by subject, predicate and target."""
    lines = ["\t".join(COLUMNS)]
    for row in sorted(rows, key=lambda r: r.key):
        values = [getattr(row, f.name) for f in fields(LockRow)]
        values[COLUMNS.index("score")] = f"{row.score:.2f}"
        lines.append("\t".join(escape(str(v)) for v in values))
    return "\n".join(lines) + "\n"


def write_lock(path: Path, rows: list[LockRow]) -> None:
    """Replace the lock file in one rename; refuses two rows with the same key."""
    seen: set[tuple[str, str, str]] = set()
    for row in rows:
        if row.key in seen:
            raise SourceError(f"two rows for {' '.join(row.key)}", path)
        seen.add(row.key)
    write_atomic(format_lock(rows).encode("utf-8"), path)


def read_lock(path: Path) -> list[LockRow]:
    """Every row; a missing file is an empty lock.

    Raises:
        SourceError: naming the file and line of the first malformed row.
    """
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise SourceError(f"not UTF-8 (byte {err.start})", path) from err
    return parse_lock(text, path)


def parse_lock(text: str, path: Path) -> list[LockRow]:
    """Rows of a lock file's text (see read_lock)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "\t".join(COLUMNS):
        raise SourceError(f"first line must be the header: {' '.join(COLUMNS)}", path, 1)
    rows, seen = [], set()
    for number, line in enumerate(lines[1:], start=2):
        row = _parse_row(line, path, number)
        if row.key in seen:
            raise SourceError(f"second row for {' '.join(row.key)}", path, number)
        seen.add(row.key)
        rows.append(row)
    return rows


def _parse_row(line: str, path: Path, number: int) -> LockRow:
    cells = line.split("\t")
    if len(cells) != len(COLUMNS):
        raise SourceError(f"{len(cells)} fields, expected {len(COLUMNS)}", path, number)
    if "\r" in line:
        raise SourceError("raw carriage return in a field (write it as \\r)", path, number)
    values = dict(zip(COLUMNS, (unescape(c) for c in cells), strict=True))

    def bad(column: str, expected: str) -> SourceError:
        return SourceError(f"{column} {values[column]!r}: expected {expected}", path, number)

    if not _RELATIVE.fullmatch(values["subject"]):
        raise bad("subject", "an IRI relative to the dataset base (e.g. id/question/...)")
    if values["predicate"] not in PREDICATES:
        raise bad("predicate", f"one of {', '.join(sorted(PREDICATES))}")
    if not _IRI.fullmatch(values["target"]):
        raise bad("target", "an absolute IRI")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", values["source"]):
        raise bad("source", "a source name from sources.toml")
    if values["method"] not in METHODS:
        raise bad("method", f"one of {', '.join(METHODS)}")
    try:
        score = float(values["score"])
    except ValueError:
        raise bad("score", "a number from 0 to 1") from None
    if not 0.0 <= score <= 1.0:
        raise bad("score", "a number from 0 to 1")
    if not re.fullmatch(r"[0-9a-f]{64}", values["query_sha256"]):
        raise bad("query_sha256", "64 lower-case hex digits")
    if not _IRI.fullmatch(values["endpoint"]):
        raise bad("endpoint", "the endpoint's URL")
    try:
        date.fromisoformat(values["resolved_at"])
    except ValueError:
        raise bad("resolved_at", "an ISO date (YYYY-MM-DD)") from None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", values["resolved_at"]):
        raise bad("resolved_at", "an ISO date (YYYY-MM-DD)")
    if values["status"] not in STATUSES:
        raise bad("status", f"one of {', '.join(STATUSES)}")
    if values["lang"] and not re.fullmatch(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*", values["lang"]):
        raise bad("lang", "a language tag or nothing")
    return LockRow(**{**values, "score": score})
