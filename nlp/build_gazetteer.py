"""Generate nlp/data/countries.jsonl and subdivisions.jsonl from pycountry and countrynames.

Run `python -m nlp.build_gazetteer` after changing country_extras.jsonl or
subdivision_extras.jsonl; the output is committed so the pipeline never depends on the two
libraries' data at run time, and re-running the script reproduces it byte for byte.
subdivisions.jsonl holds every top-level ISO 3166-2 unit with English-friendly aliases (no
diacritics, no "Al " article, "Nord-Kivu" -> "North Kivu") plus the English names that the
hand-kept subdivision_extras.jsonl adds ("Middle Juba" for "Jubbada Dhexe"); the hand-kept
areas.jsonl wins where both name a place.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pycountry
from countrynames.data import DATA as COUNTRYNAMES_DATA

DATA_DIR = Path(__file__).resolve().parent / "data"
EXTRAS_FILE = DATA_DIR / "country_extras.jsonl"
OUTPUT_FILE = DATA_DIR / "countries.jsonl"
AREAS_FILE = DATA_DIR / "areas.jsonl"
SUBDIVISIONS_FILE = DATA_DIR / "subdivisions.jsonl"
SUBDIVISION_EXTRAS_FILE = DATA_DIR / "subdivision_extras.jsonl"

# ISO subdivision names that are ordinary English words or too short to be safe.
_SUBDIVISION_STOPLIST = {
    "Centre",
    "Central",
    "Center",
    "North",
    "South",
    "East",
    "West",
    "Nord",
    "Sud",
    "Est",
    "Ouest",
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Capital",
    "Coast",
    "Delta",
    "Plateau",
    "Lakes",
    "Islands",
    "Island",
    "Bay",
    "Sea",
    "River",
    "Mountain",
    "Upper",
    "Lower",
    "Interior",
    "Federal",
    "Border",
    "Valley",
    "Lake",
    "Highlands",
    "Coastal",
    "Littoral",
    "Orient",
    "Oriental",
    "Occidental",
    "Atlantic",
    "Pacific",
    "Sahel",
    "Mon",
    "Chin",
    "Shan",
    "Bari",
    "Gaza",
    "Somali",
    "Lima",
    "Sucre",
    "Santa Cruz",
    "San Juan",
    "Cordillera",
    "Amazonas",
    "Cesar",
    "Colon",
    "Union",
    "Victoria",
    "Georgia",
    "Washington",
    "Jersey",
    "Florida",
    "Nevada",
    "Texas",
    "Distrito Federal",
    "Central Region",
}
_TYPE_SUFFIX = re.compile(
    r"\s+(oblast|region|province|state|governorate|peoples|people|regional state|"
    r"prefecture|department|district|county|territory)$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(Al|Ar|As|An|Ad|Ash|At|Az|Ad Dakhiliyah|El|Ez)[ -]")
_CAPITAL_TYPES = {"capital district", "capital territory", "capital city", "capital", "city"}

# An English country name: capitalised words joined by a few lower-case particles.
_ENGLISH_NAME = re.compile(
    r"^(?:[A-Z][a-z'’.-]+|of|the|and|da|de|du|d'|et)(?: (?:[A-Z][a-z'’.-]+|of|the|and|da|de|et))*$"
)
_MIN_LENGTH = 4
_GENERIC_WORDS = {
    "of",
    "the",
    "and",
    "Republic",
    "Democratic",
    "Kingdom",
    "State",
    "States",
    "United",
    "Islamic",
    "Federal",
    "People's",
    "Socialist",
    "Islands",
    "Island",
    "Union",
    "Federation",
    "Arab",
    "Plurinational",
    "Bolivarian",
    "Principality",
    "Commonwealth",
    "Territory",
    "Territories",
    "Grand",
    "Duchy",
    "Sultanate",
    "Independent",
    "Co-operative",
    "Cooperative",
    "Oriental",
    "Eastern",
    "Central",
    "North",
    "South",
    "New",
    "Saint",
    "Great",
    "The",
    "Of",
}


def read_extras(path: Path = EXTRAS_FILE) -> dict[str, dict[str, Any]]:
    """The hand-kept supplement, keyed by ISO3."""
    extras: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            entry = json.loads(line)
            extras[entry["iso3"]] = entry
    return extras


def english_vocabulary(extras: dict[str, dict[str, Any]]) -> set[str]:
    """Every word of every English country name that pycountry and the extras know."""
    words: set[str] = set()
    for country in pycountry.countries:
        for name in _pycountry_names(country):
            words.update(name.split())
    for extra in extras.values():
        for name in extra.get("names", []):
            words.update(name.split())
    return words


def english_variants(alpha_2: str, own: list[str], vocabulary: set[str]) -> list[str]:
    """countrynames aliases that are English variants of this country's own names.

    Most countrynames aliases are names in other languages, misspellings or cities; a
    variant is kept only when every word is English country-name vocabulary and it shares
    a distinctive word with the country's own names ("Republic of the Niger").
    """
    distinctive = {w for name in own for w in name.split()} - _GENERIC_WORDS
    kept = []
    for name in COUNTRYNAMES_DATA.get(alpha_2, []):
        words = name.split()
        if (
            len(name) >= _MIN_LENGTH
            and _ENGLISH_NAME.match(name)
            and all(w in vocabulary for w in words)
            and distinctive & set(words)
        ):
            kept.append(name)
    return kept


def _pycountry_names(country: Any) -> list[str]:
    names = [country.name]
    for attr in ("common_name", "official_name"):
        value = getattr(country, attr, None)
        if value:
            names.append(value)
    return [n for n in names if "," not in n]


def _unique(values: Iterable[str], exclude: set[str]) -> list[str]:
    seen: dict[str, None] = {}
    for value in values:
        if value and value not in exclude:
            seen.setdefault(value, None)
    return list(seen)


def _plural(demonym: str) -> list[str]:
    """Afghan -> Afghans, Iraqi -> Iraqis; Sudanese stays as it is."""
    return (
        [demonym + "s"]
        if demonym.endswith(("an", "i", "e")) and not demonym.endswith("ese")
        else []
    )


def country_entries() -> Iterator[dict[str, Any]]:
    """One record per ISO 3166-1 country, in alpha-3 order."""
    extras = read_extras()
    vocabulary = english_vocabulary(extras)
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        extra = extras.get(country.alpha_3, {})
        exclude = set(extra.get("exclude", []))
        own = [*extra.get("names", []), *_pycountry_names(country)]
        names = _unique([*own, *english_variants(country.alpha_2, own, vocabulary)], exclude)
        demonyms = _unique(extra.get("demonyms", []), exclude)
        demonyms = _unique([*demonyms, *(p for d in demonyms for p in _plural(d))], exclude)
        yield {
            "iso3": country.alpha_3,
            "iso2": country.alpha_2,
            "name": extra["names"][0]
            if extra.get("names")
            else getattr(country, "common_name", None) or country.name,
            "names": [n for n in names if n not in demonyms],
            "abbreviations": list(extra.get("abbreviations", [])),
            "demonyms": demonyms,
        }


# Letters that NFKD does not decompose into an ASCII base: without this "Diyarbakır"
# folds to "Diyarbakr" and "Gəncə" to "Gnc".
_UNDECOMPOSED = str.maketrans(
    {"ı": "i", "ə": "e", "Ə": "E", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D"}
)


def fold(name: str) -> str:
    """Plain ASCII: "Kandahār" -> "Kandahar", "Ḩalab" -> "Halab", "Şirvan" -> "Sirvan"."""
    text = unicodedata.normalize("NFKD", name.translate(_UNDECOMPOSED))
    return text.encode("ascii", "ignore").decode().replace("`", "'")


def subdivision_aliases(name: str) -> list[str]:
    """English-friendly spellings of an ISO subdivision name, the name itself first."""
    variants = [name]
    for part in re.split(r"\s*[/(]\s*", name):
        variants.append(part.rstrip(") "))
    for value in list(variants):
        variants += [fold(value), _TYPE_SUFFIX.sub("", value)]
    for value in list(variants):
        variants.append(_ARTICLE.sub("", value))
        variants.append(re.sub(r"^Nord-", "North ", re.sub(r"^Sud-", "South ", value)))
    return [v for v in _unique(variants, set()) if _usable_alias(v)]


def typed_aliases(name: str) -> list[str]:
    """Names too short or too common to trust alone ("Est", "Sahel", "Shan"): the tagger
    takes them only before a unit word ("the Sahel and Est regions", "Shan State")."""
    variants = [name, fold(name), _TYPE_SUFFIX.sub("", name)]
    return [
        v
        for v in _unique(variants, set())
        if len(v) >= 3 and "," not in v and v[:1].isupper() and not _usable_alias(v)
    ]


def _usable_alias(alias: str) -> bool:
    return (
        len(alias) >= 4
        and "," not in alias
        and alias[:1].isupper()
        and alias not in _SUBDIVISION_STOPLIST
    )


def read_subdivision_extras(path: Path = SUBDIVISION_EXTRAS_FILE) -> dict[str, dict[str, Any]]:
    """The hand-kept English names of ISO units, keyed by ISO 3166-2 code: "aliases",
    "typed_aliases" (names trusted only before a unit word) and "city" (a capital city)."""
    extras: dict[str, dict[str, Any]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            entry = json.loads(line)
            if entry["code"] in extras:
                raise ValueError(f"{path}:{number}: {entry['code']} listed twice")
            extras[entry["code"]] = entry
    return extras


def _with_folds(names: Iterable[str]) -> list[str]:
    """Each hand-kept name followed by its ASCII spelling ("Ménaka", "Menaka")."""
    return _unique((v for name in names for v in (name, fold(name))), set())


def _unit_aliases(sub: Any, extra: dict[str, Any], taken: set[str]) -> tuple[list[str], list[str]]:
    """A unit's plain and typed aliases: the generated ones plus the hand-kept ones; a name
    the extras call typed ("Unity") is never plain."""
    typed_extras = _with_folds(extra.get("typed_aliases", []))
    plain = _unique(
        [*subdivision_aliases(sub.name), *_with_folds(extra.get("aliases", []))],
        taken | set(typed_extras),
    )
    typed = _unique([*typed_aliases(sub.name), *typed_extras], taken | set(plain))
    return plain, typed


def _gazetteer_units(extras: dict[str, dict[str, Any]]) -> list[Any]:
    """Every top-level ISO unit, plus lower units the extras name (Erbil under Kurdistan)."""
    countries = {c.alpha_2 for c in pycountry.countries}
    units = [
        sub
        for sub in sorted(pycountry.subdivisions, key=lambda s: s.code)
        if sub.country_code in countries and (sub.parent_code is None or sub.code in extras)
    ]
    unknown = set(extras) - {sub.code for sub in units}
    if unknown:
        raise ValueError(f"{SUBDIVISION_EXTRAS_FILE.name}: no such ISO unit: {sorted(unknown)}")
    return units


def _taken_names() -> set[str]:
    """Names that already mean a country or a hand-kept area."""
    taken = {
        alias
        for entry in country_entries()
        for alias in [*entry["names"], *entry["abbreviations"], *entry["demonyms"]]
    }
    for line in AREAS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            taken.update(json.loads(line).get("aliases", []))
    return taken


def subdivision_entries() -> Iterator[dict[str, Any]]:
    """One record per ISO unit whose aliases are not countries' names.

    A name typed for one unit is typed for every unit: were "North West" plain for
    Botswana but typed for Cameroon, the two readings would compete for the same words.
    """
    taken = _taken_names()
    extras = read_subdivision_extras()
    countries = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    units = [
        (sub, *_unit_aliases(sub, extras.get(sub.code, {}), taken))
        for sub in _gazetteer_units(extras)
    ]
    typed_anywhere = {alias for _, _, typed in units for alias in typed}
    for sub, plain, typed in units:
        aliases = [a for a in plain if a not in typed_anywhere]
        typed = [*typed, *(a for a in plain if a in typed_anywhere)]
        if aliases or typed:
            entry: dict[str, Any] = {
                "code": sub.code,
                "country": countries[sub.country_code],
                "name": sub.name,
                "aliases": aliases,
                "city": extras.get(sub.code, {}).get("city", sub.type.lower() in _CAPITAL_TYPES),
            }
            if typed:
                entry["typed_aliases"] = typed
            yield entry


def write_subdivisions(path: Path = SUBDIVISIONS_FILE) -> int:
    lines = [json.dumps(entry, ensure_ascii=False) for entry in subdivision_entries()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_countries(path: Path = OUTPUT_FILE) -> int:
    lines = [json.dumps(entry, ensure_ascii=False) for entry in country_entries()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    write_countries()
    write_subdivisions()
