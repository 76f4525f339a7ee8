"""Combine places, issuers, cues and groups per sentence into recommendations.

Per sentence the strongest unblocked cue decides the stance; the places it points at
("to Sudan", "Sudanese nationals", "to North Kivu") become one recommendation each. Groups
are taken from the recommendation sentence only: a profile named in a neighbouring
sentence ("Women and girls ... are particularly exposed") is context, not part of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.annotations import (
    CueMatch,
    IssuerMention,
    PlaceMention,
    Recommendation,
    register_extensions,
)
from nlp.errors import NlpError
from nlp.resources import data_path, read_jsonl

STANCES = {"against": "against_return", "lift": "lifts"}
# A place this close after a cue is its object even without "to" ("of Sudanese nationals").
OBJECT_WINDOW = 3
FALLBACK_PENALTY = 0.2


@dataclass(frozen=True)
class Words:
    """The lexicons of cues.jsonl that the combination rules need."""

    gov_follow: frozenset[str]
    gov_nouns: frozenset[str]
    addressee_before: frozenset[str]
    modals: frozenset[str]
    dest: frozenset[str]
    source: frozenset[str]
    list_skip: frozenset[str]
    clause_break: frozenset[str]


@dataclass(frozen=True)
class Issuer:
    name: str
    is_un: bool
    in_sentence: bool


class RecommendationBuilder:
    """Writes doc._.rw_recommendations from the other components' annotations."""

    def __init__(self, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.words: Words | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        lex = {
            str(r["name"]): frozenset(str(t).lower() for t in r["terms"])
            for r in read_jsonl(data_path("cues.jsonl", self.data_dir))
            if r.get("kind") == "lexicon"
        }
        try:
            self.words = Words(
                lex["GOV_FOLLOW"],
                lex["GOV_NOUNS"],
                lex["ADDRESSEE_BEFORE"],
                lex["MODAL"],
                lex["DEST_MARKERS"],
                lex["SOURCE_MARKERS"],
                lex["LIST_SKIP"],
                lex["CLAUSE_BREAK"],
            )
        except KeyError as exc:
            raise NlpError(f"cues.jsonl lacks lexicon {exc}") from exc

    def __call__(self, doc: Doc) -> Doc:
        if self.words is None:
            raise NlpError(f"component {self.name!r} used before initialize")
        found: list[Recommendation] = []
        for sent in doc.sents:
            found.extend(self._sentence(doc, sent, self.words))
        doc._.rw_recommendations = deduplicate(found)
        return doc

    def _sentence(self, doc: Doc, sent: Span, words: Words) -> list[Recommendation]:
        cues = [c for c in doc._.rw_cues if c.start >= sent.start and c.end <= sent.end]
        chosen = choose_cue(cues)
        if chosen is None:
            return []
        cue, stance = chosen
        places = [p for p in doc._.rw_places if sent.start <= p.start < sent.end]
        issuer = find_issuer(doc, sent, cue, places, words)
        targets, fallback = find_targets(doc, sent, cue, places, words)
        if not targets:
            # A call with no place in reach: the caller may know the source's country.
            targets = [PlaceMention(cue.start, cue.end, "", "", "country")]
        issuer_tokens = {i for m in doc._.rw_issuers for i in range(m.start, m.end)}
        groups = tuple(
            sorted(
                {
                    g.tag
                    for g in doc._.rw_groups
                    if sent.start <= g.start < sent.end and g.start not in issuer_tokens
                }
            )
        )
        condition = find_condition(doc, sent, cue, cues, words)
        confidence = (
            cue.weight
            + (0.1 if issuer and issuer.in_sentence else 0.0)
            - (FALLBACK_PENALTY if fallback else 0.0)
            + (0.05 if condition else 0.0)
        )
        text = sent.text
        start_char = sent.start_char + (len(text) - len(text.lstrip()))
        end_char = sent.end_char - (len(text) - len(text.rstrip()))
        return [
            Recommendation(
                stance=stance,
                scope=cue.scope or "all",
                issuer=issuer.name if issuer else None,
                issuer_is_un=issuer.is_un if issuer else False,
                country=place.country,
                area_name=place.area_name if place.kind == "area" else None,
                area_code=place.area_code if place.kind == "area" else None,
                groups=groups,
                condition=condition,
                start_char=start_char,
                end_char=end_char,
                confidence=round(min(max(confidence, 0.05), 0.99), 2),
                pattern_id=cue.pattern_id,
            )
            for place in targets
        ]


def choose_cue(cues: list[CueMatch]) -> tuple[CueMatch, str] | None:
    """The strongest stance cue that no blocker in the sentence cancels, and its stance."""
    if any(c.label == "logistics" for c in cues):
        return None  # a pause forced by closures or weather says nothing about the country
    blockers = [
        c
        for c in cues
        if c.label in ("other_sense", "hypothetical", "negated", "conditional", "condition")
    ]
    # "In 2006 Britain suspended ..." is history unless the sentence speaks of now too;
    # "had urged" is history of a call, not of a lifting ("which it had suspended").
    dated = any(c.label == "historical" for c in cues) and not any(
        c.label == "present" for c in cues
    )
    historical = dated or any(c.label == "pluperfect" for c in cues)
    candidates = []
    for cue in cues:
        if cue.label not in STANCES or _blocked(cue, blockers, cues):
            continue
        stance = STANCES[cue.label]
        if stance == "against_return" and any(
            c.label == "no_longer" and c.start < cue.start for c in cues
        ):
            stance = "lifts"  # "no longer asks States to hold off returns"
        elif (stance == "against_return" and historical) or (stance == "lifts" and dated):
            continue
        candidates.append((cue, stance))
    if not candidates:
        return None
    return max(candidates, key=lambda pair: (pair[0].priority, pair[0].weight, -pair[0].start))


def _blocked(cue: CueMatch, blockers: list[CueMatch], cues: list[CueMatch]) -> bool:
    for blocker in blockers:
        if blocker.label == "other_sense" and blocker.start < cue.end and cue.start < blocker.end:
            return True
        if blocker.label in ("hypothetical", "negated") and blocker.start <= cue.start:
            return True
        if cue.label == "lift" and (
            (blocker.label == "conditional" and blocker.start < cue.end and cue.start < blocker.end)
            or (blocker.label == "condition" and blocker.start < cue.start)
        ):
            return True  # "resume them only when ...", "until it is safe to go back"
    # "has not suspended deportations": a negation right before the cue.
    return any(c.label == "negation" and cue.start - 2 <= c.start < cue.start for c in cues)


def find_issuer(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], words: Words
) -> Issuer | None:
    """Who recommends: named before the cue, a government acting, an earlier mention, later."""
    mentions: list[IssuerMention] = [
        m for m in doc._.rw_issuers if not _addressed(doc, sent, m.start, words)
    ]
    before = [m for m in mentions if sent.start <= m.start and m.end <= cue.start]
    if before:
        return Issuer(before[-1].name, before[-1].is_un, True)
    government = _government_subject(doc, sent, cue, places, words)
    if government is not None:
        return Issuer(government, False, True)
    earlier = [m for m in mentions if m.end <= sent.start]
    if earlier:
        return Issuer(earlier[-1].name, earlier[-1].is_un, False)
    after = [m for m in mentions if cue.start <= m.start < sent.end]
    if after:
        return Issuer(after[0].name, after[0].is_un, True)
    return None


def _government_subject(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], words: Words
) -> str | None:
    """ "Canada currently defers removals", "Norway's appeals board has ..." -> that government."""
    for place in places:
        if place.end > cue.start or place.kind != "country" or place.end >= len(doc):
            continue
        if not _addressed(doc, sent, place.start, words) and _is_subject(doc, place, words):
            return f"Government of {place.text}"
    return None


def _addressed(doc: Doc, sent: Span, start: int, words: Words) -> bool:
    """ "urged Malaysia", "wrote to Homeland Security": someone spoken to, not the speaker."""
    previous = {t.lower_ for t in doc[max(sent.start, start - 2) : start]}
    return bool(previous & words.addressee_before)


def _is_subject(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "Canada currently defers", "Finland and Sweden have stopped", "Norway's board has"."""
    if place.kind != "country":
        return False
    i = place.end
    while i < len(doc) and (
        doc[i].lower_ in {",", "and", "or"} or any(p.start == i for p in doc._.rw_places)
    ):
        match = next((p for p in doc._.rw_places if p.start == i), None)
        i = match.end if match else i + 1
    if i + 1 < len(doc) and doc[i].lower_ in {"'s", "’s"}:
        return doc[i + 1].lower_ in words.gov_follow | words.gov_nouns
    return i < len(doc) and doc[i].lower_ in words.gov_follow


def find_targets(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], words: Words
) -> tuple[list[PlaceMention], bool]:
    """The places the recommendation is about, and whether they came from outside the sentence."""
    usable = [p for p in places if not _excluded(doc, p, places, words)]
    after = [p for p in usable if p.start >= cue.start]
    led = [
        p
        for p in after
        if _led_by(doc, p, places, words.dest, words) or p.start < cue.end + OBJECT_WINDOW
    ]
    targets = led or after
    if not targets:
        targets = [
            p
            for p in usable
            if not _addressee(doc, sent, p, words) and not _is_subject(doc, p, words)
        ]
    fallback = False
    if not targets:
        earlier = [
            p
            for p in doc._.rw_places
            if p.end <= sent.start and not _excluded(doc, p, doc._.rw_places, words)
        ]
        targets, fallback = earlier[-1:], True
    if not targets:
        # "Liberia's government has certified ... as safe": a government about its country.
        targets = [p for p in usable if _is_subject(doc, p, words)]
    return _narrow(doc, targets, words), fallback


def _excluded(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """Not a destination: "from Iran and Pakistan", "the German government"."""
    if place.end < len(doc) and place.kind != "area" and doc[place.end].lower_ in words.gov_nouns:
        return True
    return _led_by(doc, place, places, frozenset({"from"}), words)


def _led_by(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], markers: frozenset[str], words: Words
) -> bool:
    """Whether a marker word governs the place, across a list ("to Gao, Timbuktu and Kidal")."""
    covered = {i for p in places for i in range(p.start, p.end)}
    i = place.start - 1
    while i >= 0 and (i in covered or doc[i].lower_ in words.list_skip):
        if doc[i].lower_ in markers:
            return True
        i -= 1
    return i >= 0 and doc[i].lower_ in markers


def _addressee(doc: Doc, sent: Span, place: PlaceMention, words: Words) -> bool:
    """ "urged Malaysia to stop", "Denmark must not send": the State asked, not the destination."""
    previous = {t.lower_ for t in doc[max(sent.start, place.start - 2) : place.start]}
    following = doc[place.end].lower_ if place.end < sent.end else ""
    return bool(previous & words.addressee_before) or following in words.modals | {"to"}


def _narrow(doc: Doc, targets: list[PlaceMention], words: Words) -> list[PlaceMention]:
    """One target per place: areas replace their country; "in eastern DRC" is context."""
    area_countries = {p.country for p in targets if p.kind == "area"}
    kept: list[PlaceMention] = []
    for place in targets:
        if place.kind != "area" and place.country in area_countries:
            continue
        if (
            place.kind == "area"
            and not place.area_code
            and any(k.country == place.country for k in kept)
            and _led_by(doc, place, [], words.source, words)
        ):
            continue
        if not any(_same_place(place, k) for k in kept):
            kept.append(place)
    return kept


def _same_place(a: PlaceMention, b: PlaceMention) -> bool:
    if a.country != b.country:
        return False
    if a.kind != "area" and b.kind != "area":
        return True
    return a.kind == b.kind == "area" and (
        (a.area_code is not None and a.area_code == b.area_code)
        or (a.area_name or "").lower() == (b.area_name or "").lower()
    )


def find_condition(
    doc: Doc, sent: Span, cue: CueMatch, cues: list[CueMatch], words: Words
) -> str | None:
    """The "until ..." clause after the cue, up to the end of its clause."""
    starts = [c for c in cues if c.label == "condition" and c.start >= cue.start]
    if not starts:
        return None
    start = min(starts, key=lambda c: c.start).start
    end = start + 1
    while end < sent.end:
        token = doc[end]
        if token.text in {";", ".", ":", "!", "?", '"', "“", "”"} or (
            token.text == "," and end + 1 < sent.end and doc[end + 1].lower_ in words.clause_break
        ):
            break
        end += 1
    text = doc[start:end].text.strip(" ,;.")
    return text or None


def deduplicate(found: list[Recommendation]) -> list[Recommendation]:
    """One recommendation per stance and place in a document, keeping the best evidence."""
    best: dict[tuple[str, str, str], Recommendation] = {}
    for rec in found:
        key = (rec.stance, rec.country, rec.area_code or (rec.area_name or "").lower())
        current = best.get(key)
        if current is None or (rec.confidence, rec.end_char - rec.start_char) > (
            current.confidence,
            current.end_char - current.start_char,
        ):
            best[key] = rec
    return sorted(best.values(), key=lambda r: (r.start_char, r.country, r.area_name or ""))


@Language.factory("rw_recommendations", default_config={"data_dir": ""})
def make_recommendation_builder(nlp: Language, name: str, data_dir: str) -> RecommendationBuilder:
    register_extensions()
    return RecommendationBuilder(name, data_dir)
