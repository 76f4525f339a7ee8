"""Check nlp/data/cities.jsonl against the rest of the gazetteer, and count its aliases.

A city alias must not cry wolf: it may not repeat a country name, demonym or abbreviation,
an areas.jsonl alias or an ISO subdivision alias (those already match, or mean something
else), may not name places in two countries, and may not be an ordinary English word.

Usage (from the repository root):
    .venv/bin/python -m nlp.check_cities                  # checks, then corpus counts
    .venv/bin/python -m nlp.check_cities --skip-corpus    # checks only
    .venv/bin/python -m nlp.check_cities --top 40 --corpus ../shared/corpus/reliefweb

Exits 1 when a check fails. The corpus count tokenizes like the tagger (spaCy English
tokenizer, case-sensitive phrase match) over every report body found under the corpus
folder: CSV "post" columns and JSON "body_text", "pdf_text" and "description" strings.
"""

from __future__ import annotations

import argparse
import csv
import html
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import spacy
from spacy.matcher import PhraseMatcher
from spacy.tokens import Span
from spacy.util import filter_spans

from nlp.resources import read_jsonl

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "nlp" / "data"
CITIES = DATA / "cities.jsonl"
RELIEFWEB = ROOT.parent / "shared" / "corpus" / "reliefweb"
DICTIONARY = Path("/usr/share/dict/words")

# Used when no system word list is installed: English words that are also place names.
FALLBACK_WORDS = frozenset(
    {"ado", "bar", "bay", "bel", "bo", "bol", "cabaret", "dire", "gulf", "hit", "kale"}
    | {"leer", "man", "midi", "mocha", "mora", "muse", "pol", "raja", "sake", "shire"}
    | {"sour", "swat", "tank", "turbo", "tyre", "van"}
)
BODY_KEYS = frozenset({"post", "body_text", "pdf_text", "description"})
TAG = re.compile(r"<[^>]+>")


@dataclass
class Report:
    """Problems found, by check; an empty report passes."""

    problems: dict[str, list[str]] = field(default_factory=dict)

    def add(self, check: str, message: str) -> None:
        self.problems.setdefault(check, []).append(message)

    @property
    def failed(self) -> bool:
        return any(self.problems.values())


def aliases_of(record: dict[str, Any], *keys: str) -> list[str]:
    return [str(a) for key in keys for a in record.get(key, []) or []]


def country_index() -> dict[str, list[str]]:
    """Casefolded country names, abbreviations and demonyms -> where they come from."""
    index: dict[str, list[str]] = {}
    for file in ("countries.jsonl", "country_extras.jsonl"):
        for record in read_jsonl(DATA / file):
            for kind in ("names", "abbreviations", "demonyms"):
                for alias in aliases_of(record, kind):
                    index.setdefault(alias.casefold(), []).append(f"{file} {kind} {record['iso3']}")
    return index


def area_index() -> dict[str, list[str]]:
    index: dict[str, list[str]] = {}
    for record in read_jsonl(DATA / "areas.jsonl"):
        for alias in aliases_of(record, "aliases"):
            index.setdefault(alias.casefold(), []).append(
                f"areas.jsonl {record['name']} ({record['country']})"
            )
    return index


def subdivision_index() -> dict[str, list[str]]:
    """Generated ISO units plus the hand-kept extras that the next build will merge in."""
    index: dict[str, list[str]] = {}
    for file in ("subdivisions.jsonl", "subdivision_extras.jsonl"):
        path = DATA / file
        if not path.exists():
            continue
        for record in read_jsonl(path):
            for kind in ("aliases", "typed_aliases"):
                for alias in aliases_of(record, kind):
                    index.setdefault(alias.casefold(), []).append(f"{file} {kind} {record['code']}")
    return index


def english_words() -> tuple[frozenset[str], str]:
    """Lower-case entries of the system word list (capitalised ones are names)."""
    if DICTIONARY.exists():
        lines = DICTIONARY.read_text(encoding="utf-8", errors="replace").splitlines()
        return frozenset(w for w in lines if w and w.islower()), str(DICTIONARY)
    return FALLBACK_WORDS, "built-in list"


def capitals_in_areas() -> set[str]:
    return {str(r["country"]) for r in read_jsonl(DATA / "areas.jsonl") if r.get("capital")}


def check_shape(cities: list[dict[str, Any]], iso3s: set[str], report: Report) -> None:
    """Each line looks like an areas.jsonl entry; capitals only where areas has none."""
    capitals = capitals_in_areas()
    names: set[tuple[str, str]] = set()
    capital_counts = Counter(str(r.get("country")) for r in cities if r.get("capital"))
    for country, number in sorted(capital_counts.items()):
        if number > 1:
            report.add("shape", f"{country}: {number} capitals")
    for record in cities:
        label = f"{record.get('name')} ({record.get('country')})"
        aliases = record.get("aliases")
        if not isinstance(record.get("name"), str) or not record["name"]:
            report.add("shape", f"{label}: no name")
        if not isinstance(aliases, list) or not aliases:
            report.add("shape", f"{label}: no aliases")
        elif any(not isinstance(a, str) or a != a.strip() or not a for a in aliases):
            report.add("shape", f"{label}: an alias is empty, padded or not a string")
        elif len(set(aliases)) != len(aliases):
            report.add("shape", f"{label}: repeated alias")
        if record.get("country") not in iso3s:
            report.add("shape", f"{label}: unknown country")
        if record.get("code") is not None:
            report.add("shape", f"{label}: code should be null for a city")
        if record.get("city") is not True:
            report.add("shape", f"{label}: city is not true")
        if record.get("capital") and record.get("country") in capitals:
            report.add("shape", f"{label}: capital already in areas.jsonl")
        key = (str(record.get("name")), str(record.get("country")))
        if key in names:
            report.add("shape", f"{label}: entry repeated")
        names.add(key)


def check_collisions(
    cities: list[dict[str, Any]], tables: dict[str, dict[str, list[str]]], report: Report
) -> None:
    """Aliases equal (ignoring case) to any alias of the other tables."""
    for record in cities:
        for alias in aliases_of(record, "aliases"):
            for table, index in tables.items():
                for where in index.get(alias.casefold(), []):
                    report.add(table, f"{alias!r} ({record['country']}) = {where}")


def check_duplicates(cities: list[dict[str, Any]], report: Report) -> None:
    """An alias (ignoring case) may name one entry only; two countries is the worse case.
    Case variants inside one entry ("Aleppo city", "Aleppo City") are wanted: the tagger
    matches case-sensitively."""
    owners: dict[str, dict[tuple[str, str], None]] = {}
    for record in cities:
        entry = (str(record["name"]), str(record["country"]))
        for alias in aliases_of(record, "aliases"):
            owners.setdefault(alias.casefold(), {})[entry] = None
    for alias, entries in sorted(owners.items()):
        if len(entries) > 1:
            countries = {country for _, country in entries}
            check = "duplicate across countries" if len(countries) > 1 else "duplicate alias"
            where = ", ".join(f"{name} ({country})" for name, country in entries)
            report.add(check, f"{alias!r}: {where}")


def check_words(cities: list[dict[str, Any]], words: frozenset[str], report: Report) -> None:
    for record in cities:
        for alias in aliases_of(record, "aliases"):
            if alias.casefold() in words:
                report.add("english word", f"{alias!r} ({record['country']})")


def run_checks(cities: list[dict[str, Any]]) -> tuple[Report, str]:
    countries = country_index()
    iso3s = {w.rsplit(" ", 1)[1] for ws in countries.values() for w in ws}
    tables = {
        "country names": countries,
        "areas.jsonl": area_index(),
        "subdivisions": subdivision_index(),
    }
    words, source = english_words()
    report = Report()
    check_shape(cities, iso3s, report)
    check_collisions(cities, tables, report)
    check_duplicates(cities, report)
    check_words(cities, words, report)
    return report, source


def strings_under(value: Any, keys: frozenset[str]) -> Iterator[str]:
    """String values stored under any of keys, anywhere in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in keys and isinstance(item, str):
                yield item
            else:
                yield from strings_under(item, keys)
    elif isinstance(value, list):
        for item in value:
            yield from strings_under(item, keys)


def csv_bodies(path: Path) -> Iterator[str]:
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for key in BODY_KEYS & set(row):
                yield row[key] or ""


def corpus_bodies(folder: Path) -> list[str]:
    """Every distinct report body under folder, HTML tags removed."""
    seen: dict[str, None] = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".csv":
            texts: Iterable[str] = csv_bodies(path)
        elif path.suffix == ".json":
            texts = strings_under(json.loads(path.read_text(encoding="utf-8")), BODY_KEYS)
        else:
            continue
        for text in texts:
            plain = html.unescape(TAG.sub(" ", text)).strip()
            if plain:
                seen.setdefault(plain)
    return list(seen)


def count_aliases(
    cities: list[dict[str, Any]], bodies: list[str], known: Iterable[str]
) -> tuple[Counter[str], Counter[str], dict[str, str]]:
    """Occurrences of each alias: all of them, and those left once a longer or earlier
    gazetteer alias takes the words ("Juba" inside "Lower Juba"), as the tagger's
    longest-match filter would; plus one context each."""
    nlp = spacy.blank("en")
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    for record in cities:
        for alias in aliases_of(record, "aliases"):
            matcher.add(f"{alias}\t{record['country']}", [nlp.make_doc(alias)])
    for alias in known:
        matcher.add("\tKNOWN", [nlp.make_doc(alias)])
    raw: Counter[str] = Counter()
    kept: Counter[str] = Counter()
    contexts: dict[str, str] = {}
    for doc in nlp.pipe(bodies, batch_size=50):
        spans = [Span(doc, s, e, label=m) for m, s, e in matcher(doc)]
        chosen = {(s.start, s.end, s.label_) for s in filter_spans(spans)}
        for span in spans:
            key = span.label_
            if key == "\tKNOWN":
                continue
            raw[key] += 1
            kept[key] += (span.start, span.end, key) in chosen
            if key not in contexts:
                window = doc[max(0, span.start - 8) : min(len(doc), span.end + 8)].text
                contexts[key] = " ".join(window.split())
    return raw, kept, contexts


def known_aliases() -> set[str]:
    """The aliases the tagger already matches, with its upper-case country forms left out."""
    known: set[str] = set()
    for record in read_jsonl(DATA / "countries.jsonl"):
        known.update(aliases_of(record, "names", "abbreviations", "demonyms"))
    for record in read_jsonl(DATA / "areas.jsonl"):
        known.update(aliases_of(record, "aliases"))
    for record in read_jsonl(DATA / "subdivisions.jsonl"):
        known.update(aliases_of(record, "aliases", "typed_aliases"))
    return known


def print_report(report: Report, source: str, path: Path, cities: list[dict[str, Any]]) -> None:
    aliases = sum(len(aliases_of(r, "aliases")) for r in cities)
    countries = len({r.get("country") for r in cities})
    print(
        f"{path}: {len(cities)} entries, {aliases} aliases, {countries} countries; "
        f"English words from {source}"
    )
    checks = ["shape", "country names", "areas.jsonl", "subdivisions"]
    checks += ["duplicate across countries", "duplicate alias", "english word"]
    for check in checks:
        problems = report.problems.get(check, [])
        print(f"  {check}: {len(problems)}")
        for problem in problems:
            print(f"    {problem}")
    print("FAIL" if report.failed else "OK")


def print_counts(cities: list[dict[str, Any]], folder: Path, top: int) -> None:
    bodies = corpus_bodies(folder)
    raw, kept, contexts = count_aliases(cities, bodies, known_aliases())
    print(
        f"\ncorpus {folder}: {len(bodies)} distinct bodies, {sum(raw.values())} alias hits "
        f"({sum(kept.values())} not inside a longer gazetteer name), {len(raw)} aliases seen"
    )
    print("   hits  kept  alias (country)  | first context")
    for key, number in raw.most_common(top):
        alias, country = key.split("\t")
        print(f"  {number:5d} {kept[key]:5d}  {alias} ({country})  | {contexts[key]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--cities", type=Path, default=CITIES)
    parser.add_argument("--corpus", type=Path, default=RELIEFWEB)
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--skip-corpus", action="store_true")
    args = parser.parse_args(argv)
    cities = read_jsonl(args.cities)
    report, source = run_checks(cities)
    print_report(report, source, args.cities, cities)
    if not args.skip_corpus:
        if args.corpus.exists():
            print_counts(cities, args.corpus, args.top)
        else:
            print(f"\ncorpus {args.corpus} absent: no counts")
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
