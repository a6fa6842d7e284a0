"""Errors of the linking step, each naming the file and line, source or endpoint at fault."""

from __future__ import annotations

from ..errors import ParameterError, ParlgraphError, SourceError

__all__ = ["EndpointError", "LinkError", "ParameterError", "SourceError"]


class LinkError(ParlgraphError):
    """A refresh or review that cannot go on; nothing has been written when it is raised."""


class EndpointError(LinkError):
    """An endpoint that did not answer usefully (down, 429 past the retries, 5xx, bad body)."""

    def __init__(self, endpoint: str, message: str) -> None:
        super().__init__(f"{endpoint}: {message}")
        self.endpoint = endpoint
