"""GDACS RSS -> documents with disaster signals (alert level, country, event, episode).

GDACS has changed its feed several times since 2012: `gdacs:iso3` is empty in old feeds,
holds alpha-2 codes in some, and `gdacs:country` may list several countries. The level is
the event's `gdacs:alertlevel` (Green/Orange/Red). Pure: bytes in, dataclasses out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawlers.countries import country_codes
from crawlers.feeds import FeedResult, parse_feed
from store.records import FetchedDocument, SignalRecord, SourceSpec

MANGLED_BOM = "\ufeff".encode().decode("latin-1").encode()
LEVELS = frozenset({"green", "orange", "red"})
EVENT_TYPES = {
    "EQ": "earthquake",
    "TC": "tropical cyclone",
    "FL": "flood",
    "VO": "volcano",
    "DR": "drought",
    "WF": "wildfire",
    "TS": "tsunami",
}


def parse_gdacs(body: bytes, source: SourceSpec, fetched: datetime) -> FeedResult:
    """A GDACS feed's items, each with one disaster signal per affected country."""
    return parse_feed(_without_mangled_bom(body), source, fetched, enrich=_with_signals)


def _without_mangled_bom(body: bytes) -> bytes:
    """Some saved GDACS feeds start with a UTF-8 BOM encoded twice, which breaks XML."""
    stripped = body.lstrip()
    return stripped[len(MANGLED_BOM) :] if stripped.startswith(MANGLED_BOM) else body


def _with_signals(entry: Mapping[str, Any], doc: FetchedDocument) -> FetchedDocument:
    level = str(entry.get("gdacs_alertlevel") or "").strip().lower()
    codes = country_codes([str(entry.get(k) or "") for k in ("gdacs_iso3", "gdacs_country")])
    summary = _summary(entry, level, codes)
    signals = tuple(
        SignalRecord(
            category="disaster",
            country=code,
            title=doc.title,
            level=level if level in LEVELS else None,
            date=doc.published,
            url=doc.url,
            evidence=summary,
        )
        for code in codes
    )
    text = f"{doc.text}\n\n{summary}" if doc.text else summary
    return dataclasses.replace(doc, text=text, signals=signals)


def _summary(entry: Mapping[str, Any], level: str, codes: tuple[str, ...]) -> str:
    """One line of the structured facts, kept in the text so a new episode is a revision."""
    code = str(entry.get("gdacs_eventtype") or "").strip().upper()
    parts = [f"GDACS {level or 'unknown'} alert", f"event type {EVENT_TYPES.get(code, code)}"]
    if entry.get("gdacs_eventid"):
        parts.append(f"event {entry['gdacs_eventid']}")
    if entry.get("gdacs_episodeid"):
        parts.append(f"episode {entry['gdacs_episodeid']}")
    parts.append(f"countries {', '.join(codes) or 'none given'}")
    point = entry.get("where") or {}
    if point.get("type") == "Point":
        lon, lat = point["coordinates"][:2]
        parts.append(f"location {lat:.3f}, {lon:.3f}")
    return "; ".join(parts) + "."
