"""UK FCDO travel advice from the GOV.UK content API (one JSON per country) -> document + signals.

The level comes from the content item's `alert_status` when the publisher set it, else
from the text ("FCDO advises against all travel to ..."); each area named there becomes a
travel_advice signal of its own, so a lifted or changed advisory shows between revisions.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from crawlers.advisories import AreaAdvice, fcdo_advice, fcdo_level, marked_text
from crawlers.countries import country_code
from crawlers.items import ParseResult
from crawlers.jsonbody import as_dict, as_list, load_json
from crawlers.plaintext import html_to_text, normalize_text
from crawlers.timestamps import parse_timestamp
from crawlers.urls import canonicalize_url
from store.records import Area, FetchedDocument, SignalRecord, SourceSpec

GOVUK = "https://www.gov.uk"
LEVEL_TEXT = {
    "against_all": "advises against all travel",
    "against_all_but_essential": "advises against all but essential travel",
    "some_parts": "advises against travel to parts of the country",
    "none": "does not advise against travel",
}


def parse_fcdo(body: bytes, source: SourceSpec, fetched: datetime) -> ParseResult:
    """One content item of schema travel_advice -> one document with its travel signals."""
    item, problem = load_json(body)
    details = as_dict(as_dict(item).get("details"))
    if problem is None and not (details and as_dict(item).get("base_path")):
        problem = "not a GOV.UK travel advice content item (no details or base_path)"
    if problem is not None:
        return ParseResult((), problem)
    assert isinstance(item, dict)
    html = _html(details)
    country_name = str(as_dict(details.get("country")).get("name") or "")
    country = country_code(country_name) or source.country
    title = normalize_text(str(item.get("title") or f"{country_name} travel advice"))
    url = canonicalize_url(GOVUK + str(item["base_path"]))
    published = parse_timestamp(item.get("public_updated_at") or details.get("updated_at"))
    signals = () if country is None else _signals(html, details, country, title, url, published)
    document = FetchedDocument(
        source_id=source.id,
        url=url,
        title=title,
        text=html_to_text(html),
        published=published,
        language=str(item.get("locale") or "en"),
        fetched=fetched,
        signals=signals,
    )
    return ParseResult((document,))


def _html(details: dict[str, Any]) -> str:
    """Summary and every part, each part under its own heading, as one HTML text."""
    chunks = [str(details.get("summary") or "")]
    for part in as_list(details.get("parts")):
        part = as_dict(part)
        chunks.append(f"<h2>{escape(str(part.get('title') or ''))}</h2>{part.get('body') or ''}")
    return "\n".join(chunks)


def _signals(
    html: str,
    details: dict[str, Any],
    country: str,
    title: str,
    url: str,
    published: datetime | None,
) -> tuple[SignalRecord, ...]:
    advice = fcdo_advice(marked_text(html))
    statuses = [str(s) for s in as_list(details.get("alert_status"))]
    level = fcdo_level(advice, country, statuses)
    whole = SignalRecord(
        category="travel_advice",
        country=country,
        title=f"{title}: FCDO {LEVEL_TEXT[level]}",
        level=level,
        date=published,
        url=url,
        evidence="; ".join(statuses) or None,
    )
    return (
        whole,
        *(_area_signal(a, country, title, url, published) for a in _areas(advice, country)),
    )


def _areas(advice: list[AreaAdvice], country: str) -> list[AreaAdvice]:
    return [a for a in advice if country_code(a.area) != country]


def _area_signal(
    advice: AreaAdvice, country: str, title: str, url: str, published: datetime | None
) -> SignalRecord:
    return SignalRecord(
        category="travel_advice",
        country=country,
        title=f"{title}: FCDO {LEVEL_TEXT[advice.level]} to {advice.area}",
        area=Area(advice.area[:200]),
        level=advice.level,
        date=published,
        url=url,
        evidence=f"FCDO {LEVEL_TEXT[advice.level]} to {advice.area}",
    )
