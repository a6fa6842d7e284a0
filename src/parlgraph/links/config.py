"""Which endpoint and which query templates serve each link source.

The defaults name the live public endpoints; tests and offline refreshes point a name at a
local server with `--endpoint NAME=URL` instead of editing the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ParameterError, SourceError

SOURCE_KEYS = {"endpoint", "search", "describe", "params", "dataset", "licence"}
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


@dataclass(frozen=True)
class Source:
    """One link source: a named endpoint, a search and a describe template, fixed parameters."""

    name: str
    endpoint: str
    url: str
    search: Path
    describe: Path
    params: dict[str, str] = field(default_factory=dict)
    dataset: str = ""
    licence: str = ""


@dataclass(frozen=True)
class Config:
    """Every configured source, by name, in file order."""

    path: Path
    sources: dict[str, Source]

    def select(self, names: list[str] | None) -> list[Source]:
        """The sources to refresh: the named ones (each checked), or all of them."""
        if not names:
            return list(self.sources.values())
        unknown = [n for n in names if n not in self.sources]
        if unknown:
            known = ", ".join(self.sources)
            raise ParameterError(f"--source {unknown[0]}: unknown source (known: {known})")
        return [self.sources[n] for n in names]


def parse_overrides(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """`NAME=URL` pairs from the command line.

    >>> parse_overrides(["cellar=http://127.0.0.1:7878/query"])
    {'cellar': 'http://127.0.0.1:7878/query'}
    """
    overrides = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not name or not _URL.fullmatch(url):
            raise ParameterError(f'--endpoint "{pair}": expected NAME=http(s)://HOST[:PORT]/PATH')
        overrides[name] = url
    return overrides


def load_config(path: Path, overrides: dict[str, str] | None = None) -> Config:
    """Read sources.toml; templates are resolved beside it and must exist.

    Raises:
        SourceError: bad TOML, an unknown key, a missing template or an undefined endpoint.
        ParameterError: an override naming an endpoint the file does not define.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        line = re.search(r"line (\d+)", str(err))
        raise SourceError(
            f"invalid TOML: {err}", path, int(line.group(1)) if line else None
        ) from err
    except OSError as err:
        raise SourceError(f"cannot read ({err.strerror})", path) from err
    endpoints: dict[str, str] = dict(data.get("endpoints", {}))
    for name, url in (overrides or {}).items():
        if name not in endpoints:
            raise ParameterError(
                f"--endpoint {name}=...: {path} defines no endpoint {name!r} "
                f"(known: {', '.join(endpoints)})"
            )
        endpoints[name] = url
    sources = {}
    for name, spec in data.get("sources", {}).items():
        unknown = set(spec) - SOURCE_KEYS
        if unknown:
            raise SourceError(f"source {name!r}: unknown key {sorted(unknown)[0]!r}", path)
        endpoint = spec.get("endpoint", "")
        if endpoint not in endpoints:
            raise SourceError(f"source {name!r}: endpoint {endpoint!r} is not in [endpoints]", path)
        templates = []
        for key in ("search", "describe"):
            template = path.parent / str(spec.get(key, ""))
            if not spec.get(key) or not template.is_file():
                raise SourceError(f"source {name!r}: {key} template {template} not found", path)
            templates.append(template)
        sources[name] = Source(
            name,
            endpoint,
            endpoints[endpoint],
            templates[0],
            templates[1],
            {k: str(v) for k, v in spec.get("params", {}).items()},
            str(spec.get("dataset", "")),
            str(spec.get("licence", "")),
        )
    return Config(path, sources)
