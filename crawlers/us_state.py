"""US State Department travel advisories RSS -> documents with travel_advice signals.

Each item's title says the level ("Nigeria - Level 3: Reconsider Travel"); its description
lists the areas ("Do Not Travel To:" and a list). The country gets a signal with its
level (level_1 .. level_4), each listed area one with the level of its list. Pure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawlers.advisories import AreaAdvice, marked_text, us_areas, us_title
from crawlers.countries import country_codes
from crawlers.feeds import FeedResult, parse_feed
from store.records import Area, FetchedDocument, SignalRecord, SourceSpec


def parse_us_state(body: bytes, source: SourceSpec, fetched: datetime) -> FeedResult:
    """An advisories feed; items name their country in the title, before " - Level N"."""

    def enrich(entry: Mapping[str, Any], doc: FetchedDocument) -> FetchedDocument:
        text = marked_text(_description_html(entry))
        return dataclasses.replace(doc, signals=advisory_signals(doc, text, source.country))

    return parse_feed(body, source, fetched, enrich=enrich)


def advisory_signals(
    doc: FetchedDocument, marked: str, default_country: str | None = None
) -> tuple[SignalRecord, ...]:
    """Signals of one advisory: title "Country - Level N: ...", areas from the marked text."""
    name, level = us_title(doc.title)
    codes = country_codes([name]) or ((default_country,) if default_country else ())
    if not codes:
        return ()
    country = codes[0]
    areas = [a for a in us_areas(marked) if country_codes([a.area])[:1] != (country,)]
    signals = [] if level is None else [_signal(doc, country, level, None)]
    signals.extend(_signal(doc, country, a.level, a) for a in areas)
    return tuple(signals)


def _signal(
    doc: FetchedDocument, country: str, level: str, area: AreaAdvice | None
) -> SignalRecord:
    where = f" ({area.area})" if area else ""
    return SignalRecord(
        category="travel_advice",
        country=country,
        title=f"{doc.title}{where}",
        area=Area(area.area[:200]) if area else None,
        level=level,
        date=doc.published,
        url=doc.url,
        evidence=f"US State Department: {level.replace('_', ' ')}{where}",
    )


def _description_html(entry: Mapping[str, Any]) -> str:
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"])
    return str(entry.get("summary") or "")
