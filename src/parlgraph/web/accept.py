"""Pick a media type from an Accept header (RFC 9110 §12.5.1), for the catalogue and the API.

Clients send lists ("text/turtle;q=0.9, */*;q=0.1"); Trifid #362 failed on those. The most
specific matching range sets an offer's quality; ties go to the server's order of offers.
"""

from __future__ import annotations

from collections.abc import Sequence


def _ranges(header: str) -> list[tuple[str, str, float]]:
    """(type, subtype, q) for each well-formed media range; malformed ones are ignored."""
    ranges = []
    for item in header.split(","):
        parts = [p.strip() for p in item.split(";")]
        kind, _, sub = parts[0].lower().partition("/")
        if not kind or not sub or " " in parts[0]:
            continue
        q = 1.0
        for param in parts[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value.strip())
                except ValueError:
                    q = 0.0
                if not 0.0 <= q <= 1.0:
                    q = 0.0
        ranges.append((kind, sub, q))
    return ranges


def choose(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers, the first offer when it accepts anything, else None.

    >>> choose("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
    'text/html'
    >>> choose("application/ld+json;q=0.5, text/turtle", ["application/ld+json", "text/turtle"])
    'text/turtle'
    >>> choose("image/png", ["text/turtle"]) is None
    True
    """
    if not header or not header.strip():
        return offers[0] if offers else None
    ranges = _ranges(header)
    best, best_q = None, 0.0
    for offer in offers:
        kind, _, sub = offer.lower().partition("/")
        specificity, quality = -1, 0.0
        for r_kind, r_sub, q in ranges:
            if (r_kind, r_sub) == (kind, sub):
                level = 2
            elif r_kind == kind and r_sub == "*":
                level = 1
            elif (r_kind, r_sub) == ("*", "*"):
                level = 0
            else:
                continue
            if level > specificity:
                specificity, quality = level, q
        if quality > best_q:
            best, best_q = offer, quality
    return best
