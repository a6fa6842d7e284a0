"""Write src/parlgraph/resources/eu-authority.ttl: the EU authority-table concepts parlgraph cites.

The dataset description (parlgraph.catalog) names languages, a country, a data theme, a
frequency and file types by their EU Publications Office IRIs. DCAT-AP's controlled-vocabulary
shapes check `skos:inScheme` on each value, and readers want a label, so the description carries,
for each IRI it uses, the statements the official table makes about it: type, scheme and
French and English labels. This script copies those statements from the tables (never typed by
hand), so the package need not ship the multi-megabyte tables.

Usage:
    python tools/eu_authority_subset.py [VENDOR_DIR]

VENDOR_DIR defaults to /work/shared/vendor/eu-authority-tables.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "parlgraph" / "resources" / "eu-authority.ttl"
AUTHORITY = "http://publications.europa.eu/resource/authority/"
AT = Namespace("http://publications.europa.eu/ontology/authority/")

# (table, file under the vendor folder, codes used by parlgraph.catalog)
TABLES = (
    ("language", "dcatapit-filtered/languages-filtered.rdf", ("ENG", "FRA")),
    ("country", "europarl-2022-12/countries-skos.rdf", ("BEL",)),
    ("data-theme", "dcatapit-filtered/data-theme-filtered.rdf", ("GOVE",)),
    ("frequency", "dcatapit-filtered/frequencies-filtered.rdf", ("IRREG",)),
    (
        "file-type",
        "europarl-2022-12/filetypes-skos.rdf",
        (
            "JSON_LD",
            "RDF_N_QUADS",
            "RDF_N_TRIPLES",
            "RDF_TRIG",
            "RDF_TURTLE",
            "RDF_XML",
            "SPARQLQRES",
        ),
    ),
)
LANGUAGES = ("en", "fr")


def subset(vendor: Path) -> tuple[Graph, list[str]]:
    """The statements about the used concepts and their schemes, and one provenance line each."""
    out = Graph()
    out.bind("skos", SKOS)
    out.bind("dct", DCTERMS)
    notes = []
    for table, file, codes in TABLES:
        source = Graph().parse(vendor / file)
        scheme = URIRef(AUTHORITY + table)
        version = source.value(scheme, AT["table.version.number"])
        notes.append(f"#   {table}: {file} (table version {version})")
        out.add((scheme, RDF.type, SKOS.ConceptScheme))
        for label in source.objects(scheme, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language in LANGUAGES:
                out.add((scheme, SKOS.prefLabel, label))
                # DCAT-AP wants a dct:title on a theme taxonomy: the table's own name.
                out.add((scheme, DCTERMS.title, label))
        for code in codes:
            concept = URIRef(f"{AUTHORITY}{table}/{code}")
            if (concept, RDF.type, SKOS.Concept) not in source:
                raise SystemExit(f"{file}: no concept {concept}")
            out.add((concept, RDF.type, SKOS.Concept))
            # The label-filtered tables lost skos:inScheme; their README restores it from the
            # IRI pattern, which is what the assertion below checks.
            schemes = set(source.objects(concept, SKOS.inScheme)) or {scheme}
            if schemes != {scheme}:
                raise SystemExit(f"{file}: {concept} is in {schemes}, expected {scheme}")
            out.add((concept, SKOS.inScheme, scheme))
            for label in source.objects(concept, SKOS.prefLabel):
                if isinstance(label, Literal) and label.language in LANGUAGES:
                    out.add((concept, SKOS.prefLabel, label))
    return out, notes


def main() -> None:
    vendor = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/work/shared/vendor/eu-authority-tables")
    )
    graph, notes = subset(vendor)
    header = "\n".join(
        [
            "# EU Publications Office authority-table concepts cited by the dataset description,",
            "# copied by tools/eu_authority_subset.py from the official SKOS tables (do not edit):",
            *notes,
            "# © European Union; reuse authorised under Commission Decision 2011/833/EU.",
            "# skos:inScheme of the label-filtered tables (language, data-theme, frequency) is",
            "# restored from the IRI pattern; each scheme's dct:title repeats its skos:prefLabel.",
        ]
    )
    body = graph.serialize(format="turtle")
    TARGET.write_text(header + "\n" + body, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(graph)} triples", file=sys.stderr)


if __name__ == "__main__":
    main()
