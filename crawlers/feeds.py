"""RSS and Atom feeds -> documents. Pure: bytes in, dataclasses out, never raises.

Like feedparser itself, parse_feed keeps what it could read and says what was wrong, so
that one broken item or a half-written feed still yields its good entries, and an HTML
error page or an empty channel is reported instead of passing silently as "no news".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from time import struct_time
from typing import Any

import feedparser

from crawlers.items import ParseResult
from crawlers.plaintext import html_to_text, normalize_text
from crawlers.urls import canonicalize_url
from store.records import FetchedDocument, SourceSpec

DEFAULT_LANGUAGE = "en"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# feedparser sets bozo for these although it read the feed correctly.
BENIGN_BOZO = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


@dataclass(frozen=True)
class FeedResult(ParseResult):
    feed_title: str = ""


Enricher = Callable[[Mapping[str, Any], FetchedDocument], FetchedDocument]
"""Adds what a kind's own feed elements say (GDACS alert level ...) to an entry's document."""


def parse_feed(
    body: bytes, source: SourceSpec, fetched: datetime, enrich: Enricher | None = None
) -> FeedResult:
    """Documents of an RSS or Atom feed, with a problem description when it is broken."""
    parsed = feedparser.parse(BytesIO(body))
    feed_title = normalize_text(str(parsed.feed.get("title", "")))
    feed_language = parsed.feed.get("language")
    documents: dict[str, FetchedDocument] = {}
    skipped = 0
    for entry in parsed.entries:
        doc = _document(entry, source, fetched, feed_language)
        if doc is not None and enrich is not None:
            doc = enrich(entry, doc)
        if doc is None:
            skipped += 1
        else:
            documents.setdefault(doc.url, doc)  # a feed listing an item twice: keep the first
    problems = [_feed_problem(parsed, body, bool(documents))]
    if skipped:
        problems.append(f"{skipped} of {len(parsed.entries)} entries have no link; skipped")
    problem = "; ".join(p for p in problems if p) or None
    return FeedResult(tuple(documents.values()), problem, feed_title)


def _feed_problem(parsed: Mapping[str, Any], body: bytes, has_documents: bool) -> str | None:
    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if isinstance(error, BENIGN_BOZO):
        error = None
    if has_documents:
        return None if error is None else f"feed is not well-formed ({_describe(error)})"
    if not body.strip():
        return "not a feed: the response body is empty"
    if _HTML_START.match(body[:4096]):
        title = _HTML_TITLE.search(body[:65536].decode("utf-8", "replace"))
        name = f" titled {normalize_text(html_to_text(title.group(1)))!r}" if title else ""
        return f"not a feed: got an HTML page{name}"
    if error is not None:
        return f"malformed feed, no entries could be read ({_describe(error)})"
    if not parsed.get("version"):
        return "not a feed: no RSS or Atom content found"
    return "empty feed: no entries" if not parsed.get("entries") else None


def _describe(error: object) -> str:
    return str(error) or type(error).__name__


def _document(
    entry: Mapping[str, Any], source: SourceSpec, fetched: datetime, feed_language: object
) -> FetchedDocument | None:
    link = entry.get("link") or _url_like(entry.get("id"))
    if not link:
        return None
    return FetchedDocument(
        source_id=source.id,
        url=canonicalize_url(str(link), base=source.url),
        title=_plain(entry.get("title_detail"), entry.get("title", "")),
        text=_entry_text(entry),
        published=_published(entry),
        language=_language(
            source.options.get("language") or _content_language(entry) or feed_language
        ),
        fetched=fetched,
    )


def _url_like(value: object) -> str | None:
    text = str(value or "")
    return text if text.lower().startswith(("http://", "https://")) else None


def _entry_text(entry: Mapping[str, Any]) -> str:
    """The fullest text: content (content:encoded, atom:content) over summary."""
    for detail in _text_details(entry):
        text = _plain(detail, detail.get("value", ""))
        if text:
            return text
    return ""


def _text_details(entry: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    contents = sorted(entry.get("content") or [], key=lambda c: -len(c.get("value", "")))
    yield from contents
    if entry.get("summary_detail"):
        yield entry["summary_detail"]


def _plain(detail: Mapping[str, Any] | None, value: object) -> str:
    text = str(value or "")
    if detail is not None and detail.get("type") in HTML_TYPES:
        return html_to_text(text)
    return normalize_text(text)


def _content_language(entry: Mapping[str, Any]) -> str | None:
    for detail in (*(entry.get("content") or []), entry.get("summary_detail") or {}):
        if detail.get("language"):
            return str(detail["language"])
    return None


def _language(tag: object) -> str:
    """Primary subtag, lower case ("en-GB" -> "en"), as the NLP stage selects by it.

    A language set on the source (options.language) wins over what the feed declares.
    """
    primary = re.split(r"[-_]", str(tag or "").strip())[0].lower()
    return primary if primary.isalpha() and 2 <= len(primary) <= 3 else DEFAULT_LANGUAGE


def _published(entry: Mapping[str, Any]) -> datetime | None:
    stamp: struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if stamp is None:
        return None
    return datetime(*stamp[:6], tzinfo=UTC)  # feedparser has already converted to UTC
