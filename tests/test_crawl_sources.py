"""The crawl stage end to end: a real server on 127.0.0.1, a temporary SQLite store.

One good source and one of each way a source breaks; the broken ones must end as one
health error and one log line each, and never stop the others.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import LocalServer
from sqlalchemy.orm import Session, sessionmaker

from config import SAMPLE_DATA_DIR, Settings, load_sources
from crawlers.crawl import crawl_sources
from crawlers.errors import UnknownSourceError
from crawlers.fetch import FetchLimits, FetchResult
from store.db import transaction
from store.documents import count_documents, previous_revision, untagged_documents
from store.records import SourceSpec
from store.sources import ConditionalState, SourceHealth, list_health

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
GOOD_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Good (test)</title>
<item><title>First</title><link>https://example.org/1</link>
<pubDate>Tue, 10 Nov 2026 10:30:00 +0000</pubDate><description>One.</description></item>
<item><title>Second</title><link>https://example.org/2?utm_source=rss</link>
<description><![CDATA[<p>Two.</p>]]></description></item>
</channel></rss>"""
BAD_SOURCES = ("malformed", "html-page", "hang", "http-500")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        srv.route("/good.xml", GOOD_FEED, etag='"v1"')
        srv.route("/malformed.xml", (FIXTURES / "malformed.xml").read_bytes())
        srv.route(
            "/error.html",
            (FIXTURES / "html_error_page.html").read_bytes(),
            content_type="text/html",
        )
        srv.route("/hang.xml", GOOD_FEED, hang=30.0)
        srv.route("/500.xml", b"Internal Server Error", status=500, content_type="text/plain")
        yield srv


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workdir=tmp_path, fetch_timeout=1.0)


def _specs(server: LocalServer) -> list[SourceSpec]:
    paths = {
        "good": "/good.xml",
        "malformed": "/malformed.xml",
        "html-page": "/error.html",
        "hang": "/hang.xml",
        "http-500": "/500.xml",
        "switched-off": "/good.xml",
    }
    return [
        SourceSpec(
            id=source_id,
            kind="rss",
            url=server.url(path),
            issuer="Test",
            enabled=source_id != "switched-off",
        )
        for source_id, path in paths.items()
    ]


def _about(record: logging.LogRecord, source_id: str) -> bool:
    return record.getMessage().startswith((f"source {source_id}:", f"source {source_id} "))


def _health(store: sessionmaker[Session]) -> dict[str, SourceHealth]:
    with transaction(store) as session:
        return {h.id: h for h in list_health(session)}


def test_crawl_isolates_broken_sources(
    server: LocalServer,
    settings: Settings,
    store: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    lines: list[str] = []
    with caplog.at_level(logging.WARNING):
        report = crawl_sources(store, settings, _specs(server), progress=lines.append)

    outcomes = {o.source_id: o for o in report.outcomes}
    assert "switched-off" not in outcomes
    assert (outcomes["good"].status, outcomes["good"].new) == ("ok", 2)
    assert {o.source_id for o in report.failed} == set(BAD_SOURCES)
    # Progress lines come as sources finish: the hanging one last, the others meanwhile.
    assert [line.split("]")[0] for line in lines] == [f"[{n}/5" for n in range(1, 6)]
    assert "] good: 2 new, 0 revised" in "\n".join(lines)
    assert lines[4].startswith("[5/5] hang: error: no complete response from ")
    assert [o.source_id for o in report.outcomes] == ["good", *BAD_SOURCES]
    assert str(report) == (
        "crawled 5 sources: 2 new, 0 revised, 4 failed (malformed, html-page, hang, http-500)"
    )

    health = _health(store)
    assert health["good"].last_error is None and health["good"].last_ok is not None
    for source_id in BAD_SOURCES:
        assert health[source_id].last_error, source_id
        assert health[source_id].consecutive_failures == 1, source_id
        assert outcomes[source_id].error == health[source_id].last_error
        records = [r for r in caplog.records if _about(r, source_id)]
        assert len(records) == 1, (source_id, [r.getMessage() for r in records])
    assert len(caplog.records) == len(BAD_SOURCES)
    assert "HTTP 500 from " in str(health["http-500"].last_error)
    assert "within 1 s" in str(health["hang"].last_error)
    assert "HTML page" in str(health["html-page"].last_error)
    assert "malformed feed" in str(health["malformed"].last_error)
    with transaction(store) as session:
        assert count_documents(session) == 2
        urls = {d.url for d in untagged_documents(session)}
    assert urls == {"https://example.org/1", "https://example.org/2"}


def test_crawl_conditional_get_stores_nothing_new(
    server: LocalServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    specs = _specs(server)
    crawl_sources(store, settings, specs, only=["good"])
    assert "If-None-Match" not in server.requests_to("/good.xml")[0].headers

    report = crawl_sources(store, settings, specs, only=["good"])

    assert server.requests_to("/good.xml")[1].headers["If-None-Match"] == '"v1"'
    assert report.outcomes[0].status == "not_modified"
    assert report.outcomes[0].describe() == "not modified"
    with transaction(store) as session:
        assert count_documents(session) == 2
    assert _health(store)["good"].consecutive_failures == 0


def test_crawl_changed_document_becomes_revision_2(
    server: LocalServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    specs = _specs(server)
    crawl_sources(store, settings, specs, only=["good"])
    server.route("/good.xml", GOOD_FEED.replace(b"One.", b"One, corrected."), etag='"v2"')

    report = crawl_sources(store, settings, specs, only=["good"])

    assert (report.new, report.revised, report.outcomes[0].unchanged) == (0, 1, 1)
    with transaction(store) as session:
        current = {d.url: d for d in untagged_documents(session)}
        first = current["https://example.org/1"]
        assert (first.revision, first.text) == (2, "One, corrected.")
        before = previous_revision(session, first.id)
        assert before is not None and before.text == "One."
        assert count_documents(session) == 3


def test_crawl_recovers_after_a_failure(
    server: LocalServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    specs = _specs(server)
    crawl_sources(store, settings, specs, only=["http-500"])
    crawl_sources(store, settings, specs, only=["http-500"])
    assert _health(store)["http-500"].consecutive_failures == 2
    server.route("/500.xml", GOOD_FEED)

    report = crawl_sources(store, settings, specs, only=["http-500"])

    assert report.outcomes[0].status == "ok"
    assert _health(store)["http-500"].consecutive_failures == 0


def test_crawl_unknown_ids_are_named(
    server: LocalServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    with pytest.raises(UnknownSourceError, match=r"nope.*known ids: good, hang"):
        crawl_sources(store, settings, _specs(server), only=["good", "nope"])
    assert not server.requests


def test_crawl_unexpected_error_is_one_logged_source_error(
    settings: Settings, store: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    def broken_fetcher(
        url: str, limits: FetchLimits, state: ConditionalState | None
    ) -> FetchResult:
        if "broken" in url:
            raise RuntimeError("disk on fire")
        return FetchResult(200, GOOD_FEED, None, None, url, "application/rss+xml")

    specs = [
        SourceSpec(id="broken", kind="rss", url="http://127.0.0.1:9/broken"),
        SourceSpec(id="fine", kind="rss", url="http://127.0.0.1:9/fine"),
    ]
    report = crawl_sources(store, settings, specs, fetcher=broken_fetcher)

    assert [o.status for o in report.outcomes] == ["error", "ok"]
    assert report.outcomes[0].error == "unexpected RuntimeError: disk on fire"
    records = [r for r in caplog.records if _about(r, "broken")]
    assert len(records) == 1 and records[0].exc_info is not None
    assert _health(store)["broken"].consecutive_failures == 1


def test_crawl_sample_sources_twice(settings: Settings, store: sessionmaker[Session]) -> None:
    with LocalServer() as server:
        for feed in (SAMPLE_DATA_DIR / "feeds").iterdir():
            server.route(f"/feeds/{feed.name}", feed.read_bytes())
        specs = load_sources(SAMPLE_DATA_DIR / "sources.toml", {"base": server.url("")})
        first = crawl_sources(store, settings, specs)
        again = crawl_sources(store, settings, specs)

    assert (first.new, first.failed) == (7, ())
    assert (again.new, again.revised, sum(o.unchanged for o in again.outcomes)) == (0, 0, 7)
