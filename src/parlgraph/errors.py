"""Errors that carry where they happened, so every message points at a file, line or parameter."""

from __future__ import annotations

from pathlib import Path


class ParlgraphError(Exception):
    """Base class: anything parlgraph reports to a person instead of a traceback."""


class SourceError(ParlgraphError):
    """A document we cannot read; keeps the place so callers can point at it."""

    def __init__(self, message: str, path: Path | str, line: int | None = None) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path, self.line, self.reason = Path(path), line, message


class ParameterError(ParlgraphError):
    """A bad option or query parameter given by the caller."""


class QueryError(ParlgraphError):
    """A stored query that is malformed or cannot be run."""


class ExportError(ParlgraphError):
    """An export that cannot be produced (unknown format, unwritable target)."""


class RemoteError(ParlgraphError):
    """A remote SPARQL endpoint or graph store that cannot be reached or refused a request."""


class RemoteQueryError(RemoteError, SyntaxError):
    """A query the endpoint rejected as malformed (HTTP 400).

    It is also a SyntaxError, as pyoxigraph raises for a bad query, so a caller that answers
    400 for the embedded store does the same for a remote one.
    """
