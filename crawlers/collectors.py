"""Collectors: everything one kind of source needs to become documents, I/O included.

A kind that is "fetch one URL, then parse it" (RSS, Atom, GDACS ...) gets its collector
from url_collector(parser). A kind that pages through an API walks its pages with
collect_pages. Either way the parsing stays in pure functions over recorded bodies, and
the collector only decides which URLs to fetch and which validators to keep.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from config import Settings
from crawlers.errors import FetchError, SourceOptionError
from crawlers.fetch import Fetcher, FetchLimits, FetchResult
from crawlers.items import Parser, ParseResult
from store.records import FetchedDocument, SourceSpec
from store.sources import ConditionalState

logger = logging.getLogger(__name__)

DEFAULT_MAX_PAGES = 5


@dataclass(frozen=True)
class CollectContext:
    """What a collector may use: the fetcher with its limits, validators, settings."""

    limits: FetchLimits
    fetcher: Fetcher
    validators: ConditionalState | None
    fetched: datetime
    settings: Settings

    def fetch(self, url: str, conditional: bool = False) -> FetchResult:
        """Fetch a URL; only the source's first request is conditional."""
        return self.fetcher(url, self.limits, self.validators if conditional else None)


@dataclass(frozen=True)
class Collected(ParseResult):
    """A collector's result: documents and problem, or "not modified", plus new validators."""

    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None


Collector = Callable[[SourceSpec, CollectContext], Collected]


@dataclass(frozen=True)
class Page(ParseResult):
    """One page of an API answer; next_url is where the following page is, if any."""

    next_url: str | None = None


PageReader = Callable[[str, bytes], Page]


def url_collector(parser: Parser) -> Collector:
    """The collector of a kind that is one conditional GET of the source URL plus a parser."""

    def collect(spec: SourceSpec, context: CollectContext) -> Collected:
        return collect_url(spec.url, context, lambda body: parser(body, spec, context.fetched))

    collect.__doc__ = f"Fetch the source URL and read it with {parser.__name__}."
    return collect


def collect_url(
    url: str, context: CollectContext, parse: Callable[[bytes], ParseResult]
) -> Collected:
    """One conditional GET of `url`, read by `parse` unless the server says "not modified"."""
    response = context.fetch(url, conditional=True)
    if response.not_modified:
        return _not_modified(response)
    parsed = parse(response.body)
    return Collected(parsed.documents, parsed.problem, False, response.etag, response.last_modified)


def collect_pages(
    first_url: str, context: CollectContext, read_page: PageReader, max_pages: int
) -> Collected:
    """Walk an API's pages from `first_url`, at most `max_pages` of them.

    The first request is conditional, so an unchanged source costs one 304. A failure on a
    later page keeps the documents read so far and becomes the source's problem.
    """
    response = context.fetch(first_url, conditional=True)
    if response.not_modified:
        return _not_modified(response)
    documents: dict[str, FetchedDocument] = {}
    problems: list[str] = []
    page = _read(read_page, first_url, response.body, 1, documents, problems)
    for number in range(2, max(1, max_pages) + 1):
        if page.next_url is None:
            break
        try:
            body = context.fetch(page.next_url).body
        except FetchError as exc:
            problems.append(f"page {number}: {exc}")
            break
        page = _read(read_page, page.next_url, body, number, documents, problems)
    else:
        if page.next_url is not None:
            logger.info("stopped after %d pages at %s", max_pages, page.next_url)
    return Collected(
        tuple(documents.values()),
        "; ".join(problems) or None,
        False,
        response.etag,
        response.last_modified,
    )


def _read(
    read_page: PageReader,
    url: str,
    body: bytes,
    number: int,
    documents: dict[str, FetchedDocument],
    problems: list[str],
) -> Page:
    page = read_page(url, body)
    for doc in page.documents:
        documents.setdefault(doc.url, doc)  # an item that moved to the next page: keep one
    if page.problem is not None:
        problems.append(page.problem if number == 1 else f"page {number}: {page.problem}")
    return page


def max_pages(spec: SourceSpec) -> int:
    """options.max_pages (default DEFAULT_MAX_PAGES): an API source never pages forever."""
    value = spec.options.get("max_pages", DEFAULT_MAX_PAGES)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise SourceOptionError(f"options.max_pages must be a whole number >= 1, not {value!r}")
    return value


def _not_modified(response: FetchResult) -> Collected:
    return Collected((), None, True, response.etag, response.last_modified)
