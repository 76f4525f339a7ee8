"""Country briefings: the short, dated, sourced sheet a counsellor prints before a session.

`gather_briefing` reads the store, `alerts.sheet.build_briefing` turns the records into a
`Briefing` (pure), `render_briefing_html` fills the template (pure), `render_pdf` prints it
with WeasyPrint and `write_briefings` is the stage that refreshes the files on disk.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import warnings
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from sqlalchemy.orm import Session

from alerts.banner import StatusLine
from alerts.editions import describe_changes, edition_summary, summary_digest
from alerts.i18n import Language, load_language
from alerts.places import normalise_area
from alerts.sheet import (
    Briefing,
    DecisionLine,
    Recommendation,
    SignalLine,
    SourceRef,
    build_briefing,
)
from alerts.situation import TIMELINE_WINDOW
from alerts.templating import make_environment
from config import Settings
from store import editions as editions_store
from store import findings as findings_store
from store import proposals as proposals_store
from store import sources as sources_store
from store import statuses as statuses_store
from store.records import Place, PlaceStatus

__all__ = [
    "Briefing",
    "BriefingError",
    "DecisionLine",
    "Recommendation",
    "SignalLine",
    "SourceRef",
    "StatusLine",
    "briefing_countries",
    "build_briefing",
    "gather_briefing",
    "render_briefing_html",
    "render_pdf",
    "slugify",
    "write_briefings",
]

logger = logging.getLogger(__name__)

TEMPLATE = "briefing/briefing.html.j2"


class BriefingError(Exception):
    """A briefing cannot be rendered or printed."""


# --- reading the store -------------------------------------------------------------------


def gather_briefing(
    session: Session,
    country: str,
    area: str | None,
    settings: Settings,
    now: datetime | None = None,
    language: str = "en",
    record_edition: bool = False,
) -> Briefing:
    """Read what a briefing needs for a country (or an area of it) through the store.

    With `record_edition` (printing), a sheet whose content changed becomes a new numbered
    edition; otherwise (the web view) the number is only worked out, nothing is written.
    """
    now = now or datetime.now(UTC)
    lang = load_language(language)
    place = Place(country.upper(), area or "")
    if area:
        own = _find_area_status(session, place)
        place = Place(place.country, area, own.place.area_code if own else None)
    status = statuses_store.effective_status(session, place)
    area_rows = [s for s in statuses_store.list_statuses(session, place.country) if s.place.area]
    if area:  # an area sheet also says how the rest of the country stands
        area_rows.insert(0, statuses_store.get_status(session, Place(place.country)))
    health = sources_store.list_health(session)
    sheet = build_briefing(
        place=place,
        status=status,
        area_statuses=area_rows,
        findings=findings_store.findings_for_country(session, place.country),
        signals=findings_store.signals_for_country(
            session, place.country, since=now - TIMELINE_WINDOW
        ),
        decisions=proposals_store.decisions_for_country(session, place.country),
        last_checked=max((h.last_ok for h in health if h.last_ok), default=None),
        programme=settings.programme_name,
        now=now,
        language=lang,
    )
    return number_edition(session, sheet, lang, record_edition)


def number_edition(
    session: Session, sheet: Briefing, lang: Language, record: bool = False
) -> Briefing:
    """Give the sheet its edition number and what changed since the edition before it."""
    summary = edition_summary(sheet)
    digest = summary_digest(summary)
    stored = editions_store.latest_editions(session, sheet.place.key, limit=2)
    if stored and stored[0].digest == digest:
        number, previous = stored[0].number, (stored[1] if len(stored) > 1 else None)
    else:
        number, previous = (stored[0].number + 1 if stored else 1), (stored[0] if stored else None)
        if record:
            editions_store.add_edition(session, sheet.place.key, number, digest, summary)
    return replace(
        sheet,
        edition_number=number,
        previous_edition=previous.number if previous else None,
        changes=describe_changes(previous.summary, summary, lang) if previous else None,
    )


def _find_area_status(session: Session, place: Place) -> PlaceStatus | None:
    wanted = normalise_area(place.area)
    for status in statuses_store.list_statuses(session, place.country):
        if status.place.area and (
            normalise_area(status.place.area) == wanted or status.place.area_code == place.area
        ):
            return status
    return None


def briefing_countries(session: Session) -> list[str]:
    """Every country the store knows something about: findings, signals, statuses, proposals."""
    countries = set(findings_store.countries_with_findings(session))
    countries.update(s.place.country for s in statuses_store.list_statuses(session))
    countries.update(p.place.country for p in proposals_store.list_proposals(session))
    return sorted(countries)


# --- rendering ---------------------------------------------------------------------------


def render_briefing_html(briefing: Briefing, env: jinja2.Environment) -> str:
    """Fill the briefing template; everything from sources is escaped by autoescape."""
    return env.get_template(TEMPLATE).render(b=briefing)


def render_pdf(html: str, base_url: str | Path | None = None) -> bytes:
    """Print the HTML to an A4 PDF (page size, margins and footer come from the CSS)."""
    with warnings.catch_warnings():
        # Debian bookworm's harfbuzz lacks the subset library; WeasyPrint 70 only warns.
        warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
        from weasyprint import HTML  # slow import (pango): only when a PDF is wanted

    try:
        pdf = HTML(string=html, base_url=str(base_url) if base_url else None).write_pdf()
    except (OSError, ValueError) as exc:
        raise BriefingError(f"cannot print briefing: {exc}") from exc
    if not pdf:
        raise BriefingError("WeasyPrint produced no PDF")
    return bytes(pdf)


def write_briefings(
    session: Session,
    settings: Settings,
    countries: Sequence[str] | None = None,
    language: str = "en",
) -> list[Path]:
    """Write <ISO3>.html/.pdf per country, and per area whose status differs from its country."""
    now = datetime.now(UTC)
    env = make_environment(language)
    target = settings.briefings_dir
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for country in countries or briefing_countries(session):
        code = country.upper()
        sheet = gather_briefing(session, code, None, settings, now, language, record_edition=True)
        written += _write_pair(target / code, sheet, env)
        for area in _distinct_areas(session, code):
            briefing = gather_briefing(
                session, code, area, settings, now, language, record_edition=True
            )
            written += _write_pair(target / f"{code}-{slugify(area)}", briefing, env)
    logger.info("wrote %d briefing files to %s", len(written), target)
    return written


def _distinct_areas(session: Session, country: str) -> list[str]:
    country_state = statuses_store.get_status(session, Place(country)).state
    return [
        s.place.area
        for s in statuses_store.list_statuses(session, country)
        if s.place.area and s.state != country_state
    ]


def _write_pair(stem: Path, briefing: Briefing, env: jinja2.Environment) -> list[Path]:
    html = render_briefing_html(briefing, env)
    html_path, pdf_path = stem.with_suffix(".html"), stem.with_suffix(".pdf")
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(render_pdf(html, base_url=stem.parent))
    return [html_path, pdf_path]


def slugify(text: str) -> str:
    """'Tigray' -> 'tigray', 'Nord-Kivu' -> 'nord-kivu', 'Gaza Strip' -> 'gaza-strip'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "area"
