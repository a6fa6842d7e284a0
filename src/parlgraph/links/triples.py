"""The links graph: accepted lock rows as triples, each with its provenance, plus snapshots.

Each accepted row gives the link itself and a record of it (an rdf:Statement naming the
triple, typed prov:Entity and pg:Link) with the method and score of the match, the label seen
at the endpoint, who accepted it, and the PROV-O activity that found it: the query (by its
sha256), the endpoint, the source dataset and its version, the date. Targets are described
from the snapshots so the graph works offline.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from ..iris import Iris
from ..vocab import ELI, ELI_DL, PG, labels_fr_en
from .config import Source
from .lockfile import LockRow

CURIES = {
    "eli:is_about": ELI.is_about,
    "dct:subject": DCTERMS.subject,
    "dct:spatial": DCTERMS.spatial,
    "dct:format": DCTERMS["format"],
    "eli:language": ELI.language,
    "eli:work_type": ELI.work_type,
    "eli-dl:participation_role": ELI_DL.participation_role,
    "skos:exactMatch": SKOS.exactMatch,
    "skos:closeMatch": SKOS.closeMatch,
    "owl:sameAs": OWL.sameAs,
}
# ELI-EP indexes works with eli:is_about; portals and DCAT harvesters read dct:subject.
ALSO = {ELI.is_about: [DCTERMS.subject]}


def links_graph_name(iris: Iris) -> URIRef:
    return URIRef(f"{iris.base}graph/links")


def link_triples(
    rows: list[LockRow], snapshots: Graph, iris: Iris, sources: dict[str, Source] | None = None
) -> list[tuple]:
    """Triples of the accepted rows, in lock-file order, duplicates removed."""
    sources = sources or {}
    editors = iris.organisation("parlgraph-editors")
    out: list[tuple] = []
    targets: set[URIRef] = set()
    for row in sorted((r for r in rows if r.status == "accepted"), key=lambda r: r.key):
        subject, predicate, target = (
            URIRef(iris.base + row.subject),
            CURIES[row.predicate],
            URIRef(row.target),
        )
        targets.add(target)
        out.append((subject, predicate, target))
        out += [(subject, extra, target) for extra in ALSO.get(predicate, [])]
        link = URIRef(f"{iris.base}id/link/{row.id}")
        activity = URIRef(f"{iris.base}id/link-query/{row.query_sha256[:16]}/{row.resolved_at}")
        query = URIRef(f"{iris.base}id/link-query/{row.query_sha256[:16]}")
        dataset = URIRef(f"{iris.base}id/link-source/{row.source}/{_slug(row.source_version)}")
        label = Literal(row.label, lang=row.lang or None)
        out += [
            (link, RDF.type, RDF.Statement),
            (link, RDF.type, PROV.Entity),
            (link, RDF.type, PG.Link),
            (link, RDF.subject, subject),
            (link, RDF.predicate, predicate),
            (link, RDF.object, target),
            (link, PG.linkMethod, Literal(row.method)),
            (link, PG.linkScore, Literal(f"{row.score:.4f}", datatype=XSD.decimal)),
            (link, PG.labelSeen, label),
            (link, DCTERMS.creator, editors),
            (link, PROV.wasAttributedTo, editors),
            (link, PROV.wasGeneratedBy, activity),
            (activity, RDF.type, PROV.Activity),
            *labels_fr_en(
                activity,
                f"Recherche de liens {row.source} du {row.resolved_at}",
                f"{row.source} link search of {row.resolved_at}",
            ),
            (activity, PROV.wasAssociatedWith, editors),
            (activity, PROV.used, query),
            (activity, PROV.used, URIRef(row.endpoint)),
            (activity, PROV.used, dataset),
            (activity, DCTERMS.date, Literal(row.resolved_at, datatype=XSD.date)),
            (query, RDF.type, PROV.Entity),
            (query, RDF.type, PG.LinkQuery),
            (query, DCTERMS.identifier, Literal(f"sha256:{row.query_sha256}")),
            *labels_fr_en(
                query,
                f"Requête SPARQL sha256:{row.query_sha256[:16]}…",
                f"SPARQL query sha256:{row.query_sha256[:16]}…",
            ),
            (URIRef(row.endpoint), RDF.type, PROV.Entity),
            (dataset, RDF.type, PROV.Entity),
            (dataset, OWL.versionInfo, Literal(row.source_version)),
        ]
        source = sources.get(row.source)
        if source is not None:
            out.append((dataset, DCTERMS.title, Literal(source.dataset)))
            if source.licence:
                rights = URIRef(f"{dataset}#rights")
                out += [
                    (dataset, DCTERMS.rights, rights),
                    (rights, RDF.type, DCTERMS.RightsStatement),
                    (rights, RDFS.label, Literal(source.licence)),
                ]
    for target in sorted(targets):
        out += sorted(snapshots.triples((target, None, None)))
    return list(dict.fromkeys(out))


def _slug(text: str) -> str:
    """A version string safe in an IRI path segment.

    >>> _slug("2021-06-04")
    '2021-06-04'
    >>> _slug("a b/c")
    'a-b-c'
    """
    return "".join(c if c.isalnum() or c in "-._" else "-" for c in text) or "unversioned"
