"""Resolution across documents: the same commitment quoted by many questions is one node.

Questions quote the Regional Policy Declaration with small differences (typographic
apostrophes, doubled spaces, a word changed). A quote is matched exactly, then on its
normalised text, then fuzzily with a recorded score; a new commitment node is minted only
when nothing matches. Matching runs in document order so the result is deterministic.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import asdict, dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

from .iris import Iris
from .vocab import ELI, PG, SCHEMA

FUZZY_THRESHOLD = 0.9


def normalise(text: str) -> str:
    """Text compared for matching: NFC, one space, straight quotes, case folded.

    >>> normalise("L’Europe  «\u2009unie\u2009»") == normalise("l'europe « unie »")
    True
    """
    text = unicodedata.normalize("NFC", text)
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class CommitmentMatch:
    """How a quote was tied to a commitment node."""

    iri: str
    method: str  # exact | normalised | fuzzy
    score: float


@dataclass
class Commitment:
    """A commitment node: its declaration and the canonical wording (first quote seen)."""

    iri: str
    declaration: str
    declaration_name: str
    legislature: str
    text: str
    norm: str


class CommitmentIndex:
    """Commitments known to the corpus, by declaration and normalised wording."""

    def __init__(self, iris: Iris, threshold: float = FUZZY_THRESHOLD) -> None:
        self.iris, self.threshold = iris, threshold
        self.entries: dict[str, Commitment] = {}
        self._by_norm: dict[tuple[str, str], str] = {}
        # Fuzzy matches found, by declaration and normalised quote: a corpus quotes the same
        # wording again and again, and comparing it with every commitment took 1.5 ms a page.
        # Valid until a commitment is minted, which could be the better match.
        self._fuzzy: dict[tuple[str, str], CommitmentMatch] = {}

    def match(self, declaration_name: str, legislature: str, text: str) -> CommitmentMatch:
        """The node a quote refers to, minting one when nothing known is close enough."""
        declaration = str(self.iris.declaration(declaration_name, legislature))
        norm = normalise(text)
        known = self._by_norm.get((declaration, norm))
        if known is not None:
            method = "exact" if self.entries[known].text == text else "normalised"
            return CommitmentMatch(known, method, 1.0)
        found = self._fuzzy.get((declaration, norm))
        if found is not None:
            return found
        best, best_score = None, 0.0
        for entry in self.entries.values():
            if entry.declaration != declaration:
                continue
            matcher = difflib.SequenceMatcher(None, norm, entry.norm, autojunk=False)
            if (
                matcher.real_quick_ratio() < self.threshold
                or matcher.quick_ratio() < self.threshold
            ):
                continue
            score = matcher.ratio()
            if score > best_score:
                best, best_score = entry, score
        if best is not None and best_score >= self.threshold:
            found = CommitmentMatch(best.iri, "fuzzy", round(best_score, 4))
            self._fuzzy[(declaration, norm)] = found
            return found
        self._fuzzy.clear()
        iri = str(self.iris.commitment(URIRef(declaration), text))
        entry = Commitment(iri, declaration, declaration_name, legislature, text, norm)
        self.entries[iri] = entry
        self._by_norm[(declaration, norm)] = iri
        return CommitmentMatch(iri, "exact", 1.0)

    def triples(self, referenced: set[str] | None = None) -> list[tuple]:
        """Descriptions of the declarations and of the commitments still quoted somewhere."""
        out: list[tuple] = []
        declarations: dict[str, Commitment] = {}
        for iri in sorted(self.entries):
            entry = self.entries[iri]
            if referenced is not None and iri not in referenced:
                continue
            declarations.setdefault(entry.declaration, entry)
            node = URIRef(iri)
            out += [
                (node, RDF.type, PG.Commitment),
                (node, RDF.type, ELI.WorkSubdivision),
                (node, ELI.is_part_of, URIRef(entry.declaration)),
                (node, RDFS.label, Literal(entry.text, lang="fr")),
                (node, SCHEMA.text, Literal(entry.text, lang="fr")),
            ]
        for declaration_iri, entry in sorted(declarations.items()):
            out += self._declaration(URIRef(declaration_iri), entry)
        return out

    def _declaration(self, declaration: URIRef, entry: Commitment) -> list[tuple]:
        label = f"Déclaration de politique régionale {entry.legislature}"
        period = self.iris.legislature(entry.legislature)
        return [
            (declaration, RDF.type, PG.PolicyDeclaration),
            (declaration, RDF.type, ELI.Work),
            (declaration, ELI.work_type, PG["policy-declaration"]),
            (declaration, RDFS.label, Literal(label, lang="fr")),
            (declaration, DCTERMS.title, Literal(label, lang="fr")),
            (
                declaration,
                DCTERMS.alternative,
                Literal(f"{entry.declaration_name} {entry.legislature}"),
            ),
            (declaration, DCTERMS.creator, self.iris.organisation("gouvernement-wallon")),
            (declaration, DCTERMS.temporal, period),
            (period, RDF.type, DCTERMS.PeriodOfTime),
            (period, RDFS.label, Literal(f"Législature {entry.legislature}", lang="fr")),
        ]

    def to_json(self) -> list[dict]:
        """The index as plain data, for the build manifest."""
        return [asdict(self.entries[iri]) for iri in sorted(self.entries)]

    @classmethod
    def from_json(cls, iris: Iris, rows: list[dict]) -> CommitmentIndex:
        index = cls(iris)
        for row in rows:
            entry = Commitment(**row)
            index.entries[entry.iri] = entry
            index._by_norm[(entry.declaration, entry.norm)] = entry.iri
        return index
