"""The seed's build publishes the accepted links, offline, and no external IRI without a source."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

sys.path.insert(0, str(Path(__file__).parent))
from link_fixtures import AUTHORITY_FILES, EUROVOC_FILE, NUTS_FILE, vendor_dir

from parlgraph.dataset import build
from parlgraph.links.lockfile import read_lock
from parlgraph.paths import Layout
from parlgraph.vocab import ELI, PG

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/parlgraph/"
QUESTION = URIRef(BASE + "id/question/wallonia/2023-2024/238")
PARLIAMENT = URIRef(BASE + "id/organization/parlement-de-wallonie")
SME = URIRef("http://eurovoc.europa.eu/2359")
BE3 = URIRef("http://data.europa.eu/nuts/code/BE3")
BEL = URIRef("http://publications.europa.eu/resource/authority/country/BEL")
FRA = URIRef("http://publications.europa.eu/resource/authority/language/FRA")
# Identifier spaces of EU and Wikidata graphs: an IRI there must come from a source.
EXTERNAL = (
    "http://publications.europa.eu/resource/authority/",
    "http://eurovoc.europa.eu/",
    "http://data.europa.eu/nuts/",
    "http://www.wikidata.org/entity/",
    "https://linkedopendata.eu/entity/",
    "http://data.europa.eu/s66",
    "https://cordis.europa.eu/",
)


@pytest.fixture(scope="module")
def links(built) -> Graph:
    return built.dataset.graph(built.links_graph)


def test_seed_graph_carries_the_accepted_links(links: Graph) -> None:
    assert (QUESTION, ELI.is_about, SME) in links
    assert (QUESTION, DCTERMS.subject, SME) in links
    assert (PARLIAMENT, DCTERMS.spatial, BE3) in links
    assert (PARLIAMENT, DCTERMS.spatial, BEL) in links
    assert (URIRef(f"{QUESTION}/fra"), ELI.language, FRA) in links
    assert (SME, SKOS.prefLabel, Literal("petites et moyennes entreprises", lang="fr")) in links
    assert (BE3, SKOS.notation, Literal("BE3")) in links


def test_each_link_names_method_query_endpoint_source_version_and_date(links: Graph) -> None:
    records = set(links.subjects(RDF.type, PG.Link))
    assert len(records) == len(
        [r for r in read_lock(ROOT / "data/links/links.lock.tsv") if r.status == "accepted"]
    )
    for record in records:
        triple = tuple(links.value(record, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert triple in links, record
        assert links.value(record, PG.linkMethod) is not None
        activity = links.value(record, PROV.wasGeneratedBy)
        used = set(links.objects(activity, PROV.used))
        assert any((u, RDF.type, PG.LinkQuery) in links for u in used), record
        assert any(
            links.value(u, URIRef("http://www.w3.org/2002/07/owl#versionInfo")) for u in used
        ), record
        assert links.value(activity, DCTERMS.date) is not None


def test_build_uses_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("build opened a socket")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    built = build(Layout(ROOT))
    assert (QUESTION, ELI.is_about, SME) in built.dataset.graph(built.links_graph)


def _vendored_iris() -> set[str]:
    vendor = vendor_dir()
    text = (vendor / NUTS_FILE).read_text(encoding="utf-8")
    iris = {f"http://data.europa.eu/nuts/code/{line.split(',')[0]}" for line in text.splitlines()}
    iris.add("http://data.europa.eu/nuts/scheme/2021")
    eurovoc = yaml.load(
        (vendor / EUROVOC_FILE).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
    )
    for part in ("concepts", "schemes"):
        iris |= {f"http://eurovoc.europa.eu/{k}" for k in eurovoc[part]}
    for table, relative in AUTHORITY_FILES.items():
        graph = Graph().parse(vendor / relative, format="xml")
        iris.add(f"http://publications.europa.eu/resource/authority/{table}")
        iris |= {str(s) for s in graph.subjects() if isinstance(s, URIRef)}
    return iris


def test_every_external_identifier_of_the_seed_is_vendored_or_in_the_lock_file(built) -> None:
    """Issue 5: no EU or Wikidata identifier typed in by hand without a source."""
    locked = {r.target for r in read_lock(ROOT / "data/links/links.lock.tsv")}
    vendored = _vendored_iris()
    published = {
        str(term)
        for quad in built.dataset.quads((None, None, None, None))
        for term in (quad[0], quad[2])
        if isinstance(term, URIRef) and str(term).startswith(EXTERNAL)
    }
    assert published, "the seed publishes EU identifiers"
    unsourced = sorted(iri for iri in published if iri not in locked and iri not in vendored)
    assert unsourced == []


def test_corpus_build_store_carries_the_links_graph(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from parlgraph.iris import Iris
    from parlgraph.pipeline import CorpusBuilder

    CorpusBuilder(tmp_path / "store", Iris(), Layout(ROOT)).build([ROOT / "data/sources"], jobs=1)
    store = ox.Store.read_only(str(tmp_path / "store" / "oxigraph"))
    ask = (
        f"ASK {{ GRAPH <{BASE}graph/links> {{ <{QUESTION}> "
        f"<http://data.europa.eu/eli/ontology#is_about> <{SME}> }} }}"
    )
    assert bool(store.query(ask))


def test_corpus_build_leaves_out_the_links_of_pages_it_does_not_hold(tmp_path: Path) -> None:
    import pyoxigraph as ox

    from parlgraph.iris import Iris
    from parlgraph.pipeline import CorpusBuilder

    (tmp_path / "pages").mkdir()
    CorpusBuilder(tmp_path / "store", Iris(), Layout(ROOT)).build([tmp_path / "pages"], jobs=1)
    store = ox.Store.read_only(str(tmp_path / "store" / "oxigraph"))

    def ask(subject: URIRef, obj: URIRef) -> bool:
        return bool(
            store.query(f"ASK {{ GRAPH <{BASE}graph/links> {{ <{subject}> ?p <{obj}> }} }}")
        )

    assert not ask(QUESTION, SME)  # question 238's page is not in this corpus
    assert ask(PARLIAMENT, BE3)  # reference data is shared by every corpus
