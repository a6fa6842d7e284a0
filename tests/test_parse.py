"""Tests for the written-question parser: the seed page, variants of it, bad inputs, fuzzing."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parlgraph.errors import SourceError
from parlgraph.parse import (
    Addressee,
    Answer,
    Document,
    Person,
    Question,
    parse_text,
    read,
    to_record,
)

ROOT = Path(__file__).resolve().parents[1]
SEED_PATH = ROOT / "data" / "sources" / "wallonia" / "2023-2024" / "qe-238.txt"
SEED = SEED_PATH.read_bytes().decode("utf-8")
BAD = Path(__file__).resolve().parent / "bad"

BORSUS_POST = (
    "Ministre de l'Economie, du Commerce extérieur, de la Recherche et de l'Innovation, "
    "du Numérique, de l'Aménagement du territoire, de l'Agriculture, de l'IFAPME et des "
    "Centres de compétences"
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def assert_spans(doc: Document) -> None:
    """Every extracted text must be exactly the characters its span points at."""
    source = doc.source
    question = doc.question
    assert source[question.span[0] : question.span[1]] == question.text
    for answer in doc.answers:
        assert source[answer.span[0] : answer.span[1]] == answer.text
    if question.commitment is not None:
        start, end = question.commitment.span
        assert source[start:end] == question.commitment.text
        assert question.span[0] <= start <= end <= question.span[1]
    for block in (question, *doc.answers):
        assert block.text == block.text.strip()
        line_start = _line_start(source, block.line)
        header = re.match(r"\ufeff?[^\S\r\n]*(\S[^\S\r\n]*)?(Question|R)", source[line_start:])
        assert header, block.line


def _line_start(source: str, number: int) -> int:
    """Offset where 1-based line `number` starts, with CRLF / LF / CR each one break."""
    breaks = list(re.finditer(r"\r\n|\r|\n", source))
    return 0 if number == 1 else breaks[number - 2].end()


def seed_like(text: str) -> Document:
    doc = parse_text(text, "variant.txt")
    assert_spans(doc)
    return doc


def _without_answers(text: str) -> str:
    cut = text.index("  • Réponse du")
    return text[:cut].replace("2 élément(s)", "1 élément(s)")


# --------------------------------------------------------------------------- the seed


def test_seed() -> None:
    doc = read(SEED_PATH)
    assert_spans(doc)
    assert doc.path == SEED_PATH
    assert doc.title == "La Déclaration de politique régionale sur la coopération entre PME"
    assert (doc.session, doc.year, doc.number) == ("2023-2024", 2024, 238)
    assert doc.reference == "238 (2023-2024) 1"
    question = doc.question
    assert question.date == dt.date(2024, 1, 23)
    assert question.asker == Person("MUGEMANGANGO", "Germain")
    assert question.addressee == Addressee("BORSUS", "Willy", BORSUS_POST)
    assert question.addressee.person == Person("BORSUS", "Willy")
    assert question.line == 11
    assert question.text.startswith("La Déclaration de politique régionale prévoit")
    assert question.text.endswith("cet engagement\u00a0?")
    assert question.text.count("\n") == 4  # internal newlines and indentation are kept
    commitment = question.commitment
    assert commitment is not None
    assert commitment.text.startswith("la Wallonie renforcera")
    assert commitment.text.endswith("pôles de compétitivité")
    assert (commitment.declaration, commitment.legislature) == ("DPR", "2019-2024")
    assert len(doc.answers) == 1
    answer = doc.answers[0]
    assert answer.date == dt.date(2024, 2, 12)
    assert answer.author == Person("BORSUS", "Willy")
    assert answer.line == 19
    assert answer.text.startswith("Depuis le début de cette législature")
    assert answer.text.endswith("(notamment au travers de la mesure « COOTECH »).")


def test_seed_record_shape() -> None:
    doc = read(SEED_PATH)
    record = json.loads(json.dumps(to_record(doc)))
    assert list(record) == [
        "title",
        "session",
        "year",
        "number",
        "reference",
        "source",
        "question",
        "answers",
    ]
    assert record["source"] == str(SEED_PATH)
    question = record["question"]
    assert list(question) == [
        "date",
        "asker",
        "addressee",
        "text",
        "span",
        "line",
        "commitment",
    ]
    assert question["date"] == "2024-01-23"
    assert question["asker"] == {"family_name": "MUGEMANGANGO", "given_name": "Germain"}
    assert question["addressee"] == {
        "family_name": "BORSUS",
        "given_name": "Willy",
        "post": BORSUS_POST,
    }
    start, end = question["span"]
    assert SEED[start:end] == question["text"]
    commitment = question["commitment"]
    assert list(commitment) == ["text", "span", "declaration", "legislature"]
    assert SEED[commitment["span"][0] : commitment["span"][1]] == commitment["text"]
    [answer] = record["answers"]
    assert list(answer) == ["date", "author", "text", "span", "line"]
    assert answer["date"] == "2024-02-12"
    assert answer["author"] == {"family_name": "BORSUS", "given_name": "Willy"}
    assert SEED[answer["span"][0] : answer["span"][1]] == answer["text"]
    assert answer["line"] == 19


def test_parse_text_matches_read() -> None:
    assert to_record(parse_text(SEED, SEED_PATH)) == to_record(read(SEED_PATH))
    assert parse_text(SEED).path == Path("<string>")


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_other_newlines(newline: str) -> None:
    base = read(SEED_PATH)
    doc = seed_like(SEED.replace("\n", newline))
    assert doc.question.text.replace(newline, "\n") == base.question.text
    assert doc.answers[0].text.replace(newline, "\n") == base.answers[0].text
    assert (doc.question.line, doc.answers[0].line) == (11, 19)
    assert doc.question.commitment is not None
    assert doc.question.commitment.text == base.question.commitment.text


def test_bom_shifts_spans_by_one(tmp_path: Path) -> None:
    base = read(SEED_PATH)
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SEED.encode("utf-8"))
    doc = read(path)
    assert doc.source[0] == "\ufeff"
    assert_spans(doc)
    assert doc.title == base.title
    assert doc.question.span == (base.question.span[0] + 1, base.question.span[1] + 1)
    assert doc.question.text == base.question.text
    assert doc.question.commitment.span == tuple(i + 1 for i in base.question.commitment.span)
    assert doc.answers[0].span == (base.answers[0].span[0] + 1, base.answers[0].span[1] + 1)
    assert (doc.question.line, doc.answers[0].line) == (11, 19)


def test_bom_right_before_a_header_line() -> None:
    text = "\ufeff" + SEED.split("\n", 2)[2]  # drop "/" and the blank line: BOM + title
    doc = seed_like(text)
    assert doc.title.startswith("La Déclaration")
    assert doc.question.line == 9


def test_unusual_spaces_everywhere() -> None:
    text = (
        SEED.replace("Session : 2023-2024", "Session\u00a0:\u00a02023\u2009-\u20092024")
        .replace("Année : 2024", "Année\u202f:\t2024")
        .replace("N° : 238 (2023-2024) 1", "N°\u00a0:  238\u00a0(2023-2024)\u202f1 ")
        .replace("Question écrite du 23/01/2024", "Question\u00a0écrite du\u00a023/01/2024\u2009")
        .replace("• de MUGEMANGANGO Germain", "•\u00a0de\u2009MUGEMANGANGO\u00a0\u00a0Germain")
        .replace(
            "• à BORSUS Willy, Ministre de", "•\tà\u202fBORSUS\u00a0Willy,\u00a0Ministre\u2009de"
        )
        .replace("Réponse du 12/02/2024", "Réponse\u00a0du\u202f12/02/2024")
        .replace("• de BORSUS Willy", "• de\u00a0BORSUS\u2009Willy\u00a0")
    )
    doc = seed_like(text)
    assert (doc.session, doc.year, doc.reference) == ("2023-2024", 2024, "238 (2023-2024) 1")
    assert doc.question.date == dt.date(2024, 1, 23)
    assert doc.question.asker == Person("MUGEMANGANGO", "Germain")
    assert doc.question.addressee == Addressee("BORSUS", "Willy", BORSUS_POST)
    assert doc.answers[0].date == dt.date(2024, 2, 12)
    assert doc.answers[0].author == Person("BORSUS", "Willy")


def test_tabs_and_other_bullets() -> None:
    for bullet in "-*◦▪":
        text = SEED.replace("•", bullet).replace("\n    ", "\n\t")
        doc = seed_like(text)
        assert doc.question.asker == Person("MUGEMANGANGO", "Germain")
        assert doc.question.text.startswith("La Déclaration")
        assert "\n\n\tOn peut notamment" in doc.question.text
        assert len(doc.answers) == 1


def test_without_bullets_or_indentation() -> None:
    text = re.sub(r"(?m)^ *• ", "", SEED)
    doc = seed_like(text)
    assert (doc.session, doc.number, len(doc.answers)) == ("2023-2024", 238, 1)
    assert doc.question.addressee.post == BORSUS_POST


def test_short_dates() -> None:
    text = SEED.replace("23/01/2024", "3/1/2024").replace("12/02/2024", "2/2/2024")
    doc = seed_like(text)
    assert (doc.question.date, doc.answers[0].date) == (dt.date(2024, 1, 3), dt.date(2024, 2, 2))


def test_answer_date_before_question_date_is_not_our_business() -> None:
    doc = seed_like(SEED.replace("12/02/2024", "01/01/2020"))
    assert doc.answers[0].date == dt.date(2020, 1, 1)


@pytest.mark.parametrize("ending", ["", "\n", "\n\n  \n"])
def test_zero_answers(ending: str) -> None:
    doc = seed_like(_without_answers(SEED).rstrip("\n") + ending)
    assert doc.answers == ()
    assert doc.question.text.endswith("cet engagement\u00a0?")
    assert doc.question.commitment is not None


def test_two_answers() -> None:
    text = (
        SEED.replace("2 élément(s)", "3 élément(s)")
        + "\n  • Réponse du 05/03/2024\n    • de DI RUPO Elio\n"
        + "    Complément : la DPR sera évaluée.\n\n    Voilà.\n"
    )
    doc = seed_like(text)
    assert [answer.date for answer in doc.answers] == [dt.date(2024, 2, 12), dt.date(2024, 3, 5)]
    assert doc.answers[1].author == Person("DI RUPO", "Elio")
    assert doc.answers[1].text == "Complément : la DPR sera évaluée.\n\n    Voilà."
    assert doc.answers[0].text.endswith("« COOTECH »).")
    assert doc.answers[1].line == SEED.count("\n") + 2


@pytest.mark.parametrize(
    ("asker", "expected"),
    [
        ("DE BUE Valérie", Person("DE BUE", "Valérie")),
        ("DI RUPO Elio", Person("DI RUPO", "Elio")),
        ("D'AMICO Sarah", Person("D'AMICO", "Sarah")),
        ("D\u2019AMICO Sarah", Person("D\u2019AMICO", "Sarah")),
        ("VAN DEN BERGH Jean-Marc", Person("VAN DEN BERGH", "Jean-Marc")),
        ("GREOLI Marie-Martine", Person("GREOLI", "Marie-Martine")),
        ("DÉMOTTE Jean Luc", Person("DÉMOTTE", "Jean Luc")),
        ("SAINT-AMAND Ça", Person("SAINT-AMAND", "Ça")),
    ],
)
def test_multi_word_names(asker: str, expected: Person) -> None:
    doc = seed_like(SEED.replace("MUGEMANGANGO Germain", asker))
    assert doc.question.asker == expected


@pytest.mark.parametrize(
    "post",
    [
        "Vice-Présidente et Ministre de l'Emploi, de la Formation, de la Santé, de l'Action "
        "sociale, de l'Egalité des chances et des Droits des femmes",
        "Ministre-Président du Gouvernement wallon, Ministre de l'Economie",
        "Ministre du Climat",
    ],
)
def test_posts(post: str) -> None:
    text = SEED.replace(f"BORSUS Willy, {BORSUS_POST}", f"MORREALE Christie, {post}")
    doc = seed_like(text)
    assert doc.question.addressee == Addressee("MORREALE", "Christie", post)


def test_answer_author_line_may_repeat_the_post() -> None:
    doc = seed_like(
        SEED.replace("    • de BORSUS Willy\n", f"    • de BORSUS Willy, {BORSUS_POST}\n")
    )
    assert doc.answers[0].author == Person("BORSUS", "Willy")


def test_prose_that_looks_like_a_header_stays_prose() -> None:
    extra = (
        "    Réponse du 12 janvier, le ministre a confirmé.\n\n    - Question écrite précédente.\n"
    )
    text = SEED.replace("    Quelles ont été", extra + "\n    Quelles ont été")
    doc = seed_like(text)
    assert "Réponse du 12 janvier" in doc.question.text
    assert len(doc.answers) == 1


# --------------------------------------------------------------------------- commitments


def test_no_commitment_without_a_dpr_mention() -> None:
    text = SEED.replace("La Déclaration de politique régionale prévoit", "Le Gouvernement prévoit")
    assert seed_like(text).question.commitment is None


def test_no_commitment_without_a_quote() -> None:
    question_start = SEED.index("    La Déclaration")
    answer_start = SEED.index("  • Réponse")
    body = SEED[question_start:answer_start].replace("«", "").replace("»", "")
    doc = seed_like(SEED[:question_start] + body + SEED[answer_start:])
    assert doc.question.commitment is None


def test_dpr_abbreviation_and_no_legislature() -> None:
    text = SEED.replace(
        "La Déclaration de politique régionale prévoit plusieurs engagements pour la "
        "législature\u00a02019-2024.",
        "La DPR prévoit plusieurs engagements.",
    )
    doc = seed_like(text)
    assert doc.question.commitment is not None
    assert doc.question.commitment.legislature is None
    assert doc.question.commitment.text.startswith("la Wallonie renforcera")


def test_first_quote_after_the_mention_wins() -> None:
    text = SEED.replace(
        "    La Déclaration de politique régionale prévoit",
        "    Selon « certains », la Déclaration de politique régionale prévoit",
    ).replace("Quelles ont été les actions", "Quelles ont été les « actions »")
    commitment = seed_like(text).question.commitment
    assert commitment is not None
    assert commitment.text.startswith("la Wallonie renforcera")


def test_quote_before_the_mention() -> None:
    text = SEED.replace(
        "    La Déclaration de politique régionale prévoit plusieurs engagements pour la "
        "législature\u00a02019-2024.",
        "    «\u00a0Soutenir les PME\u00a0», c'est ce que prévoit la DPR 2019-2024.",
    ).replace("On peut notamment y lire que : «\u2009", "On peut notamment y lire que : ")
    text = text.replace("compétitivité\u2009».", "compétitivité.")
    commitment = seed_like(text).question.commitment
    assert commitment is not None
    assert commitment.text == "Soutenir les PME"
    assert commitment.legislature is None


def test_legislature_spelling_variants() -> None:
    text = SEED.replace("législature\u00a02019-2024", "Législature 2019 \u2013 2024")
    assert seed_like(text).question.commitment.legislature == "2019-2024"


# --------------------------------------------------------------------------- bad inputs


BAD_FILES = sorted(path for path in BAD.iterdir() if path.suffix != ".err")


def test_every_bad_file_has_an_expectation() -> None:
    assert BAD_FILES
    for path in BAD_FILES:
        assert path.with_suffix(".err").is_file(), path


@pytest.mark.parametrize("path", BAD_FILES, ids=[path.name for path in BAD_FILES])
def test_bad_inputs(path: Path) -> None:
    expected = path.with_suffix(".err").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(SourceError) as caught:
        read(path)
    # SourceError renders "path:LINE: message", or "path: message" when there is no line.
    prefix = f"{path}:" if re.match(r"[0-9]+: ", expected) else f"{path}: "
    assert str(caught.value) == prefix + expected
    assert caught.value.path == path


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="cannot read"):
        read(tmp_path / "nope.txt")


def test_errors_name_the_path_given() -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(SEED.replace("23/01/2024", "00/01/2024"), "somewhere/qe.txt")
    assert str(caught.value) == (
        'somewhere/qe.txt:11: "00/01/2024" is not a date (expected DD/MM/YYYY)'
    )
    assert caught.value.line == 11


def test_error_lines_count_crlf_once() -> None:
    with pytest.raises(SourceError) as caught:
        parse_text(SEED.replace("12/02/2024", "30/02/2024").replace("\n", "\r\n"))
    assert caught.value.line == 19


def test_not_utf8_line_with_crlf(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(SEED.replace("\n", "\r\n").encode("utf-8").replace(b"\xc3\xa0", b"\xe0", 1))
    with pytest.raises(SourceError) as caught:
        read(path)
    assert caught.value.line == 13  # the first "à" is on the addressee line
    assert caught.value.reason == "not UTF-8 (byte 0xE0)"


# --------------------------------------------------------------------------- fuzzing

FRAGMENTS = [
    *SEED.split("\n")[:22],
    "",
    "  • Réponse du",
    "  • Réponse du 31/02/2024",
    "  • Question écrite du 1/1/2024",
    "    • de ",
    "    • à X, ",
    "    • à DE BUE Valérie, Ministre",
    "    • de DI RUPO Elio, Ministre",
    "\ufeff/",
    "N° : 99999999999999999999 (2023-2024) 1",
    "Session : 9999-10000",
    "    « DPR «",
    "    »",
    "\x00",
    "\u2028\u0085",
]


@SETTINGS
@given(st.text())
def test_fuzz_any_text(text: str) -> None:
    _parses_or_source_error(text)


@SETTINGS
@given(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_fuzz_shuffled_lines(fragments: list[str], newline: str) -> None:
    _parses_or_source_error(newline.join(fragments))


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SEED)),
            st.integers(0, 40),
            st.text(alphabet="\n\r \u00a0•-«»:/,0123456789ADÉQRadeéuà\ufeff\x00", max_size=6),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_fuzz_seed_mutations(edits: list[tuple[int, int, str]]) -> None:
    text = SEED
    for at, length, insert in edits:
        text = text[:at] + insert + text[at + length :]
    _parses_or_source_error(text)


def _parses_or_source_error(text: str) -> None:
    try:
        doc = parse_text(text, "fuzz.txt")
    except SourceError as error:
        assert "\n" not in str(error)
        assert "\r" not in str(error)
        assert str(error).startswith("fuzz.txt")
    else:
        assert_spans(doc)
        json.dumps(to_record(doc))


@SETTINGS
@given(st.binary(max_size=400) | st.text().map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_fuzz_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "page.txt"
    path.write_bytes(data)
    try:
        doc = read(path)
    except SourceError as error:
        assert "\n" not in str(error)
    else:
        assert_spans(doc)


# --------------------------------------------------------------------------- generated pages

CAPS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÂÇÉÈÊËÎÏÔÙÛÜ"
LOWER = "abcdefghijklmnopqrstuvwxyzàâçéèêëîïôùûü"
SPACES = st.sampled_from([" ", " ", "\u00a0", "\u202f", "\u2009", "\t", "  ", " \u00a0"])
WORDS = [
    "la",
    "Wallonie",
    "Gouvernement",
    "PME",
    "de",
    "des",
    "à",
    "été",
    "l'économie",
    "coopération",
    "2024",
    "actions",
    "Ministre",
    "?",
    ":",
    "n°",
    "projets",
    "d\u2019innovation",
    "Session",
    "du",
    "12/02/2024",
]


@st.composite
def family_names(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(
            st.text(CAPS, min_size=1, max_size=8)
            | st.sampled_from(["DE", "DI", "VAN", "DEN", "D'AMICO", "SAINT-AMAND", "LE"]),
            min_size=1,
            max_size=3,
        )
    )
    return " ".join(parts)


@st.composite
def given_names(draw: st.DrawFn) -> str:
    def word() -> st.SearchStrategy[str]:
        return st.builds(
            lambda first, rest: first + rest,
            st.sampled_from(CAPS),
            st.text(LOWER, min_size=1, max_size=7),
        )

    compound = st.builds(lambda a, b: f"{a}-{b}", word(), word())
    return " ".join(draw(st.lists(word() | compound, min_size=1, max_size=2)))


def sentences(min_size: int = 1) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=min_size, max_size=12).map(" ".join)


@dataclass
class Generated:
    """A page we rendered ourselves, with what the parser should find in it."""

    source: str
    title: str
    session: str
    year: int
    number: int
    reference: str
    question: dict
    answers: list[dict]


@st.composite
def pages(draw: st.DrawFn) -> Generated:
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    bullet = draw(st.sampled_from("•-*◦▪"))
    indent = draw(st.sampled_from(["    ", "\t", "  ", ""]))
    sp = draw  # shorthand: draw(SPACES) gives one run of spaces

    def spaced(words: str) -> str:
        return "".join(w + sp(SPACES) for w in words.split(" ")[:-1]) + words.split(" ")[-1]

    def date_text(date: dt.date) -> str:
        if draw(st.booleans()):
            return date.strftime("%d/%m/%Y")
        return f"{date.day}/{date.month}/{date.year}"

    first_year = draw(st.integers(1990, 2090))
    session = f"{first_year}-{first_year + 1}"
    year = draw(st.sampled_from([first_year, first_year + 1]))
    number = draw(st.integers(1, 99999))
    reference = f"{number} ({session}) {draw(st.integers(1, 3))}"
    title = "La " + draw(sentences())
    dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))

    lines = ["\ufeff/" if draw(st.booleans()) else "/", "", title, ""]
    lines.append(f"  {bullet} Session{sp(SPACES)}:{sp(SPACES)}{session}")
    lines.append(f"  {bullet} Année{sp(SPACES)}:{sp(SPACES)}{year}")
    label = draw(st.sampled_from(["N°", "Nº", "No"]))
    lines.append(f"  {bullet} {label}{sp(SPACES)}:{sp(SPACES)}{spaced(reference)}")
    n_answers = draw(st.integers(0, 3))
    lines += ["", f"{n_answers + 1} élément(s) trouvé(s).", ""]

    def block(keyword: str, date: dt.date) -> int:
        lines.append(f"  {bullet} {spaced(keyword)}{sp(SPACES)}{date_text(date)}")
        return len(lines)

    def body(paragraphs: list[str]) -> str:
        for i, paragraph in enumerate(paragraphs):
            if i:
                lines.append("")
            lines.append(indent + paragraph)
        return (newline + newline + indent).join(paragraphs)

    asker = (draw(family_names()), draw(given_names()))
    minister = (draw(family_names()), draw(given_names()))
    post = draw(
        st.sampled_from(["Ministre", "Vice-Présidente et Ministre", "Ministre-Président"])
    ) + draw(st.sampled_from(["", " de l'Emploi", " du Climat, de l'Énergie"]))
    question_date = draw(dates)
    question_line = block("Question écrite du", question_date)
    lines.append(f"{indent}{bullet} de{sp(SPACES)}{spaced(' '.join(asker))}")
    lines.append(
        f"{indent}{bullet} à{sp(SPACES)}{spaced(' '.join(minister))},{sp(SPACES)}{spaced(post)}"
    )
    paragraphs = draw(st.lists(sentences(), min_size=1, max_size=3))
    commitment = None
    if draw(st.booleans()):
        mention = draw(st.sampled_from(["Déclaration de politique régionale", "DPR"]))
        legislature = None
        lead = f"La {mention} prévoit"
        if draw(st.booleans()):
            legislature = f"{(y := draw(st.integers(2000, 2030)))}-{y + 5}"
            lead += f" pour la législature{sp(SPACES)}{legislature}"
        quoted = draw(sentences())
        open_sp, close_sp = draw(st.sampled_from(["", " ", "\u2009", "\u00a0"])), sp(SPACES)
        position = draw(st.integers(0, len(paragraphs)))
        paragraphs.insert(position, f"{lead} : «{open_sp}{quoted}{close_sp}».")
        commitment = {"text": quoted, "legislature": legislature}
    question = {
        "date": question_date,
        "asker": Person(*asker),
        "addressee": Addressee(*minister, post),
        "line": question_line,
        "commitment": commitment,
    }
    question["text"] = body(paragraphs)

    answers = []
    for _ in range(n_answers):
        author = (draw(family_names()), draw(given_names()))
        answer_date = draw(dates)
        answer_line = block("Réponse du", answer_date)
        lines.append(f"{indent}{bullet} de{sp(SPACES)}{spaced(' '.join(author))}")
        text = body(draw(st.lists(sentences(), min_size=1, max_size=3)))
        answers.append(
            {"date": answer_date, "author": Person(*author), "text": text, "line": answer_line}
        )

    ending = draw(st.sampled_from(["", newline, newline + indent + newline]))
    source = newline.join(lines) + ending
    return Generated(source, title, session, year, number, reference, question, answers)


@SETTINGS
@given(pages())
def test_generated_pages_round_trip(page: Generated) -> None:
    doc = parse_text(page.source, "generated.txt")
    assert_spans(doc)
    assert doc.title == page.title
    assert (doc.session, doc.year, doc.number) == (page.session, page.year, page.number)
    assert doc.reference == page.reference
    question: Question = doc.question
    expected = page.question
    assert question.date == expected["date"]
    assert question.asker == expected["asker"]
    assert question.addressee == expected["addressee"]
    assert question.text == expected["text"]
    assert question.line == expected["line"]
    if expected["commitment"] is None:
        assert question.commitment is None
    else:
        assert question.commitment is not None
        assert question.commitment.text == expected["commitment"]["text"]
        assert question.commitment.legislature == expected["commitment"]["legislature"]
        assert question.commitment.declaration == "DPR"
    assert len(doc.answers) == len(page.answers)
    for answer, wanted in zip(doc.answers, page.answers, strict=True):
        assert isinstance(answer, Answer)
        assert answer.date == wanted["date"]
        assert answer.author == wanted["author"]
        assert answer.text == wanted["text"]
        assert answer.line == wanted["line"]
    record = json.loads(json.dumps(to_record(doc)))
    assert record["question"]["date"] == expected["date"].isoformat()
    assert len(record["answers"]) == len(page.answers)
