"""The one place that talks to SPARQL endpoints: sequential, polite, and bounded in time.

Public endpoints ask for a descriptive User-Agent, one query at a time, and that a 429's
Retry-After be honoured (Wikidata bans clients that ignore it); this client does all three,
retries 429/503 and 5xx a few times with backoff, and turns every failure into one
EndpointError that names the endpoint.
"""

from __future__ import annotations

import email.utils
import re
import time
import urllib.error
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from .. import __version__
from .errors import EndpointError
from .results import Row, parse_results

USER_AGENT = (
    f"parlgraph/{__version__} (links refresh; https://w3id.org/parlgraph/) SPARQLWrapper/2 Python"
)
RETRY_STATUSES = {429, 502, 503, 504}


@dataclass
class Policy:
    """How patient the client is: timeouts, retries and the pause between queries."""

    timeout: float = 60.0
    attempts: int = 3
    backoff: float = 2.0  # seconds before the first retry without Retry-After, then doubled
    max_wait: float = 120.0  # a Retry-After longer than this fails the refresh instead
    pause: float = 1.0  # between two queries to the same endpoint
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date).

    >>> retry_after("7")
    7.0
    >>> retry_after("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> retry_after("soon") is None and retry_after("²") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if re.fullmatch(r"[0-9]+", value):  # not str.isdigit(): "²" is a digit to Python
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class SparqlClient:
    """Runs SELECT queries against one endpoint URL, one after the other."""

    def __init__(self, url: str, policy: Policy | None = None) -> None:
        self.url, self.policy = url, policy or Policy()
        self.queries_sent = 0
        self._last = 0.0

    def select(self, query: str) -> list[Row]:
        """Rows of a SELECT query.

        Raises:
            EndpointError: unreachable, timed out, refused the query, or answered garbage.
        """
        wait, delay = 0.0, self.policy.backoff
        for attempt in range(1, self.policy.attempts + 1):
            if wait:
                self.policy.sleep(wait)
            self._be_polite()
            try:
                return parse_results(self._send(query), self.url)
            except _Retry as retry:
                if attempt == self.policy.attempts:
                    raise EndpointError(
                        self.url, f"{retry.reason}, still after {attempt} attempts"
                    ) from None
                if retry.wait is None:  # our own backoff, never longer than max_wait
                    wait = min(delay, self.policy.max_wait)
                elif retry.wait > self.policy.max_wait:
                    raise EndpointError(
                        self.url,
                        f"{retry.reason}; Retry-After asks for {retry.wait:.0f} s, more than "
                        f"the {self.policy.max_wait:.0f} s this refresh waits",
                    ) from None
                else:
                    wait = retry.wait
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _be_polite(self) -> None:
        since = time.monotonic() - self._last
        if self._last and since < self.policy.pause:
            self.policy.sleep(self.policy.pause - since)
        self._last = time.monotonic()

    def _send(self, query: str) -> bytes:
        wrapper = SPARQLWrapper(self.url, agent=USER_AGENT)
        wrapper.setQuery(query)
        wrapper.setMethod(POST)
        wrapper.setReturnFormat(JSON)
        wrapper.setTimeout(max(1, round(self.policy.timeout)))
        self.queries_sent += 1
        try:
            response = wrapper.query().response
            return response.read()
        except urllib.error.HTTPError as err:  # SPARQLWrapper re-raises the codes it does not map
            if err.code in RETRY_STATUSES:
                wait = retry_after(err.headers.get("Retry-After"))
                raise _Retry(f"HTTP {err.code}", wait) from None
            raise EndpointError(self.url, f"HTTP {err.code} {err.reason}") from None
        except SPARQLWrapperException as err:  # 400, 401, 404, 414, 500
            name = type(err).__name__
            if name == "EndPointInternalError":
                raise _Retry("HTTP 500 (endpoint internal error)", None) from None
            first = str(err).splitlines()[0] if str(err) else name
            raise EndpointError(self.url, f"{name}: {first}") from None
        except TimeoutError:
            raise _Retry(f"no answer within {self.policy.timeout:g} s", None) from None
        except urllib.error.URLError as err:
            if isinstance(err.reason, TimeoutError):
                raise _Retry(f"no answer within {self.policy.timeout:g} s", None) from None
            raise EndpointError(self.url, f"cannot reach the endpoint ({err.reason})") from None
        except (ConnectionError, OSError) as err:
            raise EndpointError(self.url, f"connection failed ({err})") from None


class _Retry(Exception):
    def __init__(self, reason: str, wait: float | None) -> None:
        super().__init__(reason)
        self.reason, self.wait = reason, wait
