"""The content of a briefing sheet: plain dataclasses and their pure assembly.

`build_briefing` turns store records into a `Briefing` that the template prints; it does
no I/O, so tests build sheets by hand and the rules of what a sheet shows live here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alerts.banner import StatusLine, counselling_meaning, has_active, status_line
from alerts.i18n import N_, Language, load_language
from alerts.places import normalise_area
from alerts.situation import (
    CATEGORIES,
    TIMELINE_WINDOW,
    Consideration,
    Timeline,
    TravelAdvice,
    build_timeline,
    current_travel_advice,
    signal_date,
    vulnerable_considerations,
)
from store.records import (
    DecisionView,
    Place,
    PlaceStatus,
    ProposalView,
    StoredFinding,
    StoredSignal,
)

SIGNAL_WINDOW = timedelta(days=90)
MAX_SIGNALS = 8
MAX_DECISIONS = 4
MAX_OTHER_CALLS = 4
QUOTE_LIMIT = 320
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SCOPES = {
    "forced": N_("forced returns"),
    "all": N_("all returns"),
    "voluntary": N_("voluntary returns"),
}
GROUPS = {
    "women_and_girls": N_("women and girls"),
    "children": N_("children"),
    "unaccompanied_children": N_("unaccompanied children"),
    "lgbtiq": N_("LGBTIQ+ persons"),
    "ethnic_minority": N_("ethnic minorities"),
    "religious_minority": N_("religious minorities"),
    "former_government_affiliates": N_("persons linked to the former government"),
    "journalists_hrds": N_("journalists and human rights defenders"),
    "political_opponents": N_("political opponents"),
    "persons_with_disabilities": N_("persons with disabilities"),
    "persons_with_medical_needs": N_("persons with medical needs"),
    "victims_of_trafficking": N_("victims of trafficking"),
    "rejected_asylum_seekers": N_("rejected asylum-seekers"),
    "stateless": N_("stateless persons"),
    "other": N_("other profiles"),
}
_SEVERITY = ("suspended", "resumption_proposed", "suspension_proposed", "watch", "normal")


@dataclass(frozen=True)
class SourceRef:
    number: int
    title: str
    publisher: str
    url: str
    date: datetime | None

    @property
    def href(self) -> str | None:
        """The URL as a link only when it is http(s): a source cannot smuggle in javascript:."""
        return self.url if self.url.lower().startswith(("https://", "http://")) else None


@dataclass(frozen=True)
class Recommendation:
    """One statement (of one document) against return, or lifting it, with its areas merged."""

    issuer: str
    issuer_is_un: bool
    stance: str
    date: datetime | None
    scope: str
    areas: tuple[str, ...]
    groups: tuple[str, ...]
    condition: str | None
    quote: str
    title: str
    url: str
    source: int


@dataclass(frozen=True)
class SignalLine:
    category: str
    title: str
    level: str | None
    area: str | None
    date: datetime | None
    source: int | None


@dataclass(frozen=True)
class DecisionLine:
    at: datetime
    by: str
    verdict: str
    kind: str
    place: Place
    reason: str


@dataclass(frozen=True)
class Briefing:
    """Everything the sheet shows; plain data, so templates never touch the database."""

    programme: str
    place: Place
    status: StatusLine
    meaning: str
    last_checked: datetime | None
    recommendations: tuple[Recommendation, ...]
    lifting: tuple[Recommendation, ...]
    other_calls: tuple[Recommendation, ...]
    signals: tuple[SignalLine, ...]
    area_statuses: tuple[StatusLine, ...]
    decisions: tuple[DecisionLine, ...]
    sources: tuple[SourceRef, ...]
    generated: datetime
    edition: str
    timeline: Timeline
    travel_advice: tuple[TravelAdvice, ...]
    considerations: tuple[Consideration, ...]
    language: str = "en"
    direction: str = "ltr"
    # Set from the store of editions (alerts.briefing): this sheet's number, the number it
    # is compared with, and what changed since then (None: the first edition).
    edition_number: int | None = None
    previous_edition: int | None = None
    changes: tuple[str, ...] | None = None

    @property
    def country(self) -> str:
        return self.place.country

    @property
    def area(self) -> str | None:
        return self.place.area or None


def build_briefing(
    *,
    place: Place,
    status: PlaceStatus,
    area_statuses: Sequence[PlaceStatus],
    findings: Sequence[StoredFinding],
    signals: Sequence[StoredSignal],
    decisions: Sequence[tuple[DecisionView, ProposalView]],
    last_checked: datetime | None,
    programme: str,
    now: datetime,
    language: Language | None = None,
) -> Briefing:
    """Assemble a briefing from plain records; no I/O, so tests build it by hand."""
    lang = language or load_language("en")
    relevant = [
        f
        for f in findings
        if _concerns(
            place,
            f.record.area.name if f.record.area else "",
            f.record.area.code if f.record.area else None,
        )
    ]
    in_force = [
        f
        for f in relevant
        if f.record.stance == "against_return" and not _lifted_later(f, relevant)
    ]
    lifting = [f for f in relevant if f.record.stance == "lifts"]
    sources = _SourceList()
    shown = [
        s
        for s in area_statuses
        if not _same_area(s.place.area, place.area)
        and (s.state != "normal" or status.state != "normal")
    ]
    shown.sort(key=lambda s: _SEVERITY.index(s.state))
    areas = tuple(status_line(s, lang=lang) for s in shown)
    banner = status_line(status, has_active(areas) and not place.area, lang)
    un_calls = [f for f in in_force if f.record.issuer_is_un]
    recommendations = _recommendations(un_calls, sources, lang)
    others = _recommendations([f for f in in_force if not f.record.issuer_is_un], sources, lang)
    lifts = _recommendations(lifting, sources, lang)
    nearby = [s for s in signals if _signal_concerns(place, s)]
    signal_lines = _signal_lines(nearby, sources, now, lang)
    advice = current_travel_advice(nearby, lang, lambda t, u, d: sources.add(t, "", u, d))
    decision_lines = _decision_lines(place, decisions, lang)
    return Briefing(
        programme=programme,
        place=place,
        status=banner,
        meaning=counselling_meaning(banner, areas if not place.area else (), lang),
        last_checked=last_checked,
        recommendations=recommendations,
        lifting=lifts[:3],
        other_calls=others[:MAX_OTHER_CALLS],
        signals=signal_lines,
        area_statuses=areas,
        decisions=decision_lines,
        sources=tuple(sources.refs),
        generated=now,
        edition=_edition(now, [status, *shown], findings, signals, decision_lines),
        timeline=build_timeline(
            [s for s in nearby if signal_date(s) >= now - TIMELINE_WINDOW], now, lang
        ),
        travel_advice=advice,
        considerations=vulnerable_considerations(in_force, lang),
        language=lang.code,
        direction=lang.direction,
    )


def _concerns(place: Place, area: str, code: str | None) -> bool:
    """Country sheets show everything; an area sheet shows its area and country-wide items."""
    if not place.area or not area:
        return True
    return normalise_area(area) == normalise_area(place.area) or (
        code is not None and code == place.area_code
    )


def _same_area(a: str, b: str) -> bool:
    return normalise_area(a) == normalise_area(b)


def _order(f: StoredFinding) -> tuple[datetime, int]:
    return (f.published or _EPOCH, f.id)


def _lifted_later(f: StoredFinding, findings: Sequence[StoredFinding]) -> bool:
    """A call is no longer in force once its issuer lifted it (for its area or everywhere)."""
    area = f.record.area.name if f.record.area else ""
    for g in findings:
        if g.record.stance != "lifts" or _order(g) <= _order(f):
            continue
        if g.record.issuer.casefold() != f.record.issuer.casefold():
            continue
        if g.record.area is None or _same_area(g.record.area.name, area):
            return True
    return False


def _recommendations(
    findings: Sequence[StoredFinding], sources: _SourceList, lang: Language
) -> tuple[Recommendation, ...]:
    """One entry per statement: findings of one document that differ only by area merge."""
    merged: dict[tuple[object, ...], list[StoredFinding]] = {}
    for f in sorted(findings, key=_order, reverse=True):
        r = f.record
        key = (f.document_id, r.stance, r.scope, r.issuer, r.groups, r.condition)
        merged.setdefault(key, []).append(f)
    items = []
    for group in merged.values():
        first = group[0]
        r = first.record
        in_text = sorted(group, key=lambda g: (g.record.evidence_start, g.id))
        areas = tuple(dict.fromkeys(g.record.area.name for g in in_text if g.record.area))
        number = sources.add(first.title, r.issuer, first.url, first.published)
        items.append(
            Recommendation(
                issuer=r.issuer or lang.gettext("Unknown issuer"),
                issuer_is_un=r.issuer_is_un,
                stance=r.stance,
                date=first.published,
                scope=lang.gettext(SCOPES[r.scope]) if r.scope in SCOPES else r.scope,
                areas=areas if all(g.record.area for g in group) else (),
                groups=tuple(_group_name(t, lang) for t in r.groups),
                condition=r.condition,
                quote=shorten(r.evidence),
                title=first.title,
                url=first.url,
                source=number,
            )
        )
    return tuple(items)


def _group_name(tag: str, lang: Language) -> str:
    return lang.gettext(GROUPS[tag]) if tag in GROUPS else tag.replace("_", " ")


def _signal_concerns(place: Place, s: StoredSignal) -> bool:
    area = s.record.area
    return _concerns(place, area.name if area else "", area.code if area else None)


def _signal_lines(
    signals: Sequence[StoredSignal], sources: _SourceList, now: datetime, lang: Language
) -> tuple[SignalLine, ...]:
    """The newest items of the last 90 days: GDACS, WHO, travel advice, conflict, rights."""
    recent = [s for s in signals if signal_date(s) >= now - SIGNAL_WINDOW]
    recent.sort(key=lambda s: (signal_date(s), s.id), reverse=True)
    lines = []
    for s in recent[:MAX_SIGNALS]:
        r = s.record
        number = sources.add(r.title, "", r.url, r.date) if r.url else None
        category = lang.gettext(CATEGORIES[r.category]) if r.category in CATEGORIES else r.category
        lines.append(
            SignalLine(
                category=category,
                title=r.title,
                level=r.level.replace("_", " ") if r.level else None,
                area=r.area.name if r.area else None,
                date=signal_date(s),
                source=number,
            )
        )
    return tuple(lines)


def _decision_lines(
    place: Place, decisions: Sequence[tuple[DecisionView, ProposalView]], lang: Language
) -> tuple[DecisionLine, ...]:
    kinds = {"suspend": N_("suspension"), "resume": N_("resumption"), "watch": N_("watch")}
    lines = [
        DecisionLine(
            at=d.at,
            by=d.by,
            verdict=lang.gettext(N_("Approved") if d.approve else N_("Rejected")),
            kind=lang.gettext(kinds[p.kind]) if p.kind in kinds else p.kind,
            place=p.place,
            reason=d.reason,
        )
        for d, p in decisions
        if _concerns(place, p.place.area, p.place.area_code)
    ]
    lines.sort(key=lambda line: line.at, reverse=True)
    return tuple(lines[:MAX_DECISIONS])


def _edition(
    now: datetime,
    statuses: Sequence[PlaceStatus],
    findings: Sequence[StoredFinding],
    signals: Sequence[StoredSignal],
    decisions: Sequence[DecisionLine],
) -> str:
    """Same content, same edition code: two printed sheets can be compared at a glance."""
    parts = [f"{s.place.key}={s.state}@{s.since.isoformat()}:{s.reason}" for s in statuses]
    parts += [f"f{f.id}" for f in findings] + [f"s{s.id}" for s in signals]
    parts += [f"d{d.at.isoformat()}" for d in decisions]
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:6]
    return f"{now:%Y%m%d}-{digest}"


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Cut a quote at a word boundary so the sheet stays short."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


class _SourceList:
    """Numbered source references, one number per URL, in order of first citation."""

    def __init__(self) -> None:
        self.refs: list[SourceRef] = []
        self._numbers: dict[str, int] = {}

    def add(self, title: str, publisher: str, url: str, date: datetime | None) -> int:
        if url not in self._numbers:
            self._numbers[url] = len(self.refs) + 1
            self.refs.append(SourceRef(len(self.refs) + 1, title, publisher, url, date))
        return self._numbers[url]
