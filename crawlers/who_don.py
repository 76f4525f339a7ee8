"""WHO Disease Outbreak News (OData API) -> documents with epidemic signals, page by page.

An answer holds `value` (the reports) and `@odata.nextLink` (the next page). Titles name
disease and country ("Marburg virus disease – Rwanda"); the HTML fields (Summary,
Overview, Epidemiology, Assessment, Advice) become the text. Parsing is pure; the
collector follows nextLink for at most options.max_pages pages.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from crawlers.collectors import CollectContext, Collected, Page, collect_pages, max_pages
from crawlers.countries import country_codes
from crawlers.jsonbody import as_dict, as_list, load_json
from crawlers.plaintext import html_to_text, normalize_text
from crawlers.timestamps import parse_timestamp
from store.records import FetchedDocument, SignalRecord, SourceSpec

ITEM_URL = "https://www.who.int/emergencies/disease-outbreak-news/item/{}"
SECTIONS = ("Summary", "Overview", "Epidemiology", "Assessment", "Advice", "FurtherInformation")
_DASH = re.compile(r"\s*[–—-]\s*")
_ARTICLE = re.compile(r"^(the\s+)?((republic|kingdom|state|federal republic)\s+of\s+)?", re.I)


def collect_who_don(spec: SourceSpec, context: CollectContext) -> Collected:
    """Follow @odata.nextLink from the source URL, at most options.max_pages pages."""
    pages = max_pages(spec)
    return collect_pages(
        spec.url, context, lambda _url, body: parse_don_page(body, spec, context.fetched), pages
    )


def parse_don_page(body: bytes, source: SourceSpec, fetched: datetime) -> Page:
    """One OData page: its reports as documents, and where the next page is."""
    data, problem = load_json(body)
    if problem is None and not isinstance(as_dict(data).get("value"), list):
        problem = "not an OData answer: no 'value' list"
    if problem is not None:
        return Page((), problem)
    documents = []
    skipped = 0
    for record in as_list(as_dict(data)["value"]):
        doc = _document(as_dict(record), source, fetched)
        if doc is None:
            skipped += 1
        else:
            documents.append(doc)
    next_link = as_dict(data).get("@odata.nextLink")
    problem = f"{skipped} reports without DonId or title; skipped" if skipped else None
    return Page(tuple(documents), problem, str(next_link) if next_link else None)


def _document(
    record: dict[str, Any], source: SourceSpec, fetched: datetime
) -> FetchedDocument | None:
    don_id = str(record.get("DonId") or "").strip()
    title = normalize_text(str(record.get("Title") or ""))
    if not don_id or not title:
        return None
    url = ITEM_URL.format(don_id)
    published = parse_timestamp(record.get("PublicationDate"))
    text = "\n\n".join(
        f"{name}\n\n{html_to_text(str(record[name]))}" for name in SECTIONS if record.get(name)
    )
    disease, countries = split_title(title)
    signals = tuple(
        SignalRecord(
            category="epidemic",
            country=code,
            title=title,
            level=None,
            date=published,
            url=url,
            evidence=f"WHO Disease Outbreak News {don_id}: {disease}",
        )
        for code in countries
    )
    return FetchedDocument(source.id, url, title, text, published, "en", fetched, signals)


def split_title(title: str) -> tuple[str, tuple[str, ...]]:
    """("Marburg virus disease", ("RWA",)) from "Marburg virus disease – Rwanda".

    WHO spaces the dash every which way ("Mpox - Sweden", "West Nile virus- Barbados",
    "coronavirus-Kingdom of Saudi Arabia"), so every dash is tried, the last one first.
    """
    for match in reversed(list(_DASH.finditer(title))):
        tail = _ARTICLE.sub("", title[match.end() :].strip())
        codes = country_codes([tail])
        if codes:
            return title[: match.start()].strip(), codes
    return title, ()
