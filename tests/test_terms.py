"""Cached views of rdflib's defined namespaces give rdflib's terms, and refuse what it refuses."""

from __future__ import annotations

import pytest
from rdflib import namespace as rdflib_namespaces

from parlgraph import terms


@pytest.mark.parametrize(
    "name", ["DCAT", "DCTERMS", "FOAF", "ORG", "PROV", "RDF", "RDFS", "SKOS", "XSD"]
)
def test_each_view_names_its_namespace(name: str) -> None:
    view, namespace = getattr(terms, name), getattr(rdflib_namespaces, name)
    assert str(view._namespace) == str(namespace)


def test_terms_are_rdflibs_made_once() -> None:
    assert terms.RDF.type == rdflib_namespaces.RDF.type
    assert terms.RDF.type is terms.RDF.type
    assert terms.XSD.nonNegativeInteger == rdflib_namespaces.XSD.nonNegativeInteger
    assert terms.DCTERMS["format"] == rdflib_namespaces.DCTERMS["format"]


def test_a_misspelt_term_fails_as_in_rdflib() -> None:
    with pytest.raises(AttributeError):
        rdflib_namespaces.RDF.notAThing  # noqa: B018
    with pytest.raises(AttributeError):
        terms.RDF.notAThing  # noqa: B018
    with pytest.raises(AttributeError):
        terms.RDF._private  # noqa: B018
