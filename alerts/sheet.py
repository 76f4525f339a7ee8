"""The content of a briefing sheet: plain dataclasses and their pure assembly.

`build_briefing` turns store records into a `Briefing` that the template prints; it does
no I/O, so tests build sheets by hand and the rules of what a sheet shows live here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from alerts.places import normalise_area
from alerts.templating import format_day, place_name
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
MAX_DECISIONS = 6
MAX_OTHER_CALLS = 4
QUOTE_LIMIT = 320
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

COLOURS = {
    "suspended": "red",
    "suspension_proposed": "amber",
    "resumption_proposed": "amber",
    "watch": "blue",
    "normal": "green",
}
LABELS = {
    "suspended": "Suspended",
    "suspension_proposed": "Suspension proposed",
    "resumption_proposed": "Resumption proposed",
    "watch": "Under watch",
    "normal": "No suspension",
}
SCOPES = {"forced": "forced returns", "all": "all returns", "voluntary": "voluntary returns"}
GROUPS = {
    "women_and_girls": "women and girls",
    "children": "children",
    "unaccompanied_children": "unaccompanied children",
    "lgbtiq": "LGBTIQ+ persons",
    "ethnic_minority": "ethnic minorities",
    "religious_minority": "religious minorities",
    "former_government_affiliates": "persons linked to the former government",
    "journalists_hrds": "journalists and human rights defenders",
    "political_opponents": "political opponents",
    "persons_with_disabilities": "persons with disabilities",
    "persons_with_medical_needs": "persons with medical needs",
    "victims_of_trafficking": "victims of trafficking",
    "rejected_asylum_seekers": "rejected asylum-seekers",
    "stateless": "stateless persons",
    "other": "other profiles",
}
CATEGORIES = {
    "conflict": "Conflict",
    "disaster": "Disaster",
    "epidemic": "Epidemic",
    "human_rights": "Human rights",
    "travel_advice": "Travel advice",
}
_ACTIVE_AREA_STATES = ("suspended", "suspension_proposed", "resumption_proposed")
_SEVERITY = ("suspended", "resumption_proposed", "suspension_proposed", "watch", "normal")


@dataclass(frozen=True)
class StatusLine:
    """A place's status in words and colour, with who decided it and why."""

    place: Place
    state: str
    label: str
    colour: str
    headline: str
    since: datetime | None
    decided_by: str | None
    reason: str | None


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
) -> Briefing:
    """Assemble a briefing from plain records; no I/O, so tests build it by hand."""
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
    areas = tuple(_status_line(s) for s in shown)
    banner = _status_line(status, areas_active=_has_active(areas) and not place.area)
    recommendations = _recommendations([f for f in in_force if f.record.issuer_is_un], sources)
    others = _recommendations([f for f in in_force if not f.record.issuer_is_un], sources)
    lifts = _recommendations(lifting, sources)
    signal_lines = _signal_lines(place, signals, sources, now)
    decision_lines = _decision_lines(place, decisions)
    return Briefing(
        programme=programme,
        place=place,
        status=banner,
        meaning=counselling_meaning(banner, areas if not place.area else ()),
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
    )


def status_headline(status: PlaceStatus, areas_active: bool = False) -> str:
    """The one sentence at the top of the sheet: is assistance suspended, since when, by whom."""
    where = place_name(status.place)
    since = format_day(status.since) if status.since > _EPOCH else None
    if status.state == "suspended":
        text = f"Return assistance suspended for {where}"
        text += f" since {since}" if since else ""
        return text + (f", decided by {status.decided_by}" if status.decided_by else "")
    if status.state == "suspension_proposed":
        return f"Suspension proposed for {where} — awaiting a manager's decision"
    if status.state == "resumption_proposed":
        return (
            f"Return assistance still suspended for {where} — resumption proposed, "
            "awaiting a manager's decision"
        )
    scope = "country-wide " if areas_active else ""
    if status.state == "watch":
        return f"No {scope}suspension in force for {where} — situation under watch"
    return f"No {scope}suspension in force for {where}"


def counselling_meaning(status: StatusLine, areas: Sequence[StatusLine] = ()) -> str:
    """What the status means for the counselling session, in plain words."""
    where = place_name(status.place)
    text = {
        "suspended": (
            f"Assisted return to {where} is not available while the suspension is "
            "in force. Do not book travel. Explain the reason and the sources below; "
            "the migrant may ask to be told when assistance resumes."
        ),
        "suspension_proposed": (
            "Assistance is not suspended yet, but a manager is deciding "
            "whether to suspend it. Do not confirm a departure until the "
            "decision is made; share the recommendations below."
        ),
        "resumption_proposed": (
            "Assistance remains suspended until a manager decides on the "
            "proposed resumption. Do not book travel yet."
        ),
        "watch": (
            "Assistance continues, but the situation is being monitored. Go through the "
            "signals below with the migrant and check this sheet again before departure."
        ),
        "normal": (
            "Assistance continues as usual. Share the information below so that the "
            "migrant's decision is informed."
        ),
    }[status.state]
    active = [place_name(a.place) for a in areas if a.state in _ACTIVE_AREA_STATES]
    if active:
        verb = "has its" if len(active) == 1 else "have their"
        text += (
            f" Check where the migrant would return to: {', '.join(active)} "
            f"{verb} own status (see below)."
        )
    return text


def _status_line(status: PlaceStatus, areas_active: bool = False) -> StatusLine:
    return StatusLine(
        place=status.place,
        state=status.state,
        label=LABELS[status.state],
        colour=COLOURS[status.state],
        headline=status_headline(status, areas_active),
        since=status.since if status.since > _EPOCH else None,
        decided_by=status.decided_by,
        reason=status.reason,
    )


def _has_active(areas: Iterable[StatusLine]) -> bool:
    return any(a.state in _ACTIVE_AREA_STATES for a in areas)


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
    findings: Sequence[StoredFinding], sources: _SourceList
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
                issuer=r.issuer or "Unknown issuer",
                issuer_is_un=r.issuer_is_un,
                stance=r.stance,
                date=first.published,
                scope=SCOPES.get(r.scope, r.scope),
                areas=areas if all(g.record.area for g in group) else (),
                groups=tuple(GROUPS.get(t, t.replace("_", " ")) for t in r.groups),
                condition=r.condition,
                quote=shorten(r.evidence),
                title=first.title,
                url=first.url,
                source=number,
            )
        )
    return tuple(items)


def _signal_lines(
    place: Place, signals: Sequence[StoredSignal], sources: _SourceList, now: datetime
) -> tuple[SignalLine, ...]:
    recent = [
        s
        for s in signals
        if (s.record.date or s.created) >= now - SIGNAL_WINDOW
        and _concerns(
            place,
            s.record.area.name if s.record.area else "",
            s.record.area.code if s.record.area else None,
        )
    ]
    recent.sort(key=lambda s: (s.record.date or s.created, s.id), reverse=True)
    lines = []
    for s in recent[:MAX_SIGNALS]:
        r = s.record
        number = sources.add(r.title, "", r.url, r.date) if r.url else None
        lines.append(
            SignalLine(
                category=CATEGORIES.get(r.category, r.category),
                title=r.title,
                level=r.level,
                area=r.area.name if r.area else None,
                date=r.date or s.created,
                source=number,
            )
        )
    return tuple(lines)


def _decision_lines(
    place: Place, decisions: Sequence[tuple[DecisionView, ProposalView]]
) -> tuple[DecisionLine, ...]:
    lines = [
        DecisionLine(
            at=d.at,
            by=d.by,
            verdict="Approved" if d.approve else "Rejected",
            kind={"suspend": "suspension", "resume": "resumption"}.get(p.kind, p.kind),
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
