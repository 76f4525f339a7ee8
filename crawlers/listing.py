"""One configurable list-and-detail spider for news sites (UNHCR, OHCHR, IOM ...).

A source of kind `html` names CSS selectors in its options; the spider reads the listing
page(s), follows each entry to its detail page and the detail page to its attached PDFs.
Its callbacks only turn responses into items (the dataclasses below); storing PDF bodies
and writing items out are pipelines (crawlers.spiderrun), turning items into documents is
the parent process's job (crawlers.htmlsource).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from typing import Any

import scrapy
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawlers.pageitems import DetailPage, ListingPage, ListingRules, PdfFile, Problem
from crawlers.plaintext import html_to_text, normalize_text

logger = logging.getLogger(__name__)

PDF_TYPES = (b"application/pdf", b"application/x-pdf")


class ListingSpider(scrapy.Spider):
    """Listing page(s) -> detail pages -> PDFs, by the selectors in ListingRules."""

    name = "listing"

    def __init__(
        self,
        start_url: str,
        rules: ListingRules,
        etag: str | None = None,
        last_modified: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url
        self.rules = rules
        self.validators = {"If-None-Match": etag, "If-Modified-Since": last_modified}
        self.followed: set[str] = set()  # detail and PDF URLs already requested

    async def start(self) -> Any:
        """The first listing page, conditional so that an unchanged listing costs a 304."""
        headers = {name: value for name, value in self.validators.items() if value}
        yield self.listing_request(self.start_url, 1, headers)

    def listing_request(
        self, url: str, number: int, headers: Mapping[str, str] | None = None
    ) -> scrapy.Request:
        # dont_filter: a redirect loop must run into the redirect limit and be reported,
        # not vanish in the duplicate filter; the spider dedups URLs itself (`followed`).
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.report_failure,
            headers=dict(headers or {}),
            cb_kwargs={"number": number},
            meta={"handle_httpstatus_list": [304], "dont_cache": True},
            dont_filter=True,
        )

    def parse_listing(self, response: Response, number: int) -> Iterator[Any]:
        """Entries of a listing page become detail requests; the next page is followed."""
        if response.status == 304:
            yield ListingPage(response.url, 304, number, 0, *_validators(response))
            return
        if not isinstance(response, TextResponse):
            yield Problem(response.url, "listing page is not HTML")
            return
        yield from _encoding_problem(response)
        entries = response.css(self.rules.list_item)
        yield ListingPage(
            response.url, response.status, number, len(entries), *_validators(response)
        )
        for entry in entries:
            href = entry.css(self.rules.link).get()
            if not href or len(self.followed) >= self.rules.max_items:
                continue
            url = response.urljoin(href.strip())
            if url in self.followed:
                continue
            self.followed.add(url)
            yield self.detail_request(
                url, response.url, _text(entry, self.rules.title), _text(entry, self.rules.date)
            )
        yield from self._next_listing(response, number)

    def _next_listing(self, response: TextResponse, number: int) -> Iterator[scrapy.Request]:
        if not self.rules.next_page or number >= self.rules.max_pages:
            return
        href = response.css(self.rules.next_page).get()
        if href:
            yield self.listing_request(response.urljoin(href.strip()), number + 1)

    def detail_request(self, url: str, listing_url: str, title: str, date: str) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_detail,
            errback=self.report_failure,
            cb_kwargs={"listing_url": listing_url, "title": title, "date": date},
            dont_filter=True,
        )

    def parse_detail(
        self, response: Response, listing_url: str, title: str, date: str
    ) -> Iterator[Any]:
        """A detail page becomes a DetailPage and requests for its PDFs; a PDF a PdfFile."""
        if _is_pdf(response):
            yield PdfFile(response.url, title, date, listing_url, body=response.body)
            return
        if not isinstance(response, TextResponse):
            yield Problem(
                response.url, f"detail page is neither HTML nor PDF ({_content_type(response)})"
            )
            return
        yield from _encoding_problem(response)
        body = response.css(self.rules.body)
        text = html_to_text(" ".join(body.getall())) if body else ""
        pdf_urls = self._pdf_urls(response, body) if self.rules.follow_pdfs else []
        title = _text(response, self.rules.detail_title) or title
        date = _text(response, self.rules.detail_date) or date
        if not text:
            yield Problem(response.url, f"no text matched options.body {self.rules.body!r}")
        yield DetailPage(response.url, title, date, text, listing_url, pdf_urls)
        for url in pdf_urls:
            yield scrapy.Request(
                url,
                callback=self.parse_pdf,
                errback=self.report_failure,
                cb_kwargs={"page_url": response.url, "title": title, "date": date},
                dont_filter=True,
            )

    def _pdf_urls(self, response: TextResponse, body: Any) -> list[str]:
        scope = body if body else response
        urls: list[str] = []
        for href in scope.css(self.rules.pdf_links).getall():
            url = response.urljoin(href.strip())
            if url not in self.followed and len(urls) < self.rules.max_pdfs:
                self.followed.add(url)
                urls.append(url)
        return urls

    def parse_pdf(self, response: Response, page_url: str, title: str, date: str) -> Iterator[Any]:
        """An attached file: a PdfFile when it is a PDF, a Problem otherwise."""
        if _is_pdf(response):
            yield PdfFile(response.url, title, date, page_url, body=response.body)
        else:
            yield Problem(response.url, f"linked file is not a PDF ({_content_type(response)})")

    def report_failure(self, failure: Failure) -> Iterator[Problem]:
        """A request that failed for good (robots.txt, timeout, HTTP error ...) is a Problem."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else self.start_url
        yield Problem(url, describe_failure(failure))


def describe_failure(failure: Failure) -> str:
    """A short reason for a failed request, in the words an operator understands."""
    error = failure.value
    response = getattr(error, "response", None)
    if response is not None and hasattr(response, "status"):
        return f"HTTP {response.status}"
    message = str(error) or type(error).__name__
    if "robots.txt" in message:
        return "forbidden by robots.txt; not fetched"
    if "max redirections" in message:
        return "too many redirects (a redirect loop?)"
    if "max size" in message or "maxsize" in message.lower():
        return f"larger than the size limit ({message})"
    if "timeout" in type(error).__name__.lower() or "took longer" in message:
        return f"timed out ({message})"
    return f"{type(error).__name__}: {message}"


def _validators(response: Response) -> tuple[str | None, str | None]:
    etag = response.headers.get(b"ETag")
    modified = response.headers.get(b"Last-Modified")
    return (
        etag.decode("latin-1") if etag else None,
        modified.decode("latin-1") if modified else None,
    )


def _text(node: Any, selector: str) -> str:
    """The text a selector finds: attribute values as they are, elements as plain text."""
    if not selector:
        return ""
    values = node.css(selector).getall()
    if "::" in selector:
        return normalize_text(" ".join(values))
    return html_to_text(" ".join(values)).replace("\n\n", " ").strip()


def _encoding_problem(response: TextResponse) -> Iterator[Problem]:
    """Undecodable bytes are replaced (the page is still read) and reported."""
    if "\ufffd" in response.text and "\ufffd".encode() not in response.body:
        yield Problem(response.url, f"invalid {response.encoding} text; undecodable bytes replaced")


def _content_type(response: Response) -> str:
    value = response.headers.get(b"Content-Type") or b"no content type"
    return value.decode("latin-1")


def _is_pdf(response: Response) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").split(b";")[0].strip().lower()
    return content_type in PDF_TYPES or response.body[:1024].find(b"%PDF-") != -1
