"""Curated identities: who a written name stands for, where the normalised name is not enough.

The build keys a person by their normalised name (`person_key`: case, accents and particles
do not count). Two cases need a curator: one person written in ways that normalise apart
(a typo, a second family name), and two people with the same name (homonyms). The override
file maps a name as pages write it, optionally between two dates, to the person's key and
the spelling their node shows, with the public source that supports the identification.

Format (tab-separated, a header line, `#` starts a comment line)::

    written_family_name  written_given_name  from  to  person  family_name  given_name  source

`from` and `to` (YYYY-MM-DD, either may be empty) bound the dates of the questions and
answers the row applies to, which is how homonyms are told apart. A written name that no row
covers on that date keeps its default key.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import SourceError
from .iris import person_key

COLUMNS = (
    "written_family_name",
    "written_given_name",
    "from",
    "to",
    "person",
    "family_name",
    "given_name",
    "source",
)
_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Identity:
    """The node a written name resolves to and the spelling that node shows."""

    key: str
    family_name: str
    given_name: str
    source: str | None = None  # the curated row's source; None when no row applied


@dataclass(frozen=True)
class Override:
    """One row of the file: a written name, when it applies, and who it stands for."""

    written: str  # person_key of the name as pages write it
    start: dt.date | None
    end: dt.date | None
    identity: Identity
    line: int

    def covers(self, day: dt.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: Override) -> bool:
        lo = max(self.start or dt.date.min, other.start or dt.date.min)
        hi = min(self.end or dt.date.max, other.end or dt.date.max)
        return lo <= hi


class PeopleOverrides:
    """The rows of the override file, looked up by written name and date."""

    def __init__(self, rows: list[Override] | None = None) -> None:
        self.rows = rows or []
        self._by_written: dict[str, list[Override]] = {}
        self._spelling: dict[str, Identity] = {}
        for row in self.rows:
            self._by_written.setdefault(row.written, []).append(row)
            self._spelling.setdefault(row.identity.key, row.identity)

    def resolve(self, family_name: str, given_name: str, day: dt.date) -> Identity:
        """Who the name written on a page dated `day` stands for.

        A name no row covers keeps its default key; if a row names that key, the node still
        shows the row's spelling, so a person has one name whichever way pages write it.
        """
        written = person_key(family_name, given_name)
        for row in self._by_written.get(written, ()):
            if row.covers(day):
                return row.identity
        curated = self._spelling.get(written)
        if curated is not None:
            return Identity(written, curated.family_name, curated.given_name)
        return Identity(written, family_name, given_name)

    def digest(self) -> str:
        """What the rows say, hashed: a build whose pages were resolved otherwise starts over."""
        text = "\n".join(
            "\t".join(
                [
                    row.written,
                    str(row.start or ""),
                    str(row.end or ""),
                    row.identity.key,
                    row.identity.family_name,
                    row.identity.given_name,
                    row.identity.source or "",
                ]
            )
            for row in self.rows
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def load(cls, path: Path) -> PeopleOverrides:
        """The file's rows; no file means no overrides."""
        if not path.exists():
            return cls()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise SourceError("not UTF-8 text", path) from err
        return cls.parse(text, path)

    @classmethod
    def parse(cls, text: str, path: Path | str = "<people overrides>") -> PeopleOverrides:
        """Rows from the file's text; any bad line is an error naming the file and line."""
        rows: list[Override] = []
        header_seen = False
        # Lines end at \n only, as editors count them (splitlines also breaks at \x85...).
        for number, raw in enumerate(text.split("\n"), start=1):
            raw = raw.removesuffix("\r")
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            cells = [cell.strip() for cell in raw.split("\t")]
            if not header_seen:
                if tuple(cells) != COLUMNS:
                    raise SourceError(f"the header must be: {' '.join(COLUMNS)}", path, number)
                header_seen = True
                continue
            rows.append(_row(cells, path, number))
        _check_consistent(rows, path)
        return cls(rows)


def _row(cells: list[str], path: Path | str, line: int) -> Override:
    if len(cells) != len(COLUMNS):
        raise SourceError(f"{len(cells)} columns, expected {len(COLUMNS)}", path, line)
    fields = dict(zip(COLUMNS, cells, strict=True))
    for name in ("written_family_name", "written_given_name", "family_name", "given_name"):
        if not fields[name]:
            raise SourceError(f"{name} is empty", path, line)
    if not _KEY.fullmatch(fields["person"]):
        raise SourceError(
            f"person {fields['person']!r}: lower-case ASCII words joined by hyphens", path, line
        )
    if not _IRI.fullmatch(fields["source"]):
        raise SourceError(f"source {fields['source']!r}: an http(s) IRI is required", path, line)
    start = _date(fields["from"], "from", path, line)
    end = _date(fields["to"], "to", path, line)
    if start and end and start > end:
        raise SourceError(f"from {start} is after to {end}", path, line)
    written = person_key(fields["written_family_name"], fields["written_given_name"])
    if not written.strip("-"):
        raise SourceError("the written name has no letters or digits", path, line)
    identity = Identity(
        fields["person"], fields["family_name"], fields["given_name"], fields["source"]
    )
    return Override(written, start, end, identity, line)


def _date(text: str, column: str, path: Path | str, line: int) -> dt.date | None:
    if not text:
        return None
    if not _DATE.fullmatch(text):
        raise SourceError(f"{column} {text!r}: a date is written YYYY-MM-DD", path, line)
    try:
        return dt.date.fromisoformat(text)
    except ValueError as err:
        raise SourceError(f"{column} {text!r}: {err}", path, line) from err


def _check_consistent(rows: list[Override], path: Path | str) -> None:
    """One answer per written name and date, and one spelling per person."""
    by_written: dict[str, list[Override]] = {}
    spelling: dict[str, Override] = {}
    for row in rows:
        for earlier in by_written.get(row.written, ()):
            if row.overlaps(earlier):
                raise SourceError(
                    f"the same written name on overlapping dates as line {earlier.line}",
                    path,
                    row.line,
                )
        by_written.setdefault(row.written, []).append(row)
        first = spelling.setdefault(row.identity.key, row)
        names = (row.identity.family_name, row.identity.given_name)
        if names != (first.identity.family_name, first.identity.given_name):
            raise SourceError(
                f"person {row.identity.key} is spelled differently on line {first.line}",
                path,
                row.line,
            )
