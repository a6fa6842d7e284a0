"""Conditional requests (parlgraph.web.caching): RFC 9110 §13 precedence, never an exception."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from starlette.datastructures import Headers

from parlgraph.web.caching import entity_tag, not_modified

ETAG = entity_tag("v1", "/id/x", "text/turtle")
LAST = "Thu, 26 Nov 2026 10:00:00 GMT"


def headers(**fields: str) -> Headers:
    return Headers({name.replace("_", "-"): value for name, value in fields.items()})


def test_if_none_match_wins_over_if_modified_since():
    stale = headers(if_none_match='"other"', if_modified_since="Fri, 27 Nov 2026 10:00:00 GMT")
    assert not not_modified(stale, ETAG, LAST)
    assert not_modified(headers(if_none_match=f'"x", W/{ETAG}'), ETAG, LAST)
    assert not_modified(headers(if_none_match="*"), ETAG, LAST)


def test_dates_compare_by_time():
    assert not_modified(headers(if_modified_since=LAST), ETAG, LAST)
    assert not not_modified(headers(if_modified_since="Wed, 25 Nov 2026 10:00:00 GMT"), ETAG, LAST)


@given(st.text(max_size=80), st.text(max_size=80))
def test_any_validator_headers_give_an_answer(if_none_match, if_modified_since):
    fields = {"if-none-match": if_none_match, "if-modified-since": if_modified_since}
    try:
        request = Headers(fields)
    except (UnicodeEncodeError, ValueError):
        return  # not sendable as HTTP header bytes
    assert not_modified(request, ETAG, LAST) in {True, False}
