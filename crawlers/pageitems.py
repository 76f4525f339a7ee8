"""What the listing spider finds, as plain dataclasses, and the selectors it follows.

These travel as JSON lines from the spider's child process (crawlers.spiderrun) to the
crawl stage (crawlers.htmlsource), so neither side needs the other's libraries: this
module imports no Scrapy.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from crawlers.errors import SourceOptionError

MIN_COUNTS = {"max_pages": 1, "max_items": 1}
KIND_NAMES = {str: "a CSS selector", int: "a whole number", bool: "true or false"}
DEFAULT_PDF_LINKS = 'a[href$=".pdf"]::attr(href), a[href*=".pdf?"]::attr(href)'


@dataclass(frozen=True)
class ListingRules:
    """The selectors and limits of one html source, read from its options."""

    list_item: str
    link: str = "a::attr(href)"
    title: str = "a::text"
    date: str = ""
    detail_title: str = "h1"
    detail_date: str = "time::attr(datetime)"
    body: str = "article"
    pdf_links: str = DEFAULT_PDF_LINKS
    next_page: str = ""
    max_pages: int = 1
    max_items: int = 30
    max_pdfs: int = 3
    follow_pdfs: bool = True

    @classmethod
    def from_options(cls, options: Mapping[str, Any]) -> ListingRules:
        """Validate the options of an html source; a wrong one is a SourceOptionError."""
        if not isinstance(options.get("list_item"), str) or not options["list_item"].strip():
            raise SourceOptionError("options.list_item (a CSS selector) is required for html")
        kinds = {f.name: type(f.default) for f in fields(cls)}
        kinds["list_item"] = str
        return cls(
            **{
                name: _checked(name, options[name], kinds[name])
                for name in kinds
                if name in options
            }
        )


def _checked(name: str, value: Any, kind: type) -> Any:
    valid = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if valid and kind is int and value < MIN_COUNTS.get(name, 0):
        valid = False
    if not valid:
        raise SourceOptionError(f"options.{name} must be {KIND_NAMES[kind]}, not {value!r}")
    return value


@dataclass
class ListingPage:
    """A listing page was read (status 200) or is unchanged (304): its entries count."""

    url: str
    status: int
    number: int
    entries: int
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class DetailPage:
    """An article: its text, and the PDFs it links to."""

    url: str
    title: str
    date: str
    text: str
    listing_url: str
    pdf_urls: list[str] = field(default_factory=list)


@dataclass
class PdfFile:
    """An attached (or directly listed) PDF; the store pipeline swaps `body` for `path`."""

    url: str
    title: str
    date: str
    page_url: str
    body: bytes = b""
    path: str = ""


@dataclass
class Problem:
    """Something on the way failed; the other items are still good."""

    url: str
    reason: str


SpiderItem = ListingPage | DetailPage | PdfFile | Problem
