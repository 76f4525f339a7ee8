"""The wider situation on a sheet: the 12-month timeline, travel advice, vulnerable groups.

Pure functions over store records; the timeline is geometry for an inline SVG that the
template draws (no JavaScript), so the sheet prints the same on paper and on screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from babel.dates import format_date

from alerts.i18n import N_, Language
from store.records import StoredFinding, StoredSignal

TIMELINE_WINDOW = timedelta(days=365)
MONTHS = 12
CATEGORY_ORDER = ("conflict", "human_rights", "disaster", "epidemic", "travel_advice")
CATEGORY_COLOURS = {
    "conflict": "#b3261e",
    "human_rights": "#1f5f9e",
    "disaster": "#a15c00",
    "epidemic": "#6a1b9a",
    "travel_advice": "#2e7d32",
}
CATEGORIES = {
    "conflict": N_("Conflict"),
    "disaster": N_("Disaster"),
    "epidemic": N_("Epidemic"),
    "human_rights": N_("Human rights"),
    "travel_advice": N_("Travel advice"),
}
# Chart geometry in SVG user units; the template scales it to the column width.
CHART_WIDTH, CHART_HEIGHT, AXIS_HEIGHT, LEFT_MARGIN = 420, 80, 14, 18

# Numbers a source on the sheet: (title, url, date) -> reference number.
Cite = Callable[[str, str, datetime | None], int]
UK, US = "uk", "us"
ADVICE_ISSUERS = {UK: N_("United Kingdom (FCDO)"), US: N_("United States (State Department)")}
ADVICE_LEVELS = {
    "against_all": (N_("Advises against all travel"), "red"),
    "against_all_but_essential": (N_("Advises against all but essential travel"), "amber"),
    "some_parts": (N_("Advises against travel to parts of the country"), "amber"),
    "none": (N_("Does not advise against travel"), "green"),
    "level_4": (N_("Level 4: Do not travel"), "red"),
    "level_3": (N_("Level 3: Reconsider travel"), "amber"),
    "level_2": (N_("Level 2: Exercise increased caution"), "blue"),
    "level_1": (N_("Level 1: Exercise normal precautions"), "green"),
}
MAX_ADVICE_AREAS = 4

CONSIDERATIONS = {
    "children": N_(
        "Children: check the best interests of each child, family tracing and access to "
        "schooling and care before any return."
    ),
    "unaccompanied_children": N_(
        "Unaccompanied children: a best-interests determination and a guardian's view are "
        "needed; do not proceed without an identified family or care arrangement."
    ),
    "women_and_girls": N_(
        "Women and girls: ask about risks of gender-based violence, forced marriage and "
        "restrictions on movement, work and education at the place of return."
    ),
    "persons_with_medical_needs": N_(
        "Persons with medical needs: confirm that treatment and medicines are available and "
        "affordable at the place of return before departure."
    ),
    "persons_with_disabilities": N_(
        "Persons with disabilities: check access to care, support and accessible transport "
        "on arrival."
    ),
    "victims_of_trafficking": N_(
        "Victims of trafficking: assess the risk of re-trafficking and reprisals; refer to "
        "protection services before any return."
    ),
    "lgbtiq": N_(
        "LGBTIQ+ persons: sources report persecution; counsel on the specific risks and on "
        "the right to seek protection."
    ),
    "ethnic_minority": N_(
        "Ethnic minorities: sources single them out; check the situation at the exact "
        "place of return."
    ),
    "religious_minority": N_(
        "Religious minorities: sources single them out; check the situation at the exact "
        "place of return."
    ),
    "former_government_affiliates": N_(
        "Persons linked to the former government: sources report reprisals; counsel on the "
        "right to seek protection."
    ),
    "journalists_hrds": N_(
        "Journalists and human rights defenders: sources report reprisals; counsel on the "
        "right to seek protection."
    ),
    "political_opponents": N_(
        "Political opponents: sources report reprisals; counsel on the right to seek protection."
    ),
    "rejected_asylum_seekers": N_(
        "Rejected asylum-seekers: UN calls in force also cover them; a negative asylum "
        "decision does not make return safe."
    ),
    "stateless": N_(
        "Stateless persons: check that the country will admit the person and issue documents."
    ),
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Timeline:
    """Signals per month and category over the last 12 months, as SVG geometry."""

    width: int
    height: int
    baseline: float
    left: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    legend: tuple[LegendItem, ...]
    peak: int
    total: int


@dataclass(frozen=True)
class TravelAdvice:
    issuer: str
    level: str
    label: str
    colour: str
    area: str | None
    date: datetime | None
    source: int | None


@dataclass(frozen=True)
class Consideration:
    group: str
    text: str
    issuers: tuple[str, ...]


def signal_date(signal: StoredSignal) -> datetime:
    return signal.record.date or signal.created


def build_timeline(signals: Sequence[StoredSignal], now: datetime, lang: Language) -> Timeline:
    """Stack each month's signals by category; months run oldest (left) to newest (right)."""
    months = _months(now)
    counts: Counter[tuple[int, str]] = Counter()
    for s in signals:
        index = months.index(_month(signal_date(s))) if _month(signal_date(s)) in months else -1
        if index >= 0:
            counts[(index, s.record.category)] += 1
    per_month = [sum(counts[(i, c)] for c in CATEGORY_ORDER) for i in range(MONTHS)]
    peak = max(per_month, default=0)
    step = (CHART_WIDTH - LEFT_MARGIN) / MONTHS
    baseline = CHART_HEIGHT - AXIS_HEIGHT
    scale = (baseline - 4) / peak if peak else 0.0
    bars = []
    for i in range(MONTHS):
        top = float(baseline)
        for category in CATEGORY_ORDER:
            n = counts[(i, category)]
            if not n:
                continue
            top -= n * scale
            label = f"{lang.gettext(CATEGORIES[category])}: {n}"
            bars.append(
                Bar(
                    LEFT_MARGIN + i * step + 3,
                    top,
                    step - 6,
                    n * scale,
                    CATEGORY_COLOURS[category],
                    label,
                )
            )
    ticks = tuple(
        Tick(LEFT_MARGIN + (i + 0.5) * step, format_date(m, "MMM yy", locale=lang.locale))
        for i, m in enumerate(months)
    )
    legend = tuple(
        LegendItem(
            CATEGORY_COLOURS[c],
            lang.gettext(CATEGORIES[c]),
            sum(counts[(i, c)] for i in range(MONTHS)),
        )
        for c in CATEGORY_ORDER
    )
    return Timeline(
        CHART_WIDTH,
        CHART_HEIGHT,
        baseline,
        LEFT_MARGIN,
        tuple(bars),
        ticks,
        legend,
        peak,
        sum(per_month),
    )


def _month(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _months(now: datetime) -> list[datetime]:
    """The first day of each of the 12 months that end with the current one."""
    year, month = now.year, now.month
    out = []
    for _ in range(MONTHS):
        out.append(_month(now).replace(year=year, month=month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def advice_issuer(level: str | None, url: str | None) -> str | None:
    """UK (FCDO) or US (State Department) from the level's vocabulary or the link."""
    if level and level.startswith("level_"):
        return US
    if level in ADVICE_LEVELS:
        return UK
    host = (url or "").lower()
    return UK if "gov.uk" in host else US if "state.gov" in host else None


def current_travel_advice(
    signals: Sequence[StoredSignal], lang: Language, cite: Cite
) -> tuple[TravelAdvice, ...]:
    """The newest country-wide level of each government, with the areas of that edition."""
    shown: list[TravelAdvice] = []
    advice = [s for s in signals if s.record.category == "travel_advice" and s.record.level]
    for issuer in (UK, US):
        mine = [s for s in advice if advice_issuer(s.record.level, s.record.url) == issuer]
        if not mine:
            continue
        newest = max(mine, key=lambda s: (signal_date(s), s.id))
        same = (
            [s for s in mine if s.document_id == newest.document_id]
            if newest.document_id
            else [newest]
        )
        whole = [s for s in same if s.record.area is None]
        areas = [s for s in same if s.record.area is not None][:MAX_ADVICE_AREAS]
        for s in (whole[:1] or []) + areas:
            shown.append(_advice_line(issuer, s, lang, cite))
    return tuple(shown)


def _advice_line(issuer: str, s: StoredSignal, lang: Language, cite: Cite) -> TravelAdvice:
    level = s.record.level or ""
    text, colour = ADVICE_LEVELS.get(level, (level.replace("_", " "), "blue"))
    return TravelAdvice(
        issuer=lang.gettext(ADVICE_ISSUERS[issuer]),
        level=level,
        label=lang.gettext(text),
        colour=colour,
        area=s.record.area.name if s.record.area else None,
        date=signal_date(s),
        source=cite(s.record.title, s.record.url, signal_date(s)) if s.record.url else None,
    )


def vulnerable_considerations(
    findings: Sequence[StoredFinding], lang: Language
) -> tuple[Consideration, ...]:
    """One note per group the sources single out, naming who singled it out."""
    issuers: dict[str, list[str]] = {}
    for f in findings:
        for group in f.record.groups:
            names = issuers.setdefault(group, [])
            if f.record.issuer and f.record.issuer not in names:
                names.append(f.record.issuer)
    return tuple(
        Consideration(group, lang.gettext(CONSIDERATIONS[group]), tuple(names))
        for group, names in issuers.items()
        if group in CONSIDERATIONS
    )
