"""Accept-header negotiation for the SPARQL endpoint (RFC 9110, section 12.5.1).

Clients send anything from `*/*` to long lists with q-values and parameters; a malformed entry
is skipped rather than failing the request, so one odd client library never gets a 500.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header: `type/subtype` (either may be `*`) and its weight."""

    type: str
    subtype: str
    q: float

    def specificity(self, media_type: str) -> int | None:
        """How closely this range names `media_type`: 2 exact, 1 `type/*`, 0 `*/*`, None not."""
        kind, _, sub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else None
        if self.type != kind:
            return None
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == sub else None


def _token(text: str) -> bool:
    return bool(text) and all(c in _TOKEN_CHARS for c in text)


def _weight(params: list[str]) -> float | None:
    """The q parameter (default 1); None when it is not a number in [0, 1]."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def parse_accept(header: str) -> list[MediaRange]:
    """The well-formed media ranges of an Accept header, in the order given.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/csv;q=0.5, */*;q=0.1, bad")]
    [('text', 'csv', 0.5), ('*', '*', 0.1)]
    """
    ranges = []
    for entry in header.split(","):
        media, *params = entry.split(";")
        kind, slash, sub = media.strip().lower().partition("/")
        if not slash or not _token(kind) or not _token(sub) or (kind == "*" and sub != "*"):
            continue
        q = _weight(params)
        if q is not None:
            ranges.append(MediaRange(kind, sub, q))
    return ranges


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, the first offer on a tie; None if none is acceptable.

    An absent header, or one with no well-formed entry, accepts anything (RFC 9110: a server
    may then send its default). Each offer takes the weight of the most specific range that
    names it, so `text/*;q=0.1, text/csv` still prefers CSV.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv",
    ...     "application/sparql-results+json"])
    'application/sparql-results+json'
    >>> negotiate("image/png", ["text/csv"]) is None
    True
    """
    if not offers:
        return None
    ranges = parse_accept(header or "")
    if not ranges:
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        matches = [(s, r.q) for r in ranges if (s := r.specificity(offer.lower())) is not None]
        if not matches:
            continue
        q = max(matches)[1]  # the most specific range decides; the highest q among equals
        if q > best_q:
            best, best_q = offer, q
    return best
