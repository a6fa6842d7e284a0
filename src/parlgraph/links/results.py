"""SPARQL 1.1 JSON results to rdflib terms, refusing anything malformed.

Endpoints under load return truncated bodies, HTML error pages with status 200, or JSON of
another shape; each is a clear EndpointError here, never a half-read result.
"""

from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Literal, URIRef

from .errors import EndpointError

Row = dict[str, URIRef | Literal | BNode]


def parse_results(body: bytes, endpoint: str) -> list[Row]:
    """Rows of a SELECT result in SPARQL 1.1 JSON.

    >>> parse_results(b'{"head":{"vars":["x"]},"results":{"bindings":'
    ...     b'[{"x":{"type":"literal","value":"PME","xml:lang":"fr"}}]}}', "e")
    [{'x': rdflib.term.Literal('PME', lang='fr')}]

    Raises:
        EndpointError: the body is not UTF-8 JSON of that shape.
    """
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        start = body[:60].decode("utf-8", "replace").strip()
        raise EndpointError(
            endpoint, f"malformed results (not JSON: {err}; body {start!r})"
        ) from err
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        raise EndpointError(endpoint, "malformed results (no `results` object)")
    bindings = data["results"].get("bindings")
    if not isinstance(bindings, list):
        raise EndpointError(endpoint, "malformed results (`results.bindings` is not a list)")
    return [_row(binding, endpoint) for binding in bindings]


def _row(binding: Any, endpoint: str) -> Row:
    if not isinstance(binding, dict):
        raise EndpointError(endpoint, "malformed results (a binding is not an object)")
    return {str(name): _term(value, endpoint) for name, value in binding.items()}


def _term(value: Any, endpoint: str) -> URIRef | Literal | BNode:
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        raise EndpointError(endpoint, "malformed results (a term has no string `value`)")
    kind, text = value.get("type"), value["value"]
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang, datatype = value.get("xml:lang"), value.get("datatype")
        if lang is not None and not isinstance(lang, str):
            raise EndpointError(endpoint, "malformed results (`xml:lang` is not a string)")
        if datatype is not None and not isinstance(datatype, str):
            raise EndpointError(endpoint, "malformed results (`datatype` is not a string)")
        if lang:
            return Literal(text, lang=lang)
        return Literal(text, datatype=URIRef(datatype) if datatype else None)
    raise EndpointError(endpoint, f"malformed results (unknown term type {kind!r})")
