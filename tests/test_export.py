"""Exports: byte-identical across runs, isomorphic to the built graph, written atomically."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pyld import jsonld
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from parlgraph.errors import ExportError, ParameterError
from parlgraph.export import export, serialize, write_atomic
from parlgraph.formats import FORMATS, get_format

from .conftest import ROOT

RDFLIB_NAMES = {f.name: f.rdflib_name for f in FORMATS.values()}


def _quads(dataset: Dataset) -> set[tuple]:
    return {
        (s, p, o, g.identifier if hasattr(g, "identifier") else g)
        for s, p, o, g in dataset.quads((None, None, None, None))
        if (g.identifier if hasattr(g, "identifier") else g) != DATASET_DEFAULT_GRAPH_ID
    }


def _export_in_subprocess(out: Path, seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run(
        [sys.executable, "-m", "parlgraph", "export", "--format", "all", "--out", str(out)],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
    )


def test_export_is_byte_identical_across_runs(tmp_path):
    _export_in_subprocess(tmp_path / "a", "1")
    _export_in_subprocess(tmp_path / "b", "2")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(f"parlgraph.{f.extension}" for f in FORMATS.values())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_parses_back_isomorphic(built, name):
    fmt = get_format(name)
    data = serialize(built.dataset, fmt)
    if fmt.quads:
        back = Dataset()
        back.parse(data=data, format=fmt.rdflib_name)
        assert _quads(back) == _quads(built.dataset)
    else:
        back = Graph().parse(data=data, format=fmt.rdflib_name)
        assert set(back) == set(built.union())


def test_quad_formats_keep_one_graph_per_document_and_per_layer(built):
    back = Dataset()
    back.parse(data=serialize(built.dataset, "trig"), format="trig")
    names = {str(g.identifier) for g in back.graphs() if len(g)}
    assert names == {
        "https://w3id.org/parlgraph/graph/document/wallonia/2023-2024/qe-238",
        "https://w3id.org/parlgraph/graph/entities",  # people, posts, sessions, once each
        "https://w3id.org/parlgraph/graph/commitments",
        "https://w3id.org/parlgraph/graph/curated",
        "https://w3id.org/parlgraph/graph/derived",
        "https://w3id.org/parlgraph/graph/editorial",
        "https://w3id.org/parlgraph/graph/links",  # issue 5: accepted links to EU graphs
        "https://w3id.org/parlgraph/def",
    }


def test_jsonld_is_read_the_same_by_pyld(built):
    document = json.loads(serialize(built.dataset, "jsonld"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    back = Dataset()
    back.parse(data=nquads, format="nquads")
    assert _quads(back) == _quads(built.dataset)


def test_jsonld_uses_the_shipped_context_with_readable_keys(built):
    document = json.loads(serialize(built.dataset, "jsonld"))
    text = json.dumps(document)
    assert document["@context"]["answersTo"]["@id"] == "eli-dl:answers_to"
    assert '"answersTo"' in text and '"wasAttributedTo"' in text


def test_unknown_format_is_refused_with_the_known_ones():
    with pytest.raises(ParameterError, match='--format "yaml" is not an RDF format'):
        get_format("yaml")


def test_failed_export_leaves_earlier_outputs_intact(built, tmp_path, monkeypatch):
    export(built.dataset, ["turtle"], tmp_path)
    before = (tmp_path / "parlgraph.ttl").read_bytes()

    def boom(dataset, fmt):
        raise ExportError("simulated failure")

    monkeypatch.setattr("parlgraph.export.serialize", boom)
    with pytest.raises(ExportError):
        export(built.dataset, ["turtle", "nquads"], tmp_path)
    assert (tmp_path / "parlgraph.ttl").read_bytes() == before
    assert not (tmp_path / "parlgraph.nq").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["parlgraph.ttl"]


def test_write_atomic_leaves_no_temporary_file(tmp_path):
    write_atomic(b"x", tmp_path / "out.ttl")
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]


def test_written_files_are_readable_by_others_as_the_umask_allows(tmp_path):
    """mkstemp makes private files; a published dump must not stay 0600."""
    import os

    previous = os.umask(0o022)
    try:
        write_atomic(b"x", tmp_path / "out.ttl")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.ttl").stat().st_mode & 0o777 == 0o644
