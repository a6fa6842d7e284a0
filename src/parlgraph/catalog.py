"""The dataset described for catalogues: DCAT-AP 3 (and 2.1.1) and VoID in one graph.

EU open-data portals harvest DCAT-AP; linked-data crawlers read VoID at /.well-known/void.
Both describe the same dataset, so one graph holds both: the dcat:Dataset is also the
void:Dataset, with its counts, its named-graph layers as subsets, its dumps (one distribution
per format of formats.py) and the SPARQL endpoint and stored-query API that serve it.

Everything that changes with the data is read from the data over SPARQL (counts, the dates of
the first and last documents, the publisher's name), never from the clock, so the same store
always gets the same description. Controlled values are EU authority-table IRIs whose official
statements ship in resources/eu-authority.ttl (tools/eu_authority_subset.py copies them); no
resource of the description is a blank node.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS, VOID

from .errors import ParlgraphError
from .export import FILE_STEM, OX_FORMATS, serialize, serialize_ox
from .formats import EU_FILE_TYPES, FORMATS, RdfFormat
from .iris import Iris
from .store import to_ox
from .vocab import ONTOLOGY_IRI, PREFIXES
from .web.backend import Backend
from .web.settings import ServeSettings

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
# CC BY 4.0, as Creative Commons names it in its own RDF (the brief's licence IRI).
LICENCE = URIRef("http://creativecommons.org/licenses/by/4.0/")
# The publisher as the reference data describes it (data/reference/wallonia.ttl).
PUBLISHER_SLUG = "parlgraph-editors"
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
OPENAPI = URIRef("https://spec.openapis.org/oas/v3.1.0")

LANGUAGES = ("ENG", "FRA")  # the pages are French; labels, rationales and the ontology bilingual
COUNTRY = "BEL"
THEME = "GOVE"
FREQUENCY = "IRREG"  # rebuilt when new questions are added, on no schedule

# What each layer of named graphs holds (README, "The graph in layers").
LAYERS: dict[str, tuple[str, str]] = {
    "document": (
        "What the parser derives from each source page, one named graph per page.",
        "Ce que l'analyseur tire de chaque page source, un graphe nommé par page.",
    ),
    "entities": (
        "The people, posts, memberships, competences and sessions that pages name, each "
        "described once.",
        "Les personnes, fonctions, mandats, compétences et sessions que nomment les pages, "
        "chacun décrit une seule fois.",
    ),
    "commitments": (
        "The policy commitments that questions quote, described once.",
        "Les engagements politiques cités par les questions, décrits une seule fois.",
    ),
    "curated": (
        "Reference and curated data: what the answers report, each figure anchored to its span.",
        "Données de référence et structurées : ce que rapportent les réponses, chaque chiffre "
        "ancré à son passage.",
    ),
    "editorial": (
        "The publisher's editorial assessments, never attributed to a minister.",
        "Les appréciations éditoriales de l'éditeur, jamais attribuées à un ministre.",
    ),
    "derived": (
        "What the build derives across documents (attested membership periods).",
        "Ce que la construction déduit de l'ensemble des documents (périodes de mandat attestées).",
    ),
    "summary": (
        "Corpus summaries materialised at build time for the stored queries.",
        "Résumés du corpus calculés à la construction pour les requêtes enregistrées.",
    ),
    "ontology": (
        "The parlgraph ontology.",
        "L'ontologie parlgraph.",
    ),
}


class CatalogError(ParlgraphError):
    """The store lacks something the description must state (the publisher, say)."""


@dataclass(frozen=True)
class Layer:
    """A family of named graphs that one party states (see LAYERS)."""

    name: str
    graphs: tuple[str, ...]
    triples: int  # distinct triples over the layer's graphs


@dataclass(frozen=True)
class Statistics:
    """What the description reads from the store."""

    triples: int
    layers: tuple[Layer, ...]
    classes: tuple[tuple[str, int], ...]  # (class IRI, distinct instances)
    properties: tuple[tuple[str, int], ...]  # (property IRI, distinct triples)
    first_date: str | None  # earliest and latest eli:date_document
    last_date: str | None
    publisher_names: tuple[Literal, ...]


# ---------------------------------------------------------------------------- reading the store


def _solutions(backend: Backend, sparql: str) -> list[ox.QuerySolution]:
    result = backend.query(sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise CatalogError(f"expected SELECT results from the store for: {sparql[:60]}")
    return list(result)


def _int(term: ox.Literal | None) -> int:
    return int(term.value) if term is not None else 0


def layer_name(graph: str, base: str) -> str:
    """The layer a named graph belongs to: the path segment after {base}graph/.

    >>> layer_name("https://w3id.org/parlgraph/graph/document/wallonia/2023-2024/qe-238",
    ...            "https://w3id.org/parlgraph/")
    'document'
    >>> layer_name("https://w3id.org/parlgraph/def", "https://w3id.org/parlgraph/")
    'ontology'
    """
    if graph == ONTOLOGY_IRI:
        return "ontology"
    prefix = f"{base}graph/"
    if graph.startswith(prefix):
        return graph[len(prefix) :].split("/", 1)[0]
    return "graph-" + hashlib.sha256(graph.encode()).hexdigest()[:12]


def _layer_triples(backend: Backend, graphs: tuple[str, ...]) -> int:
    """Distinct triples over some graphs (a triple restated by many pages counts once)."""
    values = " ".join(str(ox.NamedNode(g)) for g in graphs)
    rows = _solutions(
        backend,
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { "
        f"VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} }}",
    )
    return _int(rows[0]["n"])


def statistics(backend: Backend, base: str) -> Statistics:
    """Count what the description states, over SPARQL, so any backend can be described."""
    per_graph = _solutions(backend, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    by_layer: dict[str, list[str]] = {}
    for row in per_graph:
        graph = row["g"].value
        by_layer.setdefault(layer_name(graph, base), []).append(graph)
    layers = tuple(
        Layer(name, tuple(sorted(graphs)), _layer_triples(backend, tuple(sorted(graphs))))
        for name, graphs in sorted(by_layer.items())
    )
    properties = tuple(
        (row["p"].value, _int(row["n"]))
        for row in _solutions(
            backend,
            "SELECT ?p (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } } "
            "GROUP BY ?p ORDER BY ?p",
        )
    )
    classes = tuple(
        (row["c"].value, _int(row["n"]))
        for row in _solutions(
            backend,
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?c)) } "
            "GROUP BY ?c ORDER BY ?c",
        )
    )
    dates = _solutions(
        backend,
        "SELECT (MIN(?d) AS ?first) (MAX(?d) AS ?last) WHERE { "
        "?doc <http://data.europa.eu/eli/ontology#date_document> ?d }",
    )
    first, last = (dates[0]["first"], dates[0]["last"]) if dates else (None, None)
    publisher = Iris(base).organisation(PUBLISHER_SLUG)
    names = tuple(
        Literal(row["name"].value, lang=row["name"].language)
        for row in _solutions(
            backend,
            f"SELECT DISTINCT ?name WHERE {{ {ox.NamedNode(str(publisher))} "
            "<http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name",
        )
    )
    if not names:
        raise CatalogError(
            f"the publisher <{publisher}> has no rdfs:label in the store "
            "(build it with data/reference/)"
        )
    return Statistics(
        triples=sum(n for _, n in properties),
        layers=layers,
        classes=classes,
        properties=properties,
        first_date=first.value if first is not None else None,
        last_date=last.value if last is not None else None,
        publisher_names=names,
    )


# ---------------------------------------------------------------------------- the description


def authority_graph() -> Graph:
    """The official statements about the authority-table concepts the description cites."""
    text = resources.files("parlgraph").joinpath("resources/eu-authority.ttl").read_text("utf-8")
    return Graph().parse(data=text, format="turtle")


def authority(table: str, code: str) -> URIRef:
    """An EU authority-table concept IRI.

    >>> str(authority("language", "FRA"))
    'http://publications.europa.eu/resource/authority/language/FRA'
    """
    return URIRef(f"{AUTHORITY}{table}/{code}")


def dump_path(fmt: RdfFormat) -> str:
    """The site path of a dump, e.g. dump/parlgraph.ttl."""
    return f"dump/{FILE_STEM}.{fmt.extension}"


def _both(graph: Graph, subject: URIRef, predicate: URIRef, en: str, fr: str) -> None:
    graph.add((subject, predicate, Literal(en, lang="en")))
    graph.add((subject, predicate, Literal(fr, lang="fr")))


def _partition_part(kind: str, iri: str) -> str:
    return f"{kind}-{hashlib.sha256(iri.encode()).hexdigest()[:12]}"


def describe(stats: Statistics, settings: ServeSettings) -> Graph:
    """The DCAT-AP and VoID description of a store whose figures are `stats`."""
    iris, site = Iris(settings.base), settings.site
    g = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("skos", SKOS),
        ("void", VOID),
        ("vcard", VCARD),
        ("xsd", XSD),
        ("rdfs", RDFS),
    ):
        g.bind(prefix, namespace)
    g += authority_graph()

    catalog, dataset = iris.description("catalog"), iris.description("dataset")
    publisher, contact = iris.organisation(PUBLISHER_SLUG), iris.description("contact")
    sparql, api = iris.description("sparql"), iris.description("api")
    homepage, landing = URIRef(site), URIRef(f"{site}catalog")
    languages = [authority("language", code) for code in LANGUAGES]
    country, theme = authority("country", COUNTRY), authority("data-theme", THEME)

    # Classes the DCAT-AP range shapes check without inference.
    for language in languages:
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    g.add((country, RDF.type, DCTERMS.Location))
    g.add((authority("frequency", FREQUENCY), RDF.type, DCTERMS.Frequency))
    g.add((LICENCE, RDF.type, DCTERMS.LicenseDocument))
    g.add(
        (LICENCE, RDFS.label, Literal("Creative Commons Attribution 4.0 International", lang="en"))
    )
    for page in (homepage, landing):
        g.add((page, RDF.type, FOAF.Document))
    for standard, label in (
        (SPARQL_PROTOCOL, "SPARQL 1.1 Protocol"),
        (OPENAPI, "OpenAPI Specification 3.1.0"),
    ):
        g.add((standard, RDF.type, DCTERMS.Standard))
        g.add((standard, RDFS.label, Literal(label, lang="en")))

    # The publisher and how to reach it: the site (the repository names no e-mail address).
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, RDF.type, FOAF.Organization))
    for name in stats.publisher_names:
        g.add((publisher, FOAF.name, name))
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, RDF.type, VCARD.Organization))
    for name in stats.publisher_names:
        g.add((contact, VCARD.fn, name))
    g.add((contact, VCARD.hasURL, homepage))

    def common(subject: URIRef) -> None:
        g.add((subject, DCTERMS.publisher, publisher))
        g.add((subject, DCTERMS.license, LICENCE))

    # The catalogue.
    g.add((catalog, RDF.type, DCAT.Catalog))
    _both(g, catalog, DCTERMS.title, "parlgraph catalogue", "Catalogue parlgraph")
    _both(
        g,
        catalog,
        DCTERMS.description,
        "The accountability knowledge graph of the written questions of the Parlement de "
        "Wallonie, its dumps, its SPARQL endpoint and its stored-query API.",
        "Le graphe de connaissances sur la redevabilité des questions écrites du Parlement de "
        "Wallonie, ses vidages, son point d'accès SPARQL et son API de requêtes enregistrées.",
    )
    common(catalog)
    g.add((catalog, FOAF.homepage, homepage))
    g.add((catalog, DCAT.dataset, dataset))
    g.add((catalog, DCAT.service, sparql))
    g.add((catalog, DCAT.service, api))
    g.add((catalog, DCAT.themeTaxonomy, URIRef(AUTHORITY + "data-theme")))
    g.add((catalog, DCTERMS.spatial, country))
    for language in languages:
        g.add((catalog, DCTERMS.language, language))

    # The dataset, as DCAT-AP and as VoID.
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, RDF.type, VOID.Dataset))
    _both(
        g,
        dataset,
        DCTERMS.title,
        "Written questions of the Parlement de Wallonie: accountability knowledge graph",
        "Questions écrites du Parlement de Wallonie : graphe de connaissances sur la redevabilité",
    )
    _both(
        g,
        dataset,
        DCTERMS.description,
        "Who asked which minister what, which commitment of the Regional Policy Declaration "
        "the question quotes, which actions and figures the answer reports, each figure traced "
        "to the exact span of the source page, and the publisher's editorial assessments kept "
        "apart from what the minister said. One named graph per source page; curated, "
        "editorial, derived and summary layers in graphs of their own.",
        "Qui a interrogé quel ministre sur quoi, quel engagement de la Déclaration de politique "
        "régionale la question cite, quelles actions et quels chiffres la réponse rapporte, "
        "chaque chiffre rattaché au passage exact de la page source, et les appréciations "
        "éditoriales de l'éditeur tenues à part de ce que dit le ministre. Un graphe nommé par "
        "page source ; couches structurée, éditoriale, dérivée et de résumés dans leurs propres "
        "graphes.",
    )
    common(dataset)
    g.add((dataset, DCAT.contactPoint, contact))
    g.add((dataset, DCAT.landingPage, landing))
    g.add((dataset, DCAT.theme, theme))
    g.add((dataset, DCTERMS.spatial, country))
    g.add((dataset, DCTERMS.accrualPeriodicity, authority("frequency", FREQUENCY)))
    for language in languages:
        g.add((dataset, DCTERMS.language, language))
    for en, fr in (
        ("written questions", "questions écrites"),
        ("parliamentary questions", "questions parlementaires"),
        ("accountability", "redevabilité"),
        ("Parlement de Wallonie", "Parlement de Wallonie"),
        ("Wallonia", "Wallonie"),
        ("linked data", "données liées"),
    ):
        _both(g, dataset, DCAT.keyword, en, fr)
    # Dates come from the documents: the description changes only when the data does.
    if stats.first_date and stats.last_date:
        temporal = iris.description("temporal")
        g.add((dataset, DCTERMS.temporal, temporal))
        g.add((temporal, RDF.type, DCTERMS.PeriodOfTime))
        g.add((temporal, DCAT.startDate, Literal(stats.first_date, datatype=XSD.date)))
        g.add((temporal, DCAT.endDate, Literal(stats.last_date, datatype=XSD.date)))
        for subject in (catalog, dataset):
            g.add((subject, DCTERMS.issued, Literal(stats.first_date, datatype=XSD.date)))
            g.add((subject, DCTERMS.modified, Literal(stats.last_date, datatype=XSD.date)))

    g.add((dataset, VOID.triples, Literal(stats.triples)))
    g.add((dataset, VOID.classes, Literal(len(stats.classes))))
    g.add((dataset, VOID.properties, Literal(len(stats.properties))))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(f"{site}sparql")))
    g.add((dataset, VOID.uriSpace, Literal(f"{settings.base}id/")))
    g.add((dataset, VOID.vocabulary, URIRef(ONTOLOGY_IRI + "/")))
    for class_iri, entities in stats.classes:
        part = iris.description(_partition_part("class", class_iri))
        g.add((dataset, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(class_iri)))
        g.add((part, VOID.entities, Literal(entities)))
    for property_iri, triples in stats.properties:
        part = iris.description(_partition_part("property", property_iri))
        g.add((dataset, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(property_iri)))
        g.add((part, VOID.triples, Literal(triples)))
    for layer in stats.layers:
        subset = iris.description(f"layer-{layer.name}")
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(layer.triples)))
        g.add((subset, VOID.documents, Literal(len(layer.graphs))))
        _both(g, subset, DCTERMS.title, f"{layer.name} layer", f"couche {layer.name}")
        if layer.name in LAYERS:
            en, fr = LAYERS[layer.name]
            _both(g, subset, DCTERMS.description, en, fr)

    # One dump per format, and the endpoint as a distribution of its own.
    for fmt in FORMATS.values():
        url = URIRef(site + dump_path(fmt))
        distribution = iris.description(f"dump-{fmt.extension}")
        g.add((dataset, DCAT.distribution, distribution))
        g.add((dataset, VOID.dataDump, url))
        g.add((distribution, RDF.type, DCAT.Distribution))
        g.add((distribution, DCAT.accessURL, url))
        g.add((distribution, DCAT.downloadURL, url))
        g.add((distribution, DCTERMS.license, LICENCE))
        file_type = authority("file-type", EU_FILE_TYPES[fmt.name])
        media_type = URIRef(IANA_MEDIA_TYPES + fmt.media_type)
        g.add((distribution, DCTERMS.format, file_type))
        g.add((file_type, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((distribution, DCAT.mediaType, media_type))
        g.add((media_type, RDF.type, DCTERMS.MediaType))
        label = g.value(file_type, SKOS.prefLabel) or fmt.name
        scope_en, scope_fr = (
            ("every named graph kept", "chaque graphe nommé conservé")
            if fmt.quads
            else (
                "the union of the named graphs (graph names dropped)",
                "l'union des graphes nommés (noms de graphes omis)",
            )
        )
        _both(g, distribution, DCTERMS.title, f"Dump in {label}", f"Vidage en {label}")
        _both(
            g,
            distribution,
            DCTERMS.description,
            f"The whole dataset in {label}: {scope_en}; sorted, byte-identical for the same data.",
            f"Le jeu de données entier en {label} : {scope_fr} ; trié, identique octet pour "
            "octet pour les mêmes données.",
        )
    endpoint = iris.description("sparql-endpoint")
    g.add((dataset, DCAT.distribution, endpoint))
    g.add((endpoint, RDF.type, DCAT.Distribution))
    g.add((endpoint, DCAT.accessURL, URIRef(f"{site}sparql")))
    g.add((endpoint, DCAT.accessService, sparql))
    g.add((endpoint, DCTERMS.license, LICENCE))
    g.add((endpoint, DCTERMS.format, authority("file-type", "SPARQLQRES")))
    g.add((authority("file-type", "SPARQLQRES"), RDF.type, DCTERMS.MediaTypeOrExtent))
    _both(g, endpoint, DCTERMS.title, "SPARQL endpoint", "Point d'accès SPARQL")
    _both(
        g,
        endpoint,
        DCTERMS.description,
        "The dataset queried live over the SPARQL 1.1 Protocol; the default graph is the union "
        "of the named graphs.",
        "Le jeu de données interrogé en direct par le protocole SPARQL 1.1 ; le graphe par "
        "défaut est l'union des graphes nommés.",
    )

    # The services.
    for service, path, description_path, standard, en, fr in (
        (sparql, "sparql", "sparql", SPARQL_PROTOCOL, "SPARQL endpoint", "Point d'accès SPARQL"),
        (
            api,
            "api/",
            "api/openapi.json",
            OPENAPI,
            "Stored-query API",
            "API des requêtes enregistrées",
        ),
    ):
        g.add((service, RDF.type, DCAT.DataService))
        _both(g, service, DCTERMS.title, f"parlgraph {en}", f"{fr} parlgraph")
        common(service)
        for predicate, url in (
            (DCAT.endpointURL, URIRef(site + path)),
            (DCAT.endpointDescription, URIRef(site + description_path)),
        ):
            g.add((service, predicate, url))
            g.add((url, RDF.type, RDFS.Resource))  # DCAT-AP 3.0.1 ranges.ttl checks the class
        g.add((service, DCTERMS.conformsTo, standard))
        g.add((service, DCAT.servesDataset, dataset))
        g.add((service, DCAT.contactPoint, contact))
        g.add((service, DCAT.theme, theme))
        _both(g, service, DCAT.keyword, "written questions", "questions écrites")
    _both(
        g,
        sparql,
        DCTERMS.description,
        "SPARQL 1.1 queries over every named graph; its service description is at the endpoint.",
        "Requêtes SPARQL 1.1 sur tous les graphes nommés ; la description du service est au "
        "point d'accès.",
    )
    _both(
        g,
        api,
        DCTERMS.description,
        "Each stored query as GET /api/NAME with bound parameters, in JSON, CSV or HTML, paged "
        "with Link headers; described by an OpenAPI document.",
        "Chaque requête enregistrée en GET /api/NOM avec des paramètres liés, en JSON, CSV ou "
        "HTML, paginée par des en-têtes Link ; décrite par un document OpenAPI.",
    )
    return g


# The dataset's prefixes plus the description's own vocabularies, for readable Turtle and TriG.
DESCRIPTION_PREFIXES = {
    **{prefix: str(namespace) for prefix, namespace in PREFIXES.items()},
    "void": str(VOID),
    "vcard": str(VCARD),
    **{
        table.replace("-", ""): f"{AUTHORITY}{table}/"
        for table in ("country", "data-theme", "file-type", "frequency", "language")
    },
}


def serialize_description(graph: Graph, fmt: RdfFormat) -> bytes:
    """The description in one format, sorted like the exports, with the prefixes it uses."""
    if fmt.name not in OX_FORMATS:  # JSON-LD: compacted with the package's context
        dataset = Dataset()
        dataset.default_graph += graph
        return serialize(dataset, fmt)
    triples = sorted(
        {(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in graph},
        key=lambda t: (str(t[0]), str(t[1]), str(t[2])),
    )
    data = [ox.Quad(*t, ox.DefaultGraph()) if fmt.quads else ox.Triple(*t) for t in triples]
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    iris |= {str(o.datatype) for o in graph.objects() if isinstance(o, Literal) and o.datatype}
    used = {
        prefix: namespace
        for prefix, namespace in sorted(DESCRIPTION_PREFIXES.items())
        if any(iri.startswith(namespace) for iri in iris)
    }
    return serialize_ox(data, fmt, prefixes=used)


def describe_dataset(backend: Backend, settings: ServeSettings) -> Graph:
    """Read the figures from the backend and describe the dataset (DCAT-AP 3 and VoID)."""
    return describe(statistics(backend, settings.base), settings)
