"""The one Jinja2 environment for emails and briefings, with the filters they share.

Autoescape is on for HTML templates (``*.html.j2``), off for text ones (``*.txt.j2``);
undefined variables raise, so a template never prints an empty gap silently. The i18n
extension is installed with null translations: templates can already use ``{% trans %}``
and ``_()``, and a later issue swaps in real Babel catalogues in ``make_environment``.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import jinja2
import pycountry
from babel.core import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

from config import TEMPLATES_DIR
from store.records import Place

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
    locale = _locale(language)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters["date"] = lambda value: format_day(value, locale)
    env.filters["datetime"] = lambda value: format_moment(value, locale)
    env.filters["country_name"] = country_name
    env.filters["place_name"] = place_name
    env.globals["language"] = str(locale)
    return env


def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        logger.warning("unknown language %r; using English", language)
        return Locale("en")


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
