"""Pure helpers that resolve where a finding or signal applies and what its status is.

Areas are matched to places the store already knows (a status or a pending proposal) by
ISO 3166-2 code first, then by a loose spelling, so "Tigray region" and "Tigrai" (ET-TI)
meet the status row "Tigray".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pycountry

from store.records import Area, Place, PlaceState, PlaceStatus
from store.statuses import SUSPENDED_STATES

_SUFFIXES = re.compile(r"\b(region|province|state|governorate|district|oblast)\b")
_NON_WORD = re.compile(r"[^a-z0-9]+")
# The state that shows a pending proposal of each kind.
PROPOSED_STATE: dict[str, PlaceState] = {
    "suspend": "suspension_proposed",
    "resume": "resumption_proposed",
    "watch": "watch",
}


def normalise_area(name: str) -> str:
    """A spelling-tolerant key for an area name."""
    text = _SUFFIXES.sub(" ", name.casefold())
    text = text.removeprefix("the ")
    return _NON_WORD.sub("", text)


def same_place(a: Place, b: Place) -> bool:
    """True when both name the same country, or the same area of it."""
    if a.country != b.country or bool(a.area) != bool(b.area):
        return False
    if not a.area:
        return True
    if a.area_code and b.area_code:
        return a.area_code == b.area_code
    return normalise_area(a.area) == normalise_area(b.area)


def resolve_place(country: str, area: Area | None, known: Iterable[Place]) -> Place:
    """The known place that an area (or a whole country) refers to, or a new one."""
    candidate = Place(country, area.name, area.code) if area else Place(country)
    for place in known:
        if same_place(candidate, place):
            return place
    return candidate


def own_state(statuses: Iterable[PlaceStatus], place: Place) -> PlaceState:
    """The place's own state; `normal` when it has none."""
    for status in statuses:
        if same_place(status.place, place):
            return status.state
    return "normal"


def suspended_in_effect(statuses: Iterable[PlaceStatus], place: Place) -> bool:
    """True when the place, or (for an area) its country, is suspended in effect."""
    listed = tuple(statuses)
    if own_state(listed, place) in SUSPENDED_STATES:
        return True
    return bool(place.area) and own_state(listed, Place(place.country)) in SUSPENDED_STATES


def describe_place(place: Place) -> str:
    """English words for a place, e.g. "Ethiopia (Tigray)"."""
    country = pycountry.countries.get(alpha_3=place.country)
    name = place.country
    if country is not None:
        name = getattr(country, "common_name", None) or country.name
    return f"{name} ({place.area})" if place.area else name
