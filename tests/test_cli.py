"""The command line: results on stdout, one-line errors naming file and line or parameter,
exit codes that tell 'does not conform' from 'bad input', no partial output on failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from parlgraph.cli import cli

from .conftest import ROOT, SEED

BAD = ROOT / "tests" / "bad"


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project's data folders, to break on purpose."""
    root = tmp_path / "project"
    for folder in ["ontology", "data", "shapes", "queries"]:
        shutil.copytree(ROOT / folder, root / folder)
    return root


def test_parse_prints_the_structured_record_of_the_seed():
    result = invoke("parse", str(SEED), "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["question"]["date"] == "2024-01-23"
    assert record["answers"][0]["date"] == "2024-02-12"
    assert record["question"]["asker"] == {"family_name": "MUGEMANGANGO", "given_name": "Germain"}
    addressee = record["question"]["addressee"]
    assert (addressee["family_name"], addressee["given_name"]) == ("BORSUS", "Willy")
    assert addressee["post"].startswith("Ministre de l'Economie, du Commerce extérieur")
    assert (record["session"], record["year"], record["number"]) == ("2023-2024", 2024, 238)
    assert record["reference"] == "238 (2023-2024) 1"


def test_parse_of_a_bad_document_is_one_line_with_file_and_line():
    bad = BAD / "impossible-date.txt"
    expected = (BAD / "impossible-date.err").read_text(encoding="utf-8").strip()
    result = invoke("parse", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {bad}:{expected}"
    assert len(result.stderr.strip().splitlines()) == 1


def test_export_refuses_an_unknown_format_naming_the_option(tmp_path):
    result = invoke("export", "--format", "yaml", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "--format" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_without_out_writes_one_format_to_stdout():
    result = invoke("export", "--format", "ntriples")
    assert result.exit_code == 0
    assert "<https://w3id.org/parlgraph/id/question/wallonia/2023-2024/238>" in result.stdout


def test_bad_base_names_the_parameter(tmp_path):
    result = invoke("export", "--format", "turtle", "--out", str(tmp_path), "--base", "not an iri")
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: --base "not an iri"')
    assert list(tmp_path.iterdir()) == []


def test_run_with_a_malformed_source_fails_and_keeps_earlier_outputs(project_copy, tmp_path):
    out = tmp_path / "out"
    env = {"PARLGRAPH_HOME": str(project_copy)}
    assert invoke("run", "--out", str(out), env=env).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = project_copy / "data" / "sources" / "wallonia" / "2023-2024" / "qe-999.txt"
    shutil.copy(BAD / "impossible-date.txt", bad)
    result = invoke("run", "--out", str(out), env=env)
    assert result.exit_code == 1
    expected = (BAD / "impossible-date.err").read_text(encoding="utf-8").strip()
    assert result.stderr.strip() == f"Error: {bad}:{expected}"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_invalid_curated_turtle_names_file_and_line(project_copy, tmp_path):
    broken = project_copy / "data" / "reference" / "broken.ttl"
    broken.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b .\n", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(
        "export", "--format", "turtle", "--out", str(out), env={"PARLGRAPH_HOME": str(project_copy)}
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {broken}:2: invalid Turtle: objectList expected"
    assert not out.exists()


@pytest.mark.parametrize("command", ["run", "build"])
def test_a_bad_people_override_names_file_and_line_and_keeps_earlier_outputs(
    command, project_copy, tmp_path
):
    out, store = tmp_path / "out", tmp_path / "store"
    env = {"PARLGRAPH_HOME": str(project_copy)}
    sources = str(project_copy / "data" / "sources")
    args = (
        ["run", "--out", str(out)]
        if command == "run"
        else ["build", sources, "--store", str(store)]
    )
    assert invoke(*args, env=env).exit_code == 0
    target = out if command == "run" else store
    before = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}
    people = project_copy / "data" / "resolution" / "people.tsv"
    row = "BORSUS\tWilly\t2019-09-31\t\tborsus-willy\tBORSUS\tWilly\thttps://example.org/\n"
    people.write_text(people.read_text(encoding="utf-8") + row, encoding="utf-8")
    result = invoke(*args, env=env)
    assert result.exit_code == 1
    line = len(people.read_text(encoding="utf-8").splitlines())
    assert result.stderr.strip() == (
        f"Error: {people}:{line}: from '2019-09-31': day is out of range for month"
    )
    assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("command", ["parse", "validate", "query", "export", "report", "run"])
def test_every_command_has_help(command):
    result = invoke(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout and len(result.stdout.splitlines()) > 4


def test_readme_starts_with_the_two_commands():
    lines = [line for line in (ROOT / "README.md").read_text().splitlines() if line.strip()]
    assert lines[1].startswith("make run")
    assert lines[2].startswith("make test")
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci


def test_query_defaults_follow_another_base():
    result = invoke(
        "query", "commitment-actions", "--format", "json", "--base", "https://data.example.org/pg/"
    )
    assert result.exit_code == 0
    rows = json.loads(result.stdout)["results"]["bindings"]
    assert len(rows) == 13
    assert all(r["action"]["value"].startswith("https://data.example.org/pg/id/") for r in rows)
