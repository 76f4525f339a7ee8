"""The one Jinja2 environment for emails and briefings, with the filters they share.

Autoescape is on for HTML templates (``*.html.j2``), off for text ones (``*.txt.j2``);
undefined variables raise, so a template never prints an empty gap silently. The i18n
extension is installed with the Babel catalogue of the language asked for (alerts.i18n):
templates use ``{% trans %}`` and ``_()``; place names and dates follow the language too.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import jinja2
import pycountry
from babel.core import Locale
from babel.dates import format_date, format_time

from config import TEMPLATES_DIR
from store.records import Place

if TYPE_CHECKING:
    from alerts.i18n import Language

logger = logging.getLogger(__name__)

# pycountry's ISO names invert some countries ("Congo, The Democratic Republic of the");
# these read naturally in a sentence. Countries with a pycountry common_name use that.
_SHORT_NAMES = {
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "RUS": "Russia",
    "VGB": "British Virgin Islands",
    "VIR": "U.S. Virgin Islands",
}
UNKNOWN_DATE = "date unknown"


def make_environment(language: str = "en") -> jinja2.Environment:
    """Build the environment that renders every template of the product."""
    from alerts.i18n import load_language  # i18n names places with this module's helpers

    lang = load_language(language)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(lang.translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda value: _day(value, lang)
    env.filters["datetime"] = lambda value: _moment(value, lang)
    env.filters["country_name"] = lang.country
    env.filters["place_name"] = lambda value: lang.place(_as_place(value))
    env.globals["language"] = lang.code
    env.globals["direction"] = lang.direction
    return env


def _day(value: date | None, lang: Language) -> str:
    return lang.gettext(UNKNOWN_DATE) if value is None else format_day(value, lang.locale)


def _moment(value: datetime | None, lang: Language) -> str:
    return lang.gettext(UNKNOWN_DATE) if value is None else format_moment(value, lang.locale)


def _as_place(place: Place | tuple[str, str | None] | str) -> Place:
    if isinstance(place, Place):
        return place
    if isinstance(place, str):
        return Place(place)
    return Place(place[0], place[1] or "")


def format_day(value: date | None, locale: Locale | str = "en") -> str:
    """'10 November 2026': unambiguous in every country, unlike 10/11/2026."""
    if value is None:
        return UNKNOWN_DATE
    if isinstance(value, datetime):
        value = _as_utc(value).date()
    return format_date(value, "d MMMM y", locale=locale)


def format_moment(value: datetime | None, locale: Locale | str = "en") -> str:
    """'10 November 2026, 10:30 UTC': stored times are UTC, so the sheet says so."""
    if value is None:
        return UNKNOWN_DATE
    moment = _as_utc(value)
    return f"{format_day(moment, locale)}, {format_time(moment, 'HH:mm', locale=locale)} UTC"


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def country_name(code: str | None) -> str:
    """The common English name of an ISO 3166-1 alpha-3 (or alpha-2) code; the code if unknown."""
    if not code:
        return ""
    key = code.strip().upper()
    if key in _SHORT_NAMES:
        return _SHORT_NAMES[key]
    country = pycountry.countries.get(alpha_3=key) if len(key) == 3 else None
    if country is None and len(key) == 2:
        country = pycountry.countries.get(alpha_2=key)
    if country is None:
        return code
    if country.alpha_3 in _SHORT_NAMES:
        return _SHORT_NAMES[country.alpha_3]
    return str(getattr(country, "common_name", None) or country.name)


def place_name(place: Place | tuple[str, str | None] | str) -> str:
    """'Tigray (Ethiopia)' for an area, 'Sudan' for a whole country."""
    if isinstance(place, Place):
        country, area = place.country, place.area
    elif isinstance(place, str):
        country, area = place, ""
    else:
        country, area = place[0], place[1] or ""
    name = country_name(country)
    return f"{area} ({name})" if area else name
