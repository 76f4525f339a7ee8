"""ReliefWeb API v2 reports -> documents, paged, filtered by country, source and format.

The API only answers a pre-approved `appname` (options.appname or the setting
reliefweb_appname). Without one the source reads ReliefWeb's RSS feed given in
options.rss_url instead, and says so once in the log. Parsing a page is pure; the
collector builds the query URL and follows `links.next` for at most options.max_pages.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawlers.collectors import CollectContext, Collected, Page, collect_pages, collect_url
from crawlers.collectors import max_pages as page_limit
from crawlers.countries import country_code
from crawlers.errors import SourceOptionError
from crawlers.feeds import parse_feed
from crawlers.jsonbody import as_dict, as_list, load_json
from crawlers.plaintext import html_to_text, normalize_text
from crawlers.timestamps import parse_timestamp
from crawlers.urls import canonicalize_url
from store.records import FetchedDocument, SourceSpec

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
FIELDS = (
    "title", "body-html", "url_alias", "url", "date.original", "date.created",
    "primary_country.iso3", "country.iso3", "country.name", "source.name",
    "source.shortname", "format.name", "language.code",
)  # fmt: skip
FILTERS = {"countries": "country.iso3", "sources": "source.shortname", "formats": "format.name"}
_warned: set[str] = set()
_warned_lock = threading.Lock()


def collect_reliefweb(spec: SourceSpec, context: CollectContext) -> Collected:
    """The API when an appname is configured, else the RSS fallback in options.rss_url."""
    appname = str(spec.options.get("appname") or context.settings.reliefweb_appname)
    if not appname:
        return _collect_rss(spec, context)
    first = query_url(spec.url, appname, spec.options)

    def read(_url: str, body: bytes) -> Page:
        return parse_reliefweb_page(body, spec, context.fetched)

    return collect_pages(first, context, read, page_limit(spec))


def _collect_rss(spec: SourceSpec, context: CollectContext) -> Collected:
    rss_url = spec.options.get("rss_url")
    if not isinstance(rss_url, str) or not rss_url:
        raise SourceOptionError(
            "the ReliefWeb API needs a pre-approved appname (options.appname or the setting "
            "reliefweb_appname); without one, set options.rss_url to a ReliefWeb RSS feed"
        )
    with _warned_lock:
        first_time = spec.id not in _warned
        _warned.add(spec.id)
    if first_time:
        logger.warning(
            "source %s: no ReliefWeb appname configured (the API needs a pre-approved one); "
            "reading the RSS feed %s instead",
            spec.id,
            rss_url,
        )
    return collect_url(rss_url, context, lambda body: parse_feed(body, spec, context.fetched))


def query_url(base: str, appname: str, options: dict[str, Any]) -> str:
    """The first page's GET URL: appname, fields, newest first, and the option filters."""
    limit = options.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise SourceOptionError(f"options.limit must be 1..{MAX_LIMIT}, not {limit!r}")
    params: list[tuple[str, str]] = [("appname", appname), ("limit", str(limit)), ("offset", "0")]
    params += [("fields[include][]", name) for name in FIELDS]
    params.append(("sort[]", "date.created:desc"))
    conditions = [(field, options[key]) for key, field in FILTERS.items() if options.get(key)]
    if conditions:
        params.append(("filter[operator]", "AND"))
    for index, (field, values) in enumerate(conditions):
        params.append((f"filter[conditions][{index}][field]", field))
        for value in values if isinstance(values, list) else [values]:
            params.append((f"filter[conditions][{index}][value][]", str(value)))
    parts = urlsplit(base)
    query = parse_qsl(parts.query) + params
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def parse_reliefweb_page(body: bytes, source: SourceSpec, fetched: datetime) -> Page:
    """One API answer: its reports as documents, and the next page from links.next."""
    data, problem = load_json(body)
    if problem is None and not isinstance(as_dict(data).get("data"), list):
        error = as_dict(as_dict(data).get("error")).get("message")
        problem = f"ReliefWeb API error: {error}" if error else "not a ReliefWeb API answer"
    if problem is not None:
        return Page((), problem)
    answer = as_dict(data)
    documents, skipped = [], 0
    for record in as_list(answer["data"]):
        doc = report_document(as_dict(as_dict(record).get("fields")), source, fetched)
        if doc is None:
            skipped += 1
        else:
            documents.append(doc)
    next_href = as_dict(as_dict(as_dict(answer.get("links")).get("next"))).get("href")
    problem = f"{skipped} reports without title or URL; skipped" if skipped else None
    return Page(tuple(documents), problem, str(next_href) if next_href else None)


def report_document(
    fields: dict[str, Any], source: SourceSpec, fetched: datetime
) -> FetchedDocument | None:
    """A report's fields (as the API names them) -> a document; None without title or URL."""
    title = normalize_text(str(fields.get("title") or ""))
    url = str(fields.get("url_alias") or fields.get("url") or "")
    if not title or not url:
        return None
    date = as_dict(fields.get("date"))
    text = html_to_text(str(fields.get("body-html") or fields.get("body") or ""))
    about = _about(fields)
    languages = [as_dict(x).get("code") for x in as_list(fields.get("language"))]
    return FetchedDocument(
        source_id=source.id,
        url=canonicalize_url(url),
        title=title,
        text=f"{text}\n\n{about}" if text else about,
        published=parse_timestamp(date.get("original") or date.get("created")),
        language=str(source.options.get("language") or (languages[:1] or ["en"])[0] or "en"),
        fetched=fetched,
    )


def report_countries(fields: dict[str, Any]) -> tuple[str, ...]:
    """ISO3 codes, primary country first; names stand in where a record lacks iso3."""
    records = [
        as_dict(fields.get("primary_country")),
        *map(as_dict, as_list(fields.get("country"))),
    ]
    codes: dict[str, None] = {}
    for record in records:
        code = str(record.get("iso3") or "").upper() or country_code(str(record.get("name") or ""))
        if code:
            codes.setdefault(code)
    return tuple(codes)


def _about(fields: dict[str, Any]) -> str:
    """One line of the record's metadata: who published what kind of report, about where."""
    sources = [str(as_dict(s).get("name")) for s in as_list(fields.get("source"))]
    formats = [str(as_dict(f).get("name")) for f in as_list(fields.get("format"))]
    countries = report_countries(fields)
    return (
        f"ReliefWeb: {', '.join(formats) or 'report'} from {', '.join(sources) or 'unknown'}; "
        f"countries {', '.join(countries) or 'none given'}."
    )
