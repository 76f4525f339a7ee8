"""Fetch one URL's bytes with hard limits: a total deadline, a size cap and few redirects.

feedparser and most parsers have no timeout of their own, and a per-socket timeout does
not stop a server that trickles one byte at a time. So the whole exchange (connect,
redirects, headers, body) runs under one asyncio deadline, which cancels it cleanly.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from config import Settings
from crawlers.errors import (
    BadStatus,
    BrokenResponse,
    ConnectionFailed,
    FetchTimeout,
    InvalidURL,
    RedirectLoop,
    TooLarge,
    TooManyRedirects,
)
from store.sources import ConditionalState

FETCHABLE_SCHEMES = frozenset({"http", "https"})
DEFAULT_MAX_REDIRECTS = 5


@dataclass(frozen=True)
class FetchLimits:
    """How long, how much and how far a fetch may go; built once from the settings."""

    timeout: float
    max_bytes: int
    user_agent: str
    max_redirects: int = DEFAULT_MAX_REDIRECTS

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchLimits:
        return cls(settings.fetch_timeout, settings.max_document_bytes, settings.user_agent)


@dataclass(frozen=True)
class FetchResult:
    """What came back: a body (status 2xx) or nothing new (status 304)."""

    status: int
    body: bytes
    etag: str | None
    last_modified: str | None
    final_url: str
    content_type: str | None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


Fetcher = Callable[[str, FetchLimits, ConditionalState | None], FetchResult]
"""fetch or a stand-in for it: (url, limits, validators) -> result, raising FetchError."""


def fetch(url: str, limits: FetchLimits, validators: ConditionalState | None = None) -> FetchResult:
    """Fetch from synchronous code; raises a FetchError subclass that says what went wrong.

    Runs its own event loop, so it must not be called from a running one: use fetch_async.
    """
    return asyncio.run(fetch_async(url, limits, validators))


async def fetch_async(
    url: str, limits: FetchLimits, validators: ConditionalState | None = None
) -> FetchResult:
    """Fetch with a conditional GET when validators are known, all within limits.timeout."""
    headers = _request_headers(limits, validators)
    # Socket timeouts are a second line of defence; the deadline below is the real one.
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(limits.timeout),
        follow_redirects=False,
        headers=headers,
        verify=_ssl_context(),
    )
    try:
        async with client, asyncio.timeout(limits.timeout):
            return await _follow(client, url, limits)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise FetchTimeout(f"no complete response from {url} within {limits.timeout:g} s") from exc
    except httpx.ConnectError as exc:
        raise ConnectionFailed(f"cannot connect to {url}: {_reason(exc)}") from exc
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise InvalidURL(f"cannot fetch {url!r}: {_reason(exc)}") from exc
    except httpx.HTTPError as exc:
        raise BrokenResponse(f"broken response from {url}: {_reason(exc)}") from exc


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context for all fetches: building one costs ~40 ms, using it nothing."""
    return httpx.create_ssl_context()


def _request_headers(limits: FetchLimits, validators: ConditionalState | None) -> dict[str, str]:
    headers = {"User-Agent": limits.user_agent}
    if validators is not None and validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators is not None and validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    return headers


async def _follow(client: httpx.AsyncClient, url: str, limits: FetchLimits) -> FetchResult:
    """Follow redirects by hand, so that loops are named and every hop is http(s)."""
    request = client.build_request("GET", _checked(url))
    visited = {str(request.url)}
    for _ in range(limits.max_redirects + 1):
        response = await client.send(request, stream=True)
        try:
            if response.next_request is None:
                return await _read(response, limits)
            request = response.next_request
        finally:
            await response.aclose()
        target = _checked(str(request.url))
        if target in visited:
            raise RedirectLoop(f"redirect loop from {url}: {target} was already visited")
        visited.add(target)
    raise TooManyRedirects(f"more than {limits.max_redirects} redirects from {url}")


def _checked(url: str) -> str:
    scheme = url.partition(":")[0].lower()
    if scheme not in FETCHABLE_SCHEMES:
        raise InvalidURL(f"cannot fetch {url!r}: only http and https URLs are fetched")
    return url


async def _read(response: httpx.Response, limits: FetchLimits) -> FetchResult:
    url = str(response.url)
    if response.status_code == 304:
        return _result(response, b"")
    if not response.is_success:
        raise BadStatus(response.status_code, url)
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise TooLarge(f"{url} is {declared} bytes, more than the limit of {limits.max_bytes}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():  # decoded, so a gzip bomb is caught too
        size += len(chunk)
        if size > limits.max_bytes:
            raise TooLarge(f"{url} is larger than the limit of {limits.max_bytes} bytes")
        chunks.append(chunk)
    return _result(response, b"".join(chunks))


def _result(response: httpx.Response, body: bytes) -> FetchResult:
    return FetchResult(
        status=response.status_code,
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        final_url=str(response.url),
        content_type=response.headers.get("Content-Type"),
    )


def _reason(exc: Exception) -> str:
    return str(exc) or type(exc).__name__
