"""Generate nlp/data/countries.jsonl from pycountry, countrynames and country_extras.jsonl.

Run `python -m nlp.build_gazetteer` after changing the extras file; the output is committed
so the pipeline never depends on the two libraries' data at run time, and re-running the
script reproduces it byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pycountry
from countrynames.data import DATA as COUNTRYNAMES_DATA

DATA_DIR = Path(__file__).resolve().parent / "data"
EXTRAS_FILE = DATA_DIR / "country_extras.jsonl"
OUTPUT_FILE = DATA_DIR / "countries.jsonl"

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


def write_countries(path: Path = OUTPUT_FILE) -> int:
    lines = [json.dumps(entry, ensure_ascii=False) for entry in country_entries()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


if __name__ == "__main__":
    write_countries()
