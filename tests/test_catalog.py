"""The dataset description: DCAT-AP 3.0.1 and 2.1.1 conformance, VoID counts, the routes.

The official SEMIC shapes are copied byte for byte in tests/vendor/dcat-ap/ (README there).
A pyshacl report may keep Warnings, and only those listed in UNAVOIDABLE_WARNINGS: each needs a
controlled vocabulary that is not vendored, so no value for it could be sourced.
"""

from __future__ import annotations

import doctest
import hashlib
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, SH, VOID
from starlette.applications import Starlette
from starlette.testclient import TestClient

from parlgraph.catalog import (
    LICENCE,
    authority_graph,
    describe,
    describe_dataset,
    layer_name,
    serialize_description,
    statistics,
)
from parlgraph.dump import dump
from parlgraph.export import serialize
from parlgraph.formats import FORMATS
from parlgraph.store import from_ox, load_store
from parlgraph.summaries import refresh_summaries
from parlgraph.web.backend import EmbeddedBackend
from parlgraph.web.catalog_routes import routes
from parlgraph.web.settings import ServeSettings

VENDOR = Path(__file__).parent / "vendor" / "dcat-ap"
SHARED_TABLES = Path("/work/shared/vendor/eu-authority-tables")
BASE = "https://w3id.org/parlgraph/"
SETTINGS = ServeSettings(base=BASE, site="http://127.0.0.1:8000/")
DCATAP = "http://data.europa.eu/r5r/"

SHAPE_SETS = {
    "3.0.1": [
        VENDOR / "3.0.1" / "html-shacl" / name
        for name in (
            "shapes.ttl",
            "shapes_recommended.ttl",
            "range.ttl",
            "mdr-vocabularies.shape.ttl",
            "deprecateduris.ttl",
        )
    ],
    "3.0.1-toolchain": [
        VENDOR / "3.0.1" / "shacl" / "dcat-ap-SHACL.ttl",
        VENDOR / "3.0.1" / "shacl" / "ranges.ttl",
    ],
    "2.1.1": [
        VENDOR / "2.1.1" / f"dcat-ap_2.1.1_shacl_{name}.ttl"
        for name in (
            "shapes",
            "shapes_recommended",
            "range",
            "mdr-vocabularies.shape",
            "deprecateduris",
        )
    ],
}

# (focus kind, path) of the Warnings no sourced value can remove, and why.
UNAVOIDABLE_WARNINGS = {
    # planned-availability table not vendored
    ("distribution", DCATAP + "availability"),
    # licence-type table (ADMS) not vendored
    ("licence", str(DCTERMS.type)),
    # publisher-type table (ADMS) not vendored
    ("publisher", str(DCTERMS.type)),
    # the publisher is not an EU corporate body, so it is in no corporate-body table
    ("catalogue", str(DCTERMS.publisher)),
    ("dataset", str(DCTERMS.publisher)),
    ("service", str(DCTERMS.publisher)),
    # no geometry of Belgium is vendored
    ("country", str(DCAT.bbox)),
    ("country", str(DCAT.centroid)),
}


@pytest.fixture(scope="module")
def backend(built) -> EmbeddedBackend:
    store = load_store(built.dataset)
    refresh_summaries(store, BASE)
    return EmbeddedBackend(store)


@pytest.fixture(scope="module")
def description(backend) -> Graph:
    return describe_dataset(backend, SETTINGS)


def shapes(name: str) -> tuple[Graph, list[URIRef]]:
    """A shape set, without the sh:property links that point at no shape (see the test)."""
    graph = Graph()
    for path in SHAPE_SETS[name]:
        graph.parse(path)
    dangling = sorted(
        o for o in set(graph.objects(None, SH.property)) if (o, SH.path, None) not in graph
    )
    for target in dangling:
        graph.remove((None, SH.property, target))
    return graph, dangling


def kind(graph: Graph, node) -> str:
    if (node, RDF.type, DCAT.Distribution) in graph:
        return "distribution"
    if (node, RDF.type, DCAT.DataService) in graph:
        return "service"
    if (node, RDF.type, DCAT.Catalog) in graph:
        return "catalogue"
    if (node, RDF.type, DCAT.Dataset) in graph:
        return "dataset"
    if node == LICENCE:
        return "licence"
    if str(node).endswith("/id/organization/parlgraph-editors"):
        return "publisher"
    if str(node).startswith("http://publications.europa.eu/resource/authority/country/"):
        return "country"
    return str(node)


def results(data: Graph, shape_set: str) -> tuple[bool, list[tuple[str, str, str]]]:
    """pyshacl's verdict with warnings allowed, and (severity, focus kind, path) per result."""
    shacl, _ = shapes(shape_set)
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shacl, inference="none", advanced=True, allow_warnings=True
    )
    found = []
    for report_node in report.subjects(RDF.type, SH.ValidationReport):
        for result in report.objects(report_node, SH.result):
            severity = str(report.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
            focus = report.value(result, SH.focusNode)
            path = str(report.value(result, SH.resultPath))
            found.append((severity, kind(data, focus), path))
    return conforms, sorted(found)


@pytest.mark.parametrize("shape_set", sorted(SHAPE_SETS))
def test_description_conforms_to_the_official_dcat_ap_shapes(description, shape_set):
    conforms, found = results(description, shape_set)
    violations = [r for r in found if r[0] == "Violation"]
    assert violations == []
    assert conforms is True
    unexpected = {(k, p) for severity, k, p in found} - UNAVOIDABLE_WARNINGS
    assert unexpected == set()


def test_toolchain_shapes_leave_five_property_links_dangling():
    """releases/3.0.1/shacl names 5 property shapes it never defines; pyshacl refuses them."""
    _, dangling = shapes("3.0.1-toolchain")
    assert len(dangling) == 5


@pytest.mark.parametrize(
    ("remove", "severity", "path"),
    [
        ("catalogue publisher", "Violation", DCTERMS.publisher),
        ("dataset description", "Violation", DCTERMS.description),
        ("distribution accessURL", "Violation", DCAT.accessURL),
        ("distribution licence", "Warning", DCTERMS.license),
    ],
)
@pytest.mark.parametrize("shape_set", ["3.0.1", "2.1.1"])
def test_the_shapes_bite_when_a_required_statement_is_removed(
    description, shape_set, remove, severity, path
):
    data = Graph()
    data += description
    subject_type = {
        "catalogue": DCAT.Catalog,
        "dataset": DCAT.Dataset,
        "distribution": DCAT.Distribution,
    }[remove.split()[0]]
    subject = sorted(data.subjects(RDF.type, subject_type))[0]
    assert (subject, path, None) in data
    data.remove((subject, path, None))
    conforms, found = results(data, shape_set)
    assert (severity, kind(data, subject), str(path)) in found
    if severity == "Violation":
        assert conforms is False


def test_a_language_outside_the_authority_table_is_a_violation(description):
    data = Graph()
    data += description
    dataset = next(data.subjects(RDF.type, DCAT.Dataset))
    made_up = URIRef("http://publications.europa.eu/resource/authority/language/XXX")
    data.add((dataset, DCTERMS.language, made_up))
    data.add((made_up, RDF.type, DCTERMS.LinguisticSystem))
    _, found = results(data, "3.0.1")
    assert ("Violation", "dataset", str(DCTERMS.language)) in found


def _store_triples(store: ox.Store) -> set[tuple]:
    return {(q.subject, q.predicate, q.object) for q in store}


def test_void_counts_match_the_store(backend, description):
    dataset = URIRef(BASE + "catalog#dataset")
    triples = _store_triples(backend.store)
    assert description.value(dataset, VOID.triples) == Literal(len(triples))
    by_property = Counter(p.value for _, p, _ in triples)
    found = {
        str(description.value(part, VOID.property)): description.value(part, VOID.triples).value
        for part in description.objects(dataset, VOID.propertyPartition)
    }
    assert found == dict(by_property)
    rdf_type = ox.NamedNode(str(RDF.type))
    by_class = Counter(o.value for s, p, o in {(s, p, o) for s, p, o in triples if p == rdf_type})
    classes = {
        str(description.value(part, VOID["class"])): description.value(part, VOID.entities).value
        for part in description.objects(dataset, VOID.classPartition)
    }
    assert classes == dict(by_class)
    assert description.value(dataset, VOID.classes).value == len(by_class)


def test_each_layer_counts_its_distinct_triples(backend, description):
    layers: dict[str, set] = {}
    graphs: Counter = Counter()
    for quad in backend.store:
        name = layer_name(quad.graph_name.value, BASE)
        layers.setdefault(name, set()).add((quad.subject, quad.predicate, quad.object))
    for graph in backend.store.named_graphs():
        graphs[layer_name(graph.value, BASE)] += 1
    dataset = URIRef(BASE + "catalog#dataset")
    found = {
        str(subset).rsplit("#layer-", 1)[-1]: (
            description.value(subset, VOID.triples).value,
            description.value(subset, VOID.documents).value,
        )
        for subset in description.objects(dataset, VOID.subset)
    }
    assert found == {name: (len(t), graphs[name]) for name, t in layers.items()}
    assert {"document", "curated", "editorial", "summary", "ontology"} <= set(found)


def test_dates_come_from_the_documents_not_the_clock(description):
    dataset = URIRef(BASE + "catalog#dataset")
    assert description.value(dataset, DCTERMS.issued) == Literal("2024-01-23", datatype=XSD_DATE)
    assert description.value(dataset, DCTERMS.modified) == Literal("2024-02-12", datatype=XSD_DATE)


XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def test_one_distribution_per_export_format_under_the_site(description):
    dataset = URIRef(BASE + "catalog#dataset")
    media = {}
    for distribution in description.objects(dataset, DCAT.distribution):
        url = description.value(distribution, DCAT.downloadURL)
        if url is not None:
            assert str(url).startswith(SETTINGS.site + "dump/parlgraph.")
            assert description.value(distribution, DCAT.accessURL) == url
            assert description.value(distribution, DCTERMS.license) == LICENCE
            media[str(description.value(distribution, DCAT.mediaType))] = str(url)
    assert set(media) == {
        "https://www.iana.org/assignments/media-types/" + f.media_type for f in FORMATS.values()
    }
    dumps = {str(u) for u in description.objects(dataset, VOID.dataDump)}
    assert dumps == set(media.values())


def test_licence_and_publisher_are_stated_everywhere_they_apply(description):
    publisher = URIRef(BASE + "id/organization/parlgraph-editors")
    for kind_ in (DCAT.Catalog, DCAT.Dataset, DCAT.DataService):
        for subject in description.subjects(RDF.type, kind_):
            assert description.value(subject, DCTERMS.license) == LICENCE
            assert description.value(subject, DCTERMS.publisher) == publisher
    names = set(description.objects(publisher, URIRef("http://xmlns.com/foaf/0.1/name")))
    assert Literal("parlgraph editorial team", lang="en") in names


def test_the_description_has_no_blank_node_and_is_identical_across_runs(backend, description):
    assert not any(isinstance(t, BNode) for triple in description for t in triple)
    again = describe_dataset(backend, SETTINGS)
    for fmt in FORMATS.values():
        assert serialize_description(again, fmt) == serialize_description(description, fmt)


def test_the_description_follows_another_base_and_site(backend):
    settings = ServeSettings(base="https://example.org/pg/", site="http://localhost:9/")
    graph = describe(statistics(backend, BASE), settings)
    assert (URIRef("https://example.org/pg/catalog#dataset"), RDF.type, DCAT.Dataset) in graph
    assert URIRef("http://localhost:9/sparql") in set(graph.objects(None, VOID.sparqlEndpoint))


def test_every_authority_iri_used_has_its_table_statements(description):
    table = authority_graph()
    used = {
        o
        for o in description.objects()
        if isinstance(o, URIRef)
        and "publications.europa.eu/resource/authority/" in str(o)
        and str(o).count("/") > 5
    }
    assert used
    for concept in used:
        assert (concept, URIRef("http://www.w3.org/2004/02/skos/core#inScheme"), None) in table


@pytest.mark.skipif(not SHARED_TABLES.is_dir(), reason="the shared vendor folder is not here")
def test_packaged_authority_statements_are_those_of_the_official_tables():
    """Every packaged label and scheme is in the vendored SKOS files (inScheme aside, see tool)."""
    packaged = authority_graph()
    official = Graph()
    for path in sorted(SHARED_TABLES.rglob("*.rdf")):
        if path.name.startswith(
            ("languages", "data-theme", "frequencies", "filetypes-skos", "countries")
        ):
            official.parse(path)
    skos = "http://www.w3.org/2004/02/skos/core#"
    for s, p, o in packaged:
        if str(p) == skos + "prefLabel" or p == RDF.type:
            assert (s, p, o) in official, (s, p, o)


def test_vendored_shapes_are_the_official_bytes():
    readme = (VENDOR / "README.md").read_text("utf-8")
    expected = dict(re.findall(r"\| `([^`]+\.ttl)` \| `([0-9a-f]{16})…` \|", readme))
    checked = 0
    for name, prefix in expected.items():
        path = VENDOR / name
        if path.exists():
            assert hashlib.sha256(path.read_bytes()).hexdigest()[:16] == prefix, name
            checked += 1
    assert checked == len(list(VENDOR.rglob("*.ttl")))
    assert all(path.exists() for files in SHAPE_SETS.values() for path in files)


# ---------------------------------------------------------------------------- routes


@pytest.fixture(scope="module")
def client(backend) -> TestClient:
    return TestClient(Starlette(routes=routes(backend, SETTINGS)))


@pytest.mark.parametrize("path", ["/catalog", "/.well-known/void"])
@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_catalog_routes_negotiate_every_rdf_format(client, description, path, fmt):
    media_type = FORMATS[fmt].media_type
    response = client.get(path, headers={"Accept": media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["vary"] == "Accept"
    parsed = Dataset()
    parsed.parse(data=response.content, format=FORMATS[fmt].rdflib_name)
    triples = {t for t in parsed.triples((None, None, None))}
    assert len(triples) == len(description)


def test_catalog_html_for_browsers_links_every_dump(client):
    response = client.get("/catalog", headers={"Accept": "text/html,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    for fmt in FORMATS.values():
        assert f'href="{SETTINGS.site}dump/parlgraph.{fmt.extension}"' in response.text


def test_catalog_format_parameter_overrides_accept_and_bad_values_name_it(client):
    response = client.get("/catalog?format=ntriples", headers={"Accept": "text/html"})
    assert response.headers["content-type"].startswith("application/n-triples")
    bad = client.get("/catalog?format=yaml")
    assert bad.status_code == 400
    assert bad.json()["ok"] is False
    assert 'parameter "format"' in bad.json()["error"]
    assert client.get("/catalog", headers={"Accept": "image/png"}).status_code == 406


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_dumps_are_the_export_of_the_whole_store(client, backend, fmt):
    extension = FORMATS[fmt].extension
    response = client.get(f"/dump/parlgraph.{extension}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FORMATS[fmt].media_type)
    assert response.content == dump(backend, FORMATS[fmt])


def test_the_nquads_dump_holds_every_quad_of_the_store(client, backend):
    response = client.get("/dump/parlgraph.nq")
    quads = set(ox.parse(response.content, format=ox.RdfFormat.N_QUADS))
    assert quads == set(backend.store)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_a_dump_is_the_export_of_the_stores_quads(backend, fmt):
    """Byte-identical to export.py on the store's quads (read directly, not over SPARQL).

    Not to the export of the built dataset: Oxigraph keeps xsd:nonNegativeInteger offsets as
    xsd:integer (README, "Tested stores").
    """
    direct = Dataset()
    for quad in backend.store:
        direct.graph(URIRef(quad.graph_name.value)).add(
            (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object))
        )
    assert dump(backend, FORMATS[fmt]) == serialize(direct, fmt)


def test_an_unknown_dump_is_a_404_listing_the_dumps(client):
    response = client.get("/dump/parlgraph.yaml")
    assert response.status_code == 404
    assert "/dump/parlgraph.ttl" in response.json()["error"]


def test_doctests_of_the_catalogue_modules_pass():
    from parlgraph import catalog as catalog_module
    from parlgraph.web import negotiate

    for module in (catalog_module, negotiate):
        outcome = doctest.testmod(module)
        assert outcome.attempted > 0 and outcome.failed == 0, module.__name__


def test_a_client_that_accepts_anything_gets_turtle(client):
    for headers in ({}, {"Accept": "*/*"}):
        response = client.get("/catalog", headers=headers)
        assert response.headers["content-type"].startswith("text/turtle")
