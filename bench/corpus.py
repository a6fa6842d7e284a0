"""Generate a synthetic, seeded corpus of Walloon written-question pages for benchmarks.

The seed page (``data/sources/wallonia/2023-2024/qe-238.txt``) is the only real page we ship, so
scale tests, matching benchmarks and profiling need pages that look exactly like it (same
bullets, indents, NBSP and thin spaces, no final newline) but in the thousands.  Everything
is synthetic: members, ministers, commitments and programmes are invented (the seed's own
commitment and programme names excepted), so nothing here is a claim about real people.

Each page draws from its own string-seeded RNG (seed, session, number), with no hash order or
clock involved, so the same seed and page count give byte-identical trees on any machine.
Next to the pages we write ``manifest.json`` (counts) and ``truth.jsonl`` (what every page
was meant to say, one JSON object a line, in page order) so benchmarks can score extraction.

Figures in answers are recorded with one kind each, by surface form: digits ("12 PME"),
grouped (thousands split by NBSP, narrow NBSP or thin space), decimal (non-money, "2,5 ETP"),
words ("vingt-deux communes"), approximate ("une dizaine de", "près de 200"), lower_bound
("plus de 10", "au moins 5"), part_of_total ("26 bénéficiaires, dont 17 PME"), percent,
amount (any money, "3,5 millions d’euros", "450.000 euros", "3 millions €") and period
("depuis 2018", "entre 2022 et 2023", "en mai 2023").  Programme names (S3, HECO2) and the
dates in headers are not figures.

Usage: ``python bench/corpus.py --pages 10000 --seed 0 --out build/corpus``
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "COMMITMENTS",
    "FIGURE_KINDS",
    "MALFORMED_KINDS",
    "SEED_COMMITMENT",
    "SESSIONS",
    "CorpusManifest",
    "build_world",
    "generate",
    "main",
    "read_truth",
]

SESSIONS = ("2019-2020", "2020-2021", "2021-2022", "2022-2023", "2023-2024")
RESHUFFLE_SESSION = 2  # posts change from 2021-2022 on
MANIFEST = "manifest.json"
TRUTH = "truth.jsonl"
NBSP, THIN, NNBSP = "\u00a0", "\u2009", "\u202f"

# Which SourceError reason each malformed kind must produce (a fragment of `reason`).
MALFORMED_KINDS: dict[str, str] = {
    "impossible-date": "is not a date",
    "missing-question-date": "no 'Question écrite du DD/MM/YYYY' line",
    "binary": "not a text document",
    "empty": "empty document",
    "not-utf8": "not UTF-8",
}
FIGURE_KINDS = (
    "digits",
    "grouped",
    "decimal",
    "words",
    "approximate",
    "lower_bound",
    "part_of_total",
    "percent",
    "amount",
    "period",
)

# --------------------------------------------------------------------------- people

# Invented family-name roots (no real Walloon MP among them); particles are added on top.
_ROOTS = (
    "BAUDREMEZ", "BERLAIMONT", "BOISFORTIN", "BOURGUIGNOT", "BRASSINNE", "CAMBRELOT",
    "CHAMPENOIS", "CLERMONTAIS", "CORBISIAUX", "COURTEVILLE", "DASNOIS", "DELCOURTOIS",
    "DERAMAIX", "DESCAMPIERS", "DEVILLEZOT", "DUCHESNOY", "DUFRASNAY", "FALISOLLE",
    "FERONVAL", "FLAMENDRE", "GALLEMAERT", "GHYSSENS", "GODRIAUX", "GRANDSART",
    "HABRAKEN", "HANNOTEAU", "HAUTFENNE", "HOUBRECHTS", "JACQMAIN", "JAMOULLE",
    "LABRIOLLE", "LAMBREMONT", "LARDINOIS", "LECLERCQZ", "LEMPEREUX", "LIBOTTE",
    "LOVENFOSSE", "MAHIEUX", "MALCORPS", "MARCHOVELLE", "MASSILLON", "MEURISSE",
    "MOREAUVILLE", "NAVEAUX", "NOIRHOMME", "OTTEVAERE", "PAQUAYS", "PARMENTOIS",
    "PIERLOTTE", "PIRSOUL", "POLLENUS", "QUINTARD", "RASKINET", "REMACLEUX",
    "ROBIERMONT", "ROUSSEAUX", "SCHOONBROODT", "SERONVAL", "SOMVILLE", "STASSART",
    "TASIAUX", "THIRIONNET", "TOUSSAINTIER", "VANDERWAEREN", "VERHAEGEN", "WAUTELET",
    "WILLOCQUET", "WUILLEMOTTE", "ZAGHEREN", "GÉRADIN", "FRÉSON", "DÉSIRANT",
    "CRÉMERS", "LÉONARDY", "MÉLOTTE", "PÉTRISSANS",
)  # fmt: skip
_VOWEL_ROOTS = ("ALBERGIER", "ANSIMONT", "ARVILLERS", "AMBLEVAL", "ISNEROY", "ORVALLE",
                "URSELIN", "ELSENBOIS")  # fmt: skip
_FLEMISH_ROOTS = ("BOSSCHELE", "BERGHOVE", "DRIESSCHOT", "EEDENBURG", "HAUWAERT",
                  "KERCKHOVEN", "BROECKMANS")  # fmt: skip
_ITALIAN_ROOTS = ("CALVENZO", "FELSINO", "MARZOTTI", "SCARVENTI")
_MEN = (
    "Adrien", "Bastien", "Benoît", "Cédric", "Damien", "Élie", "Étienne", "François",
    "Frédéric", "Gaëtan", "Hugues", "Jérôme", "Joël", "Julien", "Loïc", "Mathéo", "Nicolas",
    "Noé", "Olivier", "Pascal", "Raphaël", "Rémi", "Sébastien", "Thierry", "Valentin",
    "Xavier", "Yves", "Jean-Marc", "Jean-Philippe", "Pierre-Yves", "Jean-Luc",
    "Marc-Antoine", "Paul-Henri", "Jean-François",
)  # fmt: skip
_WOMEN = (
    "Anaïs", "Aurélie", "Béatrice", "Camille", "Céline", "Chloé", "Delphine", "Élodie",
    "Émilie", "Florence", "Gaëlle", "Hélène", "Inès", "Joëlle", "Laure", "Léa", "Maëlle",
    "Mélanie", "Nadège", "Noémie", "Océane", "Pauline", "Sophie", "Valérie", "Zoé",
    "Marie-Hélène", "Anne-Sophie", "Marie-Claire", "Anne-Catherine", "Marie-Laure",
)  # fmt: skip
MEMBERS = 75


@dataclass(frozen=True)
class Person:
    """A synthetic member or minister, written 'FAMILY Given' as the site does."""

    family: str
    given: str
    feminine: bool

    @property
    def name(self) -> str:
        return f"{self.family} {self.given}"


# --------------------------------------------------------------------------- government

# (label as split_post reads it, as written in a post title, domain).  Compound competences
# ("Recherche et Innovation") are never placed last in a title: split_post splits the last
# "et de ..." of a title into two.
_COMPETENCES: dict[str, tuple[str, str]] = {
    "Economie": ("de l'Economie", "economie"),
    "Commerce extérieur": ("du Commerce extérieur", "economie"),
    "Recherche et Innovation": ("de la Recherche et de l'Innovation", "economie"),
    "Numérique": ("du Numérique", "economie"),
    "Tourisme": ("du Tourisme", "economie"),
    "IFAPME": ("de l'IFAPME", "social"),
    "Centres de compétences": ("des Centres de compétences", "social"),
    "Emploi": ("de l'Emploi", "social"),
    "Formation": ("de la Formation", "social"),
    "Santé": ("de la Santé", "social"),
    "Action sociale": ("de l'Action sociale", "social"),
    "Egalité des chances": ("de l'Egalité des chances", "social"),
    "Sports": ("des Sports", "social"),
    "Climat": ("du Climat", "climat"),
    "Energie": ("de l'Energie", "climat"),
    "Environnement": ("de l'Environnement", "climat"),
    "Nature": ("de la Nature", "climat"),
    "Mobilité": ("de la Mobilité", "mobilite"),
    "Infrastructures": ("des Infrastructures", "mobilite"),
    "Sécurité routière": ("de la Sécurité routière", "mobilite"),
    "Aéroports": ("des Aéroports", "mobilite"),
    "Forêt": ("de la Forêt", "territoire"),
    "Ruralité": ("de la Ruralité", "territoire"),
    "Bien-être animal": ("du Bien-être animal", "territoire"),
    "Logement": ("du Logement", "territoire"),
    "Ville": ("de la Ville", "territoire"),
    "Aménagement du territoire": ("de l'Aménagement du territoire", "territoire"),
    "Agriculture": ("de l'Agriculture", "territoire"),
    "Patrimoine": ("du Patrimoine", "territoire"),
    "Pouvoirs locaux": ("des Pouvoirs locaux", "gouvernance"),
    "Budget": ("du Budget", "gouvernance"),
    "Finances": ("des Finances", "gouvernance"),
    "Fonction publique": ("de la Fonction publique", "gouvernance"),
    "Simplification administrative": ("de la Simplification administrative", "gouvernance"),
    "Relations internationales": ("des Relations internationales", "gouvernance"),
}

# (role, feminine, competences before the reshuffle, competences after it).
_GOVERNMENT: tuple[tuple[str, bool, tuple[str, ...], tuple[str, ...]], ...] = (
    ("president", False, ("Budget", "Finances", "Aéroports", "Relations internationales"), ()),
    (
        "vice",
        False,
        ("Economie", "Commerce extérieur", "Recherche et Innovation", "Numérique", "IFAPME",
         "Centres de compétences"),
        ("Economie", "Commerce extérieur", "Recherche et Innovation", "Numérique", "Tourisme",
         "IFAPME", "Centres de compétences"),
    ),
    ("vice", True, ("Emploi", "Formation", "Santé", "Action sociale", "Egalité des chances"), ()),
    ("vice", False, ("Climat", "Energie", "Mobilité"), ()),
    ("minister", True, ("Environnement", "Nature", "Forêt", "Ruralité", "Bien-être animal"), ()),
    ("minister", False, ("Logement", "Pouvoirs locaux", "Ville"), ()),
    (
        "minister",
        True,
        ("Agriculture", "Aménagement du territoire", "Tourisme"),
        ("Agriculture", "Aménagement du territoire"),
    ),
    ("minister", False, ("Fonction publique", "Simplification administrative", "Patrimoine"), ()),
    ("minister", True, ("Infrastructures", "Sécurité routière", "Sports"), ()),
)  # fmt: skip


def _enumerate_fr(parts: list[str]) -> str:
    """'a, b et c': the way every post title lists its competences."""
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " et " + parts[-1]


def post_title(role: str, feminine: bool, competences: tuple[str, ...]) -> str:
    """A post title in the site's style, e.g. "Vice-Présidente et Ministre de l'Emploi".

    >>> post_title("minister", False, ("Logement", "Pouvoirs locaux", "Ville"))
    'Ministre du Logement, des Pouvoirs locaux et de la Ville'
    >>> post_title("president", True, ("Budget",))
    'Ministre-Présidente du Gouvernement wallon, chargée du Budget'
    """
    listed = _enumerate_fr([_COMPETENCES[c][0] for c in competences])
    e = "e" if feminine else ""
    if role == "president":
        return f"Ministre-Président{e} du Gouvernement wallon, chargé{e} {listed}"
    if role == "vice":
        return f"Vice-Président{e} et Ministre {listed}"
    return f"Ministre {listed}"


@dataclass(frozen=True)
class Minister:
    """A minister and, per session index, the post held and the competences it lists."""

    person: Person
    role: str
    competences: tuple[tuple[str, ...], ...]
    posts: tuple[str, ...]


@dataclass(frozen=True)
class World:
    """Who sits in parliament and government for a given seed."""

    members: tuple[Person, ...]
    ministers: tuple[Minister, ...]


def build_world(seed: int) -> World:
    """Draw 75 members and 9 ministers with distinct family names; the particle forms (DE,
    VAN DEN, D', ...) are always among them so name splitting is exercised whatever the seed."""
    rng = random.Random(f"parlgraph-corpus-world:{seed}")
    roots = list(_ROOTS)
    rng.shuffle(roots)
    french = [root for root in roots if root[0] not in "AEIOUÉ"][:6]
    flemish = rng.sample(_FLEMISH_ROOTS, 5)
    families = [
        p + r for p, r in zip(("DE ", "DE ", "DE ", "DE ", "DU ", "LE "), french, strict=True)
    ]
    families += ["VAN DEN " + root for root in flemish[:4]] + ["VAN " + flemish[4]]
    families += ["DI " + rng.choice(_ITALIAN_ROOTS)]
    families += ["D'" + root for root in rng.sample(_VOWEL_ROOTS, 4)]
    plain = [root for root in roots if root not in french]
    families += plain[: MEMBERS + len(_GOVERNMENT) - len(families)]
    rng.shuffle(families)

    def person(family: str, feminine: bool | None = None) -> Person:
        if feminine is None:
            feminine = rng.random() < 0.45
        return Person(family, rng.choice(_WOMEN if feminine else _MEN), feminine)

    members = tuple(person(family) for family in families[:MEMBERS])
    ministers = []
    for family, (role, feminine, before, after) in zip(
        families[MEMBERS:], _GOVERNMENT, strict=True
    ):
        who = person(family, feminine)
        after = after or before
        competences = tuple(
            after if index >= RESHUFFLE_SESSION else before for index in range(len(SESSIONS))
        )
        posts = tuple(post_title(role, feminine, c) for c in competences)
        ministers.append(Minister(who, role, competences, posts))
    return World(members, tuple(ministers))


# --------------------------------------------------------------------------- topics

# Article class of a noun phrase: "f" la, "m" le, "pl" les, "l" l', "0" none (a proper name).
_LE = {"f": "la ", "m": "le ", "pl": "les ", "l": "l’", "0": ""}
_A = {"f": "à la ", "m": "au ", "pl": "aux ", "l": "à l’", "0": "à "}
_DE = {"f": "de la ", "m": "du ", "pl": "des ", "l": "de l’", "0": "de "}
_FORMS = {"le": _LE, "a": _A, "de": _DE}

_SUBJECTS: dict[str, tuple[tuple[str, str], ...]] = {
    "economie": (
        ("f", "coopération entre PME"), ("m", "soutien aux coopératives"),
        ("l", "internationalisation des PME"), ("f", "transition numérique des indépendants"),
        ("pl", "pôles de compétitivité"), ("l", "accès au financement des start-up"),
        ("m", "tourisme de proximité"), ("f", "valorisation de la recherche"),
    ),
    "social": (
        ("l", "accompagnement des demandeurs d’emploi"),
        ("f", "pénurie de médecins généralistes"), ("f", "formation en alternance"),
        ("l", "inclusion des personnes en situation de handicap"),
        ("l", "aide aux aînés isolés"), ("pl", "centres de compétences"),
        ("f", "pratique sportive des jeunes"), ("l", "égalité salariale"),
    ),
    "climat": (
        ("f", "rénovation énergétique des bâtiments publics"),
        ("m", "déploiement des communautés d’énergie"), ("f", "qualité de l’air"),
        ("f", "gestion des déchets plastiques"), ("f", "protection des zones humides"),
        ("pl", "primes à l’isolation"), ("f", "sortie des énergies fossiles"),
    ),
    "mobilite": (
        ("m", "plan d’investissement cyclable"), ("f", "sécurité aux abords des écoles"),
        ("l", "entretien des routes régionales"), ("m", "transport scolaire"),
        ("m", "covoiturage domicile-travail"), ("l", "avenir des aéroports régionaux"),
    ),
    "territoire": (
        ("f", "lutte contre l’artificialisation des sols"), ("m", "logement public"),
        ("f", "reconversion des friches industrielles"),
        ("m", "soutien aux jeunes agriculteurs"), ("f", "gestion forestière"),
        ("m", "bien-être animal dans les refuges"), ("f", "revitalisation des centres-villes"),
        ("f", "restauration du petit patrimoine"),
    ),
    "gouvernance": (
        ("f", "simplification administrative"), ("m", "télétravail dans la fonction publique"),
        ("m", "financement des communes"), ("f", "trajectoire budgétaire"),
        ("f", "digitalisation des services publics"), ("pl", "relations avec les provinces"),
    ),
}  # fmt: skip

# Programmes, projects and bodies answers mention: (article class, name, domains).  The
# seed's own names come first; the rest are invented.
_PROGRAMMES: tuple[tuple[str, str, str], ...] = (
    ("f", "S3", "economie"),
    ("0", "Circular Wallonia", "economie climat"),
    ("m", "Plan de relance", "economie climat mobilite social territoire gouvernance"),
    ("m", "PNRR", "economie climat mobilite social"),
    ("m", "portefeuille Reverse Metallurgy", "economie climat"),
    ("m", "portefeuille de projets REMIND", "economie territoire"),
    ("m", "portefeuille « HECO2 »", "economie climat"),
    ("m", "PIT ATMP", "economie social"),
    ("m", "PIT WINGS", "economie"),
    ("f", "mesure « COOTECH »", "economie"),
    ("pl", "pôles de compétitivité", "economie"),
    ("m", "cluster Tweed", "economie climat"),
    ("m", "PIT HELIADE", "economie climat"),
    ("m", "programme RENOVAL", "climat territoire"),
    ("m", "Plan Solaire Communal", "climat gouvernance"),
    ("m", "réseau CycloWal", "mobilite"),
    ("m", "programme WalMob+", "mobilite"),
    ("f", "plateforme Covoit’Wal", "mobilite"),
    ("m", "dispositif Tremplin+", "social"),
    ("m", "Pack Emploi Jeunes", "social"),
    ("m", "programme Santé Proximité", "social"),
    ("f", "mesure « Cœur de Village »", "territoire"),
    ("m", "programme RuraLab", "territoire"),
    ("m", "Plan Haies Vives", "territoire climat"),
    ("m", "plan Simplif+", "gouvernance"),
    ("m", "Fonds régional des communes", "gouvernance territoire"),
)
_BODIES: tuple[tuple[str, str, str], ...] = (
    ("m", "SPW EER", "economie social"),
    ("m", "SPW Mobilité et Infrastructures", "mobilite"),
    ("m", "SPW Territoire, Logement, Patrimoine, Energie", "territoire climat"),
    ("m", "SPW Agriculture, Ressources naturelles et Environnement", "territoire climat"),
    ("m", "SPW Intérieur et Action sociale", "social gouvernance"),
    ("m", "SPW Finances", "gouvernance"),
    ("l", "Agence wallonne de l’Innovation", "economie"),
    ("l", "Office régional de la formation", "social"),
    ("f", "Cellule d’appui aux pouvoirs locaux", "gouvernance territoire"),
)


def _by_domain(pool: tuple[tuple[str, str, str], ...]) -> dict[str, list[tuple[str, str]]]:
    """Index programmes or bodies by the domains they belong to."""
    index: dict[str, list[tuple[str, str]]] = {domain: [] for domain in _SUBJECTS}
    for article, name, domains in pool:
        for domain in domains.split():
            index[domain].append((article, name))
    return index


_PROGRAMMES_BY_DOMAIN = _by_domain(_PROGRAMMES)
_BODIES_BY_DOMAIN = _by_domain(_BODIES)
_ALL_PROGRAMMES = [(article, name) for article, name, _ in _PROGRAMMES]
_ALL_BODIES = [(article, name) for article, name, _ in _BODIES]

# --------------------------------------------------------------------------- commitments

# Copied verbatim from the seed page's quote, so benchmarks can match it exactly.
SEED_COMMITMENT = (
    "la Wallonie renforcera son soutien aux indépendants, coopératives, TPE et PME, "
    "entrepreneurs sociaux, qui font vivre notre économie, notamment en encourageant et "
    "facilitant les partenariats et la coopération entre PME, notamment sur base du modèle "
    "des pôles de compétitivité"
)

# (domain, text).  Synthetic commitments in the declaration's style; index = commitment id.
COMMITMENTS: tuple[tuple[str, str], ...] = (
    ("economie", SEED_COMMITMENT),
    ("economie", "le Gouvernement soutiendra l'internationalisation des PME wallonnes, en "
     "particulier vers les marchés européens, en renforçant l'accompagnement à l'exportation"),
    ("economie", "la Wallonie développera une stratégie de spécialisation intelligente "
     "ambitieuse, qui fera de l'innovation collaborative le moteur de son redéploiement"),
    ("economie", "le Gouvernement facilitera l'accès au financement des jeunes entreprises "
     "innovantes et des coopératives, notamment via les outils financiers publics"),
    ("economie", "la Wallonie accompagnera la transition numérique des indépendants et des "
     "commerces de proximité, afin de renforcer leur présence en ligne"),
    ("economie", "le Gouvernement fera du tourisme durable et de proximité un levier de "
     "développement économique pour l'ensemble des territoires wallons"),
    ("economie", "la Wallonie augmentera progressivement l'effort public de recherche et "
     "développement afin d'atteindre l'objectif européen de 3 % du PIB"),
    ("social", "le Gouvernement renforcera l'accompagnement individualisé des demandeurs "
     "d'emploi, en particulier des jeunes et des chômeurs de longue durée"),
    ("social", "la Wallonie développera la formation en alternance et la rendra plus "
     "attractive, en concertation avec les partenaires sociaux"),
    ("social", "le Gouvernement luttera contre la pénurie de médecins généralistes dans les "
     "zones rurales, en soutenant l'installation de jeunes praticiens"),
    ("social", "la Wallonie garantira l'accessibilité des services aux personnes en situation "
     "de handicap et favorisera leur inclusion dans l'emploi"),
    ("social", "le Gouvernement développera une politique ambitieuse de maintien à domicile "
     "des aînés, en soutenant les services d'aide aux familles"),
    ("social", "la Wallonie encouragera la pratique sportive pour tous, dès le plus jeune âge, "
     "et soutiendra la rénovation des infrastructures sportives locales"),
    ("social", "le Gouvernement veillera à l'égalité entre les femmes et les hommes dans "
     "l'ensemble des politiques régionales, selon une approche de gender mainstreaming"),
    ("climat", "la Wallonie réduira ses émissions de gaz à effet de serre de 55 % d'ici 2030 "
     "par rapport à 1990 et atteindra la neutralité carbone au plus tard en 2050"),
    ("climat", "le Gouvernement mettra en place une stratégie de rénovation énergétique "
     "des bâtiments publics, avec un objectif de rénovation profonde du parc"),
    ("climat", "la Wallonie soutiendra le développement des communautés d'énergie "
     "renouvelable et l'autoconsommation collective"),
    ("climat", "le Gouvernement renforcera la surveillance de la qualité de l'air et adoptera "
     "des mesures pour réduire l'exposition de la population aux particules fines"),
    ("climat", "la Wallonie réduira la production de déchets à la source et développera "
     "l'économie circulaire dans l'ensemble des secteurs"),
    ("climat", "le Gouvernement protégera et restaurera les zones humides et les milieux "
     "naturels remarquables, en concertation avec les acteurs de terrain"),
    ("mobilite", "la Wallonie investira massivement dans les infrastructures cyclables, "
     "afin de faire du vélo un mode de déplacement quotidien sûr et attractif"),
    ("mobilite", "le Gouvernement renforcera la sécurité routière aux abords des écoles et "
     "sur les itinéraires empruntés par les usagers faibles"),
    ("mobilite", "la Wallonie poursuivra un plan pluriannuel d'entretien et de "
     "réhabilitation du réseau routier régional"),
    ("mobilite", "le Gouvernement développera le covoiturage et les solutions de mobilité "
     "partagée, en particulier dans les zones rurales"),
    ("mobilite", "la Wallonie améliorera l'organisation du transport scolaire afin de réduire "
     "les temps de trajet des élèves"),
    ("mobilite", "le Gouvernement inscrira le développement des aéroports régionaux dans une "
     "trajectoire compatible avec les objectifs climatiques"),
    ("territoire", "la Wallonie réduira la consommation des terres non artificialisées en "
     "la plafonnant d'ici 2025 et en tendant vers zéro à l'horizon 2050"),
    ("territoire", "le Gouvernement augmentera l'offre de logements publics et rénovera le "
     "parc existant, en priorité les logements les plus énergivores"),
    ("territoire", "la Wallonie accélérera l'assainissement et la reconversion des friches "
     "industrielles, afin de les remettre au service du développement territorial"),
    ("territoire", "le Gouvernement soutiendra l'installation des jeunes agriculteurs et le "
     "développement des circuits courts"),
    ("territoire", "la Wallonie promouvra une gestion forestière durable et multifonctionnelle, "
     "qui concilie les fonctions économiques, écologiques et sociales de la forêt"),
    ("territoire", "le Gouvernement renforcera le contrôle du bien-être animal et soutiendra "
     "les refuges agréés"),
    ("territoire", "la Wallonie soutiendra la revitalisation des centres-villes et des "
     "centres de village, en y favorisant le commerce et le logement"),
    ("territoire", "le Gouvernement valorisera le petit patrimoine populaire wallon et "
     "soutiendra sa restauration par les communes et les associations"),
    ("gouvernance", "la Wallonie poursuivra la simplification administrative et appliquera "
     "le principe « only once » à l'ensemble des démarches"),
    ("gouvernance", "le Gouvernement développera le télétravail au sein de la fonction "
     "publique wallonne, dans le respect de l'équilibre entre vie privée et professionnelle"),
    ("gouvernance", "la Wallonie garantira aux communes un financement stable et prévisible, "
     "notamment via le Fonds des communes"),
    ("gouvernance", "le Gouvernement définira une trajectoire budgétaire soutenable visant le "
     "retour à l'équilibre à l'horizon de la législature suivante"),
    ("gouvernance", "la Wallonie accélérera la digitalisation des services publics, tout en "
     "garantissant un accès non numérique aux citoyens qui le souhaitent"),
    ("gouvernance", "le Gouvernement clarifiera les relations entre la Région et les "
     "provinces, dans une logique de supracommunalité"),
)  # fmt: skip

_COMMITMENTS_BY_DOMAIN: dict[str, list[int]] = {domain: [] for domain in _SUBJECTS}
for _index, (_domain, _text) in enumerate(COMMITMENTS):
    _COMMITMENTS_BY_DOMAIN[_domain].append(_index)

# Words a fuzzy variant may swap, as a retyping or a later draft of the text would.
_SYNONYMS = {
    "renforcera": "intensifiera", "soutiendra": "appuiera", "développera": "déploiera",
    "notamment": "en particulier", "soutien": "appui", "afin": "dans le but",
    "ensemble": "totalité", "particulier": "priorité", "favorisera": "encouragera",
    "accompagnera": "aidera", "améliorera": "optimisera", "garantira": "assurera",
    "accélérera": "intensifiera", "poursuivra": "continuera", "ambitieuse": "volontariste",
    "durable": "soutenable", "facilitera": "simplifiera", "investira": "engagera",
}  # fmt: skip

# --------------------------------------------------------------------------- figures

_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf",
          "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize")  # fmt: skip
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def number_words(n: int) -> str:
    """French words for 0..99 (traditional spelling, hyphens): the "trois projets" form.

    >>> [number_words(n) for n in (3, 17, 22, 31, 71, 80, 92)]
    ['trois', 'dix-sept', 'vingt-deux', 'trente et un', 'soixante et onze', 'quatre-vingts', \
'quatre-vingt-douze']
    """
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    tens, unit = divmod(n, 10)
    if tens in (7, 9):
        base, unit = ("soixante" if tens == 7 else "quatre-vingt"), unit + 10
    elif tens == 8:
        base = "quatre-vingt"
    else:
        base = _TENS[tens]
    if unit == 0:
        return "quatre-vingts" if tens == 8 else base
    if unit in (1, 11) and tens not in (8, 9):
        return f"{base} et {number_words(unit)}"
    return f"{base}-{number_words(unit)}"


def _grouped(n: int, separator: str) -> str:
    """Thousands grouped by a given separator: 1 250 with NBSP, narrow NBSP or a dot."""
    return f"{n:,}".replace(",", separator)


def _decimal(value: float) -> str:
    """A French decimal: 3,5 (one decimal, comma)."""
    return f"{value:.1f}".replace(".", ",")


# Counted nouns by category: (plural, feminine).
_NOUNS = {
    "actors": (("PME", True), ("entreprises", True), ("partenaires", False),
               ("communes", True), ("centres de recherche", False), ("start-up", True),
               ("opérateurs", False), ("associations", True)),
    "items": (("projets", False), ("dossiers", False), ("chantiers", False),
              ("logements", False), ("conventions", True), ("actions", True)),
    "people": (("demandeurs d’emploi", False), ("bénéficiaires", False), ("ménages", False),
               ("stagiaires", False), ("agents", False), ("personnes", True)),
}  # fmt: skip
_PARTS = {
    "actors": (("partenaires", "PME"), ("entreprises", "PME"), ("opérateurs", "associations"),
               ("bénéficiaires différents", "PME")),
    "items": (("projets", "projets collaboratifs"), ("dossiers", "dossiers communaux"),
              ("logements", "logements neufs")),
    "people": (("bénéficiaires", "jeunes de moins de 25 ans"), ("agents", "agents féminins"),
               ("ménages", "ménages à revenus modestes")),
}  # fmt: skip
_APPROX = (("une dizaine", 10), ("une quinzaine", 15), ("une vingtaine", 20),
           ("une trentaine", 30), ("une cinquantaine", 50), ("une centaine", 100))  # fmt: skip
_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre")  # fmt: skip
_DECIMAL_UNITS = {"ha": "hectares", "km": "kilomètres", "etp": "ETP", "t": "tonnes"}

Figure = tuple[str, str, Any, str | None]  # kind, surface text, value, unit


def _count(rng: random.Random, category: str) -> tuple[Figure, bool]:
    """A counted quantity with its noun in one of six surface forms; returns the figure and
    whether the noun is feminine (for past-participle agreement)."""
    noun, feminine = rng.choice(_NOUNS[category])
    roll = rng.random()
    if roll < 0.33:
        n = rng.randint(2, 60) if rng.random() < 0.8 else rng.randint(61, 950)
        return ("digits", f"{n} {noun}", n, noun), feminine
    if roll < 0.48:
        n = rng.randint(1000, 48000) if category != "items" else rng.randint(1000, 9000)
        sep = rng.choice((NNBSP, NBSP, THIN, NNBSP))
        return ("grouped", f"{_grouped(n, sep)} {noun}", n, noun), feminine
    if roll < 0.63:
        n = rng.randint(2, 30) if rng.random() < 0.7 else rng.randint(31, 99)
        if n > 20 and n % 10 == 1:
            n += 1  # "vingt et une" would need the noun's gender in the number itself
        return ("words", f"{number_words(n)} {noun}", n, noun), feminine
    if roll < 0.74:
        if rng.random() < 0.55:
            words, n = rng.choice(_APPROX)
            of = "d’" if noun[0] in "aeiouéAEIOU" else "de "
            return ("approximate", f"{words} {of}{noun}", n, noun), feminine
        n = rng.choice((rng.randint(20, 300), rng.randint(2, 20) * 50))
        return ("approximate", f"{rng.choice(('près de', 'environ'))} {n} {noun}", n, noun), (
            feminine
        )
    if roll < 0.87:
        n = rng.choice((5, 10, 10, 20, 50, 100, rng.randint(3, 40)))
        return ("lower_bound", f"{rng.choice(('plus de', 'au moins'))} {n} {noun}", n, noun), (
            feminine
        )
    total_noun, part_noun = rng.choice(_PARTS[category])
    total = rng.randint(8, 120)
    part = rng.randint(2, total - 1)
    surface = f"{total} {total_noun}, dont {part} {part_noun}"
    return ("part_of_total", surface, [total, part], total_noun), total_noun == "entreprises"


def _tenths(rng: random.Random, low: int, high: int) -> float:
    """A one-decimal value that really has a decimal (nobody writes "67,0 ETP")."""
    n = rng.randint(low, high)
    return (n + 1 if n % 10 == 0 else n) / 10


def _percent(rng: random.Random) -> Figure:
    """85%, 85 %, 85 % (NBSP) or 12,5 %: the forms pages actually mix."""
    if rng.random() < 0.3:
        value: float = _tenths(rng, 11, 995)
        number = _decimal(value)
    else:
        value = rng.randint(2, 98)
        number = str(value)
    return ("percent", number + rng.choice(("%", " %", NBSP + "%", NBSP + "%")), value, "%")


def _amount(rng: random.Random) -> Figure:
    """Money in the forms the administration writes it."""
    roll = rng.random()
    if roll < 0.3:
        value = _tenths(rng, 11, 499)
        millions = "million" if value < 2 else "millions"
        return ("amount", f"{_decimal(value)} {millions} d’euros", value * 1e6, "EUR")
    if roll < 0.55:
        n = rng.randint(12, 990) * 1000
        return ("amount", f"{_grouped(n, '.')} euros", n, "EUR")
    if roll < 0.75:
        n = rng.randint(2, 40)
        return ("amount", f"{n} millions {rng.choice(('€', 'd’euros'))}", n * 1e6, "EUR")
    n = rng.randint(15, 2500) * 1000
    sep = rng.choice((NNBSP, NBSP))
    return ("amount", f"{_grouped(n, sep)} {rng.choice(('€', 'euros'))}", n, "EUR")


def _period(rng: random.Random, today: dt.date, form: str | None = None) -> Figure:
    """A period no later than the answer: depuis 2018, entre 2022 et 2023, en mai 2023."""
    year = today.year
    form = form or rng.choice(("since", "between", "month"))
    if form == "since":
        start = rng.randint(2014, year - 1)
        return ("period", f"depuis {start}", [start, None], None)
    if form == "between":
        start = rng.randint(2016, year - 1)
        end = rng.randint(start + 1, year)
        return ("period", f"entre {start} et {end}", [start, end], None)
    month_year = rng.randint(year - 2, year)
    month = rng.randint(1, today.month if month_year == year else 12)
    return ("period", f"en {_MONTHS[month - 1]} {month_year}", f"{month_year}-{month:02d}", None)


def _dec(rng: random.Random, unit: str) -> Figure:
    """A non-monetary decimal with its unit (3,5 kilomètres, 2,5 ETP)."""
    value = _tenths(rng, 11, 999)
    name = _DECIMAL_UNITS[unit]
    if value < 2 and name != "ETP":
        name = name[:-1]  # 1,5 hectare: French keeps the singular below two
    return ("decimal", f"{_decimal(value)} {name}", value, name)


# --------------------------------------------------------------------------- templates

# Answer sentences.  Slots: {count:CAT} {pct} {money} {period[:FORM]} {dec:UNIT} figures;
# {prog:FORM} {body:FORM} names (FORM le/a/de); {pp} agrees a past participle with the
# count before it.  A slot at the start of a sentence is capitalised.
_FIGURE_SENTENCES = (
    "{count:actors} participent {prog:a}.",
    "{count:actors} collaborent {prog:a}.",
    "{prog:le} associe {count:actors}.",
    "Le partenariat d’innovation associe {count:actors}.",
    "À ce jour, {count:actors} ont été accompagné{pp} par {body:le}.",
    "{count:actors} ont introduit une demande dans le cadre {prog:de}.",
    "Cet appel a abouti à la sélection de {count:items}.",
    "Au total, {count:items} ont été retenu{pp} à l’issue de l’appel à projets.",
    "{prog:le} compte aujourd’hui {count:items}.",
    "{count:items} sont actuellement en cours de réalisation.",
    "{count:people} ont bénéficié de ce dispositif {period:since}.",
    "Ce dispositif a déjà permis d’accompagner {count:people}.",
    "{body:le} a traité {count:items} {period}.",
    "Les PME représentent plus de {pct} des montants octroyés {period:since}.",
    "Cela représente une hausse de {pct} par rapport à l’exercice précédent.",
    "{pct} des bénéficiaires sont des PME.",
    "Le taux d’exécution des crédits atteint {pct}.",
    "Un budget de {money} a été dégagé dans le cadre {prog:de}.",
    "Le Gouvernement a consacré {money} à cette mesure {period}.",
    "Une enveloppe de {money} est prévue pour {prog:le}.",
    "Les aides octroyées s’élèvent à {money}, dont {pct} au bénéfice des PME.",
    "{prog:le} a permis de réhabiliter {dec:ha} de friches.",
    "Les travaux portent sur {dec:km} de voiries régionales.",
    "Ce projet mobilise {dec:etp} au sein {body:de}.",
    "Les émissions évitées sont estimées à {dec:t} de CO2 par an.",
    "{period:between}, plusieurs projets {prog:de} ont permis de dégager des moyens "
    "supplémentaires.",
    "Un appel à projets a été lancé {period:month}. Il a abouti à la sélection de {count:items}.",
    "Ce soutien est opérationnel {period:since} et concerne {count:actors}.",
)
_PLAIN_SENTENCES = (
    "{prog:le} se base sur une gouvernance collaborative et flexible qui assure une mise en "
    "œuvre efficace des actions.",
    "Par ailleurs, {body:le} assure le suivi administratif des dossiers.",
    "L’objectif est de susciter des dynamiques collaboratives entre acteurs.",
    "Une évaluation intermédiaire est en cours ; ses conclusions seront présentées au "
    "Gouvernement.",
    "Elle a un double objectif : l’échange d’informations et la mise en œuvre de synergies "
    "opérationnelles.",
    "Ce soutien s’inscrit dans le cadre {prog:de}.",
    "La coordination en a été confiée {body:a}.",
    "Le dispositif fera l’objet d’une évaluation avant la fin de la législature.",
    "J’attire l’attention de l’honorable membre sur l’importance {prog:de}.",
    "Les modalités pratiques sont disponibles sur le portail {body:de}.",
    "Les cellules de coordination associent {prog:le} et les acteurs de terrain.",
    "En matière d’aides directes, les aides à l’innovation ciblent plus spécifiquement les PME.",
    "Il s’agit d’un chantier prioritaire pour le Gouvernement ; il sera poursuivi.",
    "Les acteurs concernés ont été consultés à plusieurs reprises.",
    "Une attention particulière est portée aux territoires les plus fragilisés.",
)
_OPENERS = (
    "Depuis le début de cette législature, j’ai développé avec ce Gouvernement différents "
    "outils à destination des acteurs concernés.",
    "Je remercie l’honorable membre pour sa question.",
    "Comme l’indique l’honorable membre, {subject:le} constitue une priorité du Gouvernement.",
    "La question de l’honorable membre porte sur {subject:le}.",
    "Le Gouvernement partage la préoccupation de l’honorable membre quant {subject:a}.",
)
_CLOSERS = (
    "Je ne manquerai pas de tenir l’honorable membre informé de l’évolution de ce dossier.",
    "Le Gouvernement reste attentif à l’évolution de la situation.",
    "Mon administration se tient à la disposition de l’honorable membre pour toute "
    "information complémentaire.",
)
_CONTEXT_SENTENCES = (
    "{subject:le} constitue un enjeu important pour de nombreux acteurs wallons.",
    "Plusieurs acteurs de terrain m’ont récemment interpellé au sujet {subject:de}.",
    "La presse s’est récemment fait l’écho de difficultés liées {subject:a}.",
    "Le Gouvernement a annoncé à plusieurs reprises des mesures relatives {subject:a}.",
    "Les acteurs de terrain attendent des réponses concrètes !",
    "Le sujet revient régulièrement dans les débats de notre assemblée ; il mérite un suivi "
    "attentif.",
)
_QUESTIONS = (
    "{title} peut-{il} faire le point sur {subject:le} ?",
    "Quelles sont les mesures prises par le Gouvernement en la matière ?",
    "Quels moyens budgétaires ont été dégagés à cet effet ?",
    "Quel calendrier est envisagé pour la mise en œuvre de ces mesures ?",
    "Une évaluation de ce dispositif est-elle prévue ?",
    "Comment {title} compte-t-{il} associer les pouvoirs locaux à cette démarche ?",
    "Quelles sont les prochaines étapes ?",
    "Où en est la concertation avec les acteurs concernés ?",
)
_DPR_INTRO = (
    "La Déclaration de politique régionale prévoit plusieurs engagements pour la "
    "législature{sp}2019-2024."
)
_DPR_QUOTE = "On peut notamment y lire que : «{open}{commitment}{close}»."
_DPR_ASK = "Quelles ont été les actions du Gouvernement par rapport à cet engagement ?"


def _compile(template: str) -> tuple[str | tuple[str, str], ...]:
    """Split a template into literal text and (slot, argument) pairs once, at import."""
    parts: list[str | tuple[str, str]] = []
    for index, piece in enumerate(template.replace("}", "{").split("{")):
        if index % 2 == 0:
            if piece:
                parts.append(piece)
        else:
            name, _, argument = piece.partition(":")
            parts.append((name, argument))
    return tuple(parts)


_Compiled = tuple[str | tuple[str, str], ...]
_C_FIGURE = tuple(_compile(t) for t in _FIGURE_SENTENCES)
_C_PLAIN = tuple(_compile(t) for t in _PLAIN_SENTENCES)
_C_OPENERS = tuple(_compile(t) for t in _OPENERS)
_C_CLOSERS = tuple(_compile(t) for t in _CLOSERS)
_C_CONTEXT = tuple(_compile(t) for t in _CONTEXT_SENTENCES)
_C_QUESTIONS = tuple(_compile(t) for t in _QUESTIONS)


@dataclass
class _Slots:
    """What a page's sentences draw from: its domain, subject, date and RNG."""

    rng: random.Random
    domain: str
    subject: tuple[str, str]
    today: dt.date  # the answer's date: periods it mentions are not in its future
    title: str = "Monsieur le Ministre"
    il: str = "il"


def _named(forms: str, article: str, name: str) -> str:
    return _FORMS[forms or "le"][article] + name


def _render(
    template: _Compiled, slots: _Slots, figures: list[tuple[int, Figure]] | None = None
) -> str:
    """Fill a compiled template; figure slots append (offset in sentence, figure)."""
    rng = slots.rng
    out: list[str] = []
    length = 0
    feminine = False
    aside = False  # a "dont 17 PME" aside just ended: close it with a comma mid-sentence
    for part in template:
        if isinstance(part, str):
            text = "," + part if aside and part.startswith(" ") else part
            aside = False
        else:
            name, argument = part
            figure: Figure | None = None
            aside = False
            if name == "count":
                figure, feminine = _count(rng, argument)
            elif name == "pct":
                figure = _percent(rng)
            elif name == "money":
                figure = _amount(rng)
            elif name == "period":
                figure = _period(rng, slots.today, argument or None)
            elif name == "dec":
                figure = _dec(rng, argument)
            if figure is not None:
                text = figure[1]
                if length == 0:
                    text = text[0].upper() + text[1:]
                    figure = (figure[0], text, figure[2], figure[3])
                elif out[-1].endswith(" de ") and text.startswith(("une ", "au ")):
                    out[-1] = out[-1][:-3] + "d’"
                    length -= 1
                if figures is not None:
                    figures.append((length, figure))
                aside = figure[0] == "part_of_total"
            elif name == "pp":
                text = "es" if feminine else "s"
            elif name == "prog":
                pool = _PROGRAMMES_BY_DOMAIN[slots.domain]
                pick = rng.choice(pool if pool and rng.random() < 0.75 else _ALL_PROGRAMMES)
                text = _named(argument, *pick)
            elif name == "body":
                pool = _BODIES_BY_DOMAIN[slots.domain]
                pick = rng.choice(pool if pool and rng.random() < 0.8 else _ALL_BODIES)
                text = _named(argument, *pick)
            elif name == "subject":
                text = _named(argument, *slots.subject)
            elif name == "title":
                text = slots.title
            elif name == "il":
                text = slots.il
            else:  # pragma: no cover - a typo in a template
                raise KeyError(name)
        if length == 0 and text:
            text = text[0].upper() + text[1:]
        out.append(text)
        length += len(text)
    return "".join(out)


# --------------------------------------------------------------------------- one page


@dataclass(frozen=True)
class _Plan:
    """Where a page sits in the corpus: fixed before any text is drawn."""

    index: int
    session_index: int
    number: int
    date: dt.date
    malformed: str | None
    anchor: bool  # quotes the seed's commitment verbatim (the first good page does)


def _session_index(date: dt.date) -> int:
    """Session a date falls in (sessions run September to August), clamped to the corpus."""
    index = date.year - 2019 if date.month >= 9 else date.year - 2020
    return min(max(index, 0), len(SESSIONS) - 1)


def _fmt(date: dt.date) -> str:
    return f"{date.day:02d}/{date.month:02d}/{date.year}"


def _space_variant(text: str, rng: random.Random) -> tuple[str, str]:
    """A variant that only whitespace/apostrophe normalisation undoes, and its kind."""
    kinds = ["double-space", "nbsp"]
    if "'" in text:
        kinds += ["apostrophe", "apostrophe"]
    kind = rng.choice(kinds)
    if kind == "apostrophe":
        return text.replace("'", "’"), kind
    spaces = [i for i, c in enumerate(text) if c == " "]
    chosen = sorted(rng.sample(spaces, min(len(spaces), rng.randint(1, 3))))
    chars = list(text)
    for i in chosen:
        chars[i] = "  " if kind == "double-space" else NBSP
    return "".join(chars), kind


def _fuzzy_variant(text: str, rng: random.Random) -> str:
    """One or two words changed, as a paraphrase or a retyped quote would."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if w.rstrip(",") in _SYNONYMS]
    changes = rng.randint(1, 2)
    if candidates:
        for i in rng.sample(candidates, min(changes, len(candidates))):
            word = words[i]
            comma = "," if word.endswith(",") else ""
            words[i] = _SYNONYMS[word.rstrip(",")] + comma
    else:
        long = [i for i, w in enumerate(words) if i and len(w) > 4 and not w.endswith(",")]
        del words[rng.choice(long)]
    return " ".join(words)


def _typography(text: str, rng: random.Random) -> str:
    """NBSP before ? ! : ; as French typesetting (and the site) mostly has it, per page."""
    if rng.random() < 0.92:
        text = text.replace(" ?", NBSP + "?").replace(" !", NBSP + "!")
    if rng.random() < 0.35:
        text = text.replace(" :", NBSP + ":")
    if rng.random() < 0.6:
        text = text.replace(" ;", NBSP + ";")
    return text


def _paragraphs(paragraphs: list[str]) -> str:
    """Body lines as the site prints them: 4-space indent, one empty line between."""
    return "\n\n".join("    " + p for p in paragraphs)


class _Deck:
    """Templates dealt without repeats (reshuffled when exhausted), so an answer does not
    say the same sentence twice."""

    def __init__(self, templates: tuple[_Compiled, ...], rng: random.Random) -> None:
        self._templates, self._rng = templates, rng
        self._left: list[_Compiled] = []

    def draw(self) -> _Compiled:
        if not self._left:
            self._left = list(self._templates)
            self._rng.shuffle(self._left)
        return self._left.pop()


def _question(
    rng: random.Random, slots: _Slots, anchor: bool
) -> tuple[list[str], dict[str, Any] | None, bool]:
    """Question paragraphs; with ~30% a DPR commitment quote (returned as truth)."""
    questions = _Deck(_C_QUESTIONS, rng)
    if anchor or rng.random() < 0.30:
        if anchor:
            cid = 0
        else:
            pool = _COMMITMENTS_BY_DOMAIN[slots.domain]
            cid = rng.choice(pool) if rng.random() < 0.75 else rng.randrange(len(COMMITMENTS))
            if rng.random() < 0.08:
                cid = 0  # the seed's commitment recurs, as a popular one does
        original = COMMITMENTS[cid][1]
        roll = 1.0 if anchor else rng.random()
        if roll < 0.05:
            text, variant = _fuzzy_variant(original, rng), "fuzzy"
        elif roll < 0.30:
            text, variant = _space_variant(original, rng)
        else:
            text, variant = original, "exact"
        quote_space = rng.choice((THIN, THIN, THIN, NBSP, " ")) if not anchor else THIN
        paragraphs = [
            _DPR_INTRO.format(sp=NBSP if rng.random() < 0.8 else " "),
            _DPR_QUOTE.format(open=quote_space, commitment=text, close=quote_space),
            _DPR_ASK,
        ]
        for _ in range(rng.randint(0, 2)):
            paragraphs.append(_render(questions.draw(), slots))
        commitment = {"id": cid, "variant": variant, "text": text}
        return paragraphs, commitment, True
    context = _Deck(_C_CONTEXT, rng)
    paragraphs = [" ".join(_render(context.draw(), slots) for _ in range(rng.randint(1, 2)))]
    if rng.random() < 0.4:
        paragraphs.append(_render(context.draw(), slots))
    for _ in range(rng.randint(1, 5 - len(paragraphs))):
        count = 1 if rng.random() < 0.7 else 2
        paragraphs.append(" ".join(_render(questions.draw(), slots) for _ in range(count)))
    return paragraphs, None, False


def _answer(
    rng: random.Random, slots: _Slots, follow_up: dt.date | None
) -> tuple[list[str], list[tuple[int, Figure]]]:
    """Answer paragraphs (2-8) and its figures with offsets into the joined body text."""
    figures: list[tuple[int, Figure]] = []
    paragraphs: list[str] = []
    offset = 0  # where the current paragraph starts in the joined body (after the indent)

    def sentences(templates: list[_Compiled]) -> None:
        nonlocal offset
        parts: list[str] = []
        length = 0
        for template in templates:
            found: list[tuple[int, Figure]] = []
            sentence = _render(template, slots, found)
            for start, figure in found:
                figures.append((offset + length + start, figure))
            parts.append(sentence)
            length += len(sentence) + 1
        paragraph = " ".join(parts)
        paragraphs.append(paragraph)
        offset += len(paragraph) + 6  # "\n\n" and the next line's 4-space indent

    first: list[_Compiled] = [rng.choice(_C_OPENERS)]
    if follow_up is not None:
        first = [_compile(f"En complément de ma réponse du {_fmt(follow_up)}, je peux préciser "
                          "les éléments suivants.")]  # fmt: skip
    figure_deck, plain_deck = _Deck(_C_FIGURE, rng), _Deck(_C_PLAIN, rng)
    first.append(figure_deck.draw())
    sentences(first)
    for _ in range(rng.randint(1, 7)):
        picked = [
            (figure_deck if rng.random() < 0.6 else plain_deck).draw()
            for _ in range(rng.randint(1, 4))
        ]
        sentences(picked)
    if rng.random() < 0.5:
        sentences([rng.choice(_C_CLOSERS)])
    return paragraphs, figures


def _render_page(
    plan: _Plan, world: World, seed: int
) -> tuple[bytes, dict[str, Any], list[tuple[int, Figure]]]:
    """Draw one page; returns its bytes, its truth record and its figures (offsets in text)."""
    session = SESSIONS[plan.session_index]
    rng = random.Random(f"parlgraph-corpus:{seed}:{session}:{plan.number}")
    if plan.anchor:  # the seed's own situation: the economy minister, PME cooperation
        minister_index = next(
            i for i, m in enumerate(world.ministers) if "Economie" in m.competences[0]
        )
        competence, domain, subject = "Economie", "economie", _SUBJECTS["economie"][0]
    else:
        minister_index = rng.randrange(len(world.ministers))
        competence = rng.choice(world.ministers[minister_index].competences[plan.session_index])
        domain = _COMPETENCES[competence][1]
        subject = rng.choice(_SUBJECTS[domain])
    minister = world.ministers[minister_index]
    asker = rng.choice(world.members)
    feminine = minister.person.feminine
    address = "Madame la Ministre" if feminine else "Monsieur le Ministre"
    if minister.role == "president":
        address += "-Présidente" if feminine else "-Président"
    slots = _Slots(rng, domain, subject, plan.date, address, "elle" if feminine else "il")
    q_paragraphs, commitment, dpr = _question(rng, slots, plan.anchor)
    title_subject = _LE[subject[0]] + subject[1]
    if plan.anchor or (dpr and rng.random() < 0.5):
        title = "La Déclaration de politique régionale sur " + title_subject
    else:
        title = title_subject[0].upper() + title_subject[1:]

    roll = rng.random()
    n_answers = 0 if roll < 0.10 else 2 if roll < 0.15 else 1
    answers: list[tuple[dt.date, Minister]] = []
    previous = plan.date
    for k in range(n_answers):
        previous += dt.timedelta(days=rng.randint(1, 90) if k == 0 else rng.randint(1, 60))
        other = rng.random() < 0.02
        author = minister
        if other:
            author = world.ministers[
                (minister_index + rng.randrange(1, len(world.ministers))) % len(world.ministers)
            ]
        answers.append((previous, author))

    date_token = _fmt(plan.date)
    if plan.malformed == "impossible-date":
        day, month = rng.choice(((31, 2), (30, 2), (31, 4), (31, 6), (31, 9), (31, 11)))
        date_token = f"{day:02d}/{month:02d}/{plan.date.year}"
    question_header = "  • Question écrite du"
    if plan.malformed != "missing-question-date":
        question_header += " " + date_token
    head = "\n".join(
        (
            "/",
            "",
            title,
            "",
            f"  • Session : {session}",
            f"  • Année : {plan.date.year}",
            f"  • N° : {plan.number} ({session}) 1",
            "",
            f"{1 + n_answers} élément(s) trouvé(s).",
            "",
            question_header,
            f"    • de {asker.name}",
            f"    • à {minister.person.name}, {minister.posts[plan.session_index]}",
            _typography(_paragraphs(q_paragraphs), rng),
        )
    )
    chunks = [head]
    length = len(head)
    figures: list[tuple[int, Figure]] = []
    answer_truth = []
    for k, (date, author) in enumerate(answers):
        slots.today = date
        paragraphs, found = _answer(rng, slots, answers[0][0] if k else None)
        de = author.person.name
        if rng.random() < 0.05:
            de += ", " + author.posts[_session_index(date)]
        block_head = f"\n  • Réponse du {_fmt(date)}\n    • de {de}\n    "
        body = _typography(_paragraphs(paragraphs), rng)[4:]
        start = length + len(block_head)
        figures += [(start + offset, figure) for offset, figure in found]
        chunks += [block_head, body]
        length = start + len(body)
        answer_truth.append(
            {
                "date": date.isoformat(),
                "author": [author.person.family, author.person.given],
                "by_addressee": author is minister,
            }
        )
    text = "".join(chunks)

    crlf = rng.random() < 0.03
    bom = rng.random() < 0.01
    shift = [0] * len(figures)
    if crlf:
        breaks = [i for i, c in enumerate(text) if c == "\n"]
        shift = [bisect.bisect_left(breaks, offset) for offset, _ in figures]
        text = text.replace("\n", "\r\n")
    if bom:
        text = "\ufeff" + text
        shift = [s + 1 for s in shift]
    placed = [(offset + s, figure) for (offset, figure), s in zip(figures, shift, strict=True)]

    if plan.malformed == "not-utf8":
        data = text.encode("cp1252", errors="replace")
    elif plan.malformed == "binary":
        size = rng.randint(10, 4000)
        data = b"PK\x03\x04" + bytes(rng.getrandbits(7) for _ in range(size))
    elif plan.malformed == "empty":
        data = b""
    else:
        data = text.encode("utf-8")

    truth = {
        "path": f"wallonia/{session}/qe-{plan.number}.txt",
        "session": session,
        "number": plan.number,
        "reference": f"{plan.number} ({session}) 1",
        "year": plan.date.year,
        "title": title,
        "question_date": plan.date.isoformat(),
        "asker": [asker.family, asker.given],
        "addressee": [minister.person.family, minister.person.given],
        "post": minister.posts[plan.session_index],
        "competence": competence,
        "commitment": commitment,
        "answers": answer_truth,
        "figures": [
            {
                "kind": kind,
                "text": surface,
                "span": [offset, offset + len(surface)],
                "value": value,
                "unit": unit,
            }
            for offset, (kind, surface, value, unit) in placed
        ],
        "crlf": crlf,
        "bom": bom,
        "malformed": plan.malformed,
    }
    return data, truth, placed


# --------------------------------------------------------------------------- the corpus


@dataclass
class CorpusManifest:
    """What `generate` wrote; `to_json` is exactly what manifest.json holds."""

    seed: int
    pages: int
    malformed_every: int
    sessions: dict[str, int]
    malformed: list[dict[str, str]] = field(default_factory=list)
    answers: dict[str, int] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    commitments: dict[str, Any] = field(default_factory=dict)
    whitespace: dict[str, int] = field(default_factory=dict)
    government: list[dict[str, Any]] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    truth: str | None = TRUTH

    def to_json(self) -> dict[str, Any]:
        return {
            "generator": "bench/corpus.py",
            "format": 1,
            "seed": self.seed,
            "pages": self.pages,
            "malformed_every": self.malformed_every,
            "sessions": self.sessions,
            "malformed": {"count": len(self.malformed), "pages": self.malformed},
            "answers": self.answers,
            "figures": self.figures,
            "commitments": self.commitments,
            "whitespace": self.whitespace,
            "government": self.government,
            "members": self.members,
            "truth": self.truth,
        }


# Synthetic questions are numbered from 10001, far above any real session's count (4,352 in
# 2017-2018), so a synthetic corpus can be built together with the real bundled pages.
FIRST_NUMBER = 10001


def _plans(pages: int, seed: int, malformed_every: int) -> Iterator[_Plan]:
    """Spread pages over the sessions (numbers from FIRST_NUMBER, dates rising with them) and
    pick the malformed ones: every `malformed_every`-th from a seeded start, at least one
    from 100 pages on, kinds in turn so every kind shows up."""
    rng = random.Random(f"parlgraph-corpus-plan:{seed}")
    malformed: dict[int, str] = {}
    if malformed_every > 0 and (pages >= malformed_every or pages >= 100):
        kinds = list(MALFORMED_KINDS)
        start = rng.randrange(min(malformed_every, pages))
        for k, index in enumerate(range(start, pages, malformed_every)):
            malformed[index] = kinds[k % len(kinds)]
    anchor = next((i for i in range(pages) if i not in malformed), None)
    per_session, extra = divmod(pages, len(SESSIONS))
    index = 0
    for s in range(len(SESSIONS)):
        count = per_session + (1 if s < extra else 0)
        first = dt.date(2019 + s, 9, 1)
        span = (dt.date(2020 + s, 7, 31) - first).days
        for number in range(1, count + 1):
            day = (number - 1) * span // max(count - 1, 1)
            date = first + dt.timedelta(days=day)
            yield _Plan(
                index, s, FIRST_NUMBER + number - 1, date, malformed.get(index), index == anchor
            )
            index += 1


def generate(
    out_dir: Path,
    pages: int,
    seed: int = 0,
    malformed_every: int = 997,
    *,
    overwrite: bool = False,
    write_truth: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> CorpusManifest:
    """Write `pages` pages under out_dir/wallonia/<session>/, then manifest.json and (unless
    `write_truth` is off: it is ~1.5 kB a page) truth.jsonl; same arguments, same bytes.
    Refuses to mix with an earlier corpus unless `overwrite` (which removes only what this
    generator writes)."""
    if pages < 0:
        raise ValueError("pages must be >= 0")
    out_dir = Path(out_dir)
    root = out_dir / "wallonia"
    if root.exists() or (out_dir / MANIFEST).exists():
        if not overwrite:
            raise FileExistsError(f"{out_dir} already holds a corpus (use overwrite)")
        shutil.rmtree(root, ignore_errors=True)
        (out_dir / TRUTH).unlink(missing_ok=True)
    world = build_world(seed)
    per_session, extra = divmod(pages, len(SESSIONS))
    sessions = {s: per_session + (1 if i < extra else 0) for i, s in enumerate(SESSIONS)}
    for session in SESSIONS:
        (root / session).mkdir(parents=True, exist_ok=True)
    manifest = CorpusManifest(seed, pages, malformed_every, sessions)
    manifest.truth = TRUTH if write_truth else None
    answers = dict.fromkeys(
        ("unanswered", "answered_once", "multi_answer", "answer_blocks", "answered_by_other"), 0
    )
    figures = dict.fromkeys(FIGURE_KINDS, 0)
    variants = dict.fromkeys(("exact", "apostrophe", "double-space", "nbsp", "fuzzy"), 0)
    used: set[int] = set()
    whitespace = {"crlf": 0, "bom": 0}
    step = max(pages // 10, 1)
    root_text = str(root)
    target = out_dir / TRUTH if write_truth else os.devnull
    with open(target, "w", encoding="utf-8", newline="\n") as truth_file:
        for plan in _plans(pages, seed, malformed_every):
            data, truth, placed = _render_page(plan, world, seed)
            with open(f"{root_text}/{truth['session']}/qe-{plan.number}.txt", "wb") as page:
                page.write(data)
            if write_truth:
                truth_file.write(json.dumps(truth, ensure_ascii=False) + "\n")
            if plan.malformed is not None:
                manifest.malformed.append(
                    {
                        "path": truth["path"],
                        "kind": plan.malformed,
                        "reason": MALFORMED_KINDS[plan.malformed],
                    }
                )
            else:
                count = len(truth["answers"])
                key = ("unanswered", "answered_once", "multi_answer")[min(count, 2)]
                answers[key] += 1
                answers["answer_blocks"] += count
                answers["answered_by_other"] += sum(not a["by_addressee"] for a in truth["answers"])
                for _, figure in placed:
                    figures[figure[0]] += 1
                if truth["commitment"] is not None:
                    variants[truth["commitment"]["variant"]] += 1
                    used.add(truth["commitment"]["id"])
                whitespace["crlf"] += truth["crlf"]
                whitespace["bom"] += truth["bom"]
            done = plan.index + 1
            if progress is not None and (done % step == 0 or done == pages):
                progress(done, pages)
    quoted = sum(variants.values())
    manifest.answers = answers
    manifest.figures = {"total": sum(figures.values()), "by_kind": figures}
    manifest.commitments = {
        "pool": len(COMMITMENTS),
        "quoted": quoted,
        "distinct": len(used),
        "by_variant": variants,
        "by_match": {
            "exact": variants["exact"],
            "normalised": quoted - variants["exact"] - variants["fuzzy"],
            "fuzzy": variants["fuzzy"],
        },
    }
    manifest.whitespace = whitespace
    manifest.government = [
        {
            "minister": m.person.name,
            "posts": [
                {
                    "sessions": [s for i, s in enumerate(SESSIONS) if m.posts[i] == post],
                    "post": post,
                }
                for post in dict.fromkeys(m.posts)
            ],
        }
        for m in world.ministers
    ]
    manifest.members = [m.name for m in world.members]
    text = json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n"
    (out_dir / MANIFEST).write_text(text, encoding="utf-8", newline="\n")
    return manifest


def read_truth(out_dir: Path) -> Iterator[dict[str, Any]]:
    """The per-page truth records of a generated corpus, in page order."""
    with open(Path(out_dir) / TRUTH, encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


# --------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """CLI entry: generate, report progress on stderr, print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, required=True, help="number of pages to write")
    parser.add_argument("--seed", type=int, default=0, help="RNG seed (default 0)")
    parser.add_argument("--out", type=Path, required=True, help="output directory")
    parser.add_argument(
        "--malformed-every", type=int, default=997, help="one malformed page in N (0: none)"
    )
    parser.add_argument("--force", action="store_true", help="replace an existing corpus")
    parser.add_argument(
        "--no-truth", action="store_true", help="skip truth.jsonl (per-page expectations)"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def report(done: int, total: int) -> None:
        elapsed = time.perf_counter() - started
        print(f"{done}/{total} pages ({done * 100 // total}%) {elapsed:.1f}s", file=sys.stderr)

    try:
        manifest = generate(
            args.out,
            args.pages,
            args.seed,
            args.malformed_every,
            overwrite=args.force,
            write_truth=not args.no_truth,
            progress=report,
        )
    except (FileExistsError, ValueError) as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    a = manifest.answers
    print(
        f"{manifest.pages} pages (seed {manifest.seed}) in {args.out} in {elapsed:.1f}s: "
        f"{len(manifest.malformed)} malformed, {a['unanswered']} unanswered, "
        f"{a['answered_once']} answered once, {a['multi_answer']} twice, "
        f"{manifest.figures['total']} figures, {manifest.commitments['quoted']} DPR quotes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
