"""How well a candidate answers a request: method and score, from what the endpoint returned.

Exact preferred label 1.0, code 1.0, manual 1.0 (checked to exist), alternative label 0.9, a
match that differs only in case 0.8 (preferred) or 0.7 (alternative), a partial label 0.5.
Scores rank candidates for review; none makes a link accepted.
"""

from __future__ import annotations

from dataclasses import dataclass

SCORES = {
    "exact-pref": 1.0,
    "code": 1.0,
    "manual": 1.0,
    "alt-label": 0.9,
    "case-pref": 0.8,
    "case-alt": 0.7,
    "partial": 0.5,
}
METHODS = tuple(SCORES)


@dataclass(frozen=True)
class Score:
    method: str
    score: float


def score(requested: str, matched: str, kind: str, manual: bool = False) -> Score:
    """Score one candidate row (`kind` is what the template says it matched: pref, alt, code).

    >>> score("PME", "PME", "alt")
    Score(method='alt-label', score=0.9)
    >>> score("pme", "PME", "alt")
    Score(method='case-alt', score=0.7)
    >>> score("BE3", "BE3", "code")
    Score(method='code', score=1.0)
    """
    if manual:
        return Score("manual", SCORES["manual"])
    if kind == "code":
        method = "code" if matched == requested else "partial"
    elif kind in ("pref", "alt"):
        if matched == requested:
            method = "exact-pref" if kind == "pref" else "alt-label"
        elif matched.casefold() == requested.casefold():
            method = "case-pref" if kind == "pref" else "case-alt"
        else:
            method = "partial"
    else:
        method = "partial"
    return Score(method, SCORES[method])
