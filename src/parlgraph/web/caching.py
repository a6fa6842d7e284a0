"""HTTP caching and `Vary` for every route: ETag and Last-Modified from the data's version.

A GET or HEAD answered 200 gets `ETag` = digest(data version, URL path and query, Content-Type)
and `Last-Modified` = when the data last changed, and `Cache-Control: public, no-cache`, unless
the route set its own. The contract for
routes is that a GET response is a function of those three things, which holds for a read-only
store. Revalidation (`If-None-Match`, else `If-Modified-Since`, RFC 9110 §13.2.2) turns the
response into a 304 carrying the same headers and no body. `Vary: Accept` is added everywhere,
since pages, descriptions and query results are all negotiated.
"""

from __future__ import annotations

import hashlib
from email.utils import format_datetime, parsedate_to_datetime

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .backend import Backend

# Caches may keep a copy but must revalidate it: cheap with the ETag, and a rebuilt store is
# seen at once.
CACHE_CONTROL = "public, no-cache"
_DROPPED_ON_304 = {"content-length", "content-type", "content-encoding"}


def entity_tag(version: str, target: str, content_type: str) -> str:
    """A strong validator for one representation of one URL at one data version.

    >>> entity_tag("v1", "/id/x", "text/turtle") == entity_tag("v1", "/id/x", "text/turtle")
    True
    >>> entity_tag("v1", "/id/x", "text/turtle") != entity_tag("v2", "/id/x", "text/turtle")
    True
    """
    digest = hashlib.sha256("\n".join((version, target, content_type)).encode()).hexdigest()
    return f'"{digest[:24]}"'


def _tags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header, weak ones compared by their opaque part."""
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def not_modified(request: Headers, etag: str, last_modified: str) -> bool:
    """RFC 9110 §13.1.2 and §13.1.3: If-None-Match wins over If-Modified-Since."""
    if_none_match = request.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return "*" in tags or etag in tags
    since = request.get("if-modified-since")
    if since is None:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC asks


class CachingMiddleware:
    """ETag, Last-Modified, 304 and Vary: Accept around any ASGI app."""

    def __init__(self, app: ASGIApp, backend: Backend) -> None:
        self.app = app
        self.backend = backend

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Headers(scope=scope)
        cacheable = scope["method"] in {"GET", "HEAD"}
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        swallow_body = False

        async def send_wrapper(message: Message) -> None:
            nonlocal swallow_body
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                _add_vary(headers, "Accept")
                if cacheable and message["status"] == 200:
                    last_modified = format_datetime(self.backend.modified(), usegmt=True)
                    if "etag" not in headers:
                        content_type = headers.get("content-type", "")
                        version = self.backend.version()
                        headers["ETag"] = entity_tag(version, target, content_type)
                    headers.setdefault("Last-Modified", last_modified)
                    headers.setdefault("Cache-Control", CACHE_CONTROL)
                    if not_modified(request, headers["etag"], headers["last-modified"]):
                        for name in _DROPPED_ON_304:
                            if name in headers:
                                del headers[name]
                        message["status"] = 304
                        swallow_body = True
                await send(message)
                if swallow_body:
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            if swallow_body:
                return
            await send(message)

        await self.app(scope, receive, send_wrapper)


def _add_vary(headers: MutableHeaders, field: str) -> None:
    present = [v.strip().lower() for v in headers.get("vary", "").split(",") if v.strip()]
    if "*" not in present and field.lower() not in present:
        headers.add_vary_header(field)
