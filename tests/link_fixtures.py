"""Deterministic fixture builder: the vendored EU data as the graphs the EU endpoints serve.

EuroVoc (YAML) and NUTS 2021 (CSV) become sorted N-Triples in SKOS, following the IRI patterns
and properties of Cellar (eurovoc.europa.eu/{id}, data.europa.eu/nuts/code/{code},
skos:inScheme, skos:notation, skos:broader, the NUTS level); the authority tables are loaded as
they are. Each goes into the named graph Cellar uses, so `links refresh` runs unchanged against
a local Oxigraph server. Nothing is added that the vendored files do not say.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

EUROVOC = "http://eurovoc.europa.eu/"
EUROVOC_SCHEME = URIRef(EUROVOC + "100141")
NUTS_CODE = Namespace("http://data.europa.eu/nuts/code/")
NUTS_SCHEME = URIRef("http://data.europa.eu/nuts/scheme/2021")
NUTS_LEVEL = URIRef("http://data.europa.eu/nuts/level")
AUTHORITY = "http://publications.europa.eu/resource/authority/"

# table -> vendored file (the fuller europarl copy where there is one)
AUTHORITY_FILES = {
    "country": "eu-authority-tables/europarl-2022-12/countries-skos.rdf",
    "resource-type": "eu-authority-tables/europarl-2022-12/resourcetypes-skos.rdf",
    "role": "eu-authority-tables/europarl-2022-12/roles-skos.rdf",
    "file-type": "eu-authority-tables/europarl-2022-12/filetypes-skos.rdf",
    "event": "eu-authority-tables/europarl-2022-12/events-skos.rdf",
    "language": "eu-authority-tables/dcatapit-filtered/languages-filtered.rdf",
}
EUROVOC_FILE = "eurovoc/eurovoc-2021-06-04-fr-en.yaml"
NUTS_FILE = "nuts/nuts-2021.csv"


@dataclass(frozen=True)
class FixtureFile:
    """One file to load and the named graph it goes into."""

    path: Path
    graph: str
    format: str  # oxigraph load --format: an extension, nt or rdf


def vendor_dir() -> Path:
    """$PARLGRAPH_VENDOR, else the nearest `shared/vendor` above this checkout.

    Raises:
        FileNotFoundError: with what to set, so a test fails saying why.
    """
    env = os.environ.get("PARLGRAPH_VENDOR")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "vendor" / EUROVOC_FILE).is_file():
            return parent / "shared" / "vendor"
    raise FileNotFoundError("vendored EU data not found: set PARLGRAPH_VENDOR to shared/vendor")


def eurovoc_graph(path: Path) -> Graph:
    """EuroVoc concepts with fr/en labels, schemes, notations and hierarchy, as SKOS."""
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    graph = Graph()
    scheme = EUROVOC_SCHEME
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    if data.get("issued"):
        graph.add((scheme, DCTERMS.issued, Literal(str(data["issued"]), datatype=XSD.date)))
    for lang, title in (data.get("title") or {}).items():
        graph.add((scheme, DCTERMS.title, Literal(title, lang=lang)))
    for key, spec in (data.get("schemes") or {}).items():
        micro = URIRef(f"{EUROVOC}{key}")
        graph.add((micro, RDF.type, SKOS.ConceptScheme))
        for lang, label in (spec.get("prefLabel") or {}).items():
            graph.add((micro, SKOS.prefLabel, Literal(label, lang=lang)))
    for key, spec in (data.get("concepts") or {}).items():
        concept = URIRef(f"{EUROVOC}{key}")
        graph.add((concept, RDF.type, SKOS.Concept))
        for target in spec.get("inScheme") or []:
            graph.add((concept, SKOS.inScheme, URIRef(f"{EUROVOC}{target}")))
        for lang, label in (spec.get("prefLabel") or {}).items():
            graph.add((concept, SKOS.prefLabel, Literal(label, lang=lang)))
        for lang, labels in (spec.get("altLabel") or {}).items():
            for label in labels:
                graph.add((concept, SKOS.altLabel, Literal(str(label), lang=lang)))
        for target in spec.get("broader") or []:
            graph.add((concept, SKOS.broader, URIRef(f"{EUROVOC}{target}")))
        for notation in spec.get("notation") or []:
            graph.add((concept, SKOS.notation, Literal(str(notation))))
    return graph


def nuts_graph(path: Path) -> Graph:
    """NUTS 2021 regions: code, level, national name, parent (the code minus one character)."""
    graph = Graph()
    graph.add((NUTS_SCHEME, RDF.type, SKOS.ConceptScheme))
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        code, names, level = row[0].strip(), row[1:5], row[5].strip()
        if not code or not level.isdigit():
            continue
        region = NUTS_CODE[code]
        graph.add((region, RDF.type, SKOS.Concept))
        graph.add((region, SKOS.inScheme, NUTS_SCHEME))
        graph.add((region, SKOS.notation, Literal(code)))
        graph.add((region, NUTS_LEVEL, Literal(int(level))))
        name = next((n.strip() for n in names if n.strip()), "")
        if name:
            graph.add((region, SKOS.prefLabel, Literal(name)))
        if int(level) > 0:
            graph.add((region, SKOS.broader, NUTS_CODE[code[:-1]]))
    return graph


def sorted_ntriples(graph: Graph) -> bytes:
    lines = graph.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines()
    return ("\n".join(sorted(line for line in lines if line.strip())) + "\n").encode("utf-8")


def build_fixtures(vendor: Path, out: Path) -> list[FixtureFile]:
    """Write the converted files into `out`; the list of files to load, with their graphs."""
    out.mkdir(parents=True, exist_ok=True)
    eurovoc = out / "eurovoc.nt"
    eurovoc.write_bytes(sorted_ntriples(eurovoc_graph(vendor / EUROVOC_FILE)))
    nuts = out / "nuts-2021.nt"
    nuts.write_bytes(sorted_ntriples(nuts_graph(vendor / NUTS_FILE)))
    files = [
        FixtureFile(eurovoc, str(EUROVOC_SCHEME), "nt"),
        FixtureFile(nuts, str(NUTS_SCHEME), "nt"),
    ]
    for table, relative in sorted(AUTHORITY_FILES.items()):
        files.append(FixtureFile(vendor / relative, AUTHORITY + table, "rdf"))
    return files
