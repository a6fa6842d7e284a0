"""Split a ministerial post title into its roles and competences.

The title is the only place the parliament's pages state a minister's portfolio, so each
competence it lists becomes one SKOS concept, shared by every post that lists it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ROLE = r"(?:Vice-Présidente?|Ministre-Présidente?|Ministre)"
_ROLES_PREFIX = re.compile(rf"^(?P<roles>{_ROLE}(?:\s+et\s+{_ROLE})*)\b\s*(?P<rest>.*)$", re.S)
_ARTICLE = r"(?:de la |de l['’]|du |des |de |d['’]|à la |aux |au |à l['’])"
_LAST_ET = re.compile(rf"\s+et\s+(?={_ARTICLE})")
_LEADING_ARTICLE = re.compile(rf"^{_ARTICLE}")
_INNER_ARTICLE = re.compile(rf"\bet {_ARTICLE}")
_GOVERNMENT = re.compile(r"^du Gouvernement wallon\s*,?\s*(?:chargée? )?", re.I)

ROLE_KEYS = {
    "ministre": "minister",
    "vice-président": "vice-president",
    "vice-présidente": "vice-president",
    "ministre-président": "minister-president",
    "ministre-présidente": "minister-president",
}


@dataclass(frozen=True)
class Portfolio:
    """What a post title says: the roles held and the competences in charge."""

    roles: tuple[str, ...]
    competences: tuple[str, ...]


def split_post(title: str) -> Portfolio:
    """Read roles and competences out of a post title.

    >>> p = split_post("Ministre de l'Economie, de la Recherche et de l'Innovation, "
    ...                "de l'IFAPME et des Centres de compétences")
    >>> p.roles, p.competences
    (('minister',), ('Economie', 'Recherche et Innovation', 'IFAPME', 'Centres de compétences'))
    >>> split_post("Vice-Présidente et Ministre de l'Emploi").roles
    ('vice-president', 'minister')
    >>> split_post("Ministre-Président du Gouvernement wallon").competences
    ()
    """
    title = " ".join(title.split())
    match = _ROLES_PREFIX.match(title)
    if not match:
        return Portfolio((), ())
    roles = tuple(
        dict.fromkeys(ROLE_KEYS[r.lower()] for r in re.split(r"\s+et\s+", match["roles"]))
    )
    rest = _GOVERNMENT.sub("", match["rest"].strip())
    if not rest:
        return Portfolio(roles, ())
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    parts[-1:] = _LAST_ET.split(parts[-1])
    competences = []
    for part in parts:
        label = _INNER_ARTICLE.sub("et ", _LEADING_ARTICLE.sub("", part.strip()))
        if label:
            competences.append(label[0].upper() + label[1:])
    return Portfolio(roles, tuple(dict.fromkeys(competences)))
