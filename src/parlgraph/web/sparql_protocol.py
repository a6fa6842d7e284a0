"""From an HTTP request to one SPARQL operation, per the SPARQL 1.1 Protocol (section 2.1).

Three ways to send a query (GET, form POST, direct POST) and the dataset parameters are read
here, and every way of getting them wrong is refused with the status and message the caller
needs: two queries, no query, a body that is not UTF-8, a media type we do not read, an update.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox

from ..errors import ParlgraphError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMETERS = ("default-graph-uri", "named-graph-uri")
UPDATE_PARAMETERS = ("update", "using-graph-uri", "using-named-graph-uri")


class EndpointError(ParlgraphError):
    """A request the endpoint refuses or cannot answer; status and details go to the client."""

    def __init__(self, status: int, message: str, **details: Any) -> None:
        super().__init__(message)
        self.status, self.message, self.details = status, message, details

    def body(self) -> dict[str, Any]:
        """The one error shape of the site: {"ok": false, "error": ..., "status": ...}."""
        return {"ok": False, "error": self.message, "status": self.status, **self.details}


@dataclass(frozen=True)
class Operation:
    """What the request asks: a query (or None: describe the service) and its dataset."""

    query: str | None
    default_graphs: tuple[str, ...] = field(default=())
    named_graphs: tuple[str, ...] = field(default=())


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """The bare media type, lower-cased, and the charset parameter if any.

    >>> media_type('application/sparql-query; charset="UTF-8"')
    ('application/sparql-query', 'utf-8')
    """
    if not content_type:
        return "", None
    kind, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def _decode(body: bytes, charset: str | None, what: str) -> str:
    """UTF-8 is the only encoding the protocol allows for request bodies."""
    if charset not in (None, "utf-8", "utf8"):
        raise EndpointError(
            415, f"{what} must be encoded in UTF-8, not {charset} (SPARQL 1.1 Protocol 2.1)"
        )
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        raise EndpointError(
            400, f"{what} is not valid UTF-8 (byte {err.start}): the protocol requires UTF-8"
        ) from err


def parse_form(text: str, what: str) -> list[tuple[str, str]]:
    """Name/value pairs of a URL-encoded string, refusing percent-escapes that are not UTF-8."""
    try:
        return parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as err:
        raise EndpointError(400, f"{what}: percent-encoded bytes are not UTF-8 ({err})") from err


def _check_iris(name: str, values: list[str]) -> tuple[str, ...]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as err:
            raise EndpointError(400, f'{name} "{value}" is not an absolute IRI ({err})') from err
    return tuple(values)


def read_operation(
    method: str, url_params: list[tuple[str, str]], content_type: str | None, body: bytes
) -> Operation:
    """The operation a request carries.

    Raises:
        EndpointError: 405 for another method, 415 for a body we do not read, 403 for an
            update (the endpoint is read-only), 400 for missing, repeated or malformed
            parameters.
    """
    if method == "POST":
        params = list(url_params) + _body_parameters(url_params, content_type, body)
    elif method in ("GET", "HEAD"):
        params = list(url_params)
    else:
        raise EndpointError(405, f"{method} is not allowed here: use GET or POST")
    names = [name for name, _ in params]
    if any(name in UPDATE_PARAMETERS for name in names):
        raise _read_only()
    queries = [value for name, value in params if name == "query"]
    if len(queries) > 1:
        raise EndpointError(400, f"the request has {len(queries)} queries; send exactly one")
    default = _check_iris("default-graph-uri", [v for n, v in params if n == "default-graph-uri"])
    named = _check_iris("named-graph-uri", [v for n, v in params if n == "named-graph-uri"])
    query = queries[0] if queries else None
    if query is not None and not query.strip():
        raise EndpointError(400, "the query parameter is empty")
    if query is None and (default or named):
        raise EndpointError(400, "dataset parameters were given without a query")
    return Operation(query, default, named)


def _body_parameters(
    url_params: list[tuple[str, str]], content_type: str | None, body: bytes
) -> list[tuple[str, str]]:
    """The parameters a POST body carries: a form, or a query sent directly (Protocol 2.1)."""
    kind, charset = media_type(content_type)
    if kind == FORM:
        return parse_form(_decode(body, charset, "the form body"), "the form body")
    if kind == QUERY:
        if any(name == "query" for name, _ in url_params):
            raise EndpointError(
                400, "a direct POST carries the query in its body; drop the query parameter"
            )
        return [("query", _decode(body, charset, "the query"))]
    if kind == UPDATE:
        raise _read_only()
    shown = f'"{kind}"' if kind else "no Content-Type"
    raise EndpointError(
        415,
        f"cannot read a POST body with {shown}; send {FORM} (query=...) or {QUERY}",
        accepted=[FORM, QUERY],
    )


def _read_only() -> EndpointError:
    return EndpointError(
        403, "this endpoint is read-only: SPARQL Update is not accepted (SPARQL 1.1 Protocol 2.2)"
    )
