"""rdflib's defined namespaces (RDF, XSD, DCTERMS...) for code that names their terms per quad.

`RDF.type` on rdflib's own namespace checks the name and builds a new URIRef on every access,
0.64 us each; modelling a page makes some 290 such accesses, 8 % of its time. Each view here
asks rdflib once per term (so a misspelt term still fails as rdflib makes it fail) and keeps
the answer. Prefix bindings use rdflib's namespaces themselves (vocab.PREFIXES).
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef
from rdflib import namespace as rdflib_namespaces


class DefinedTerms:
    """The terms of one of rdflib's defined namespaces, each looked up once."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        self.__dict__[name] = term  # the next access is a plain attribute read
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]

    def __repr__(self) -> str:
        return f"DefinedTerms({self._namespace!r})"


DCAT = DefinedTerms(rdflib_namespaces.DCAT)
DCTERMS = DefinedTerms(rdflib_namespaces.DCTERMS)
FOAF = DefinedTerms(rdflib_namespaces.FOAF)
ORG = DefinedTerms(rdflib_namespaces.ORG)
PROV = DefinedTerms(rdflib_namespaces.PROV)
RDF = DefinedTerms(rdflib_namespaces.RDF)
RDFS = DefinedTerms(rdflib_namespaces.RDFS)
SKOS = DefinedTerms(rdflib_namespaces.SKOS)
XSD = DefinedTerms(rdflib_namespaces.XSD)
