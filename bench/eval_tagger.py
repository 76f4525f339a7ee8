"""Evaluate the tagger: labelled passages, real corpus false flags, location recall.

Usage (from the repository root):
    .venv/bin/python -m bench.eval_tagger                 # everything, table on stdout
    .venv/bin/python -m bench.eval_tagger --skip-corpus   # labelled sets only
    .venv/bin/python -m bench.eval_tagger --heldout FILE.jsonl   # score other sets too

Labelled sets: ../shared/gold/dev/passages.jsonl (tuned on),
tests/cases/tagger_heldout.jsonl (written before tuning, since tuned on) and
tests/cases/tagger_blind.jsonl (written before the tagger was run on it), all in the gold
schema; --heldout adds more. Each is scored for the tagger and for a plain keyword
baseline. The recommendations flagged in the real ReliefWeb bodies and humanitarian
documents are written to bench/out/ for review.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from spacy.language import Language

from nlp.pipeline import build_pipeline
from nlp.resources import read_jsonl
from nlp.tagger import tag_text
from store.records import FindingRecord

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV = SHARED / "gold" / "dev" / "passages.jsonl"
HELDOUT = ROOT / "tests" / "cases" / "tagger_heldout.jsonl"
BLIND = ROOT / "tests" / "cases" / "tagger_blind.jsonl"
RELIEFWEB = SHARED / "corpus" / "reliefweb"
HUMSET = SHARED / "corpus" / "humset"
OUT = ROOT / "bench" / "out"
STANCES = ("against_return", "lifts")
AREA_SUFFIXES = re.compile(
    r"\b(state|province|provinces|region|regions|governorate|governorates|district|"
    r"department|county|the)\b"
)

Tagger = Callable[[str], list[FindingRecord]]


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, found: bool, gold: bool) -> None:
        self.tp += found and gold
        self.fp += found and not gold
        self.fn += gold and not found

    def scores(self) -> tuple[float, float, float]:
        p = self.tp / max(1, self.tp + self.fp)
        r = self.tp / max(1, self.tp + self.fn)
        return p, r, 2 * p * r / max(1e-9, p + r)


@dataclass
class Score:
    """Stance P/R/F1 per stance, then attribute accuracy over the recommendations found."""

    stances: dict[str, Counts] = field(default_factory=lambda: {s: Counts() for s in STANCES})
    attributes: dict[str, list[bool]] = field(default_factory=dict)
    areas: Counts = field(default_factory=Counts)
    errors: list[str] = field(default_factory=list)

    def check(self, name: str, ok: bool) -> None:
        self.attributes.setdefault(name, []).append(ok)

    def accuracy(self, name: str) -> float:
        values = self.attributes.get(name, [])
        return sum(values) / max(1, len(values))


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join(AREA_SUFFIXES.sub(" ", text).split())


def same_issuer(found: str, gold: str) -> bool:
    a, b = normalise(found), normalise(gold)
    return bool(a) and (a == b or a in b or b in a)


def score_passage(score: Score, passage: dict[str, Any], findings: list[FindingRecord]) -> None:
    gold = passage["stance"]
    for stance in STANCES:
        found = any(f.stance == stance for f in findings)
        score.stances[stance].add(found, gold == stance)
        if found != (gold == stance):
            score.errors.append(f"{passage['id']}: {stance} found={found} gold={gold}")
    if gold not in STANCES:
        return
    mine = [f for f in findings if f.stance == gold]
    if not mine:
        return
    countries = {f.country for f in mine}
    score.check("country", countries == set(passage["countries"]))
    score.check("scope", mine[0].scope == passage["scope"])
    score.check("issuer", same_issuer(mine[0].issuer, passage["issuer"] or ""))
    score.check("issuer_is_un", mine[0].issuer_is_un == passage["issuer_is_un"])
    score.check("groups", set(mine[0].groups) == set(passage["groups"]))
    if mine[0].issuer_is_un != passage["issuer_is_un"]:
        score.errors.append(
            f"{passage['id']}: issuer {mine[0].issuer!r} gold {passage['issuer']!r}"
            f" (UN: {passage['issuer_is_un']})"
        )
    if set(mine[0].groups) != set(passage["groups"]):
        score.errors.append(
            f"{passage['id']}: groups {sorted(mine[0].groups)} gold {sorted(passage['groups'])}"
        )
    gold_areas = {normalise(a["name"]) for a in passage["areas"]}
    found_areas = {normalise(f.area.name) for f in mine if f.area is not None}
    for area in found_areas | gold_areas:
        score.areas.add(area in found_areas, area in gold_areas)
    if countries != set(passage["countries"]) or found_areas != gold_areas:
        score.errors.append(
            f"{passage['id']}: places {sorted(countries)} {sorted(found_areas)} "
            f"gold {passage['countries']} {sorted(gold_areas)}"
        )


def evaluate(passages: list[dict[str, Any]], tagger: Tagger) -> Score:
    score = Score()
    for passage in passages:
        score_passage(score, passage, tagger(passage["text"]))
    return score


class KeywordBaseline:
    """The plain approach: a cue word near "return"/"deport" and the first country named."""

    AGAINST = re.compile(
        r"\b(suspend\w*|halt\w*|stop\w*|moratorium|non-return|refrain\w*|not safe)\b", re.I
    )
    LIFT = re.compile(r"\b(resum\w+|lift\w*|withdr[ae]w\w*)\b", re.I)
    RETURN = re.compile(r"\b(return\w*|deport\w*|remov\w+)\b", re.I)
    SCOPE = re.compile(r"\b(forced|forcibl\w+|deport\w*)\b", re.I)

    def __init__(self) -> None:
        names: dict[str, str] = {}
        for record in read_jsonl(ROOT / "nlp" / "data" / "countries.jsonl"):
            for name in [*record["names"], *record["demonyms"]]:
                names[name] = str(record["iso3"])
        self.countries = names
        self.country_re = re.compile(
            r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b"
        )
        self.un = re.compile(r"\b(UNHCR|OHCHR|IOM|UNICEF|UN|United Nations|Special Rapporteur)\b")

    def __call__(self, text: str) -> list[FindingRecord]:
        if not self.RETURN.search(text):
            return []
        stance = (
            "lifts"
            if self.LIFT.search(text)
            else "against_return"
            if self.AGAINST.search(text)
            else None
        )
        place = self.country_re.search(text)
        if stance is None or place is None:
            return []
        un = self.un.search(text)
        return [
            FindingRecord(
                stance=stance,  # type: ignore[arg-type]
                scope="forced" if self.SCOPE.search(text) else "all",
                issuer=un.group(0) if un else "",
                issuer_is_un=un is not None,
                country=self.countries[place.group(0)],
                area=None,
                groups=(),
                condition=None,
                evidence=text,
                evidence_start=0,
                evidence_end=len(text),
                confidence=0.5,
            )
        ]


def table(rows: list[tuple[str, Score]]) -> str:
    header = ["metric", *(name for name, _ in rows)]
    lines: list[list[str]] = []
    for stance in STANCES:
        for i, label in enumerate(("P", "R", "F1")):
            lines.append(
                [f"{stance} {label}", *(f"{s.stances[stance].scores()[i]:.2f}" for _, s in rows)]
            )
    for name in ("country", "issuer", "issuer_is_un", "scope", "groups"):
        lines.append(
            [
                f"{name} accuracy",
                *(f"{s.accuracy(name):.2f} (n={len(s.attributes.get(name, []))})" for _, s in rows),
            ]
        )
    lines.append(["area F1", *(f"{s.areas.scores()[2]:.2f}" for _, s in rows)])
    widths = [max(len(r[i]) for r in [header, *lines]) for i in range(len(header))]
    fmt = " | ".join(f"{{:<{w}}}" for w in widths)
    out = [fmt.format(*header), "-+-".join("-" * w for w in widths)]
    out += [fmt.format(*line) for line in lines]
    return "\n".join("| " + line + " |" for line in out)


def reliefweb_bodies() -> Iterator[tuple[str, str]]:
    csv.field_size_limit(sys.maxsize)
    for path in sorted(RELIEFWEB.glob("UN-OCHA__*/data/report_theme_en-1k.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            seen: set[str] = set()
            for row in csv.DictReader(handle):
                if row["nid"] not in seen:
                    seen.add(row["nid"])
                    yield f"reliefweb:{row['nid']}", row["post"]


def humset_documents() -> list[dict[str, Any]]:
    path = next(HUMSET.glob("*/toponym_annotations.json"), None)
    if path is None:
        return []
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


def flag_corpus(nlp: Language, documents: Iterable[tuple[str, str]], out: Path) -> tuple[int, int]:
    """Tag each document; write every finding for review. Returns (documents, flagged)."""
    total = flagged = 0
    with out.open("w", encoding="utf-8") as handle:
        for doc_id, text in documents:
            total += 1
            findings = tag_text(nlp, text).findings
            flagged += bool(findings)
            for f in findings:
                area = f" / {f.area.name}" if f.area else ""
                handle.write(
                    f"{doc_id}\t{f.stance}\t{f.country}{area}\t{f.issuer}\t{f.confidence}\t"
                    f"{' '.join(f.evidence.split())}\n"
                )
    return total, flagged


def location_judge() -> tuple[set[str], set[str]]:
    """Names that count as a country or admin-1 unit, from pycountry (independent of nlp/data)."""
    countries: set[str] = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                countries.add(normalise(value))
    admin1 = {
        normalise(sub.name)
        for sub in pycountry.subdivisions
        if getattr(sub, "parent_code", None) is None
    }
    return countries, admin1 - countries


def location_recall(nlp: Language, documents: list[dict[str, Any]]) -> tuple[int, int, list[str]]:
    """Annotated LOC spans naming a country or admin-1 unit, and how many the tagger marks."""
    countries, admin1 = location_judge()
    found = total = 0
    missed: list[str] = []
    for document in documents:
        doc = nlp(document["text"])
        marked = [
            (doc[m.start].idx, doc[m.end - 1].idx + len(doc[m.end - 1])) for m in doc._.rw_places
        ]
        for ann in document["annotations"]:
            if ann["label"] != "LOC":
                continue
            name = normalise(ann["text"])
            if name not in countries and name not in admin1:
                continue
            total += 1
            hit = any(s < ann["end"] and ann["start"] < e for s, e in marked)
            found += hit
            if not hit:
                missed.append(ann["text"])
    return found, total, missed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-corpus", action="store_true", help="labelled sets only")
    parser.add_argument("--errors", action="store_true", help="list the passages scored wrong")
    parser.add_argument(
        "--heldout", type=Path, action="append", default=[], help="another labelled set to score"
    )
    parser.add_argument(
        "--all-blind", action="store_true", help="also score every tests/cases/tagger_blind*.jsonl"
    )
    args = parser.parse_args(argv)
    if args.all_blind:
        args.heldout += sorted(
            (p for p in BLIND.parent.glob("tagger_blind*.jsonl") if p != BLIND),
            key=lambda p: int("0" + p.stem.removeprefix("tagger_blind")),
        )
    nlp = build_pipeline()
    baseline = KeywordBaseline()

    def tagger(text: str) -> list[FindingRecord]:
        return tag_text(nlp, text).findings

    rows: list[tuple[str, Score]] = []
    sets = [("dev", DEV), ("held-out", HELDOUT), ("blind", BLIND)]
    sets += [(path.stem, path) for path in args.heldout]
    for name, path in sets:
        if not path.exists():
            continue
        passages = read_jsonl(path)
        mine = evaluate(passages, tagger)
        rows += [(f"{name} tagger", mine), (f"{name} keywords", evaluate(passages, baseline))]
        if args.errors:
            print(f"## {name} errors", *mine.errors, sep="\n")
    print(table(rows))
    if args.skip_corpus:
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    total, flagged = flag_corpus(nlp, reliefweb_bodies(), OUT / "reliefweb_flags.tsv")
    print(f"\nReliefWeb bodies: {total}, with a finding: {flagged} (bench/out/reliefweb_flags.tsv)")
    documents = humset_documents()
    total, flagged = flag_corpus(
        nlp, ((f"humset:{d['lead_id']}", d["text"]) for d in documents), OUT / "humset_flags.tsv"
    )
    print(f"HumSet documents: {total}, with a finding: {flagged} (bench/out/humset_flags.tsv)")
    found, total, missed = location_recall(nlp, documents)
    (OUT / "humset_missed_locations.txt").write_text("\n".join(sorted(missed)) + "\n", "utf-8")
    print(f"HumSet country/admin-1 location recall: {found}/{total} = {found / max(1, total):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
