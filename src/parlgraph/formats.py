"""The one table of RDF formats: CLI names, media types, file extensions.

It serves the CLI choices, the export file names and, later, content negotiation and the
DCAT distributions, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ParameterError


@dataclass(frozen=True)
class RdfFormat:
    name: str
    media_type: str
    extension: str
    quads: bool  # keeps named graphs
    rdflib_name: str


FORMATS: dict[str, RdfFormat] = {
    f.name: f
    for f in (
        RdfFormat("turtle", "text/turtle", "ttl", False, "turtle"),
        RdfFormat("jsonld", "application/ld+json", "jsonld", True, "json-ld"),
        RdfFormat("ntriples", "application/n-triples", "nt", False, "nt"),
        RdfFormat("nquads", "application/n-quads", "nq", True, "nquads"),
        RdfFormat("trig", "application/trig", "trig", True, "trig"),
        RdfFormat("rdfxml", "application/rdf+xml", "rdf", False, "xml"),
    )
}


def get_format(name: str) -> RdfFormat:
    """Look a format up by its CLI name, or name the ones that exist.

    >>> get_format("trig").extension
    'trig'
    """
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(FORMATS)
        raise ParameterError(
            f'--format "{name}" is not an RDF format (expected one of {known})'
        ) from None


# The EU Publications Office file-type of each format, for the DCAT distributions
# (http://publications.europa.eu/resource/authority/file-type/{code}).
EU_FILE_TYPES: dict[str, str] = {
    "turtle": "RDF_TURTLE",
    "jsonld": "JSON_LD",
    "ntriples": "RDF_N_TRIPLES",
    "nquads": "RDF_N_QUADS",
    "trig": "RDF_TRIG",
    "rdfxml": "RDF_XML",
}
