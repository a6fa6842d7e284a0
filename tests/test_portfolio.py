"""Post titles split into roles and competences; any title is handled without error."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from parlgraph.portfolio import split_post

SEED_POST = (
    "Ministre de l'Economie, du Commerce extérieur, de la Recherche et de l'Innovation, "
    "du Numérique, de l'Aménagement du territoire, de l'Agriculture, de l'IFAPME et des "
    "Centres de compétences"
)


def test_the_seed_post_has_eight_competences():
    portfolio = split_post(SEED_POST)
    assert portfolio.roles == ("minister",)
    assert len(portfolio.competences) == 8
    assert portfolio.competences[-2:] == ("IFAPME", "Centres de compétences")


def test_vice_president_and_minister_holds_both_roles():
    portfolio = split_post(
        "Vice-Présidente et Ministre de l'Emploi, de la Formation et de la Santé"
    )
    assert portfolio.roles == ("vice-president", "minister")
    assert portfolio.competences == ("Emploi", "Formation", "Santé")


def test_minister_president_of_the_government():
    portfolio = split_post("Ministre-Président du Gouvernement wallon")
    assert portfolio.roles == ("minister-president",)
    assert portfolio.competences == ()


def test_a_title_without_a_role_yields_nothing():
    assert split_post("Secrétaire d'État") == split_post("")


@given(st.text())
def test_any_title_splits_without_error_into_non_blank_competences(title):
    portfolio = split_post(title)
    assert all(c.strip() == c and c for c in portfolio.competences)
    assert len(set(portfolio.competences)) == len(portfolio.competences)
