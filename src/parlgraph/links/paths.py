"""Where the linking files live in a project folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class LinkPaths:
    """The curated requests, the lock file, the snapshots and the source configuration."""

    root: Path

    @property
    def folder(self) -> Path:
        return self.root / "data" / "links"

    @property
    def requests(self) -> Path:
        return self.folder / "requests.yaml"

    @property
    def lock(self) -> Path:
        return self.folder / "links.lock.tsv"

    @property
    def snapshots(self) -> Path:
        return self.folder / "snapshots"

    def snapshot(self, source: str) -> Path:
        return self.snapshots / f"{source}.nt"

    @property
    def config(self) -> Path:
        return self.root / "queries" / "links" / "sources.toml"
