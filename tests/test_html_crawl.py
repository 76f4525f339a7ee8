"""Kinds html and pdf end to end: a real server on 127.0.0.1, Scrapy in its child process,
PDF text in its own child, a temporary SQLite store.

One good site (listing -> articles -> PDFs), a PDF source and a feed, and one source for
each way a site can break; each broken one ends as an error on its own health record and
the others are crawled as usual.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpserver import LocalServer
from pdfsamples import bomb_pdf, text_pdf
from sqlalchemy.orm import Session, sessionmaker

from config import DEFAULT_SOURCES_FILE, Settings, load_sources
from crawlers.crawl import crawl_sources
from crawlers.pdftext import PAGE_BREAK
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.documents import count_documents, untagged_documents
from store.records import DocumentView, SourceSpec
from store.sources import SourceHealth, list_health

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).parent / "fixtures" / "html"
HTML = "text/html; charset=utf-8"
PDF = "application/pdf"
UNHCR = {s.id: s.options for s in load_sources(DEFAULT_SOURCES_FILE)}["unhcr-briefing-notes"]
FAST = {"download_delay": 0, "retry_times": 1, "retry_backoff": 0.2}
POSITION_PAGES = [
    ["UNHCR Position on Returns (sample)", "Introduction."],
    ["UNHCR calls on States to refrain from forcibly returning nationals."],
]
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Feed (test)</title>
<item><title>One</title><link>https://example.org/1</link><description>One.</description></item>
</channel></rss>"""
BAD = {
    "no-matches": "no entries match options.list_item '.views-row'",
    "bad-utf8": "invalid utf-8 text",
    "huge": "larger than the size limit",
    "bomb-attached": "decompression bomb",
    "bomb-pdf": "decompression bomb",
    "loop": "too many redirects",
    "hang": "timed out",
    "robots": "forbidden by robots.txt",
}


def _unhcr_site(server: LocalServer) -> None:
    def local(name: str) -> bytes:
        return (FIXTURES / name).read_bytes().replace(b"https://www.unhcr.org", b"")

    base = "/news/briefing-notes"
    server.route(base, local("unhcr_listing.html"), content_type=HTML, etag='"list-v1"')
    older = f'<div class="views-row"><h3><a href="{base}/older-sample">Older</a></h3></div>'
    server.route(f"{base}?page=1", older.encode(), content_type=HTML)
    article = local("unhcr_detail.html")
    server.route(
        f"{base}/unhcr-urges-halt-forced-returns-sample?utm_source=listing",
        article,
        content_type=HTML,
        etag='"a1"',
    )
    for slug in ("displacement-update-sample", "older-sample"):
        body = article.replace(b"UNHCR urges States to halt forced returns", slug.encode())
        body = body.replace(b"/media/unhcr-position-returns-update-sample.pdf", b"")
        server.route(f"{base}/{slug}", body, content_type=HTML)
    server.route(
        "/media/unhcr-position-returns-update-sample.pdf",
        text_pdf(POSITION_PAGES),
        content_type=PDF,
    )
    server.route(
        "/media/position-returns-sample.pdf", text_pdf([["Listed PDF."]]), content_type=PDF
    )


def _broken_sites(server: LocalServer) -> None:
    empty = b"<html><body><p>Site redesigned.</p></body></html>"
    server.route("/empty/news", empty, content_type=HTML)
    listing = b'<div class="views-row"><h3><a href="%s">Item</a></h3></div>'
    server.route("/utf8/news", listing % b"/utf8/a" + b"\xff\xfe broken", content_type=HTML)
    server.route("/utf8/a", b"<article><p>Caf\xe9 ok.</p></article>", content_type=HTML)
    server.route("/huge/news", b"<p>" + b"x" * 1_500_000 + b"</p>", content_type=HTML)
    server.route("/bomb/news", listing % b"/bomb/a", content_type=HTML)
    server.route(
        "/bomb/a",
        b'<article><p>See the annex.</p><a href="/bomb/annex.pdf">annex</a></article>',
        content_type=HTML,
    )
    server.route("/bomb/annex.pdf", bomb_pdf(120), content_type=PDF)
    server.route("/loop/a", status=302, headers={"Location": "/loop/b"}, content_type=HTML)
    server.route("/loop/b", status=302, headers={"Location": "/loop/a"}, content_type=HTML)
    server.route("/hang/news", empty, content_type=HTML, hang=30.0)
    server.route("/private/news", listing % b"/private/a", content_type=HTML)
    server.route("/robots.txt", b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        _unhcr_site(srv)
        _broken_sites(srv)
        srv.route("/position.pdf", text_pdf(POSITION_PAGES), content_type=PDF, etag='"p1"')
        srv.route("/feed.xml", FEED)
        yield srv


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        workdir=tmp_path, fetch_timeout=1.0, max_document_bytes=1_000_000, crawl_per_host=8
    )


@pytest.fixture
def factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(settings.database_url)
    migrate(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


def _html(source_id: str, url: str, **options: Any) -> SourceSpec:
    merged = {"list_item": ".views-row", "link": "h3 a::attr(href)", "body": "article"}
    return SourceSpec(source_id, "html", url, "Test", options={**merged, **FAST, **options})


def _specs(server: LocalServer) -> list[SourceSpec]:
    return [
        SourceSpec(
            "unhcr",
            "html",
            server.url("/news/briefing-notes"),
            "UNHCR",
            True,
            options={**UNHCR, **FAST},
        ),
        SourceSpec("position", "pdf", server.url("/position.pdf"), "UNHCR", True, "HTI"),
        SourceSpec("feed", "rss", server.url("/feed.xml"), "Test"),
        _html("no-matches", server.url("/empty/news")),
        _html("bad-utf8", server.url("/utf8/news")),
        _html("huge", server.url("/huge/news")),
        _html("bomb-attached", server.url("/bomb/news")),
        SourceSpec("bomb-pdf", "pdf", server.url("/bomb/annex.pdf"), "Test"),
        _html("loop", server.url("/loop/a")),
        _html("hang", server.url("/hang/news")),
        _html("robots", server.url("/private/news")),
    ]


def _health(factory: sessionmaker[Session]) -> dict[str, SourceHealth]:
    with transaction(factory) as session:
        return {h.id: h for h in list_health(session)}


def _documents(factory: sessionmaker[Session]) -> dict[str, DocumentView]:
    with transaction(factory) as session:
        return {d.url.split(":", 2)[-1].split("/", 1)[-1]: d for d in untagged_documents(session)}


def test_html_crawl_reads_sites_and_isolates_every_bad_input(
    server: LocalServer, settings: Settings, factory: sessionmaker[Session]
) -> None:
    started = time.monotonic()
    report = crawl_sources(factory, settings, _specs(server))
    elapsed = time.monotonic() - started

    outcomes = {o.source_id: o for o in report.outcomes}
    health = _health(factory)
    assert {o.source_id for o in report.failed} == set(BAD)
    for source_id, reason in BAD.items():
        assert reason in str(health[source_id].last_error), (source_id, health[source_id])
        assert health[source_id].consecutive_failures == 1
    for source_id in ("unhcr", "position", "feed"):
        assert outcomes[source_id].status == "ok", outcomes[source_id]
        assert health[source_id].last_error is None
    assert elapsed < 30, "the hang must be cut at the configured timeout"

    docs = _documents(factory)
    article = docs["news/briefing-notes/unhcr-urges-halt-forced-returns-sample"]
    assert article.title == "UNHCR urges States to halt forced returns (sample)"
    assert article.published is not None and article.published.day == 12
    assert "suspend forced returns" in article.text
    assert "news/briefing-notes/older-sample" in docs  # from the second listing page
    attached = docs["media/unhcr-position-returns-update-sample.pdf"]
    assert attached.text.split(PAGE_BREAK)[1].startswith("UNHCR calls on States")
    assert docs["media/position-returns-sample.pdf"].text == "Listed PDF."
    assert outcomes["unhcr"].new == 5
    position = docs["position.pdf"]
    assert (position.title, position.text.count(PAGE_BREAK)) == ("position", 1)  # file name
    assert "utf8/a" in docs  # a page with broken bytes is still read
    assert "bomb/a" in docs  # the article survives its bomb attachment
    assert not server.requests_to("/private/news"), "robots.txt must be obeyed"
    agents = {r.headers.get("User-Agent") for r in server.requests}
    assert agents == {settings.user_agent}


def test_html_crawl_unchanged_listing_costs_one_conditional_request(
    server: LocalServer, settings: Settings, factory: sessionmaker[Session]
) -> None:
    specs = _specs(server)
    crawl_sources(factory, settings, specs, only=["unhcr", "position"])
    with transaction(factory) as session:
        stored = count_documents(session)
    seen = len(server.requests)

    report = crawl_sources(factory, settings, specs, only=["unhcr", "position"])

    assert [o.status for o in report.outcomes] == ["not_modified", "not_modified"]
    again = [r.path for r in server.requests[seen:]]
    assert sorted(again) == ["/news/briefing-notes", "/position.pdf", "/robots.txt"]
    listing = server.requests_to("/news/briefing-notes")[-1]
    assert listing.headers["If-None-Match"] == '"list-v1"'
    with transaction(factory) as session:
        assert count_documents(session) == stored

    # The listing changes: the known article is revalidated from the HTTP cache (a 304).
    server.routes["/news/briefing-notes"].etag = '"list-v2"'
    report = crawl_sources(factory, settings, specs, only=["unhcr"])
    assert report.outcomes[0].status == "ok"
    article = server.requests_to(
        "/news/briefing-notes/unhcr-urges-halt-forced-returns-sample?utm_source=listing"
    )
    assert [r.headers.get("If-None-Match") for r in article] == [None, '"a1"']
