"""JSON and Atom views of statuses and status changes, for other tools. Pure.

They carry no staff names: the feed and the JSON are public, the audit log is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from alerts.banner import LABELS
from alerts.templating import place_name
from store.records import Place, PlaceStatus
from store.statuses import StatusChangeView

ATOM = "http://www.w3.org/2005/Atom"


def status_json(s: PlaceStatus) -> dict[str, Any]:
    return {
        "country": s.place.country,
        "area": s.place.area or None,
        "area_code": s.place.area_code,
        "state": s.state,
        "label": LABELS[s.state],
        "since": s.since.isoformat(),
        "reason": s.reason,
    }


def change_json(c: StatusChangeView) -> dict[str, Any]:
    return {
        "country": c.country,
        "area": c.area or None,
        "old_state": c.old_state,
        "new_state": c.new_state,
        "at": c.at.isoformat(),
        "reason": c.reason,
        "proposal_id": c.proposal_id,
    }


def atom_feed(changes: Sequence[StatusChangeView], base_url: str, title: str) -> bytes:
    """An Atom 1.0 feed of status changes, newest first; ElementTree escapes every text."""
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", f"{base_url}/feed.atom")
    newest = max((c.at for c in changes), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", newest.isoformat())
    ElementTree.SubElement(feed, f"{{{ATOM}}}link", href=f"{base_url}/feed.atom", rel="self")
    for c in changes:
        entry = ElementTree.SubElement(feed, f"{{{ATOM}}}entry")
        where = place_name(Place(c.country, c.area))
        _text(entry, "title", f"{where}: {LABELS[c.old_state]} → {LABELS[c.new_state]}")
        _text(entry, "id", f"{base_url}/status-changes/{c.country}/{c.area}/{c.at.isoformat()}")
        _text(entry, "updated", c.at.isoformat())
        link = f"{base_url}/countries/{c.country}"
        ElementTree.SubElement(entry, f"{{{ATOM}}}link", href=link)
        _text(entry, "summary", c.reason or "")
        author = ElementTree.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", "returnwatch")
    return bytes(ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True))


def _text(parent: ElementTree.Element, tag: str, text: str) -> None:
    ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}").text = text
