"""Endpoint URLs: checked before any request, and turned into one-line errors when they fail.

A caller's URL is used as is (no scheme or path is guessed), except that the graph store of an
Oxigraph server is derived from its query endpoint, since Oxigraph serves both at fixed paths.
"""

from __future__ import annotations

import re
import urllib.error
from urllib.parse import urlsplit

from ..errors import ParameterError, RemoteError

# Oxigraph serves SPARQL queries at /query and the Graph Store Protocol at /store.
_OXIGRAPH_QUERY_PATH = "/query"
_OXIGRAPH_STORE_PATH = "/store"
_UNSAFE = re.compile(r"[\x00-\x20\x7f<>\"\\^`{|}]")


def check_url(url: str, option: str = "--endpoint") -> str:
    """Return an absolute http(s) URL unchanged, or say what is wrong with it.

    Credentials in the URL are refused: they would be echoed in every error message.

    >>> check_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/query'
    >>> check_url("127.0.0.1:7878/query")
    Traceback (most recent call last):
    ...
    parlgraph.errors.ParameterError: --endpoint "127.0.0.1:7878/query": not an http(s) URL
    """
    if not isinstance(url, str) or _UNSAFE.search(url):
        raise ParameterError(f"{option} {url!r}: not a URL (spaces or reserved characters)")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise ParameterError(f'{option} "{url}": not a URL ({err})') from None
    if parts.scheme not in ("http", "https"):
        raise ParameterError(f'{option} "{url}": not an http(s) URL')
    if not parts.hostname:
        raise ParameterError(f'{option} "{url}": no host')
    if parts.username is not None or parts.password is not None:
        raise ParameterError(f'{option} "{url}": credentials in the URL are not accepted')
    if parts.fragment or url.endswith("#"):
        raise ParameterError(f'{option} "{url}": a fragment (#...) has no meaning here')
    if port == 0:
        raise ParameterError(f'{option} "{url}": port 0 cannot be reached')
    return url


def graph_store_for(endpoint: str) -> str:
    """The Graph Store Protocol URL of an Oxigraph server, from its query endpoint.

    >>> graph_store_for("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    """
    parts = urlsplit(check_url(endpoint))
    if parts.query or not parts.path.endswith(_OXIGRAPH_QUERY_PATH):
        raise ParameterError(
            f'--endpoint "{endpoint}": cannot derive its graph store (only Oxigraph\'s '
            f"{_OXIGRAPH_QUERY_PATH} → {_OXIGRAPH_STORE_PATH}); pass --graph-store URL"
        )
    path = parts.path.removesuffix(_OXIGRAPH_QUERY_PATH) + _OXIGRAPH_STORE_PATH
    return parts._replace(path=path).geturl()


def failure(url: str, err: BaseException, doing: str = "") -> RemoteError:
    """One line naming the URL, the HTTP status or network reason, and the server's words."""
    what = f" ({doing})" if doing else ""
    if isinstance(err, urllib.error.HTTPError):
        return RemoteError(f"{url}: HTTP {err.code} {err.reason}{what}{_said(err)}")
    if isinstance(err, urllib.error.URLError):
        reason = err.reason
        return RemoteError(f"{url}: unreachable{what}: {reason}")
    if isinstance(err, TimeoutError):
        return RemoteError(f"{url}: no answer in time{what}")
    return RemoteError(f"{url}: failed{what}: {err}")


def http_status(url: str, status: int, reason: str, body: bytes, doing: str = "") -> RemoteError:
    """The same one line for a status read from an http.client response."""
    what = f" ({doing})" if doing else ""
    return RemoteError(f"{url}: HTTP {status} {reason}{what}{_summary(body)}")


def _said(err: urllib.error.HTTPError) -> str:
    try:
        body = err.read()
    except OSError:
        return ""
    return _summary(body)


def _summary(body: bytes | str | None) -> str:
    """The server's message on one line, cut short: enough to see why, never a whole page."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    text = " ".join(text.split())
    if not text:
        return ""
    return ": " + (text if len(text) <= 300 else text[:297] + "...")
