"""Content negotiation, the one Accept-header parser of the site (RFC 9110 §12.5.1).

Used by the resource pages (`choose`, over the Representations below), and by the catalogue,
the API and the SPARQL endpoint (`preferred`, over plain media types). The most specific
matching range sets an offer's quality (the first such range when the header repeats one);
ties go to the server's order of offers. A range that does not parse, or whose q is not an
RFC 9110 qvalue, is skipped rather than failing the request; a missing or blank header accepts
anything.

The RDF formats come from the one table in parlgraph.formats; HTML is added here because it is a
page about the data, not an RDF syntax. Precedence for a resource: a file suffix (`238.ttl`),
then `?format=`, then the `Accept` header (so `*/*` and a missing header get Turtle).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from ..formats import FORMATS


@dataclass(frozen=True)
class Representation:
    """One way to serve a resource: a name for `?format=`, a media type, a file suffix."""

    name: str
    media_type: str
    extension: str
    aliases: tuple[str, ...] = ()  # other media types that ask for the same bytes


HTML = Representation("html", "text/html", "html", ("application/xhtml+xml",))
_ALIASES = {
    "turtle": ("application/x-turtle",),
    "jsonld": ("application/json",),
    "rdfxml": ("application/xml", "text/xml"),
}
# Server preference, first wins a tie: Turtle for scripts and `curl`, HTML for browsers (which
# list text/html with q=1), then the other syntaxes.
REPRESENTATIONS: tuple[Representation, ...] = (
    Representation("turtle", FORMATS["turtle"].media_type, "ttl", _ALIASES["turtle"]),
    HTML,
    *(
        Representation(f.name, f.media_type, f.extension, _ALIASES.get(f.name, ()))
        for f in FORMATS.values()
        if f.name != "turtle"
    ),
)
BY_NAME = {r.name: r for r in REPRESENTATIONS}
BY_EXTENSION = {r.extension: r for r in REPRESENTATIONS}

_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_RANGE = re.compile(rf"^\s*({_TOKEN})/({_TOKEN})\s*$")
_QVALUE = re.compile(r"^\s*[qQ]\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)\s*$")


class NotAcceptable(Exception):
    """No representation the client accepts; carries the text of the 406 body."""


class BadFormat(Exception):
    """A `?format=` value or suffix that names no representation; a 400."""


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int:
        """How precisely this range names media_type: 2 exact, 1 type/*, 0 */*, -1 no match."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 0
        if self.type != main:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else -1


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an Accept header in order; items that do not parse are skipped.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/html;q=0.5, */*;q=0.1")]
    [('text', 'html', 0.5), ('*', '*', 0.1)]
    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/csv;q=0.5, */*;q=0.1, bad")]
    [('text', 'csv', 0.5), ('*', '*', 0.1)]
    >>> parse_accept("not a type, text/turtle")[0].subtype
    'turtle'
    """
    ranges = []
    for item in header.split(","):
        head, *params = item.split(";")
        match = _RANGE.match(head)
        if not match:
            continue
        main, sub = match.group(1).lower(), match.group(2).lower()
        if main == "*" and sub != "*":
            continue  # "*/turtle" is not a media range
        q = 1.0
        for param in params:
            if param.strip().lower().startswith("q"):
                qmatch = _QVALUE.match(param)
                if qmatch is None:
                    break
                q = float(qmatch.group(1))
        else:
            ranges.append(MediaRange(main, sub, q))
    return ranges


def match(ranges: list[MediaRange], media_type: str) -> tuple[int, float]:
    """The specificity and quality of the most specific range matching media_type."""
    best, best_q = -1, 0.0
    for media_range in ranges:
        level = media_range.specificity(media_type)
        if level > best:
            best, best_q = level, media_range.q
    return best, (best_q if best >= 0 else 0.0)


def quality(ranges: list[MediaRange], representation: Representation) -> float:
    """The quality the client gives a representation, through its most specific match.

    Aliases count only when named exactly, since the response carries the main media type:
    `application/*` does not get Turtle through application/x-turtle.
    """
    candidates = [match(ranges, representation.media_type)]
    candidates += [
        found for alias in representation.aliases if (found := match(ranges, alias))[0] == 2
    ]
    return max(candidates)[1]


_Offer = TypeVar("_Offer")


def _best(
    ranges: list[MediaRange],
    offers: Sequence[_Offer],
    weigh: Callable[[list[MediaRange], _Offer], float],
) -> _Offer | None:
    """The offer with the highest quality above 0, the first of them on a tie."""
    best: _Offer | None = None
    best_q = 0.0
    for offer in offers:
        q = weigh(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def choose(accept: str | None, offered: tuple[Representation, ...]) -> Representation:
    """The representation to send for this Accept header.

    Raises:
        NotAcceptable: when every offered media type has quality 0 for this client.

    >>> choose("application/ld+json", REPRESENTATIONS).name
    'jsonld'
    >>> choose(None, REPRESENTATIONS).name
    'turtle'
    """
    if accept is None or not accept.strip():
        return offered[0]
    best = _best(parse_accept(accept), offered, quality)
    if best is None:
        available = ", ".join(r.media_type for r in offered)
        raise NotAcceptable(f'cannot serve "Accept: {accept[:200]}"; available: {available}')
    return best


def preferred(accept: str | None, offers: Sequence[str]) -> str | None:
    """The media type the client prefers, the first offer when it accepts anything, else None.

    >>> preferred("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> preferred("application/ld+json;q=0.5, text/turtle", ["application/ld+json", "text/turtle"])
    'text/turtle'
    >>> preferred("text/csv;q=0.5, application/sparql-results+json", ["text/csv",
    ...     "application/sparql-results+json"])
    'application/sparql-results+json'
    >>> preferred("image/png", ["text/turtle"]) is None
    True
    """
    if not offers:
        return None
    if accept is None or not accept.strip():
        return offers[0]
    return _best(
        parse_accept(accept), offers, lambda ranges, offer: match(ranges, offer.lower())[1]
    )


def by_format_parameter(value: str) -> Representation:
    """`?format=` by name (turtle, jsonld, ...) or suffix (ttl, nt, ...).

    Raises:
        BadFormat: naming the accepted values.
    """
    found = BY_NAME.get(value) or BY_EXTENSION.get(value)
    if found is None:
        names = ", ".join(r.name for r in REPRESENTATIONS)
        raise BadFormat(f'format "{value[:100]}" is not one of {names}')
    return found


def split_suffix(path: str) -> tuple[str, Representation | None]:
    """A path without its known file suffix, and the representation the suffix names.

    parlgraph never mints an IRI ending in one of these suffixes (a test checks it), so
    stripping one never hides a resource.

    >>> split_suffix("id/question/wallonia/2023-2024/238.ttl")[0]
    'id/question/wallonia/2023-2024/238'
    >>> split_suffix("id/person/borsus-willy")[1] is None
    True
    """
    stem, dot, extension = path.rpartition(".")
    if dot and "/" not in extension and extension in BY_EXTENSION:
        return stem, BY_EXTENSION[extension]
    return path, None
