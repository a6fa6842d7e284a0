"""What to link: data/links/requests.yaml, curated by hand, one request per resource and source.

A request names one of our resources (IRI relative to the dataset base, as in data/), the
predicates the link will carry, the source to search and what to search for: a label in a
language, a code, or (method `manual`) the target itself, which refresh still checks exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import SourceError

PREDICATES = {
    "eli:is_about",
    "dct:subject",
    "dct:spatial",
    "dct:format",
    "eli:language",
    "eli:work_type",
    "eli-dl:participation_role",
    "skos:exactMatch",
    "skos:closeMatch",
    "owl:sameAs",
}
KEYS = {"subject", "predicate", "source", "label", "lang", "code", "target", "why"}


@dataclass(frozen=True)
class Request:
    """One thing to look up; `line` points back into the requests file."""

    subject: str
    predicate: str
    source: str
    label: str | None
    lang: str
    code: str | None
    target: str | None
    why: str
    line: int


class _LineLoader(yaml.SafeLoader):
    """Keeps the line of each mapping so errors can name it."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_requests(path: Path, sources: set[str]) -> list[Request]:
    """Every request, checked against the known predicates and sources.

    Raises:
        SourceError: bad YAML, a missing or unknown key, an unknown predicate or source, or a
            request with neither label, code nor target; naming the file and line.
    """
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except OSError as err:
        raise SourceError(f"cannot read ({err.strerror})", path) from err
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise SourceError(f"invalid YAML: {err}", path, mark.line + 1 if mark else None) from err
    if not isinstance(data, list):
        raise SourceError("expected a list of requests", path, 1)
    requests = []
    for item in data:
        if not isinstance(item, dict):
            raise SourceError("each request is a mapping", path)
        line = item.pop("__line__")
        unknown = set(item) - KEYS
        if unknown:
            raise SourceError(f"unknown key {sorted(map(str, unknown))[0]!r}", path, line)
        for key in ("subject", "predicate", "source", "why"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                raise SourceError(f"missing {key!r}", path, line)
        if item["predicate"] not in PREDICATES:
            raise SourceError(
                f"predicate {item['predicate']!r} is not one of {sorted(PREDICATES)}", path, line
            )
        if item["source"] not in sources:
            raise SourceError(f"source {item['source']!r} is not in sources.toml", path, line)
        given = [k for k in ("label", "code", "target") if item.get(k) is not None]
        if len(given) != 1:
            raise SourceError("give exactly one of label, code or target", path, line)
        requests.append(
            Request(
                item["subject"],
                item["predicate"],
                item["source"],
                _text(item.get("label")),
                str(item.get("lang", "fr")),
                _text(item.get("code")),
                _text(item.get("target")),
                item["why"],
                line,
            )
        )
    return requests


def _text(value: object) -> str | None:
    return None if value is None else str(value)
