"""Where the project's folders are: data/, ontology/, shapes/, queries/.

The package runs from a checkout (editable install); PARLGRAPH_HOME overrides the root so a
published copy of the data can be pointed at without moving code.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ParameterError


def _looks_like_root(path: Path) -> bool:
    return (path / "ontology" / "parlgraph.ttl").is_file() and (path / "data").is_dir()


def project_root() -> Path:
    """The folder holding ontology/ and data/: $PARLGRAPH_HOME, else this checkout."""
    env = os.environ.get("PARLGRAPH_HOME")
    if env:
        root = Path(env)
        if not _looks_like_root(root):
            raise ParameterError(f"PARLGRAPH_HOME={env}: no ontology/parlgraph.ttl and data/ there")
        return root
    here = Path(__file__).resolve()
    for candidate in [Path.cwd(), *here.parents]:
        if _looks_like_root(candidate):
            return candidate
    raise ParameterError("cannot find the project folder (ontology/ and data/); set PARLGRAPH_HOME")


@dataclass(frozen=True)
class Layout:
    """The project's folders, all derived from one root."""

    root: Path

    @classmethod
    def default(cls) -> Layout:
        return cls(project_root())

    @property
    def sources(self) -> Path:
        return self.root / "data" / "sources"

    @property
    def curated(self) -> list[Path]:
        """Curated Turtle: reference data first, then one file per document."""
        data = self.root / "data"
        return sorted((data / "reference").rglob("*.ttl")) + sorted(
            (data / "curated").rglob("*.ttl")
        )

    @property
    def people_overrides(self) -> Path:
        """Curated identities for homonyms and spelling variants (people.py)."""
        return self.root / "data" / "resolution" / "people.tsv"

    @property
    def editorial(self) -> list[Path]:
        return sorted((self.root / "data" / "editorial").rglob("*.ttl"))

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "parlgraph.ttl"

    @property
    def shapes(self) -> list[Path]:
        return sorted((self.root / "shapes").glob("*.ttl"))

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    def source_files(self) -> list[Path]:
        return sorted(self.sources.rglob("*.txt"))
