"""Languages of the sheets and the web UI: Babel catalogues, names of places, direction.

Catalogues live as ``translations/<lang>/LC_MESSAGES/messages.po`` (made with pybabel
extract/update, see translations/README.md). They are compiled in memory with Babel's API
when first used, so no compiled ``.mo`` binaries are kept in the repository.
"""

from __future__ import annotations

import functools
import gettext
import io
import logging
from dataclasses import dataclass
from datetime import date

from babel.core import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from alerts.templating import country_name, format_day
from config import PROJECT_ROOT
from store.records import Place

logger = logging.getLogger(__name__)

TRANSLATIONS_DIR = PROJECT_ROOT / "translations"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined; it is translated where it is shown."""
    return message


@dataclass(frozen=True)
class Language:
    """One language: its locale, its catalogue and the names of places in it."""

    locale: Locale
    translations: gettext.NullTranslations

    @property
    def code(self) -> str:
        return str(self.locale)

    @property
    def rtl(self) -> bool:
        return bool(self.locale.character_order == "right-to-left")

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def country(self, code: str | None) -> str:
        """The country's name in this language (Babel's CLDR names; ours in English)."""
        english = country_name(code)
        if self.locale.language == "en" or not code:
            return english
        alpha2 = _alpha2(code)
        territories = self.locale.territories
        return str(territories.get(alpha2, english)) if alpha2 else english

    def place(self, place: Place) -> str:
        """'Tigray (Éthiopie)' for an area, 'Soudan' for a whole country."""
        name = self.country(place.country)
        return f"{place.area} ({name})" if place.area else name

    def day(self, value: date | None) -> str:
        if value is None:
            return self.gettext("date unknown")
        return format_day(value, self.locale)


def _alpha2(code: str) -> str | None:
    import pycountry

    key = code.strip().upper()
    found = pycountry.countries.get(alpha_3=key) if len(key) == 3 else None
    if found is None and len(key) == 2:
        return key
    return str(found.alpha_2) if found is not None else None


@functools.lru_cache(maxsize=16)
def load_language(code: str = "en") -> Language:
    """The language for a code such as 'fr' or 'ar'; unknown codes fall back to English."""
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (ValueError, TypeError, UnknownLocaleError):
        logger.warning("unknown language %r; using English", code)
        locale = Locale("en")
    return Language(locale, _translations(locale))


def _translations(locale: Locale) -> gettext.NullTranslations:
    for name in (str(locale), locale.language):
        path = TRANSLATIONS_DIR / name / "LC_MESSAGES" / f"{DOMAIN}.po"
        if path.is_file():
            return _compile(path.read_bytes(), name)
    return gettext.NullTranslations()


def _compile(po: bytes, name: str) -> gettext.GNUTranslations:
    """Compile a .po catalogue in memory (what pybabel compile writes to a .mo file)."""
    catalog = read_po(io.BytesIO(po), locale=name, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def available_languages() -> list[str]:
    """English plus every language with a catalogue under translations/."""
    found = sorted(
        p.parent.parent.name for p in TRANSLATIONS_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
    )
    return ["en", *found]
