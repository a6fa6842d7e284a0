"""N-Quads straight from rdflib terms, for the corpus build's hot path.

A build models some 350 triples a page; converting each term to a pyoxigraph object and back
to text took a third of a page's time. N-Quads is simple enough to write directly: IRIs
between angle brackets (each checked once per page by pyoxigraph, since rdflib only warns
about a bad one), literals quoted with the four escapes N-Quads requires, a datatype unless
it is xsd:string, a language tag. The store parses the text again on loading.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from .errors import ParlgraphError

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# The four characters N-Quads escapes in a literal, backslash first.
_ESCAPES = (("\\", "\\\\"), ('"', '\\"'), ("\n", "\\n"), ("\r", "\\r"))


# Datatype IRIs as written, checked once each: a page writes some 100 typed literals.
_DATATYPES: dict[str, str] = {}


class BadTermError(ParlgraphError, ValueError):
    """A term that N-Quads cannot carry (an IRI with a space, say): the page is refused."""


def iri(value: str) -> str:
    """An IRI checked by pyoxigraph, so that a bad one fails its page, not a whole batch."""
    try:
        return str(ox.NamedNode(value))
    except ValueError as err:
        raise BadTermError(f"not an absolute IRI: {value!r} ({err})") from None


def escaped(text: str) -> str:
    """A literal's text with the N-Quads escapes. str.replace, not str.translate: translate
    looks every character up in a dict, 107 us for a page's 2,100-character text (0.2 us)."""
    for char, escape in _ESCAPES:
        if char in text:
            text = text.replace(char, escape)
    return text


def term(node: URIRef | Literal | BNode) -> str:
    """One term as N-Quads writes it."""
    if isinstance(node, URIRef):
        return iri(node)
    if isinstance(node, Literal):
        text = '"' + escaped(str(node)) + '"'
        if node.language:
            return f"{text}@{node.language}"
        datatype = node.datatype
        if datatype is None or (key := str(datatype)) in (XSD_STRING, RDF_LANG_STRING):
            return text
        written = _DATATYPES.get(key)
        if written is None:
            written = iri(key)
            if len(_DATATYPES) < 256:  # a handful in practice; never without bound
                _DATATYPES[key] = written
        return f"{text}^^{written}"
    if isinstance(node, BNode):
        return f"_:{node}"
    raise BadTermError(f"not an RDF term: {node!r}")


def lines(triples: Iterable[tuple], graph: URIRef) -> list[str]:
    """The triples as N-Quads lines in the named graph, each once, in the order given.

    A page names the same few dozen IRIs again and again: each is written once per call.
    Repeated triples are dropped here, so the number of lines is the number of quads the
    graph will hold, which lets a build count its store without scanning it.
    """
    name = iri(graph)
    written: dict[str, str] = {}
    out = []
    for s, p, o in triples:
        if type(s) is URIRef:
            subject = written.get(key := str(s)) or written.setdefault(key, iri(key))
        else:
            subject = term(s)
        predicate = written.get(key := str(p)) or written.setdefault(key, iri(key))
        if type(o) is URIRef:
            value = written.get(key := str(o)) or written.setdefault(key, iri(key))
        else:
            value = term(o)
        out.append(f"{subject} {predicate} {value} {name} .\n")
    return list(dict.fromkeys(out))


def encoded(triples: Iterable[tuple], graph: URIRef) -> tuple[bytes, int]:
    """The triples as N-Quads in the named graph (see lines), and how many quads that is."""
    written = lines(triples, graph)
    return "".join(written).encode("utf-8"), len(written)
