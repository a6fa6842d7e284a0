"""Find the strategies, projects, calls, funding schemes and bodies that an answer names.

The claim extractor needs to know what a figure is about; the reference graph already lists
those entities with their labels. A gazetteer compiles every label into one trie-shaped regex
so that a scan costs one pass over the text, whatever the number of labels; it runs over
~100,000 answers. Matching ignores case, accents and the shape of apostrophes, spaces and
dashes, and keeps whole words only, so "PIT Aeronautique" finds "PIT Aéronautique" but
"CO2" never finds "HECO2".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import ORG

from .vocab import CV, PG, SCHEMA

__all__ = ["ENTITY_TYPES", "LABEL_PROPERTIES", "Gazetteer", "Mention", "label_key"]

ENTITY_TYPES: tuple[URIRef, ...] = (
    PG.Strategy,
    SCHEMA.Project,
    PG.ProjectPortfolio,
    PG.InnovationPartnership,
    SCHEMA.FundingScheme,
    PG.CallForProjects,
    ORG.Organization,
    CV.PublicOrganisation,
)
# In order of preference when two entities share a label: the preferred name wins.
LABEL_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SCHEMA.name, SKOS.altLabel)

MIN_LABEL_LENGTH = 3

_SPACES = "\t\u00a0\u1680\u202f\u205f\u3000" + "".join(map(chr, range(0x2000, 0x200B)))
_APOSTROPHES = "’‘ʼ′´`"
_DASHES = "‐‑‒–—―−"
_COMBINING = re.compile(r"[\u0300-\u036f]")
_TRAILING_PARENTHESIS = re.compile(r"^(?P<head>.*\S)\s*\((?P<inner>[^()]*)\)\s*$")
_WORD = re.compile(r"\w", re.UNICODE)
_WS_RUN = re.compile(r"\s+")
_BEFORE_WORD = (
    "[ \t\n\r\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
    "'’‘ʼ«»\"“”„(\\[{/\\\\\\-‐‑–—.,;:!?+*•·|<>=&%]"
)


def _build_table() -> dict[int, str]:
    """One-to-one character map (accents off, quotes/dashes/spaces unified) for label keys."""
    table: dict[int, str] = {}
    for code in (*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        base = _COMBINING.sub("", unicodedata.normalize("NFD", char))
        if len(base) == 1 and base != char:
            table[code] = base
    table.update({ord(c): "'" for c in _APOSTROPHES})
    table.update({ord(c): "-" for c in _DASHES})
    table.update({ord(c): " " for c in _SPACES})
    return table


_TABLE = _build_table()


def _build_letter_classes() -> dict[str, str]:
    """For each base letter, every lower-case accented letter that folds to it."""
    variants: dict[str, set[str]] = {}
    for code, base in _TABLE.items():
        if code > 0x017F:  # beyond Latin Extended-A: not worth a bigger scanner
            continue
        lower = chr(code).lower()
        if len(lower) == 1 and base.isalpha() and lower != base.lower():
            variants.setdefault(base.lower(), set()).add(lower)
    return {base: "[" + base + "".join(sorted(chars)) + "]" for base, chars in variants.items()}


_LETTER_CLASSES = _build_letter_classes()


def fold(text: str) -> str:
    """Strip accents and unify apostrophes, dashes and spaces, keeping the length unchanged.

    >>> fold("Pôles de compétitivité d’Énergie")
    "Poles de competitivite d'Energie"
    >>> len(fold("a\\u00a0b")) == 3
    True
    """
    return text.translate(_TABLE)


@lru_cache(maxsize=1 << 16)
def label_key(text: str) -> str:
    """The form two spellings of one label share: folded, lower case, spaces normalised.

    Spaces next to punctuation are dropped, so "Reverse Metallurgy +" and "Reverse
    Metallurgy+" are the same label; œ and æ are spelled out as oe and ae.

    >>> label_key("Reverse  Metallurgy +") == label_key("reverse metallurgy+")
    True
    >>> label_key("PIT Aéronautique"), label_key("Cœur d’ouvrage")
    ('pit aeronautique', "coeur d'ouvrage")
    """
    folded = fold(_COMBINING.sub("", unicodedata.normalize("NFD", text))).casefold()
    folded = folded.replace("œ", "oe").replace("æ", "ae")
    folded = _WS_RUN.sub(" ", folded).strip()
    return re.sub(r" ?([^\w ]) ?", r"\1", folded)


def label_variants(label: str) -> list[str]:
    """The label, plus its head without a trailing "(...)" and the acronym inside it.

    Reference labels often append an acronym or a date ("Stratégie de spécialisation
    intelligente (S3)", "Appel à projets ... (mai 2023)") that running text leaves out.

    >>> label_variants("Stratégie de spécialisation intelligente (SSI)")[1:]
    ['Stratégie de spécialisation intelligente', 'SSI']
    >>> label_variants("Appel (mai 2023)")
    ['Appel (mai 2023)', 'Appel']
    """
    variants = [label]
    match = _TRAILING_PARENTHESIS.match(label.strip())
    if match is not None:
        variants.append(match["head"])
        inner = match["inner"].strip()
        if " " not in inner and any(c.isupper() for c in inner):
            variants.append(inner)
    return variants


class Mention(NamedTuple):
    """One label found in a text: its code-point span, the entity and the label that matched."""

    start: int
    end: int
    iri: str
    label: str


_SPACE_REQUIRED = "\x00"
_SPACE_OPTIONAL = "\x01"
_OE = "\x02"


def _atoms(key: str) -> list[str]:
    """Split a label key into regex atoms: characters, "oe", and required or optional spaces.

    Spaces are required between two words and optional next to punctuation, since the key
    dropped them there ("metallurgy+" must still find "Metallurgy +").

    >>> _atoms("ab+") == ["a", "b", _SPACE_OPTIONAL, "+"]
    True
    >>> _atoms("coeur d") == ["c", _OE, "u", "r", _SPACE_REQUIRED, "d"]
    True
    """
    atoms: list[str] = []
    index = 0
    while index < len(key):
        char = key[index]
        if char == " ":
            atoms.append(_SPACE_REQUIRED)
        else:
            if atoms and atoms[-1] != _SPACE_REQUIRED:
                previous = key[index - 1]
                if bool(_WORD.match(previous)) != bool(_WORD.match(char)):
                    atoms.append(_SPACE_OPTIONAL)
            if key.startswith("oe", index):
                atoms.append(_OE)
                index += 2
                continue
            atoms.append(char)
        index += 1
    return atoms


def _atom_pattern(atom: str, marks: bool) -> str:
    """Regex for one atom over lower-cased text: accented letters, any apostrophe or dash."""
    if atom == _SPACE_REQUIRED:
        return r"\s+"
    if atom == _SPACE_OPTIONAL:
        return r"\s*"
    if atom == _OE:
        pattern = "(?:oe|œ)"
    elif atom == "'":
        return "[" + re.escape("'" + _APOSTROPHES) + "]"
    elif atom == "-":
        return "[" + re.escape("-" + _DASHES) + "]"
    else:
        pattern = _LETTER_CLASSES.get(atom, re.escape(atom))
    return pattern + "[\u0300-\u036f]*" if marks and atom.isalpha() else pattern


def _trie_pattern(keys: Iterable[str], marks: bool = False) -> str:
    """One regex for all keys, sharing prefixes, trying longer continuations first.

    >>> pattern = _trie_pattern(["pnrr", "pit atmp", "pit wings"])
    >>> pattern.count("pnrr"), re.fullmatch(pattern, "pît\\u00a0atmp") is not None
    (0, True)
    """
    trie: dict = {}
    for key in keys:
        node = trie
        for atom in _atoms(key):
            node = node.setdefault(atom, {})
        node[""] = {}

    depths: dict[int, int] = {}

    def depth(node: dict) -> int:
        if id(node) not in depths:
            depths[id(node)] = 1 + max((depth(c) for a, c in node.items() if a), default=-1)
        return depths[id(node)]

    def emit(node: dict) -> str:
        children = sorted((a for a in node if a), key=lambda a: (-depth(node[a]), a))
        branches = [_atom_pattern(atom, marks) + emit(node[atom]) for atom in children]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if "" in node else body

    pattern = emit(trie)
    return "(?:" + pattern + ")" if pattern else "(?!)"


@dataclass
class Gazetteer:
    """Labels of known entities, compiled into one case- and accent-insensitive scanner."""

    labels: Mapping[str, tuple[str, str]]  # label key -> (entity IRI, label as written)
    types: Mapping[str, frozenset[str]] = field(default_factory=dict)
    _regex: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _regex_marks: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._regex = self._compile(marks=False)
        self._regex_marks = None  # compiled on first text with decomposed accents

    def _compile(self, marks: bool) -> re.Pattern[str]:
        # The scan opens on the character before a word (a class the engine can jump to,
        # twice as fast as a lookbehind tested everywhere); a lookahead then captures the
        # longest label there, so overlapping candidates all surface and find() can keep
        # the longest first. find() prepends a space so a label opening the text is seen.
        body = _trie_pattern(self.labels, marks)
        return re.compile(rf"{_BEFORE_WORD}(?=({body})(?!\w))")

    @classmethod
    def from_labels(
        cls, labels: Iterable[tuple[str, str]], types: Mapping[str, Iterable[str]] | None = None
    ) -> Gazetteer:
        """Build from (label, iri) pairs, earlier pairs winning when two IRIs share a label.

        >>> gaz = Gazetteer.from_labels([("PIT ATMP", "ex:atmp"), ("PIT", "ex:pit")])
        >>> [m.iri for m in gaz.find("Le pit atmp et le PIT.")]
        ['ex:atmp', 'ex:pit']
        """
        table: dict[str, tuple[str, str]] = {}
        for label, iri in labels:
            for variant in label_variants(label):
                key = label_key(variant)
                if len(key) < MIN_LABEL_LENGTH or not _WORD.match(key):
                    continue
                table.setdefault(key, (str(iri), variant.strip()))
        kinds = {str(iri): frozenset(map(str, ts)) for iri, ts in (types or {}).items()}
        return cls(table, kinds)

    @classmethod
    def from_graph(cls, graph: Graph) -> Gazetteer:
        """Collect the labels (any language) of every entity of the types answers name."""
        entities: set[URIRef] = set()
        for kind in ENTITY_TYPES:
            entities.update(e for e in graph.subjects(RDF.type, kind) if isinstance(e, URIRef))
        pairs: list[tuple[int, str, str, str]] = []
        for rank, prop in enumerate(LABEL_PROPERTIES):
            for entity in entities:
                for label in graph.objects(entity, prop):
                    if isinstance(label, Literal):
                        pairs.append((rank, str(entity), label.language or "", str(label)))
        pairs.sort()
        types = {str(e): frozenset(str(t) for t in graph.objects(e, RDF.type)) for e in entities}
        return cls.from_labels(((label, iri) for _, iri, _, label in pairs), types)

    @property
    def entities(self) -> frozenset[str]:
        """Every entity IRI that at least one usable label points to."""
        return frozenset(iri for iri, _ in self.labels.values())

    def find(self, text: str) -> list[Mention]:
        """Whole-word mentions, longest first, non-overlapping, sorted by start.

        >>> gaz = Gazetteer.from_labels([("Plan de relance", "ex:pr"), ("relance de la Wallonie",
        ...     "ex:rw"), ("Plan de relance de la Wallonie", "ex:prw"), ("S3", "ex:s3")])
        >>> gaz.find("Le PLAN de Relance de la Wallonie et la S3.")
        [Mention(start=3, end=33, iri='ex:prw', label='Plan de relance de la Wallonie')]
        >>> [m.iri for m in gaz.find("du plan de relance de la wallonne relance de la wallonie")]
        ['ex:pr', 'ex:rw']
        """
        if not self.labels or not text:
            return []
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters (İ) lower-case to two characters
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        regex = self._regex
        if _COMBINING.search(text) is not None:
            if self._regex_marks is None:
                self._regex_marks = self._compile(marks=True)
            regex = self._regex_marks
        # The leading space lets a label at offset 0 be preceded by a non-word character.
        candidates = [(m.start(1) - 1, m.end(1) - 1) for m in regex.finditer(" " + lowered)]
        candidates.sort(key=lambda span: (span[0] - span[1], span[0]))
        taken = bytearray(len(text))  # 1 where a kept mention already sits
        mentions: list[Mention] = []
        for start, end in candidates:
            if any(taken[start:end]):
                continue
            entry = self.labels.get(label_key(text[start:end]))
            if entry is None:  # cannot happen unless a label key is unstable; skip safely
                continue
            taken[start:end] = b"\x01" * (end - start)
            mentions.append(Mention(start, end, entry[0], entry[1]))
        mentions.sort()
        return mentions
