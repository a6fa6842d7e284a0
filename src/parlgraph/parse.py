"""Parse the Parlement de Wallonie's written-question pages into typed, citable records.

A page is the site's listing rendered as text: a title, a bulleted header (session, year,
number), one "Question écrite du" block and zero or more "Réponse du" blocks.  Every text we
extract keeps its exact code-point offsets into the source as given (BOM and CRLF included),
so later stages can point at the very characters a claim rests on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parlgraph.errors import SourceError

__all__ = [
    "Addressee",
    "Answer",
    "Commitment",
    "Document",
    "Person",
    "Question",
    "parse_text",
    "read",
    "to_record",
]

# Horizontal whitespace: what may separate words on a line.  Pages copied from the web carry
# NBSP, narrow NBSP and thin spaces where a plain space is meant, so all Zs count, plus tab.
_HS_CHARS = "\t\u00a0\u1680\u202f\u205f\u3000 " + "".join(map(chr, range(0x2000, 0x200B)))
_WS_CHARS = frozenset(_HS_CHARS + "\r\n")
_HS = "[" + re.escape(_HS_CHARS) + "]"
_HS_RUN = re.compile(_HS + "+")
_BREAK = re.compile(r"\r\n|\r|\n")
# Control characters never found in a text page (C0 except tab/LF/CR, DEL, C1).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_BULLET = "[•◦▪*\\-]"
_LEAD = rf"^\ufeff?{_HS}*(?P<bullet>{_BULLET}{_HS}*)?"
_E = "(?:é|e\u0301|e)"  # é precomposed, decomposed, or typed without its accent

_BLOCK = re.compile(rf"{_LEAD}(?P<kind>Question{_HS}+{_E}crite|R{_E}ponse)(?P<rest>(?:{_HS}.*)?)$")
_DU = re.compile(rf"du{_HS}+(?P<token>.+)")
_DE = re.compile(rf"{_LEAD}de(?:{_HS}+(?P<value>.*))?$")
_TO = re.compile(rf"{_LEAD}(?:à|a\u0300|À|A\u0300)(?:{_HS}+(?P<value>.*))?$")
_FIELD = re.compile(rf"{_LEAD}(?P<label>Session|Ann{_E}e|N[°º]|No\.?){_HS}*:{_HS}*(?P<value>.*)$")
_COUNT = re.compile(rf"^{_HS}*[0-9]+{_HS}*{_E}l{_E}ment")
_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_SESSION = re.compile(rf"([0-9]{{4}}){_HS}*[-\u2013]{_HS}*([0-9]{{4}})")
_YEAR = re.compile(r"[0-9]{4}")
_REFERENCE = re.compile(r"([0-9]{1,9})(?: \(([0-9]{4}) ?- ?([0-9]{4})\))?(?: [0-9]{1,9})?")
_DPR = re.compile(
    rf"(?i:d{_E}claration\s+de\s+politique\s+r{_E}gionale)|(?<!\w)DPR(?!\w)",
)
_LEGISLATURE = re.compile(r"(?i:l[ée]gislature)\s+([0-9]{4})\s*[-\u2013]\s*([0-9]{4})")
_NAME_PUNCT = frozenset("'\u2019-.")


@dataclass(frozen=True)
class Person:
    """A member or minister as the page names them: FAMILY (as written, upper case) + given."""

    family_name: str
    given_name: str


@dataclass(frozen=True)
class Addressee:
    """The minister a question is put to, with the post held at the time (it changes)."""

    family_name: str
    given_name: str
    post: str

    @property
    def person(self) -> Person:
        """The addressee without the post, to match against answer authors."""
        return Person(self.family_name, self.given_name)


@dataclass(frozen=True)
class Commitment:
    """A Regional Policy Declaration commitment quoted in a question, with its exact place."""

    text: str
    span: tuple[int, int]
    declaration: str
    legislature: str | None


@dataclass(frozen=True)
class Question:
    """The question block; `line` is where "Question écrite du" stands, for error reports."""

    date: dt.date
    asker: Person
    addressee: Addressee
    text: str
    span: tuple[int, int]
    line: int
    commitment: Commitment | None


@dataclass(frozen=True)
class Answer:
    """One "Réponse du" block; a question may get several, each with its own author and date."""

    date: dt.date
    author: Person
    text: str
    span: tuple[int, int]
    line: int


@dataclass(frozen=True)
class Document:
    """A parsed page; keeps the source so spans can be checked and cited later."""

    path: Path
    source: str = field(repr=False)
    title: str
    session: str
    year: int
    number: int
    reference: str
    question: Question
    answers: tuple[Answer, ...]


@dataclass(frozen=True)
class _Line:
    number: int
    start: int
    end: int  # exclusive, before the line break
    text: str


# --------------------------------------------------------------------------- small helpers


def _strip(text: str) -> str:
    """Strip every kind of whitespace we accept, not only what str.strip knows as ASCII.

    >>> _strip("\\u00a0 BORSUS Willy\\u2009\\r\\n")
    'BORSUS Willy'
    """
    start, end = 0, len(text)
    while start < end and text[start] in _WS_CHARS:
        start += 1
    while end > start and text[end - 1] in _WS_CHARS:
        end -= 1
    return text[start:end]


def _normalise_space(text: str) -> str:
    """Collapse NBSP, thin spaces, tabs... to one ASCII space so names compare equal.

    >>> _normalise_space("  BORSUS\\u00a0\\u00a0Willy\\u202f")
    'BORSUS Willy'
    """
    return _HS_RUN.sub(" ", _strip(text))


def _is_blank(text: str) -> bool:
    """True for a line holding only whitespace (a BOM included: it carries no content).

    >>> _is_blank("\\ufeff \\u00a0"), _is_blank(" /")
    (True, False)
    """
    return all(c in _WS_CHARS or c == "\ufeff" for c in text)


def _line_breaks(text: str | bytes) -> int:
    """Count line breaks the way the parser splits lines: CRLF, LF or a lone CR, once each.

    >>> _line_breaks("a\\r\\nb\\nc\\rd")
    3
    >>> _line_breaks(b"a\\r\\n")
    1
    """
    if isinstance(text, bytes):
        return text.count(b"\n") + text.count(b"\r") - text.count(b"\r\n")
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _parse_date(token: str) -> dt.date | None:
    """Read DD/MM/YYYY (or D/M/YYYY); None for anything else, impossible dates included.

    >>> _parse_date("23/01/2024"), _parse_date("3/1/2024")
    (datetime.date(2024, 1, 23), datetime.date(2024, 1, 3))
    >>> _parse_date("31/02/2024") is None, _parse_date("12/13/2024") is None
    (True, True)
    """
    match = _DATE.fullmatch(token)
    if match is None:
        return None
    day, month, year = (int(group) for group in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _is_name_token(token: str) -> bool:
    """Letters, apostrophes, hyphens and dots only (D'AMICO, Jean-Marc, J.), one letter at least.

    >>> _is_name_token("D\\u2019AMICO"), _is_name_token("Jean-Marc"), _is_name_token("(PS)")
    (True, True, False)
    """
    return any(c.isalpha() for c in token) and all(
        c.isalpha() or c in _NAME_PUNCT or unicodedata.category(c).startswith("M") for c in token
    )


def _split_name(text: str) -> tuple[str, str] | None:
    """Split "FAMILY Given": the family name is the leading run of all-caps words.

    >>> _split_name("MUGEMANGANGO Germain")
    ('MUGEMANGANGO', 'Germain')
    >>> _split_name("VAN DEN BERGH Jean-Marc"), _split_name("DI RUPO\\u00a0Elio")
    (('VAN DEN BERGH', 'Jean-Marc'), ('DI RUPO', 'Elio'))
    >>> _split_name("D'AMICO Jean Luc")
    ("D'AMICO", 'Jean Luc')
    >>> _split_name("Willy Borsus") is None, _split_name("BORSUS") is None
    (True, True)
    """
    normalised = _normalise_space(text)
    tokens = normalised.split(" ") if normalised else []
    if not tokens or not all(_is_name_token(token) for token in tokens):
        return None
    caps = 0
    while caps < len(tokens) and tokens[caps].isupper():
        caps += 1
    if caps == 0 or caps == len(tokens):
        return None
    return " ".join(tokens[:caps]), " ".join(tokens[caps:])


def _quote(text: str, limit: int = 60) -> str:
    """Quote a piece of the source for an error message, shortened so messages stay readable.

    >>> _quote("31/02/2024")
    '"31/02/2024"'
    """
    return '"' + (text if len(text) <= limit else text[: limit - 1] + "…") + '"'


def _guillemet_quotes(text: str) -> list[tuple[int, int]]:
    """Offsets of the insides of the outermost « ... » pairs; an unclosed « quotes nothing.

    >>> _guillemet_quotes("a « b « c » d » e « f")
    [(3, 14)]
    """
    quotes, depth, opened = [], 0, 0
    for offset, char in enumerate(text):
        if char == "«":
            if depth == 0:
                opened = offset + 1
            depth += 1
        elif char == "»" and depth:
            depth -= 1
            if depth == 0:
                quotes.append((opened, offset))
    return quotes


def _split_lines(source: str) -> list[_Line]:
    """Lines with their offsets; we split ourselves so CRLF and lone CR keep exact offsets."""
    lines, start = [], 0
    for number, match in enumerate(_BREAK.finditer(source), start=1):
        lines.append(_Line(number, start, match.start(), source[start : match.start()]))
        start = match.end()
    if start < len(source) or not lines:
        lines.append(_Line(len(lines) + 1, start, len(source), source[start:]))
    return lines


# --------------------------------------------------------------------------- the parser


def _check_text(source: str, path: Path | str) -> None:
    """Refuse binaries and empty pages up front, so later errors are about structure only."""
    control = _CONTROL.search(source)
    if control is not None:
        line = _line_breaks(source[: control.start()]) + 1
        raise SourceError("not a text document", path, line)
    if _is_blank(source):
        raise SourceError("empty document", path)


def _block_header(line: _Line) -> tuple[str, str | None] | None:
    """Recognise a "Question écrite du D" / "Réponse du D" line: (kind, date token) or None.

    A bulleted line is a header whenever its date part starts with a digit; an unbulleted one
    only when it is exactly keyword + one token, so that body prose starting "Réponse du 12
    janvier, ..." stays prose.  A header with no date at all is still a header (to report).
    """
    match = _BLOCK.match(line.text)
    if match is None:
        return None
    kind = "question" if match["kind"].startswith("Q") else "answer"
    rest = _strip(match["rest"])
    if rest in ("", "du"):
        return kind, None
    du = _DU.fullmatch(rest)
    if du is None:
        return None
    token = du["token"]
    if not token[0].isascii() or not token[0].isdigit():
        return None
    if match["bullet"] is None and _HS_RUN.search(token):
        return None
    return kind, token


def _parse_header(
    lines: list[_Line], end_line: int, path: Path | str
) -> tuple[str, str, int, int, str]:
    """Title, session, year, number and reference from the lines above the question."""
    title: str | None = None
    fields: dict[str, tuple[str, _Line]] = {}
    for line in lines:
        field_match = _FIELD.match(line.text)
        if field_match is not None:
            label = field_match["label"]
            key = "session" if label == "Session" else "number" if label[0] == "N" else "year"
            if key in fields:
                raise SourceError(f"second '{label} :' line", path, line.number)
            fields[key] = (field_match["value"], line)
            continue
        if title is None and not _COUNT.match(line.text):
            text = _strip(line.text.lstrip("\ufeff"))
            bulleted = re.match(rf"{_BULLET}", text) is not None
            if not bulleted and any(c.isalnum() for c in text):
                title = text
    if title is None:
        raise SourceError("no title line before 'Question écrite du'", path, end_line)

    if "session" not in fields:
        raise SourceError("no 'Session : YYYY-YYYY' line", path, end_line)
    value, line = fields["session"]
    session_match = _SESSION.fullmatch(_strip(value))
    if session_match is None:
        raise SourceError("expected 'Session : YYYY-YYYY'", path, line.number)
    first, second = (int(group) for group in session_match.groups())
    session = f"{first:04d}-{second:04d}"
    if second != first + 1:
        raise SourceError(
            f"impossible session {_quote(session)} (the years must follow each other)",
            path,
            line.number,
        )

    if "year" not in fields:
        raise SourceError("no 'Année : YYYY' line", path, end_line)
    value, line = fields["year"]
    if _YEAR.fullmatch(_strip(value)) is None:
        raise SourceError("expected 'Année : YYYY'", path, line.number)
    year = int(_strip(value))

    if "number" not in fields:
        raise SourceError("no 'N° : NUMBER (YYYY-YYYY) K' line", path, end_line)
    value, line = fields["number"]
    reference = _normalise_space(value)
    reference_match = _REFERENCE.fullmatch(reference)
    if reference_match is None:
        raise SourceError("expected 'N° : NUMBER (YYYY-YYYY) K'", path, line.number)
    number = int(reference_match[1])
    if reference_match[2] is not None and (f"{reference_match[2]}-{reference_match[3]}" != session):
        raise SourceError(
            f"reference {_quote(reference)} does not match session {session}", path, line.number
        )
    return title, session, year, number, reference


def _person(value: str | None, path: Path | str, line: int) -> Person:
    """A Person from "FAMILY Given", or an error at the line that holds it."""
    parts = _split_name(value or "")
    if parts is None:
        shown = _quote(_normalise_space(value or ""))
        raise SourceError(f"{shown} is not a name (expected 'FAMILY Given')", path, line)
    return Person(*parts)


def _next_content(lines: list[_Line], index: int, end: int) -> int:
    """Index of the next non-blank line in [index, end), or `end`."""
    while index < end and _is_blank(lines[index].text):
        index += 1
    return index


def _body_span(source: str, lines: list[_Line], index: int, end: int) -> tuple[int, int]:
    """Span from the first to the last non-whitespace character of lines [index, end)."""
    if index >= end:
        return 0, 0
    start, stop = lines[index].start, lines[end - 1].end
    while start < stop and source[start] in _WS_CHARS:
        start += 1
    while stop > start and source[stop - 1] in _WS_CHARS:
        stop -= 1
    return start, stop


def _commitment(text: str, offset: int) -> Commitment | None:
    """The DPR commitment a question quotes: the first « » after the mention (else the last
    one before it), so a question citing the declaration can be linked to what it promised."""
    mention = _DPR.search(text)
    if mention is None:
        return None
    quotes = _guillemet_quotes(text)
    after = [quote for quote in quotes if quote[0] > mention.start()]
    before = [quote for quote in quotes if quote[0] <= mention.start()]
    for start, end in after + before[::-1]:
        while start < end and text[start] in _WS_CHARS:
            start += 1
        while end > start and text[end - 1] in _WS_CHARS:
            end -= 1
        if start < end:
            legislature = _LEGISLATURE.search(text)
            return Commitment(
                text=text[start:end],
                span=(offset + start, offset + end),
                declaration="DPR",
                legislature=f"{legislature[1]}-{legislature[2]}" if legislature else None,
            )
    return None


def _parse_block(
    source: str,
    lines: list[_Line],
    head: int,
    end: int,
    header: tuple[str, str | None],
    path: Path | str,
) -> Question | Answer:
    """One question or answer block: header line, 'de' (and 'à') lines, then the text."""
    line = lines[head]
    kind, token = header
    is_question = kind == "question"
    keyword = "Question écrite du" if is_question else "Réponse du"
    if token is None:
        message = (
            "no 'Question écrite du DD/MM/YYYY' line"
            if is_question
            else "expected 'Réponse du DD/MM/YYYY'"
        )
        raise SourceError(message, path, line.number)
    date = _parse_date(token)
    if date is None:
        raise SourceError(f"{_quote(token)} is not a date (expected DD/MM/YYYY)", path, line.number)

    index = _next_content(lines, head + 1, end)
    de = _DE.match(lines[index].text) if index < end else None
    if de is None:
        raise SourceError(f"expected 'de NAME Given' after '{keyword}'", path, line.number)
    value = de["value"]
    if not is_question and value is not None and "," in value:
        value = value.split(",", 1)[0]  # an answer may repeat the post; only the name matters
    person = _person(value, path, lines[index].number)

    addressee = None
    if is_question:
        index = _next_content(lines, index + 1, end)
        to = _TO.match(lines[index].text) if index < end else None
        if to is None:
            raise SourceError("expected 'à NAME Given, post'", path, line.number)
        name, comma, post = (to["value"] or "").partition(",")
        post = _normalise_space(post)
        if not comma or not post:
            raise SourceError("expected 'à NAME Given, post'", path, lines[index].number)
        minister = _person(name, path, lines[index].number)
        addressee = Addressee(minister.family_name, minister.given_name, post)

    start, stop = _body_span(source, lines, index + 1, end)
    if start == stop:
        what = "question" if is_question else "answer"
        raise SourceError(f"the {what} has no text", path, line.number)
    text = source[start:stop]
    if addressee is not None:
        return Question(
            date, person, addressee, text, (start, stop), line.number, _commitment(text, start)
        )
    return Answer(date, person, text, (start, stop), line.number)


def parse_text(source: str, path: Path | str = "<string>") -> Document:
    """Parse a page given as text; offsets index `source` exactly as given (no newline
    translation, a leading BOM stays at offset 0).  Raises SourceError with the line."""
    _check_text(source, path)
    lines = _split_lines(source)
    headers = [
        (index, header) for index, line in enumerate(lines) if (header := _block_header(line))
    ]
    questions = [index for index, (kind, _) in headers if kind == "question"]
    if not questions:
        raise SourceError("no 'Question écrite du DD/MM/YYYY' line", path, lines[-1].number)
    if len(questions) > 1:
        raise SourceError(
            "a second 'Question écrite du' line (one question per document)",
            path,
            lines[questions[1]].number,
        )
    if headers[0][1][0] != "question":
        raise SourceError(
            "'Réponse du' line before the 'Question écrite du' line",
            path,
            lines[headers[0][0]].number,
        )
    question_index = questions[0]
    title, session, year, number, reference = _parse_header(
        lines[:question_index], lines[question_index].number, path
    )
    bounds = [index for index, _ in headers[1:]] + [len(lines)]
    blocks = [
        _parse_block(source, lines, index, stop, header, path)
        for (index, header), stop in zip(headers, bounds, strict=True)
    ]
    question, answers = blocks[0], blocks[1:]
    assert isinstance(question, Question)
    return Document(
        path=Path(path),
        source=source,
        title=title,
        session=session,
        year=year,
        number=number,
        reference=reference,
        question=question,
        answers=tuple(answer for answer in answers if isinstance(answer, Answer)),
    )


def read(path: Path | str) -> Document:
    """Read a page from disk as strict UTF-8 bytes (no BOM or newline magic, so offsets are
    into the text exactly as stored) and parse it."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read ({error.strerror or error})", path) from None
    try:
        source = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_breaks(raw[: error.start]) + 1
        bad = raw[error.start]
        raise SourceError(f"not UTF-8 (byte 0x{bad:02X})", path, line) from None
    return parse_text(source, path)


def _person_record(person: Person | Addressee) -> dict[str, str]:
    return {"family_name": person.family_name, "given_name": person.given_name}


def to_record(doc: Document) -> dict[str, Any]:
    """A JSON-ready dict (dates ISO, spans as lists) for export and golden-file tests."""
    question = doc.question
    commitment = question.commitment
    return {
        "title": doc.title,
        "session": doc.session,
        "year": doc.year,
        "number": doc.number,
        "reference": doc.reference,
        "source": str(doc.path),
        "question": {
            "date": question.date.isoformat(),
            "asker": _person_record(question.asker),
            "addressee": {**_person_record(question.addressee), "post": question.addressee.post},
            "text": question.text,
            "span": list(question.span),
            "line": question.line,
            "commitment": None
            if commitment is None
            else {
                "text": commitment.text,
                "span": list(commitment.span),
                "declaration": commitment.declaration,
                "legislature": commitment.legislature,
            },
        },
        "answers": [
            {
                "date": answer.date.isoformat(),
                "author": _person_record(answer.author),
                "text": answer.text,
                "span": list(answer.span),
                "line": answer.line,
            }
            for answer in doc.answers
        ],
    }
