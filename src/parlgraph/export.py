"""Serialise the dataset, byte-identically across runs, and write files atomically.

Quads are sorted before serialisation and no blank nodes are minted, so the same input gives
the same bytes and diffs of the published data mean something. pyoxigraph writes every format
but JSON-LD, which rdflib compacts with the context shipped in the package.
"""

from __future__ import annotations

import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Dataset

from .errors import ExportError
from .formats import FORMATS, RdfFormat, get_format
from .store import sorted_quads, sorted_triples
from .vocab import PREFIXES

# pyoxigraph's writer for each format it writes (all but JSON-LD), and the prefixes declared
# in the syntaxes that have them: shared with dump.py and catalog.py, so their bytes match.
OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
EXPORT_PREFIXES = {prefix: str(ns) for prefix, ns in sorted(PREFIXES.items())}
FILE_STEM = "parlgraph"


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context shipped with the package (readable keys)."""
    text = resources.files("parlgraph").joinpath("resources/context.jsonld").read_text("utf-8")
    return json.loads(text)["@context"]


def _canonical_json(node: Any) -> Any:
    """Order keys and unordered arrays so JSON-LD output is stable."""
    if isinstance(node, dict):
        return {k: _canonical_json(v) if k != "@list" else v for k, v in sorted(node.items())}
    if isinstance(node, list):
        items = [_canonical_json(v) for v in node]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return node


def _jsonld(dataset: Dataset) -> bytes:
    context = jsonld_context()
    text = dataset.serialize(format="json-ld", context=context, auto_compact=True)
    document = json.loads(text)
    if isinstance(document, list):  # rdflib gives a bare list when nothing compacts
        document = {"@graph": document}
    document["@context"] = context
    body = {k: _canonical_json(v) for k, v in document.items() if k != "@context"}
    ordered = {"@context": context, **dict(sorted(body.items()))}
    return (json.dumps(ordered, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def serialize(dataset: Dataset, fmt: RdfFormat | str) -> bytes:
    """The dataset in one format: quad formats keep named graphs, triple formats merge them."""
    fmt = get_format(fmt) if isinstance(fmt, str) else fmt
    if fmt.name == "jsonld":
        return _jsonld(dataset)
    data = sorted_quads(dataset) if fmt.quads else sorted_triples(dataset)
    return serialize_ox(data, fmt)


def serialize_ox(
    data: list[ox.Quad] | list[ox.Triple],
    fmt: RdfFormat,
    prefixes: dict[str, str] = EXPORT_PREFIXES,
) -> bytes:
    """Quads or triples, already in order, in a format of OX_FORMATS.

    The prefixes are declared only in the syntaxes that have them (Turtle, TriG, RDF/XML).
    """
    declared = prefixes if fmt.name in {"turtle", "trig", "rdfxml"} else None
    return ox.serialize(data, format=OX_FORMATS[fmt.name], prefixes=declared)


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(data: bytes, target: Path) -> None:
    """Write to a temporary file beside the target, then rename: no partial file ever shows."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        # mkstemp makes the file private (0600); published files get the usual mode.
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"{target}: cannot write ({err.strerror})") from err


def export(dataset: Dataset, names: list[str], out_dir: Path) -> list[Path]:
    """Serialise every requested format first, then write them, so a failure writes nothing."""
    payloads = {name: serialize(dataset, name) for name in names}
    written = []
    for name, data in payloads.items():
        target = out_dir / f"{FILE_STEM}.{FORMATS[name].extension}"
        write_atomic(data, target)
        written.append(target)
    return written
