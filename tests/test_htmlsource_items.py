"""From spider items to documents and one problem text: pure, no network, no Scrapy.

Plus the spider child's own failures: a crash and the deadline.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from httpserver import LocalServer

from crawlers.errors import SpiderError
from crawlers.htmlsource import decode_items, documents_from_items, run_spider
from crawlers.items import ParseResult
from crawlers.pageitems import (
    DetailPage,
    ListingPage,
    ListingRules,
    PdfFile,
    Problem,
    SpiderItem,
)
from crawlers.spiderjob import SpiderJob
from store.records import FetchedDocument, SourceSpec

SPEC = SourceSpec("s", "html", "https://example.org/news", options={"list_item": "li"})
RULES = ListingRules.from_options(SPEC.options)
FETCHED = datetime(2026, 3, 12, tzinfo=UTC)
ARTICLE = DetailPage(
    "https://example.org/a?utm_source=x#top", "Title", "12 March 2026", "Text.", SPEC.url
)


def _no_pdf(item: PdfFile) -> ParseResult:
    raise AssertionError("no PDF expected")


def _pdf(item: PdfFile) -> ParseResult:
    if item.url.endswith("bad.pdf"):
        return ParseResult((), f"{item.url}: unreadable PDF")
    return ParseResult((FetchedDocument("s", item.url, item.title, "Page 1\fPage 2"),))


def test_htmlsource_articles_become_documents() -> None:
    items: list[SpiderItem] = [ListingPage(SPEC.url, 200, 1, 1, '"e"', "Tue"), ARTICLE, ARTICLE]
    result = documents_from_items(items, SPEC, RULES, FETCHED, _no_pdf)
    assert result.problem is None and not result.not_modified
    assert (result.etag, result.last_modified) == ('"e"', "Tue")
    (doc,) = result.documents
    assert doc.url == "https://example.org/a"
    assert doc.published == datetime(2026, 3, 12, tzinfo=UTC)
    assert (doc.title, doc.text, doc.fetched, doc.language) == ("Title", "Text.", FETCHED, "en")


def test_htmlsource_unchanged_listing_is_not_modified() -> None:
    result = documents_from_items(
        [ListingPage(SPEC.url, 304, 1, 0, '"e"')], SPEC, RULES, FETCHED, _no_pdf
    )
    assert result.not_modified and result.etag == '"e"' and not result.documents


def test_htmlsource_listing_without_entries_is_a_problem() -> None:
    result = documents_from_items([ListingPage(SPEC.url, 200, 1, 0)], SPEC, RULES, FETCHED, _no_pdf)
    assert result.problem == (
        "https://example.org/news: no entries match options.list_item 'li' "
        "(has the page layout changed?)"
    )


def test_htmlsource_no_answer_at_all_is_a_problem() -> None:
    result = documents_from_items([], SPEC, RULES, FETCHED, _no_pdf)
    assert result.problem == "https://example.org/news: the listing page gave no answer"


def test_htmlsource_pdf_problems_keep_the_good_documents() -> None:
    items: list[SpiderItem] = [
        ListingPage(SPEC.url, 200, 1, 2),
        ARTICLE,
        PdfFile("https://example.org/good.pdf", "Good", "", SPEC.url, path="/x"),
        PdfFile("https://example.org/bad.pdf", "Bad", "", SPEC.url, path="/y"),
        *[Problem(f"https://example.org/{n}", "HTTP 500") for n in range(6)],
    ]
    result = documents_from_items(items, SPEC, RULES, FETCHED, _pdf)
    assert [d.url for d in result.documents] == [
        "https://example.org/a",
        "https://example.org/good.pdf",
    ]
    assert result.problem is not None
    assert result.problem.startswith("https://example.org/0: HTTP 500; ")
    assert result.problem.endswith("; and 2 more")


def test_htmlsource_decode_skips_noise() -> None:
    lines = [
        "not json",
        json.dumps(["a list"]),
        json.dumps({"type": "Unknown"}),
        json.dumps({"type": "Problem", "url": "u", "reason": "r", "extra": 1}),
    ]
    assert list(decode_items(lines)) == [Problem("u", "r")]


def _job(tmp_path: Path, **changes: object) -> SpiderJob:
    values: dict[str, object] = {
        "source_id": "s",
        "start_url": "http://127.0.0.1:9/news",
        "options": {"list_item": "li"},
        "pdf_dir": str(tmp_path),
        "user_agent": "test",
        "download_timeout": 1.0,
        "max_bytes": 1000,
        "deadline": 30.0,
        "download_delay": 0.0,
        "retry_times": 0,
    }
    values.update(changes)
    return SpiderJob(**values)  # type: ignore[arg-type]


def test_htmlsource_child_crash_is_a_spider_error(tmp_path: Path) -> None:
    with pytest.raises(SpiderError, match="the crawler process failed"):
        run_spider(_job(tmp_path, options={}))


def test_htmlsource_refused_connection_is_a_problem_item(tmp_path: Path) -> None:
    run = run_spider(_job(tmp_path))
    assert run.problem is None
    (problem,) = run.items
    assert isinstance(problem, Problem) and "ConnectionRefused" in problem.reason


def test_htmlsource_crawl_ends_at_its_deadline(tmp_path: Path) -> None:
    with LocalServer() as server:
        server.route("/news", b"<li>never</li>", content_type="text/html", hang=60.0)
        started = time.monotonic()
        run = run_spider(
            _job(tmp_path, start_url=server.url("/news"), download_timeout=60.0, deadline=2.0)
        )
        elapsed = time.monotonic() - started
    assert elapsed < 3.5
    assert run.problem == "crawl stopped after 2 s (deadline)"
