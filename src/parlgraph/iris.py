"""The one place instance IRIs are minted: readable, stable patterns under a configurable base.

Every citable resource gets an IRI (never a blank node); sub-resources that nobody cites on
their own (selectors, periods, checksums) get a fragment of their parent's IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from rdflib import URIRef

from .errors import ParameterError

DEFAULT_BASE = "https://w3id.org/parlgraph/"
PARLIAMENT = "wallonia"

# Words dropped from post titles so that their slugs stay readable.
_STOPWORDS = {"de", "du", "des", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en"}


def slugify(text: str, *, drop_stopwords: bool = False) -> str:
    """Lower-case ASCII words joined by hyphens.

    >>> slugify("BORSUS Willy")
    'borsus-willy'
    >>> slugify("Ministre de l'Economie, du Numérique", drop_stopwords=True)
    'ministre-economie-numerique'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    if drop_stopwords:
        words = [w for w in words if w not in _STOPWORDS]
    return "-".join(words)


def person_key(family_name: str, given_name: str) -> str:
    """A person's key: case, accents, spaces and apostrophes in particles do not count.

    >>> person_key("DE BUE", "Valérie") == person_key("De Bue", "Valerie") == "debue-valerie"
    True
    >>> person_key("D'AMICO", "Sarah") == person_key("DAMICO", "Sarah")
    True
    """
    return slugify(family_name).replace("-", "") + "-" + slugify(given_name)


def text_key(text: str) -> str:
    """A short, stable digest of text whose whitespace and quotes are normalised.

    >>> text_key("a  b") == text_key("a b")
    True
    """
    normalised = " ".join(text.replace("’", "'").split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:10]


def check_base(base: str) -> str:
    """Refuse a base that would mint broken IRIs.

    >>> check_base("https://example.org/pg/")
    'https://example.org/pg/'
    """
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`#?]+/", base):
        raise ParameterError(
            f'--base "{base}" is not an http(s) IRI ending with "/" (e.g. {DEFAULT_BASE})'
        )
    return base


@dataclass(frozen=True)
class Iris:
    """IRI patterns of one published dataset."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        check_base(self.base)

    def _id(self, *parts: str | int) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(str(p) for p in parts))

    # documents
    def question(self, session: str, number: int) -> URIRef:
        return self._id("question", PARLIAMENT, session, number)

    def answer(self, session: str, number: int, index: int) -> URIRef:
        return self._id("answer", PARLIAMENT, session, number, index)

    def expression(self, work: URIRef, language: str = "fra") -> URIRef:
        return URIRef(f"{work}/{language}")

    def source(self, session: str, number: int) -> URIRef:
        return self._id("source", PARLIAMENT, session, f"qe-{number}")

    def span(self, session: str, number: int, start: int, end: int) -> URIRef:
        return self._id("span", PARLIAMENT, session, f"qe-{number}", f"{start}-{end}")

    def annotation(self, session: str, number: int, start: int, end: int) -> URIRef:
        return self._id("annotation", PARLIAMENT, session, f"qe-{number}", f"{start}-{end}")

    def session(self, session: str) -> URIRef:
        return self._id("session", PARLIAMENT, session)

    def participation(self, work: URIRef, role: str) -> URIRef:
        return URIRef(f"{work}/participation/{role}")

    def submission(self, work: URIRef) -> URIRef:
        """The act of submitting a work (ELI-DL activity), as the European Parliament models it."""
        return URIRef(f"{work}/submission")

    # people and the government
    def person(self, family_name: str, given_name: str) -> URIRef:
        return self.person_by_key(person_key(family_name, given_name))

    def person_by_key(self, key: str) -> URIRef:
        """A person whose key the override file gives (people.py), or person_key's."""
        return self._id("person", key)

    def post(self, title: str) -> URIRef:
        return self._id("post", PARLIAMENT, slugify(title, drop_stopwords=True))

    def membership(self, post: URIRef, person: URIRef) -> URIRef:
        return self._id("membership", PARLIAMENT, _last(post), _last(person))

    def competence(self, label: str) -> URIRef:
        return self._id("competence", PARLIAMENT, slugify(label))

    def competence_scheme(self) -> URIRef:
        return self._id("scheme", "competences", PARLIAMENT)

    def organisation(self, slug: str) -> URIRef:
        return self._id("organization", slug)

    # what questions quote
    def declaration(self, name: str, legislature: str) -> URIRef:
        return self._id("declaration", PARLIAMENT, f"{slugify(name)}-{legislature}")

    def commitment(self, declaration: URIRef, text: str) -> URIRef:
        return self._id("commitment", PARLIAMENT, _last(declaration), text_key(text))

    def legislature(self, legislature: str) -> URIRef:
        return self._id("legislature", PARLIAMENT, legislature)

    # named graphs
    def document_graph(self, session: str, number: int) -> URIRef:
        return URIRef(f"{self.base}graph/document/{PARLIAMENT}/{session}/qe-{number}")

    def curated_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/curated")

    def commitments_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/commitments")

    def editorial_graph(self) -> URIRef:
        return URIRef(f"{self.base}graph/editorial")

    def entities_graph(self) -> URIRef:
        """People, posts, memberships, competences and sessions, described once for all pages."""
        return URIRef(f"{self.base}graph/entities")

    # the dataset description (catalog.py): one document, its parts as fragments of it
    def description(self, part: str) -> URIRef:
        return URIRef(f"{self.base}catalog#{part}")


def _last(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]
