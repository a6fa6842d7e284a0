"""Machine-extract quantified claims ("Plus de 10 PME participent ...") from French answers.

Only one answer in thousands has a curated layer; the others still deserve their figures in
the graph, marked as machine-made. This module turns answer text into `ExtractedClaim`s: the
figure with its bound (exact, more-than, ...), the unit noun, the part-of link ("26
bénéficiaires, dont 17 PME"), the period and the entity it is about, each with code-point
offsets into the page so a reader can check the quote. It is rule-based on purpose: every
claim can be explained by the pattern that made it (`method`), it costs about a millisecond
per answer, and `evaluate` measures it against curated claims.

What it deliberately does not emit as quantities: years and dates (they become periods),
legislatures ("2019-2024"), ordinals ("1er", "2e"), list markers ("1°", "2)"), article or
point numbers ("article 5"), numbers inside identifiers ("HECO2", "CO2", "S3", "PIT 4.0",
"COVID-19"), and numbers written in words that no noun follows.
"""

from __future__ import annotations

import itertools
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal, URIRef

from .gazetteer import Gazetteer, Mention
from .terms import PROV, RDF
from .vocab import OA, PG, SCHEMA

__all__ = [
    "BOUNDS",
    "Evaluation",
    "ExtractedClaim",
    "ReferenceClaim",
    "approximate_range",
    "curated_claims",
    "evaluate",
    "extract_claims",
    "normalise_unit",
    "parse_french_number",
    "words_to_int",
]

BOUNDS = ("exact", "more-than", "at-least", "approximate", "at-most")
MAX_DIGITS = 15  # longer digit runs are account, phone or file numbers, not figures

# --------------------------------------------------------------------------- the result


def _wordset(words: str) -> frozenset[str]:
    """A set of space-separated words (easier to read and edit than a list literal)."""
    return frozenset(words.split())


@dataclass(frozen=True)
class ExtractedClaim:
    """A figure found by the extractor, to be published as machine-made, never as curated.

    start/end are code-point offsets into the page (offset + position in the answer text) and
    quote is that slice: bound words, number and unit noun ("Plus de 10 PME"); a part of a
    total quotes from its total ("26 bénéficiaires différents, dont 17 PME").

    The numbers follow the curated layer's conventions. `value` is set for exact and
    approximate figures; bounded ones use the min/max fields: "plus de 10 PME" has
    exclusive_min 10 and min_value 11 (a count), "plus de 85 %" has exclusive_min 85 and
    min_value 85 (no next integer for a share); "moins de 10 PME" has exclusive_max 10 and
    max_value 9; "une dizaine" has value 10, min 8, max 12; "10 à 15 PME" has min and max
    only. Amounts are multiplied out ("3,5 millions d'euros" -> 3500000, unit "EUR").

    unit is the counted noun in a short plural form ("PME", "projets", "%", "EUR", "" when
    none follows); subject the IRI of the entity the figure is about (from the gazetteer);
    period an ISO 8601-like string ("2018/..", "2022/2023", "2023-05"); method the rule that
    fired ("regex-fr/quantity", "regex-fr/number-words", ...); confidence in [0, 1], lower
    for numbers in words, approximations, a missing unit or a missing subject.
    """

    start: int
    end: int
    quote: str
    value: Decimal | None
    min_value: Decimal | None
    exclusive_min: Decimal | None
    max_value: Decimal | None
    bound: str
    unit: str
    total: ExtractedClaim | None = None
    subject: str | None = None
    period: str | None = None
    confidence: float = 0.5
    method: str = "regex-fr/quantity"
    exclusive_max: Decimal | None = None

    @property
    def figure(self) -> Decimal | None:
        """The number as the text states it, whatever the bound ("plus de 10" -> 10)."""
        if self.value is not None:
            return self.value
        if self.exclusive_min is not None:
            return self.exclusive_min
        if self.exclusive_max is not None:
            return self.exclusive_max
        if self.bound == "at-most":
            return self.max_value
        return self.min_value

    @property
    def total_value(self) -> Decimal | None:
        """The figure of the whole this claim is part of ("dont 17" of "26"), if any."""
        return self.total.figure if self.total is not None else None


# --------------------------------------------------------------------------- number syntax

_HS = "[^\\S\\n]"  # horizontal whitespace (NBSP, narrow NBSP, thin space, tab, CR...)
_THOUSANDS_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS_BODY = (
    rf"(?:[0-9]{{1,3}}(?:{_THOUSANDS_SPACE}[0-9]{{3}})+(?![0-9])"
    r"|[0-9]{1,3}(?:\.[0-9]{3})+(?![0-9])"
    r"|[0-9]+)"
    r"(?:,[0-9]+)?"
    r"(?![0-9]|[.,/][0-9])"
)
# _DIGITS_BODY, not glued to a word (S3, HECO2), a decimal point (PIT 4.0), a slash (dates)
# or a hyphen (COVID-19). It opens with a digit class and tests the character before only
# then, so the regex engine skips straight to digits instead of trying every position.
_DIGITS = re.compile(
    r"[0-9](?<![\w.,/\-\u2010\u2011\u2013][0-9])"
    rf"(?:[0-9]{{0,2}}(?:{_THOUSANDS_SPACE}[0-9]{{3}})+(?![0-9])"
    r"|[0-9]{0,2}(?:\.[0-9]{3})+(?![0-9])"
    r"|[0-9]*)"
    r"(?:,[0-9]+)?"
    r"(?![0-9]|[.,/][0-9])"
)
_DIGITS_AT = re.compile(_DIGITS_BODY)
_LIST_MARK = re.compile(r"[.)](?:\s|$)")
_UNIT_SHARING = re.compile(r"\s*(?:à|et|ou|-|–|/)\s*")
_NEXT_DIGITS = re.compile(rf"{_HS}+[0-9]")
_SEUL = re.compile(rf"{_HS}+seule?s?(?!\w)")
_POUR = re.compile(r"pour\s*$")

_NUMBER_WORDS: dict[str, int] = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60, "septante": 70, "huitante": 80, "octante": 80,
    "nonante": 90, "cent": 100, "cents": 100, "mille": 1000,
}  # fmt: skip
_TENS = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
         "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}  # fmt: skip
_WORD_ALTERNATION = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_WORD_JOIN = rf"(?:[-\u2010\u2011]|{_HS}+)(?:et(?:[-\u2010\u2011]|{_HS}+))?"
_APPROX_NOUNS = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30,
    "quarantaine": 40, "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}  # fmt: skip
_VAGUE_PLURALS = {
    "dizaines": 10, "vingtaines": 20, "centaines": 100, "milliers": 1000,
    "millions": 1_000_000, "milliards": 1_000_000_000,
}  # fmt: skip


def _literal_trie(words: Iterable[str]) -> str:
    """A regex alternation of words sharing prefixes; each branch opens with a literal.

    The regex engine can then jump to the possible first letters instead of trying every
    word at every position (about five times faster on an answer).

    >>> _literal_trie(["deux", "dix", "douze", "un", "une"])
    '(?:d(?:eux|ix|ouze)|un(?:e)?)'
    """
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict) -> str:
        branches = [re.escape(char) + emit(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    return emit(trie)


# Numbers in words, "dizaine"-like nouns and their vague plurals, in one scan. The word
# boundary before a match is checked in Python, to keep the literal-first speed-up.
_MAX_NUMBER_WORDS = 12  # "quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf" is 11
_LETTERED = re.compile(
    _literal_trie([*_NUMBER_WORDS, *_APPROX_NOUNS, *_VAGUE_PLURALS])
    + rf"(?:{_WORD_JOIN}{_literal_trie(_NUMBER_WORDS)}(?!\w)){{0,{_MAX_NUMBER_WORDS - 1}}}"
    + r"(?![\w\-])"
)
_APPROX_DET = re.compile(
    rf"(?<![\w])(?:(?P<one>une?)|(?P<some>des|plusieurs|quelques)){_HS}+"
    rf"(?:(?:bonne|petite|grosse|large){_HS}+)?$"
)
_WORD_TOKEN = re.compile(rf"{_WORD_ALTERNATION}|et")
_ONE_STRESSED_BEFORE = re.compile(r"(?:d['’]|moins\s)$")
_LETTERS = re.compile(r"[^\W\d_]+")

_MULTIPLIERS = {
    "mille": 1000, "million": 10**6, "millions": 10**6, "mio": 10**6, "mios": 10**6,
    "milliard": 10**9, "milliards": 10**9, "md": 10**9, "mds": 10**9,
}  # fmt: skip
_MULTIPLIER = re.compile(rf"{_HS}*(mille|millions?|mios?|milliards?|mds?)(?!\w)")
_EURO = re.compile(rf"{_HS}*(?:(?P<prefix>[mk]){_HS}?)?(?:€|eur(?:os?)?(?!\w))")
_OF_EURO = re.compile(rf"{_HS}+(?:d['’]{_HS}*|de{_HS}+)euros?(?!\w)")
_PERCENT = re.compile(rf"{_HS}*(?:%|pour{_HS}*cents?(?!\w)|pourcents?(?!\w)|p\.{_HS}?c\.)")
_SHARE = re.compile(
    rf"{_HS}+(?:des|du|de{_HS}+la|de{_HS}+l['’]|d['’]){_HS}*[^\W\d_]+(?:-[^\W\d_]+)*"
)
_GLUED_UNIT = re.compile(r"(k€|m€|km²|km2|km|m²|m2|m³|m3|ha|kg|kwh|mwh|gwh|kw|mw|gw)(?!\w)")
_DE = re.compile(rf"{_HS}+(?:de{_HS}+|d['’]{_HS}*)")
_NOUN = re.compile(rf"{_HS}*([^\W\d_]+(?:-[^\W\d_]+)*)")
_PREFIX_ADJECTIVES = _wordset(
    "nouveaux nouvelles autres grands grandes petits petites principaux principales jeunes "
    "premiers premières derniers dernières anciens anciennes gros grosses vrais vraies "
    "seul seule seuls seules"
)
_RANGE = re.compile(rf"{_HS}*(?:à|-|–|ou){_HS}*(?=[0-9])|{_HS}+et{_HS}+(?=[0-9])")
_POSTFIX_BOUND = re.compile(
    rf"{_HS}*,?{_HS}*(?P<word>au{_HS}+moins|au{_HS}+minimum|au{_HS}+maximum|au{_HS}+plus"
    rf"|environ|minimum|maximum)(?!\w)"
)

_MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
}  # fmt: skip
_DAY_LIST = re.compile(
    rf"(?:{_HS}*(?:,|et|au|à|-){_HS}*(?:1er|[0-9]{{1,2}}))+{_HS}+(?:"
    + "|".join(sorted(_MONTHS, key=len, reverse=True))
    + r")(?!\w)"
)

# Words that cannot be the counted noun: after them the number stands alone.
_NOT_UNITS = _wordset(
    "et ou à a au aux en de des du d le la les l un une sur par pour dans avec sans qui que qu "
    "ne n se s est sont ont été était étaient sera seront serait seraient y il ils elle elles "
    "on ce ces cette cet son sa ses leur leurs notre nos votre vos soit entre contre vers chez "
    "selon lors dont mais donc car ni puis comme si plus moins très ainsi afin avant après "
    "depuis pendant jusqu également aussi ont avait avaient peut peuvent doit doivent "
    "plusieurs certains certaines chaque tous toutes tout toute aucun aucune via hors dès "
    "parmi sous "
    "respectivement environ minimum maximum seulement uniquement exactement près"
)
# A number right after these is a reference, not a quantity ("article 5", "n° 238").
_IDENT_PREFIXES = _wordset(
    "article articles art n° no nº numéro numéros point points alinéa alinéas al chapitre "
    "chapitres titre annexe annexes page pages p pp § paragraphe section livre tome volume "
    "vol question questions phase axe axes pilier mesure fiche action objectif étape "
    "priorité lot zone niveau version catégorie classe groupe type route rue avenue "
    "boulevard chaussée place bus partie semaine vague saison horizon industrie covid "
    "agenda natura circulaire ligne dossier référence réf code tableau figure graphique "
    "session législature exercice budget programme programmation cohorte appel"
)
# Before these a 4-digit number in 1900-2100 is a year even if a noun follows.
# (Compared with _previous_word, which drops elisions: "jusqu'en" -> "en", "d'ici" -> "ici".)
_TEMPORAL_WORDS = _wordset(
    "en depuis dès année années an exercice budget ici horizon fin début mi courant "
    "printemps été automne hiver avant après session législature"
) | frozenset(_MONTHS)
_ACRONYMS = frozenset({"pme", "tpe", "etp", "asbl", "ong", "cpas", "ocmw"})
_MEASURES = {
    "km": "km", "km2": "km²", "km²": "km²", "kilomètres": "km", "kilomètre": "km",
    "m2": "m²", "m²": "m²", "m3": "m³", "m³": "m³", "mètres": "m", "mètre": "m",
    "ha": "ha", "hectares": "ha", "hectare": "ha", "kg": "kg", "tonnes": "tonnes",
    "tonne": "tonnes", "kw": "kW", "mw": "MW", "gw": "GW", "kwh": "kWh", "mwh": "MWh",
    "gwh": "GWh", "litres": "litres", "litre": "litres",
}  # fmt: skip
_UNCOUNTABLE = frozenset(
    {"%", "EUR", "", *_MEASURES.values(), "heures", "minutes", "ans", "années", "mois"}
)

_BEFORE = re.compile(
    rf"(?<![\w'’])(?:(?P<dont>dont|parmi{_HS}+(?:lesquel(?:le)?s|eux|elles|ceux-ci|celles-ci))"
    rf"{_HS}+)?"
    r"(?:(?P<at_least>pas\s+moins\s+d['’]|pas\s+moins\s+de\s|au\s+moins\s|au\s+minimum\s"
    r"|un\s+minimum\s+de\s|minimum\s)"
    r"|(?P<at_most>pas\s+plus\s+d['’]|pas\s+plus\s+de\s|jusqu['’]\s*à\s|au\s+maximum\s"
    r"|tout\s+au\s+plus\s|au\s+plus\s|un\s+maximum\s+de\s|maximum\s|à\s+concurrence\s+de\s"
    r"|plafonnée?s?\s+à\s)"
    r"|(?P<less_than>(?:un\s+peu\s+)?moins\s+d['’]|(?:un\s+peu\s+)?moins\s+de\s"
    r"|inférieure?s?\s+à\s)"
    r"|(?P<more_than>(?:un\s+peu\s+)?plus\s+d['’]|(?:un\s+peu\s+)?plus\s+de\s"
    r"|au[-\s]delà\s+d['’]|au[-\s]delà\s+de\s|supérieure?s?\s+à\s)"
    r"|(?P<approximate>(?:à\s+)?peu\s+près\s|près\s+d['’]|près\s+de\s|environ\s|quelques?\s"
    r"|approximativement\s|autour\s+d['’]|autour\s+de\s|aux\s+alentours\s+d['’]"
    r"|aux\s+alentours\s+de\s|de\s+l['’]ordre\s+d['’]|de\s+l['’]ordre\s+de\s|presque\s"
    r"|pratiquement\s|plus\s+ou\s+moins\s|grosso\s+modo\s)"
    r"|(?P<exact>seulement\s|uniquement\s|exactement\s|précisément\s|tout\s+juste\s))?"
    r"\s*$"
)
# The last word of a bound phrase: only after one of these is the bound regex worth running.
_BOUND_LAST_WORDS = _wordset(
    "de d' d’ à moins plus minimum maximum environ quelque quelques seulement uniquement "
    "exactement précisément juste près approximativement presque pratiquement modo dont "
    "lesquels lesquelles eux elles ceux-ci celles-ci"
)

# --------------------------------------------------------------------------- periods

_M = "|".join(sorted(_MONTHS, key=len, reverse=True))
_Y = r"(?:19|20)[0-9]{2}"
_YEAR = re.compile(r"(?:19|20)[0-9]{2}(?![0-9])")
# Every form ends with a year: each year found is matched backwards from its end.
_PERIOD_ENDING = re.compile(
    rf"(?:(?<!\w)entre\s+(?:(?P<b_m1>{_M})\s+)?(?P<b_y1>{_Y})\s+et\s+(?:(?P<b_m2>{_M})\s+)?"
    rf"(?P<b_y2>{_Y})"
    rf"|(?<!\w)(?:de|du)\s+(?:(?P<f_m1>{_M})\s+)?(?P<f_y1>{_Y})\s+(?:à|au|jusqu['’]\s*(?:à|en))"
    rf"\s+(?:(?P<f_m2>{_M})\s+)?(?P<f_y2>{_Y})"
    rf"|(?<!\w)(?:depuis|dès|à\s+partir\s+d['’]|à\s+partir\s+de)\s*"
    rf"(?:(?:le\s+)?(?:début|mi|fin)(?:\s*-\s*|\s+d['’]\s*|\s+de\s+|\s+))?(?:l['’]année\s+)?"
    rf"(?:(?P<s_m>{_M})\s+)?(?P<s_y>{_Y})"
    rf"|(?<!\w)(?:jusqu['’]\s*(?:en|à)|d['’]ici(?:\s+à)?|à\s+l['’]horizon|horizon)\s+"
    rf"(?:(?P<u_m>{_M})\s+)?(?P<u_y>{_Y})"
    rf"|(?<![0-9])(?P<d_d>[0-9]{{1,2}})/(?P<d_m>[0-9]{{1,2}})/(?P<d_y>{_Y})"
    rf"|(?<![\w.])(?P<n_d>1er|[0-9]{{1,2}})\s+(?P<n_m>{_M})\s+(?P<n_y>{_Y})"
    rf"|(?<![0-9])(?P<p_y1>{_Y})\s*[-–/]\s*(?P<p_y2>{_Y})"
    rf"|(?<!\w)(?P<m_m>{_M})\s+(?P<m_y>{_Y})"
    rf"|(?<!\w)(?:en|durant|pendant|au\s+cours\s+de(?:\s+l['’]année)?|pour\s+l['’]année"
    rf"|l['’]année|l['’]exercice|exercice|budget|courant)\s+(?P<y_y>{_Y}))$"
)

# --------------------------------------------------------------------------- sentences

# Opens with a character class so the engine skips to punctuation and line breaks.
_SENTENCE_BREAK = re.compile(
    r"[.!?…:;\n](?:(?<=[.!?…])[.!?…]*[»\"”)]*(?=\s+[«\"“(]?[A-ZÀ-ÖØ-ÞŒ0-9•])"
    r"|(?<=[.!?…:;])[»\"”)]*[^\S\n]*(?=\n)|(?<=\n)[^\S\n]*(?=\n)|(?<=\n)(?=[^\S\n]*[•\-–*]))"
)
_PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
_ABBREVIATIONS = _wordset(
    "m mm mme mmes art cf ex p pp n no al chap vol env approx resp min max st dr me pr av bd "
    "hab cfr"
)
_OPENERS = ' \t\r\u00a0\u202f\u2009«"“(-–'  # may stand between a sentence end and a word

# Entity kinds in order of preference when a figure's subject comes from an earlier sentence.
_KIND_RANK = {
    str(PG.ProjectPortfolio): 0,
    str(PG.InnovationPartnership): 0,
    str(SCHEMA.Project): 0,
    str(PG.CallForProjects): 0,
    str(PG.Strategy): 1,
    str(SCHEMA.FundingScheme): 2,
}

# --------------------------------------------------------------------------- pure helpers


def parse_french_number(token: str) -> Decimal | None:
    """Read digits written the French way: thousands by space or dot, decimals by comma.

    >>> parse_french_number("1\\u202f250"), parse_french_number("450.000")
    (Decimal('1250'), Decimal('450000'))
    >>> parse_french_number("3,5"), parse_french_number("12,50")
    (Decimal('3.5'), Decimal('12.50'))
    >>> parse_french_number("1" * 20) is None
    True
    """
    digits = re.sub(r"[ \u00a0\u202f\u2009.]", "", token).replace(",", ".")
    if sum(c.isdigit() for c in digits) > MAX_DIGITS:
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _units_teens(tokens: Sequence[str]) -> int | None:
    """0-19 from [], [unit], [teen] or ["dix", 7-9]."""
    if not tokens:
        return 0
    if len(tokens) == 1:
        value = _NUMBER_WORDS.get(tokens[0])
        return value if value is not None and value < 20 else None
    if len(tokens) == 2 and tokens[0] == "dix" and tokens[1] in ("sept", "huit", "neuf"):
        return 10 + _NUMBER_WORDS[tokens[1]]
    return None


def _below_hundred(tokens: Sequence[str]) -> int | None:
    """0-99 in French words: units, teens, tens with "et un", soixante-dix, quatre-vingt(s)."""
    if not tokens:
        return None
    if len(tokens) >= 2 and tokens[0] == "quatre" and tokens[1] in ("vingt", "vingts"):
        rest = list(tokens[2:])
        if tokens[1] == "vingts" and rest:
            return None
        tail = _units_teens(rest)
        return None if tail is None else 80 + tail
    if tokens[0] in _TENS:
        base, rest = _TENS[tokens[0]], list(tokens[1:])
        if rest and rest[0] == "et":
            rest = rest[1:]
            if rest not in (["un"], ["une"]) and not (base == 60 and rest == ["onze"]):
                return None
        tail = _units_teens(rest)
        limit = 19 if base in (60, 80) else 9
        return None if tail is None or tail > limit else base + tail
    value = _units_teens(tokens)
    return value if value else None


def _below_thousand(tokens: Sequence[str]) -> int | None:
    for index, token in enumerate(tokens):
        if token in ("cent", "cents"):
            head = _below_hundred(tokens[:index]) if index else 1
            if head is None or head > 9 or (index and head == 1):
                return None
            if token == "cents" and index + 1 < len(tokens):
                return None
            tail = _below_hundred(tokens[index + 1 :]) if index + 1 < len(tokens) else 0
            return None if tail is None else head * 100 + tail
    return _below_hundred(tokens)


def words_to_int(phrase: str) -> int | None:
    """The integer a French number in words stands for, or None if it is not one.

    >>> [words_to_int(p) for p in ("vingt et un", "quatre-vingt-dix", "deux cents", "mille")]
    [21, 90, 200, 1000]
    >>> words_to_int("soixante et onze"), words_to_int("trois mille cinq cent vingt-deux")
    (71, 3522)
    >>> words_to_int("septante-cinq"), words_to_int("deux trois"), words_to_int("et")
    (75, None, None)
    """
    tokens = _WORD_TOKEN.findall(phrase.lower())
    if not tokens or tokens[0] == "et" or tokens[-1] == "et":
        return None
    if "mille" in tokens:
        index = tokens.index("mille")
        if "mille" in tokens[index + 1 :]:
            return None
        head = _below_thousand(tokens[:index]) if index else 1
        if head is None or (index and head == 1):
            return None
        tail = _below_thousand(tokens[index + 1 :]) if index + 1 < len(tokens) else 0
        return None if tail is None else head * 1000 + tail
    return _below_thousand(tokens)


def approximate_range(value: int) -> tuple[int, int]:
    """The range "une dizaine", "une centaine"... stands for: the value ±20 %, in integers.

    >>> approximate_range(10), approximate_range(12), approximate_range(100)
    ((8, 12), (10, 14), (80, 120))
    """
    return math.ceil(value * 0.8 - 1e-9), math.floor(value * 1.2 + 1e-9)


def normalise_unit(word: str) -> str:
    """The short, plural form of a counted noun, so that claims can be summed and compared.

    >>> [normalise_unit(w) for w in ("PME", "projet", "Initiatives", "euros", "hectares")]
    ['PME', 'projets', 'initiatives', 'EUR', 'ha']
    >>> normalise_unit("emploi"), normalise_unit("hôpital"), normalise_unit("réseau")
    ('emplois', 'hôpitaux', 'réseaux')
    """
    lower = word.lower()
    if lower in ("euro", "euros", "eur", "€"):
        return "EUR"
    if lower in _MEASURES:
        return _MEASURES[lower]
    if lower in _ACRONYMS or (len(word) >= 2 and word.isupper()):
        return word.upper()
    if lower.endswith(("s", "x", "z")):
        return lower
    if lower.endswith("al") and lower not in ("festival", "carnaval", "récital", "chacal"):
        return lower[:-2] + "aux"
    if lower == "travail":
        return "travaux"
    if lower.endswith(("eau", "au")) or (lower.endswith("eu") and lower != "pneu"):
        return lower + "x"
    return lower + "s"


def _tidy(number: Decimal) -> Decimal:
    """Drop a zero fraction left by multiplication (1,2 million -> 1200000, not 1200000.0)."""
    if number == number.to_integral_value():
        return Decimal(int(number))
    return number.normalize()


# --------------------------------------------------------------------------- the extractor


@dataclass
class _Draft:
    """A claim being assembled; offsets are into the text, not yet the page."""

    start: int
    end: int
    number_start: int
    number_end: int
    figure: Decimal
    bound: str
    unit: str
    method: str
    penalty: float = 0.0
    low: Decimal | None = None  # explicit range (une dizaine, 10 à 15)
    high: Decimal | None = None
    share: bool = False
    dont: int | None = None  # start of "dont" when the figure is part of a preceding total
    strict: bool = False  # "moins de": the upper bound is exclusive
    total: int | None = None  # index of the draft holding the total
    subject: str | None = None
    subject_near: bool = True
    period: str | None = None


@dataclass
class _Tail:
    """What follows a number: multiplier, unit and where the quote should end."""

    unit: str = ""
    end: int = 0
    multiplier: int = 1
    share: bool = False
    title_case: bool = False
    reject: bool = False
    postfix: str | None = None
    name_follows: bool = False


def _lowered(text: str) -> str:
    """Lower-case text of the same length (a few letters lower-case to two characters)."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return low


def _tail(
    text: str, low: str, pos: int, *, after_noun: bool = False, plural: bool = False
) -> _Tail:
    """Read multiplier, currency, percent or unit noun after the number ending at pos.

    after_noun: the number was "une dizaine"-like, so its noun comes after "de"; plural:
    the number is 2 or more, so its noun must look plural.
    """
    tail = _Tail(end=pos)
    match = None if after_noun else _MULTIPLIER.match(low, pos)
    if match is not None:
        tail.multiplier = _MULTIPLIERS[match[1]]
        pos = tail.end = match.end()
    if (match := _PERCENT.match(low, pos)) is not None:
        tail.unit, tail.end = "%", match.end()
        if (share := _SHARE.match(low, tail.end)) is not None:
            tail.share, tail.end = True, share.end()
        return _postfix(low, tail)
    if (match := _EURO.match(low, pos)) is not None:
        if match["prefix"] is not None:
            tail.multiplier *= 1000 if match["prefix"] == "k" else 10**6
        tail.unit, tail.end = "EUR", match.end()
        return _postfix(low, tail)
    if tail.multiplier > 1 or after_noun:
        if (match := _OF_EURO.match(low, pos)) is not None:
            tail.unit, tail.end = "EUR", match.end()
            return _postfix(low, tail)
        if (match := _DE.match(low, pos)) is not None:
            return _noun(text, low, match.end(), tail, plural=True)
        return _postfix(low, tail)
    if pos < len(low) and not low[pos].isspace():
        return _postfix(low, tail)  # "17," or "17." ends the figure
    return _noun(text, low, pos, tail, plural or tail.multiplier > 1)


def _plural_noun(word: str) -> bool:
    """Can this word be the noun after a number of 2 or more? Plural, acronym or unit.

    >>> [_plural_noun(w) for w in ("projets", "PME", "km", "spin-off", "prévoit", "collabore")]
    [True, True, True, True, False, False]
    """
    lower = word.lower()
    return (
        lower.endswith(("s", "x", "z"))
        or word.isupper()
        or lower in _MEASURES
        or lower in _ACRONYMS
        or "-" in word
    )


def _noun(text: str, low: str, pos: int, tail: _Tail, plural: bool = False) -> _Tail:
    """Take the counted noun at pos (skipping one pre-nominal adjective), if there is one."""
    match = _NOUN.match(low, pos)
    if match is not None and match[1] in _PREFIX_ADJECTIVES:
        following = _NOUN.match(low, match.end())
        if (
            following is not None
            and following.start(1) > match.end()
            and following[1] not in _NOT_UNITS
        ):
            match = following
    if match is None:
        return _postfix(low, tail)
    word = match[1]
    if word in _MONTHS:
        tail.reject = True  # a day of the month: "23 janvier"
        return tail
    if word in ("fois", "x"):
        tail.reject = True  # "3 fois plus", "2 x 500 €": a factor, not a count
        return tail
    if word in _NOT_UNITS:
        return _postfix(low, tail)
    original = text[match.start(1) : match.end(1)]
    if plural and not _plural_noun(original):
        tail.name_follows = original[:1].isupper()  # "5000 Namur": a postcode
        return _postfix(low, tail)  # "21 prévoit": a verb, the number stands alone
    tail.unit = normalise_unit(original)
    tail.title_case = original[:1].isupper() and not original.isupper()
    tail.end = match.end(1)
    return _postfix(low, tail)


def _postfix(low: str, tail: _Tail) -> _Tail:
    """A bound written after the noun ("10 PME au moins") extends the quote."""
    match = _POSTFIX_BOUND.match(low, tail.end)
    if match is not None:
        word = re.sub(r"\s+", " ", match["word"])
        tail.postfix = {
            "au moins": "at-least",
            "au minimum": "at-least",
            "minimum": "at-least",
            "au maximum": "at-most",
            "au plus": "at-most",
            "maximum": "at-most",
            "environ": "approximate",
        }[word]
        tail.end = match.end()
    return tail


def _word_before(text: str, pos: int, window: int = 40) -> tuple[str, int]:
    """The whitespace-delimited word ending before pos (spaces skipped), and where it starts.

    >>> _word_before("dans l'article 5", 15)
    ("l'article", 5)
    """
    chunk = text[max(0, pos - window) : pos].rstrip()
    parts = chunk.rsplit(None, 1)
    if not parts:
        return "", pos
    word = parts[-1]
    return word, max(0, pos - window) + len(chunk) - len(word)


def _previous_word(low: str, pos: int) -> str:
    """The word before pos, without punctuation or elided article ("l'article" -> "article")."""
    word = _word_before(low, pos)[0].rstrip('.,;:()«»"')
    head, _, tail = word.replace("’", "'").rpartition("'")
    return tail if head and tail else word


def _at_sentence_start(text: str, pos: int) -> bool:
    """True at the text start or after ". ", "? ", a line break, a bullet (quotes skipped)."""
    chunk = text[max(0, pos - 12) : pos].rstrip(_OPENERS)
    if not chunk:
        return pos <= 12
    chunk = chunk.rstrip('»"”)') or chunk
    return chunk[-1] in ".!?:;\n•"


def _bound_before(
    low: str, pos: int, previous: str | None = None
) -> tuple[str | None, int, int | None, bool]:
    """Bound words right before pos: (bound, quote start, "dont" start, strict upper bound)."""
    if previous is None:
        previous = _previous_word(low, pos)
    if previous not in _BOUND_LAST_WORDS:
        return None, pos, None, False
    match = _BEFORE.search(low, max(0, pos - 48), pos)
    if match is None:
        return None, pos, None, False
    dont = match.start("dont") if match["dont"] is not None else None
    for name in ("at_least", "at_most", "less_than", "more_than", "approximate", "exact"):
        if match[name] is not None:
            bound = "at-most" if name == "less_than" else name.replace("_", "-")
            return bound, match.start(name), dont, name == "less_than"
    return None, pos, dont, False


def _is_year(number: Decimal, raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1900 <= number <= 2100


def _candidate_drafts(text: str, low: str) -> list[_Draft]:
    """Every figure in the text, with its bound, unit and quote, before subjects/periods."""
    found: list[tuple[int, int, re.Match[str]]] = [(m.start(), 0, m) for m in _DIGITS.finditer(low)]
    for match in _LETTERED.finditer(low):
        start = match.start()
        if start and (low[start - 1].isalnum() or low[start - 1] in "_-"):
            continue  # inside a word: "chacun", "vingtaine" in "quarantaine"
        found.append((start, 1, match))
    found.sort(key=lambda item: (item[0], item[1]))
    drafts: list[_Draft] = []
    skip_until = 0
    for start, kind, match in found:
        if start < skip_until:
            continue  # inside the previous figure's quote ("10 à 15 PME")
        if kind == 0:
            draft = _from_digits(text, low, match)
        else:
            first = _LETTERS.match(low, start)
            word = first[0] if first is not None else ""
            if word in _APPROX_NOUNS or word in _VAGUE_PLURALS:
                draft = _from_approx(text, low, start, start + len(word), word)
            else:
                draft = _from_words(text, low, match)
        if draft is not None:
            drafts.append(draft)
            skip_until = draft.end
    return drafts


def _draft(
    low: str,
    start: int,
    end: int,
    figure: Decimal,
    tail: _Tail,
    method: str,
    penalty: float,
    previous: str | None = None,
) -> _Draft:
    """A draft with the bound words before the number and the postfix bound after it."""
    bound, quote_start, dont, strict = _bound_before(low, start, previous)
    if not tail.unit:
        penalty += 0.35
    if tail.title_case:
        penalty += 0.1
    return _Draft(
        start=quote_start,
        end=tail.end,
        number_start=start,
        number_end=end,
        figure=_tidy(figure * tail.multiplier),
        bound=bound or tail.postfix or "exact",
        unit=tail.unit,
        method=method,
        penalty=penalty,
        share=tail.share,
        dont=dont,
        strict=strict,
    )


def _from_digits(text: str, low: str, match: re.Match[str]) -> _Draft | None:
    start, end = match.span()
    raw = match[0]
    number = parse_french_number(raw)
    if number is None:
        return None
    following = low[end : end + 1]
    glued = None
    if following.isalpha():
        glued = _GLUED_UNIT.match(low, end)
        if glued is None:
            return None  # an ordinal (1er, 2e) or an identifier (3D, 5G, 14h30)
    if following in ("°", ")", "²", "³"):
        return None  # "1°", "2)": list markers
    previous = _previous_word(low, start)
    if previous in _IDENT_PREFIXES or previous.endswith(("n°", "nº")):
        return None  # "article 5", "n° 238"
    after_digits = previous.isdigit()
    if (raw[0] == "0" and raw[1:2].isdigit()) or (after_digits and previous[0] == "0"):
        return None  # "0800 11 901", "081 33 44 55": a phone number or a code
    if _NEXT_DIGITS.match(low, end):
        return None  # a run of numbers ("33 44 55") is a code, not figures
    if number <= 31 and _DAY_LIST.match(low, end):
        return None  # "les 7 et 8 mars": days of a month
    line_start = low.rfind("\n", max(0, start - 8), start) + 1
    opening = low[max(line_start, start - 8) : start]
    if line_start > start - 8 and not opening.strip(" \t\u00a0•-–*") and _LIST_MARK.match(low, end):
        return None  # "1. " or "2) " opening a list item

    # A range: "10 à 15 PME", "entre 10 et 15 PME", "2 ou 3 projets".
    second: Decimal | None = None
    number_end = end
    connector = _RANGE.match(low, end)
    if connector is not None:
        other = _DIGITS_AT.match(low, connector.end())
        if other is not None and ("et" not in connector[0] or previous == "entre"):
            second = parse_french_number(other[0])
            if _is_year(number, raw) and second is not None and _is_year(second, other[0]):
                return None  # a span of years is a period, found elsewhere
            if second is not None and second > number:
                number_end = other.end()
            else:
                second = None

    if glued is not None:
        tail = _Tail(end=glued.end())
        if glued[1] in ("k€", "m€"):
            tail.unit, tail.multiplier = "EUR", 1000 if glued[1] == "k€" else 10**6
        else:
            tail.unit = _MEASURES.get(glued[1], glued[1])
        tail = _postfix(low, tail)
    else:
        tail = _tail(text, low, number_end, plural=number >= 2)
    if tail.reject:
        return None
    year = second is None and _is_year(number, raw)
    if year and (not tail.unit or previous in _TEMPORAL_WORDS or tail.title_case):
        return None  # a year: it feeds periods, not figures
    if (tail.title_case and len(raw) == 4) or (not tail.unit and tail.name_follows):
        return None  # "5000 Namur": a postcode
    if (
        not tail.unit
        and tail.multiplier == 1
        and (previous == "sur" or after_digits or _capitalised_name_before(text, start))
    ):
        return None  # "1 sur 3" (a ratio), "Agenda 21", "Interreg 6" (part of a name)
    method = _method(tail.unit, tail.multiplier)
    draft = _draft(low, start, end, number, tail, method, 0.0, previous)
    if second is not None:
        draft.low, draft.high = draft.figure, _tidy(second * tail.multiplier)
        if draft.bound == "exact":
            draft.bound = "approximate"
        draft.method = "regex-fr/range"
        draft.penalty += 0.1
        if previous == "entre" and draft.start == start:
            draft.start = low.rfind("entre", max(0, start - 12), start)
    return draft


def _method(unit: str, multiplier: int) -> str:
    """The method name of a figure written in digits, after what it counts."""
    if unit == "%":
        return "regex-fr/percentage"
    if unit == "EUR" or multiplier > 1:
        return "regex-fr/amount"
    return "regex-fr/quantity" if unit else "regex-fr/bare-number"


def _capitalised_name_before(text: str, pos: int) -> bool:
    """True when a capitalised word (not opening the sentence) sits right before pos."""
    word, start = _word_before(text, pos)
    if not word[:1].isupper() or _at_sentence_start(text, start):
        return False
    return word.lower() not in _NOT_UNITS


def _from_approx(text: str, low: str, start: int, end: int, noun: str) -> _Draft | None:
    """ "une dizaine de PME" (8 to 12) or "des centaines de projets" (200 at least)."""
    det = _APPROX_DET.search(low, max(0, start - 24), start)
    if det is None or (noun in _APPROX_NOUNS) != (det["one"] is not None):
        return None  # "la quarantaine", "deux dizaines": not an approximation
    start = det.start()
    tail = _tail(text, low, end, after_noun=True)
    if tail.reject:
        return None
    if noun in _APPROX_NOUNS:
        base = _APPROX_NOUNS[noun]
        draft = _draft(low, start, end, Decimal(base), tail, "regex-fr/approximate-noun", 0.2)
        if draft.bound in ("exact", "approximate"):
            lo, hi = approximate_range(base)
            draft.bound = "approximate"
            draft.low = _tidy(Decimal(lo) * tail.multiplier)
            draft.high = _tidy(Decimal(hi) * tail.multiplier)
        return draft
    base = _VAGUE_PLURALS[noun] * 2  # "des centaines": two hundred at least
    draft = _draft(low, start, end, Decimal(base), tail, "regex-fr/vague-quantity", 0.35)
    draft.bound = "at-least"
    return draft


def _from_words(text: str, low: str, match: re.Match[str]) -> _Draft | None:
    start = match.start()
    phrase = match[0]
    if phrase in ("un", "une") and not _one_is_stressed(low, start, match.end()):
        return None  # "un appel", "une stratégie": the article, by far the commonest case
    tokens = list(_WORD_TOKEN.finditer(phrase))
    value, end = None, start
    for count in range(len(tokens), 0, -1):  # the longest prefix that reads as one number
        value = words_to_int(phrase[: tokens[count - 1].end()])
        if value is not None:
            end = start + tokens[count - 1].end()
            break
    if value is None:
        return None
    following = _NOUN.match(low, end)
    if following is not None and (
        following[1] in _APPROX_NOUNS or following[1] in ("dizaines", "centaines", "milliers")
    ):
        return None  # "une dizaine": the approximation is read on its own
    if value == 1 and not _one_is_stressed(low, start, end):
        return None
    if text[start].isupper() and not _at_sentence_start(text, start):
        return None  # part of a name: "Les Trois Frontières"
    if phrase.startswith("cent") and _POUR.search(low, max(0, start - 8), start):
        return None  # "pour cent"
    tail = _tail(text, low, end, plural=value >= 2)
    if tail.reject or (not tail.unit and tail.multiplier == 1):
        return None  # "neuf" the adjective: a noun must follow a number in words
    return _draft(low, start, end, Decimal(value), tail, "regex-fr/number-words", 0.15)


def _one_is_stressed(low: str, start: int, end: int) -> bool:
    """Is this "un"/"une" a count? Yes in "un seul", "un million", "plus d'un", "au moins un"."""
    if _MULTIPLIER.match(low, end) or _SEUL.match(low, end):
        return True
    if _ONE_STRESSED_BEFORE.search(low, max(0, start - 6), start) is None:
        return False
    # "autour d'un plan", "près d'un site": a preposition, not a count.
    return _bound_before(low, start)[0] in ("more-than", "at-least", "at-most")


def _sentence_starts(text: str) -> list[int]:
    """Offsets where sentences start; a sentence never crosses a paragraph break."""
    starts = [0]
    for match in _SENTENCE_BREAK.finditer(text):
        if match[0][0] == "." and _abbreviation_before(text, match.start()):
            continue
        starts.append(match.end())
    return starts


def _abbreviation_before(text: str, pos: int) -> bool:
    word = _word_before(text, pos, 12)[0].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _periods(low: str) -> list[tuple[int, int, str]]:
    """Period expressions: (start, end, ISO-ish value like "2018/..", "2023-05", "2019/2024").

    Each year is matched backwards from its end; where forms overlap ("en 2023" inside "en
    2023-2024") the longest wins.
    """
    found = []
    for year in _YEAR.finditer(low):
        if year.start() and low[year.start() - 1].isdigit():
            continue
        match = _PERIOD_ENDING.search(low, max(0, year.start() - 40), year.end())
        if match is not None and (value := _period_value(match)) is not None:
            found.append((match.start(), match.end(), value))
    found.sort(key=lambda p: (p[0] - p[1], p[0]))
    kept: list[tuple[int, int, str]] = []
    for period in found:
        if all(period[1] <= other[0] or other[1] <= period[0] for other in kept):
            kept.append(period)
    return sorted(kept)


def _ym(year: str, month: str | None) -> str:
    return f"{year}-{_MONTHS[month]:02d}" if month else year


def _period_value(match: re.Match[str]) -> str | None:
    """The ISO 8601-like value of one period match (intervals use "/" and ".." if open)."""
    group = match.groupdict()
    if group["b_y1"]:
        return f"{_ym(group['b_y1'], group['b_m1'])}/{_ym(group['b_y2'], group['b_m2'])}"
    if group["f_y1"]:
        return f"{_ym(group['f_y1'], group['f_m1'])}/{_ym(group['f_y2'], group['f_m2'])}"
    if group["s_y"]:
        return f"{_ym(group['s_y'], group['s_m'])}/.."
    if group["u_y"]:
        return f"../{_ym(group['u_y'], group['u_m'])}"
    if group["d_y"]:
        day, month = int(group["d_d"]), int(group["d_m"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{group['d_y']}-{month:02d}-{day:02d}"
        return None
    if group["n_y"]:
        day = 1 if group["n_d"] == "1er" else int(group["n_d"])
        return f"{group['n_y']}-{_MONTHS[group['n_m']]:02d}-{day:02d}" if day <= 31 else None
    if group["p_y1"]:
        first, second = group["p_y1"], group["p_y2"]
        return f"{first}/{second}" if second > first else None
    if group["m_y"]:
        return _ym(group["m_y"], group["m_m"])
    return group["y_y"]


def _borrow_units(drafts: list[_Draft], low: str) -> None:
    """ "de 12,3 millions à 15 millions d'euros": the first figure takes the second's unit."""
    for draft, following in itertools.pairwise(drafts):
        if draft.unit or not following.unit or following.start - draft.end > 8:
            continue
        if _UNIT_SHARING.fullmatch(low, draft.end, following.start) is not None:
            draft.unit = following.unit
            draft.penalty -= 0.35
            if draft.method == "regex-fr/bare-number":
                draft.method = _method(draft.unit, 1)


def _link_totals(drafts: list[_Draft], sentence_of: list[int]) -> None:
    """Point each "dont N" figure at the figure just before it in the same sentence."""
    for index, draft in enumerate(drafts):
        if draft.dont is None:
            continue
        draft.start = min(draft.start, draft.dont)
        if index == 0 or sentence_of[index - 1] != sentence_of[index]:
            continue
        previous = drafts[index - 1]
        if previous.end > draft.dont or draft.dont - previous.end > 80:
            continue
        if draft.unit != "%" and draft.figure > previous.figure:
            continue  # a part cannot outnumber its whole: "dont" refers to something else
        draft.total = index - 1
        draft.start = previous.start


def _assign_subjects(
    drafts: list[_Draft],
    mentions: list[Mention],
    sentences: list[int],
    paragraphs: list[int],
    gazetteer: Gazetteer,
) -> None:
    """Nearest mention in the sentence (before, else after); else the earlier sentence's topic.

    "10 PME collaborent à ce projet." names nothing: its subject is the most specific entity
    (project before strategy before funding before body) first named in the closest earlier
    sentence of the same paragraph that names one.
    """
    by_sentence: dict[int, list[Mention]] = {}
    for mention in mentions:
        by_sentence.setdefault(bisect_right(sentences, mention.start) - 1, []).append(mention)
    for draft in drafts:
        sentence = bisect_right(sentences, draft.number_start) - 1
        here = by_sentence.get(sentence, [])
        before = [m for m in here if m.end <= draft.number_start]
        after = [m for m in here if m.start >= draft.number_end]
        if before or after:
            draft.subject = before[-1].iri if before else after[0].iri
            continue
        paragraph_start = paragraphs[bisect_right(paragraphs, draft.number_start) - 1]
        for earlier in range(sentence - 1, -1, -1):
            if sentences[earlier] < paragraph_start:
                break
            named = by_sentence.get(earlier)
            if named:
                best = min(named, key=lambda m: (_rank(gazetteer, m.iri), m.start))
                draft.subject, draft.subject_near = best.iri, False
                break


def _rank(gazetteer: Gazetteer, iri: str) -> int:
    kinds = gazetteer.types.get(iri, frozenset())
    return min((_KIND_RANK.get(kind, 3) for kind in kinds), default=3)


def _assign_periods(
    drafts: list[_Draft], periods: list[tuple[int, int, str]], sentences: list[int]
) -> None:
    """Attach the nearest period expression of the same sentence."""
    if not periods:
        return
    by_sentence: dict[int, list[tuple[int, int, str]]] = {}
    for period in periods:
        by_sentence.setdefault(bisect_right(sentences, period[0]) - 1, []).append(period)
    for draft in drafts:
        here = by_sentence.get(bisect_right(sentences, draft.number_start) - 1)
        if here:
            gaps = [
                (max(start - draft.end, draft.start - end, 0), value) for start, end, value in here
            ]
            draft.period = min(gaps, key=lambda gap: gap[0])[1]


def _bounds(draft: _Draft) -> dict[str, Decimal | None]:
    """value/min/max fields of a draft, following the conventions of the curated layer."""
    figure = draft.figure
    count = draft.unit not in _UNCOUNTABLE and figure == figure.to_integral_value()
    fields: dict[str, Decimal | None] = {
        "value": None,
        "min_value": None,
        "exclusive_min": None,
        "max_value": None,
        "exclusive_max": None,
    }
    if draft.bound in ("exact", "approximate"):
        if draft.low is not None and draft.high is not None:
            fields["min_value"], fields["max_value"] = draft.low, draft.high
            if draft.method != "regex-fr/range":
                fields["value"] = figure
        else:
            fields["value"] = figure
    elif draft.bound == "more-than":
        fields["exclusive_min"] = figure
        fields["min_value"] = figure + 1 if count else figure
    elif draft.bound == "at-least":
        fields["min_value"] = draft.low if draft.low is not None else figure
    elif draft.bound == "at-most":
        if draft.strict:  # "moins de 10 PME": at most 9
            fields["exclusive_max"] = figure
            fields["max_value"] = figure - 1 if count and figure >= 1 else figure
        else:
            fields["max_value"] = draft.high if draft.high is not None else figure
    if draft.share and draft.bound in ("more-than", "at-least") and figure < 100:
        fields["max_value"] = Decimal(100)  # "85 % des montants": a share cannot pass 100
    return fields


def extract_claims(
    text: str, offset: int = 0, gazetteer: Gazetteer | None = None
) -> list[ExtractedClaim]:
    """Quantified claims in an answer's text; offsets are offset + position in text.

    >>> claims = extract_claims("Le partenariat associe 26 bénéficiaires, dont 17 PME.")
    >>> [(c.quote, c.value, c.unit, c.total_value) for c in claims][1]
    ('26 bénéficiaires, dont 17 PME', Decimal('17'), 'PME', Decimal('26'))
    >>> [(c.bound, c.exclusive_min, c.min_value) for c in extract_claims("Plus de 10 PME.")]
    [('more-than', Decimal('10'), Decimal('11'))]
    """
    low = _lowered(text)
    drafts = _candidate_drafts(text, low)
    if not drafts:
        return []
    sentences = _sentence_starts(text)
    paragraphs = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    sentences = sorted(set(sentences) | set(paragraphs))
    sentence_of = [bisect_right(sentences, d.number_start) - 1 for d in drafts]
    _borrow_units(drafts, low)
    _link_totals(drafts, sentence_of)
    if gazetteer is not None:
        _assign_subjects(drafts, gazetteer.find(text), sentences, paragraphs, gazetteer)
    _assign_periods(drafts, _periods(low), sentences)

    claims: list[ExtractedClaim] = []
    for draft in drafts:
        penalty = draft.penalty
        if draft.subject is None:
            penalty += 0.15
        elif not draft.subject_near:
            penalty += 0.05
        claim = ExtractedClaim(
            start=offset + draft.start,
            end=offset + draft.end,
            quote=text[draft.start : draft.end],
            bound=draft.bound,
            unit=draft.unit,
            total=claims[draft.total] if draft.total is not None else None,
            subject=draft.subject,
            period=draft.period,
            confidence=round(max(0.05, min(0.95, 0.9 - penalty)), 2),
            method=draft.method,
            **_bounds(draft),
        )
        claims.append(claim)
    return claims


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class ReferenceClaim:
    """A curated claim reduced to what the extractor can be scored on."""

    iri: str
    start: int
    end: int
    figure: Decimal
    subject: str | None = None
    quote: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """Precision/recall of extracted against curated claims, with the pairs and the misses."""

    precision: float
    recall: float
    matched: tuple[tuple[ExtractedClaim, ReferenceClaim], ...]
    missed: tuple[ReferenceClaim, ...]
    spurious: tuple[ExtractedClaim, ...]

    def subject_accuracy(self, known: Iterable[str] | None = None) -> float | None:
        """Share of matched pairs whose subject agrees, among curated subjects in `known`."""
        allowed = set(known) if known is not None else None
        scored = [
            (claim, reference)
            for claim, reference in self.matched
            if reference.subject is not None and (allowed is None or reference.subject in allowed)
        ]
        if not scored:
            return None
        return sum(claim.subject == reference.subject for claim, reference in scored) / len(scored)


def evaluate(extracted: Sequence[ExtractedClaim], curated: Sequence[ReferenceClaim]) -> Evaluation:
    """Match one-to-one on equal figure and overlapping span, largest overlap first.

    Precision is matched / extracted and recall matched / curated (1.0 when there is
    nothing to get wrong).

    >>> ref = ReferenceClaim("ex:c", 0, 10, Decimal(10))
    >>> claim = extract_claims("Plus de 10 PME.")[0]
    >>> result = evaluate([claim], [ref])
    >>> result.precision, result.recall, len(result.matched)
    (1.0, 1.0, 1)
    """
    pairs = []
    for i, claim in enumerate(extracted):
        for j, reference in enumerate(curated):
            overlap = min(claim.end, reference.end) - max(claim.start, reference.start)
            if overlap > 0 and claim.figure is not None and claim.figure == reference.figure:
                pairs.append((-overlap, abs(claim.start - reference.start), i, j))
    pairs.sort()
    used_claims: set[int] = set()
    used_references: set[int] = set()
    matched = []
    for _, _, i, j in pairs:
        if i in used_claims or j in used_references:
            continue
        used_claims.add(i)
        used_references.add(j)
        matched.append((i, j))
    matched.sort()
    return Evaluation(
        precision=len(matched) / len(extracted) if extracted else 1.0,
        recall=len(matched) / len(curated) if curated else 1.0,
        matched=tuple((extracted[i], curated[j]) for i, j in matched),
        missed=tuple(r for j, r in enumerate(curated) if j not in used_references),
        spurious=tuple(c for i, c in enumerate(extracted) if i not in used_claims),
    )


def curated_claims(graph: Graph) -> list[ReferenceClaim]:
    """The pg:QuantifiedClaims of a graph with their spans, ready for `evaluate`.

    The figure is schema:value, else pg:exclusiveMinValue, else schema:minValue or
    schema:maxValue: the number the text states, as `ExtractedClaim.figure` is.
    """
    references = []
    for claim in graph.subjects(RDF.type, PG.QuantifiedClaim):
        figure = None
        for prop in (SCHEMA.value, PG.exclusiveMinValue, SCHEMA.minValue, SCHEMA.maxValue):
            literal = graph.value(claim, prop)
            if isinstance(literal, Literal):
                figure = Decimal(str(literal))
                break
        span = _span_of(graph, claim)
        if figure is None or span is None:
            continue
        subject = graph.value(claim, SCHEMA.observationAbout)
        references.append(
            ReferenceClaim(
                iri=str(claim),
                start=span[0],
                end=span[1],
                figure=figure,
                subject=str(subject) if isinstance(subject, URIRef) else None,
                quote=span[2],
            )
        )
    references.sort(key=lambda r: (r.start, r.end, r.iri))
    return references


def _span_of(graph: Graph, claim) -> tuple[int, int, str | None] | None:
    """(start, end, quote) of the span a claim is derived from (or annotated with)."""
    targets = list(graph.objects(claim, PROV.wasDerivedFrom))
    for annotation in graph.subjects(OA.hasBody, claim):
        targets.extend(graph.objects(annotation, OA.hasTarget))
    for target in targets:
        start = end = quote = None
        for selector in graph.objects(target, OA.hasSelector):
            if (selector, RDF.type, OA.TextPositionSelector) in graph:
                start = graph.value(selector, OA.start)
                end = graph.value(selector, OA.end)
            elif (selector, RDF.type, OA.TextQuoteSelector) in graph:
                exact = graph.value(selector, OA.exact)
                quote = str(exact) if exact is not None else None
        if start is not None and end is not None:
            return int(start), int(end), quote
    return None
