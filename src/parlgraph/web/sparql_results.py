"""SPARQL results and graphs as bytes, in every format the endpoint negotiates.

Solutions are written here rather than by pyoxigraph's QuerySolutions.serialize because the
endpoint reads at most row_cap + 1 rows before deciding to answer; what it then holds is a
list, which pyoxigraph cannot serialise. Graphs go through pyoxigraph's writers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import FORMATS

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass(frozen=True)
class ResultFormat:
    """A results syntax: the media type answered, those accepted for it, its W3C format IRI."""

    name: str
    media_type: str
    aliases: tuple[str, ...]
    format_iri: str
    boolean: bool  # defined for ASK results (CSV and TSV are not)


RESULT_FORMATS: dict[str, ResultFormat] = {
    f.name: f
    for f in (
        ResultFormat(
            "json",
            "application/sparql-results+json",
            ("application/json",),
            "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
            True,
        ),
        ResultFormat(
            "xml",
            "application/sparql-results+xml",
            ("application/xml", "text/xml"),
            "http://www.w3.org/ns/formats/SPARQL_Results_XML",
            True,
        ),
        ResultFormat(
            "csv", "text/csv", (), "http://www.w3.org/ns/formats/SPARQL_Results_CSV", False
        ),
        ResultFormat(
            "tsv",
            "text/tab-separated-values",
            (),
            "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
            False,
        ),
    )
}

# pyoxigraph's writer for each name of the one format table (parlgraph.formats).
OX_RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
assert set(OX_RDF_FORMATS) == set(FORMATS), "every RDF format of the table has a writer"

# W3C format IRIs (https://www.w3.org/ns/formats/) for the Service Description.
RDF_FORMAT_IRIS: dict[str, str] = {
    "turtle": "http://www.w3.org/ns/formats/Turtle",
    "jsonld": "http://www.w3.org/ns/formats/JSON-LD",
    "ntriples": "http://www.w3.org/ns/formats/N-Triples",
    "nquads": "http://www.w3.org/ns/formats/N-Quads",
    "trig": "http://www.w3.org/ns/formats/TriG",
    "rdfxml": "http://www.w3.org/ns/formats/RDF_XML",
}


def result_offers(boolean: bool) -> dict[str, ResultFormat]:
    """Media type -> results format, the preferred (JSON) first; ASK gets JSON and XML only."""
    offers: dict[str, ResultFormat] = {}
    for fmt in RESULT_FORMATS.values():
        if boolean and not fmt.boolean:
            continue
        offers[fmt.media_type] = fmt
    for fmt in RESULT_FORMATS.values():
        if not boolean or fmt.boolean:
            offers.update(dict.fromkeys(fmt.aliases, fmt))
    return offers


def graph_offers() -> dict[str, str]:
    """Media type -> RDF format name, Turtle first (the default for CONSTRUCT and DESCRIBE)."""
    return {f.media_type: f.name for f in FORMATS.values()}


# ---------------------------------------------------------------------------- solutions


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    binding = {"type": "literal", "value": term.value}
    if term.language:
        binding["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        binding["datatype"] = term.datatype.value
    return binding


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = (("subject", term.subject), ("predicate", term.predicate), ("object", term.object))
        inner = "".join(f"<{name}>{_xml_term(value)}</{name}>" for name, value in parts)
        return f"<triple>{inner}</triple>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        attr = quoteattr(term.datatype.value)
        return f"<literal datatype={attr}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _csv_cell(term: Term | None) -> str:
    """CSV keeps only the text: IRIs and literals as they are, blank nodes as _:label."""
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def write_solutions(variables: Sequence[str], rows: Iterable[Row], name: str) -> bytes:
    """A SELECT result in one of the four W3C results formats."""
    if name == "json":
        bindings = [
            {
                var: _json_term(term)
                for var, term in zip(variables, row, strict=True)
                if term is not None
            }
            for row in rows
        ]
        document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False).encode()
    if name == "xml":
        out = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<sparql xmlns="{RESULTS_NS}">']
        out.append("<head>")
        out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
        out.append("</head><results>")
        for row in rows:
            out.append("<result>")
            for var, term in zip(variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out.append("</results></sparql>\n")
        return "".join(out).encode()
    if name == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([_csv_cell(term) for term in row] for row in rows)
        return buffer.getvalue().encode()
    if name == "tsv":
        # Cells are N-Triples terms, which escape tabs and newlines (SPARQL 1.1 TSV, 3.2).
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode()
    raise ValueError(f"unknown results format {name!r}")


def write_boolean(value: bool, name: str) -> bytes:
    """An ASK result in JSON or XML."""
    if name == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if name == "xml":
        text = "true" if value else "false"
        return (
            f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{RESULTS_NS}">'
            f"<head/><boolean>{text}</boolean></sparql>\n"
        ).encode()
    raise ValueError(f"ASK results have no {name!r} format")


# ---------------------------------------------------------------------------- graphs


def write_graph(
    triples: Iterable[ox.Triple], name: str, prefixes: dict[str, str] | None = None
) -> bytes:
    """Triples in an RDF format of the table; quad formats put them in the default graph."""
    fmt = OX_RDF_FORMATS[name]
    if FORMATS[name].quads:
        default = ox.DefaultGraph()
        quads = [ox.Quad(t.subject, t.predicate, t.object, default) for t in triples]
        return ox.serialize(quads, format=fmt, prefixes=prefixes)
    return ox.serialize(list(triples), format=fmt, prefixes=prefixes)
