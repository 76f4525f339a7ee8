"""The listing spider's callbacks on recorded bodies: HtmlResponse in, items out.

The sample pages (tests/fixtures/html/) are shaped like UNHCR, OHCHR and IOM pages; each
is read with the options of its production entry in sources.toml, and the expectations
sit next to the pages in sites.toml.
"""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from config import DEFAULT_SOURCES_FILE, load_sources
from crawlers.dates import parse_date
from crawlers.listing import ListingSpider, describe_failure
from crawlers.pageitems import DetailPage, ListingPage, ListingRules, PdfFile, Problem

FIXTURES = Path(__file__).parent / "fixtures" / "html"
SITES: list[dict[str, Any]] = tomllib.loads((FIXTURES / "sites.toml").read_text("utf-8"))["site"]
OPTIONS = {spec.id: spec.options for spec in load_sources(DEFAULT_SOURCES_FILE)}


def _spider(site: dict[str, Any], **overrides: Any) -> ListingSpider:
    rules = ListingRules.from_options({**OPTIONS[site["source"]], **overrides})
    return ListingSpider(start_url=site["listing_url"], rules=rules)


def _page(url: str, name: str, status: int = 200, **headers: str) -> HtmlResponse:
    body = (FIXTURES / name).read_bytes()
    return HtmlResponse(url, body=body, status=status, headers=headers, encoding="utf-8")


@pytest.mark.parametrize("site", SITES, ids=[s["source"] for s in SITES])
def test_listing_spider_reads_the_listing(site: dict[str, Any]) -> None:
    spider = _spider(site)
    response = _page(site["listing_url"], site["listing"], ETag='"abc"')
    out = list(spider.parse_listing(response, number=1))
    listing = [o for o in out if isinstance(o, ListingPage)]
    requests = [o for o in out if isinstance(o, Request)]
    assert listing == [ListingPage(site["listing_url"], 200, 1, site["entries"], '"abc"', None)]
    details = [r for r in requests if r.callback == spider.parse_detail]
    found = [
        {"url": r.url, "title": r.cb_kwargs["title"], "date": r.cb_kwargs["date"]} for r in details
    ]
    assert found == site["details"]
    assert all(parse_date(d["date"]) is not None for d in found)
    pages = [r for r in requests if r.callback == spider.parse_listing]
    assert [r.url for r in pages] == [site["next_page"]]
    assert pages[0].cb_kwargs == {"number": 2}


@pytest.mark.parametrize("site", SITES, ids=[s["source"] for s in SITES])
def test_listing_spider_reads_the_detail_page(site: dict[str, Any]) -> None:
    spider = _spider(site)
    response = _page(site["detail_url"], site["detail"])
    out = list(spider.parse_detail(response, site["listing_url"], "listing title", ""))
    (page,) = [o for o in out if isinstance(o, DetailPage)]
    assert page.title == site["title"]
    assert parse_date(page.date) is not None
    assert str(parse_date(page.date)).replace(" ", "T") == site["published"]
    assert site["text_contains"] in page.text
    assert page.text.count("\n\n") + 1 == site["paragraphs"]
    for unwanted in site["text_lacks"]:
        assert unwanted not in page.text
    assert page.pdf_urls == site["pdfs"]
    pdf_requests = [o.url for o in out if isinstance(o, Request)]
    assert pdf_requests == site["pdfs"]
    assert not [o for o in out if isinstance(o, Problem)]


def test_listing_spider_stops_at_max_pages_and_max_items() -> None:
    site = SITES[0]
    spider = _spider(site, max_pages=1, max_items=2)
    out = list(spider.parse_listing(_page(site["listing_url"], site["listing"]), number=1))
    requests = [o for o in out if isinstance(o, Request)]
    assert [r.url for r in requests] == [d["url"] for d in site["details"][:2]]


def test_listing_spider_follows_each_url_once() -> None:
    site = SITES[0]
    spider = _spider(site, max_pages=3)
    response = _page(site["listing_url"], site["listing"])
    first = [o for o in spider.parse_listing(response, number=1) if isinstance(o, Request)]
    again = [o for o in spider.parse_listing(response, number=2) if isinstance(o, Request)]
    assert len(first) == 4  # three articles and the next page
    assert [r.callback for r in again] == [spider.parse_listing]


def test_listing_spider_unchanged_listing_is_one_item() -> None:
    site = SITES[0]
    spider = _spider(site)
    response = HtmlResponse(site["listing_url"], status=304, headers={"ETag": '"v1"'}, body=b"")
    assert list(spider.parse_listing(response, number=1)) == [
        ListingPage(site["listing_url"], 304, 1, 0, '"v1"', None)
    ]


def test_listing_spider_first_request_is_conditional() -> None:
    rules = ListingRules.from_options({"list_item": "li"})
    spider = ListingSpider(
        start_url="https://example.org/news",
        rules=rules,
        etag='"v7"',
        last_modified="Tue, 10 Mar 2026 10:00:00 GMT",
    )

    async def first() -> Request:
        async for request in spider.start():
            return request  # type: ignore[no-any-return]
        raise AssertionError("no start request")

    request = asyncio.run(first())
    assert request.headers[b"If-None-Match"] == b'"v7"'
    assert request.headers[b"If-Modified-Since"] == b"Tue, 10 Mar 2026 10:00:00 GMT"
    assert request.meta["handle_httpstatus_list"] == [304]
    assert request.dont_filter


def test_listing_spider_pdf_answer_becomes_a_pdf_file() -> None:
    spider = _spider(SITES[0])
    url = "https://www.unhcr.org/media/position-returns-sample.pdf"
    response = Response(url, body=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"})
    out = list(spider.parse_detail(response, "https://www.unhcr.org/news", "Position", "2026"))
    assert out == [PdfFile(url, "Position", "2026", "https://www.unhcr.org/news", b"%PDF-1.4 ...")]
    bad = Response(url, body=b"PK\x03\x04", headers={"Content-Type": "application/zip"})
    (problem,) = spider.parse_pdf(bad, "https://www.unhcr.org/news", "Position", "")
    assert isinstance(problem, Problem)
    assert "not a PDF (application/zip)" in problem.reason


def test_listing_spider_detail_without_body_is_reported() -> None:
    site = SITES[2]
    spider = _spider(site, body="div.no-such-class")
    out = list(spider.parse_detail(_page(site["detail_url"], site["detail"]), "l", "t", ""))
    problems = [o for o in out if isinstance(o, Problem)]
    assert [p.reason for p in problems] == ["no text matched options.body 'div.no-such-class'"]


def test_listing_spider_invalid_utf8_is_read_and_reported() -> None:
    spider = ListingSpider(
        start_url="https://x.org/", rules=ListingRules.from_options({"list_item": "li"})
    )
    body = b"<html><body><ul><li><a href='/a'>Caf\xe9 \xff</a></li></ul></body></html>"
    response = HtmlResponse(
        "https://x.org/", body=body, headers={"Content-Type": "text/html; charset=utf-8"}
    )
    out = list(spider.parse_listing(response, number=1))
    problems = [o for o in out if isinstance(o, Problem)]
    assert len(problems) == 1 and "invalid utf-8 text" in problems[0].reason
    assert [o.url for o in out if isinstance(o, Request)] == ["https://x.org/a"]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (Exception("Forbidden by robots.txt"), "forbidden by robots.txt; not fetched"),
        (Exception("max redirections reached"), "too many redirects (a redirect loop?)"),
        (TimeoutError("took longer than 1.0 seconds"), "timed out (took longer than 1.0 seconds)"),
    ],
)
def test_listing_spider_failures_are_described(error: Exception, reason: str) -> None:
    assert describe_failure(Failure(error)) == reason  # type: ignore[no-untyped-call]
