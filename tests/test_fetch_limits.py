"""crawlers.fetch against a real server on 127.0.0.1: limits, conditional GET, named errors."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from httpserver import LocalServer

from crawlers.errors import (
    BadStatus,
    ConnectionFailed,
    FetchTimeout,
    InvalidURL,
    RedirectLoop,
    TooLarge,
    TooManyRedirects,
)
from crawlers.fetch import FetchLimits, fetch
from store.sources import ConditionalState

pytestmark = pytest.mark.e2e

LIMITS = FetchLimits(timeout=0.5, max_bytes=1000, user_agent="returnwatch-test/1", max_redirects=3)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def test_fetch_returns_body_and_validators(server: LocalServer) -> None:
    modified = {"Last-Modified": "Tue, 10 Nov 2026 10:00:00 GMT"}
    server.route("/f", b"<rss/>", etag='"v1"', headers=modified)
    result = fetch(server.url("/f"), LIMITS)
    assert (result.status, result.body, result.etag) == (200, b"<rss/>", '"v1"')
    assert result.last_modified == "Tue, 10 Nov 2026 10:00:00 GMT"
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.final_url == server.url("/f")
    assert not result.not_modified
    assert server.requests_to("/f")[0].headers["User-Agent"] == "returnwatch-test/1"


def test_fetch_sends_validators_and_reports_not_modified(server: LocalServer) -> None:
    server.route("/f", b"<rss/>", etag='"v1"')
    state = ConditionalState(etag='"v1"', last_modified="Tue, 10 Nov 2026 10:00:00 GMT")
    result = fetch(server.url("/f"), LIMITS, state)
    assert result.not_modified and result.body == b""
    sent = server.requests_to("/f")[0].headers
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 10 Nov 2026 10:00:00 GMT"


def test_fetch_http_error_names_status_and_url(server: LocalServer) -> None:
    server.route("/f", b"oops", status=500, content_type="text/plain")
    with pytest.raises(BadStatus) as caught:
        fetch(server.url("/f"), LIMITS)
    assert str(caught.value) == f"HTTP 500 from {server.url('/f')}"
    assert caught.value.status == 500


@pytest.mark.parametrize("options", [{"hang": 30.0}, {"trickle": 0.1}], ids=["hang", "trickle"])
def test_fetch_total_deadline_cuts_off_slow_servers(
    server: LocalServer, options: dict[str, float]
) -> None:
    server.route("/f", b"x" * 200, **options)  # trickled, 200 bytes would take 20 s
    started = time.monotonic()
    with pytest.raises(FetchTimeout, match=r"within 0\.5 s"):
        fetch(server.url("/f"), LIMITS)
    assert time.monotonic() - started < LIMITS.timeout + 0.4


@pytest.mark.parametrize("content_length", [True, False], ids=["declared", "streamed"])
def test_fetch_refuses_bodies_over_the_limit(server: LocalServer, content_length: bool) -> None:
    server.route("/f", b"x" * 5000, content_length=content_length)
    with pytest.raises(TooLarge, match="1000"):
        fetch(server.url("/f"), LIMITS)


def test_fetch_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectionFailed, match=f"127.0.0.1:{port}"):
        fetch(f"http://127.0.0.1:{port}/f", LIMITS)


def test_fetch_follows_redirects(server: LocalServer) -> None:
    server.route("/old", status=301, headers={"Location": "/new"})
    server.route("/new", b"<rss/>")
    result = fetch(server.url("/old"), LIMITS)
    assert (result.body, result.final_url) == (b"<rss/>", server.url("/new"))


def test_fetch_names_a_redirect_loop(server: LocalServer) -> None:
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(RedirectLoop, match="loop"):
        fetch(server.url("/a"), LIMITS)


def test_fetch_limits_the_number_of_redirects(server: LocalServer) -> None:
    for hop in range(5):
        server.route(f"/{hop}", status=302, headers={"Location": f"/{hop + 1}"})
    with pytest.raises(TooManyRedirects, match="more than 3 redirects"):
        fetch(server.url("/0"), LIMITS)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/f", "not a url"])
def test_fetch_refuses_other_schemes(url: str) -> None:
    with pytest.raises(InvalidURL):
        fetch(url, LIMITS)


def test_fetch_refuses_a_redirect_to_another_scheme(server: LocalServer) -> None:
    server.route("/f", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(InvalidURL):
        fetch(server.url("/f"), LIMITS)
