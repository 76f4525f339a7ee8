"""Combine places, issuers, cues and groups per sentence into recommendations.

Per sentence the strongest unblocked cue decides the stance; the places it points at
("to Sudan", "Sudanese nationals", "to North Kivu") become one recommendation each. Groups
are taken from the recommendation sentence only: a profile named in a neighbouring
sentence ("Women and girls ... are particularly exposed") is context, not part of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
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
from nlp.described_areas import with_described_areas
from nlp.errors import NlpError
from nlp.groups import follow_on_sentences, stance_sentences
from nlp.place_words import Words, addressed, is_subject
from nlp.resources import data_path, read_jsonl
from nlp.targets import departure_only, find_targets

STANCES = {"against": "against_return", "lift": "lifts"}
WEAK_CUE = 0.7
FALLBACK_PENALTY = 0.2
# How far after a call "... is no longer in effect" still withdraws it.
WITHDRAWN_REACH = 12


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
        self.names: dict[str, str] = {}

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
                lex["PEOPLE"],
            )
        except KeyError as exc:
            raise NlpError(f"cues.jsonl lacks lexicon {exc}") from exc
        self.names = {
            str(r["iso3"]): str(r["name"])
            for r in read_jsonl(data_path("countries.jsonl", self.data_dir))
        }

    def __call__(self, doc: Doc) -> Doc:
        if self.words is None:
            raise NlpError(f"component {self.name!r} used before initialize")
        found: list[Recommendation] = []
        for sent in stance_sentences(doc):
            found.extend(self._sentence(doc, sent, self.words, found))
        doc._.rw_recommendations = without_vague_repeats(deduplicate(without_contradictions(found)))
        return doc

    def _sentence(
        self, doc: Doc, sent: Span, words: Words, found: list[Recommendation]
    ) -> list[Recommendation]:
        cues = [c for c in doc._.rw_cues if c.start >= sent.start and c.end <= sent.end]
        if not any(c.label in STANCES for c in cues):
            return []
        chosen = choose_cue(cues, clause_breaks(sent), background_clauses(sent), relatives(sent))
        if chosen is None:
            return []
        cue, stance = chosen
        places = [p for p in doc._.rw_places if sent.start <= p.start < sent.end]
        if departure_only(doc, places, words):
            return []
        if _armed_forces_speak(doc, sent, cue, places):
            return []
        issuer = find_issuer(doc, sent, cue, places, words, self.names)
        if (
            stance == "lifts"
            and cue.pattern_id in RESUMPTIONS
            and not (issuer and issuer.is_un)
            and not _halt_told(doc)
        ):
            return []  # a government deporting again, with no halt it ends: its own removals
        previous = [_as_place(r) for r in found if r.stance == stance and r.country]
        targets, fallback = find_targets(doc, sent, cue, places, words, previous)
        if fallback and cue.weight < WEAK_CUE and stance == "against_return":
            return []  # "GBV survivors will not be deported": a weak cue needs its own place
        spelled = spelled_out_parts(doc, sent, targets)
        # Units a following sentence names say more than the description they spell out.
        targets = spelled if spelled != targets else with_described_areas(doc, sent, cue, targets)
        if not targets:
            # A call with no place in reach: the caller may know the source's country.
            targets = [PlaceMention(cue.start, cue.end, "", "", "country")]
        issuer_tokens = {i for m in doc._.rw_issuers for i in range(m.start, m.end)}
        spans = [(sent.start, sent.end)] + [
            (s.start, s.end) for s in follow_on_sentences(doc, sent)
        ]
        tags = {
            g.tag
            for g in doc._.rw_groups
            if any(a <= g.start < b for a, b in spans) and g.start not in issuer_tokens
        }
        if "unaccompanied_children" in tags:
            tags.discard("children")  # the narrower profile says it ("... and uprooted children")
        groups = tuple(sorted(tags))
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
                scope=cue.scope or _default_scope(issuer),
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
                from_context=fallback,
            )
            for place in targets
        ]


PART_WORDS = frozenset({"areas", "parts", "regions", "provinces", "districts", "part"})


def spelled_out_parts(doc: Doc, sent: Span, targets: list[PlaceMention]) -> list[PlaceMention]:
    """ "... to areas of Iraq affected by military operations. In practice this covers
    Ninewa, Anbar and Kirkuk": a call about unnamed parts of a country takes the areas a
    following sentence names for it."""
    vague = [
        t
        for t in targets
        if t.kind == "country"
        and t.start >= 2
        and doc[t.start - 1].lower_ == "of"
        and doc[t.start - 2].lower_ in PART_WORDS
    ]
    if not vague:
        return targets
    named = [
        p
        for s in follow_on_sentences(doc, sent)
        for p in doc._.rw_places
        if s.start <= p.start < s.end and p.kind == "area"
    ]
    countries = {t.country for t in vague}
    parts = [p for p in named if p.country in countries]
    if not parts:
        return targets
    return [t for t in targets if t not in vague or t.country not in {p.country for p in parts}] + [
        PlaceMention(p.start, p.end, p.text, p.country, p.kind, p.area_name, p.area_code, p.city)
        for p in parts
    ]


RELOCATION_REACH = 8

# "... would resume deportations to Venezuela": a lifting only when a halt or a safety
# finding is told ("resumes forced returns ... considered the situation stable enough").
RESUMPTIONS = frozenset({"resume_returns", "returns_resume", "returns_can_resume"})
HALT_WORDS = frozenset(
    {"suspended", "halted", "paused", "stopped", "frozen", "suspension", "moratorium", "halt"}
    | {"pause", "freeze", "ban", "stay", "suspend", "deferral", "deferred", "hold"}
    | {"stable", "improved", "safe", "ceasefire", "peace", "secure"}
)


def _halt_told(doc: Doc) -> bool:
    """A halt or safety finding told outside sentences about logistics ("flights had been on
    hold because the government refused to accept them" is no halt on safety grounds)."""
    logistic = {doc[c.start].sent.start for c in doc._.rw_cues if c.label == "logistics"}
    return any(t.lower_ in HALT_WORDS and t.sent.start not in logistic for t in doc)


MILITARY = frozenset({"army", "military", "troops", "forces", "soldiers", "police", "militia"})


def _armed_forces_speak(doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention]) -> bool:
    """ "The Lebanese army urged residents not to rush back to frontline villages": a
    security order to a country's own people, not advice on returning migrants."""
    issuers = [m for m in doc._.rw_issuers if sent.start <= m.start and m.end <= cue.start]
    return not issuers and any(
        p.end < cue.start and doc[p.end].lower_ in MILITARY for p in places if p.end <= cue.start
    )


def _default_scope(issuer: Issuer | None) -> str:
    """A government's measure concerns its own removals; anyone else's unqualified call, all."""
    if issuer is not None and issuer.name.startswith("Government of"):
        return "forced"
    return "all"


def _as_place(rec: Recommendation) -> PlaceMention:
    """An earlier recommendation's place, for a later sentence that restates the call."""
    if rec.area_name is None:
        return PlaceMention(0, 0, "", rec.country, "country")
    return PlaceMention(0, 0, rec.area_name, rec.country, "area", rec.area_name, rec.area_code)


# "...; since then ...", ", which it halted in 2015": a clause with its own time.
BACKGROUND_OPENERS = frozenset(
    {"which", "when", "where", "whereas", "after", "following", "because", "since", "citing"}
    | {"replacing", "superseding", "reversing", "overturning"}
    | {"finding", "noting", "saying", "adding", "stressing", "warning", "arguing", "holding"}
)
# "Nicaraguans who fled the repression that began in April 2018": a relative clause's date.
RELATIVE_OPENERS = frozenset({"who", "whose"})


def clause_breaks(sent: Span) -> list[int]:
    """Token positions where a clause with its own tense begins: a semicolon, a dash, or a
    comma before "which" / "when"."""
    return [
        token.i
        for token in sent
        if token.text in {";", "—", "–"}
        or token.lower_ in RELATIVE_OPENERS
        or (
            token.text == ","
            and token.i + 1 < sent.end
            and token.nbor(1).lower_ in BACKGROUND_OPENERS
        )
    ]


RELATIVE_REACH = 6


def relatives(sent: Span) -> list[int]:
    """Where relative clauses open: "who", "whose", and "that" or "which" right after a place
    ("the ban on removals to Haiti that Canada had imposed in 2004")."""
    place_ends = {p.end for p in sent.doc._.rw_places if sent.start <= p.start < sent.end}
    return [
        t.i
        for t in sent
        if t.lower_ in RELATIVE_OPENERS or (t.lower_ in {"that", "which"} and t.i in place_ends)
    ]


def _in_relative(cue: CueMatch, relatives: Sequence[int]) -> bool:
    """ "Belarusians who fled after the 2020 election": a date just inside a relative clause."""
    return any(0 < cue.start - r <= RELATIVE_REACH for r in relatives)


def _same_clause(a: CueMatch, b: CueMatch, breaks: Sequence[int]) -> bool:
    low, high = min(a.start, b.start), max(a.start, b.start)
    return not any(low < i < high for i in breaks)


def choose_cue(
    cues: list[CueMatch],
    breaks: Sequence[int] = (),
    background: Sequence[tuple[int, int]] = (),
    relatives: Sequence[int] = (),
) -> tuple[CueMatch, str] | None:
    """The strongest stance cue that no blocker in the sentence cancels, and its stance.

    breaks: clause boundaries (see clause_breaks); time markers count in their own clause.
    """
    if any(c.label == "logistics" for c in cues):
        return None  # a pause forced by closures or weather says nothing about the country
    blockers = [
        c
        for c in cues
        if c.label
        in ("other_sense", "hypothetical", "negated", "conditional", "condition", "speculative")
        and not _reported_future(c, cues)
        and not any(k.label == "concessive" and k.start < c.start < k.end for k in cues)
    ]
    # "Return to the capital should not be regarded as a reasonable internal flight
    # alternative": a judgement on relocation, not a call, in the same clause.
    relocation = [c for c in cues if c.label == "ifa"]
    dismissals = [c for c in cues if c.label == "dismissal"]
    candidates = []
    for cue in cues:
        if cue.label not in STANCES or _blocked(cue, blockers, cues, breaks):
            continue
        if any(
            _same_clause(r, cue, breaks) and 0 <= r.start - cue.end <= RELOCATION_REACH
            for r in relocation
        ):
            continue
        # "Campaigners who say no one should be sent back ... are overstating their case".
        # "A proposal to halt returns of Afghans who came as minors was voted down".
        main_breaks = [b for b in breaks if b not in relatives]
        if any(d.start >= cue.end and _same_clause(d, cue, main_breaks) for d in dismissals):
            continue
        # "In 2006 Britain suspended ..." is history unless the clause speaks of now too;
        # "had urged" is history of a call, not of a lifting ("which it had suspended").
        timed = [c for c in cues if _same_clause(c, cue, breaks)]
        dated = any(
            c.label == "historical" and not _in_relative(c, relatives) for c in timed
        ) and not any(c.label == "present" for c in timed)
        # "said that the Committee had asked the UK not to deport her": reported speech
        # shifts the tense back; the call is not history.
        historical = dated or any(
            c.label == "pluperfect"
            and not any(r.label == "reporting" and r.start < c.start for r in timed)
            for c in timed
        )
        stance = STANCES[cue.label]
        if stance == "against_return" and _withdrawn(cue, cues):
            stance = "lifts"
        elif (stance == "against_return" and historical) or (stance == "lifts" and dated):
            continue
        candidates.append((cue, stance))
    if not candidates:
        return None
    # "returns to Ninewa, which IOM put on hold ..., can resume": the relative clause is
    # background when the main clause holds a stance of its own.
    main = [pair for pair in candidates if not _in_background(pair[0], background)]
    # A finding said outright beats a resumption, which counts only with a halt told.
    return max(
        main or candidates,
        key=lambda pair: (
            pair[0].priority,
            pair[0].pattern_id not in RESUMPTIONS,
            pair[0].weight,
            -pair[0].start,
        ),
    )


# "said on Wednesday it would stop deporting": the future told in the past, a decision.
REPORTED_FUTURE_REACH = 4


def _new_main_clause(blocker: CueMatch, cue: CueMatch, cues: list[CueMatch]) -> bool:
    """ "would violate his rights if it deported him, and asked Ottawa to refrain from ...":
    the call is a main clause of its own after the "if"."""
    return blocker.pattern_id == "if_clause" and any(
        c.label == "new_clause" and blocker.start < c.start < cue.start for c in cues
    )


def _reported_future(blocker: CueMatch, cues: list[CueMatch]) -> bool:
    return blocker.pattern_id == "would_stop" and any(
        c.label == "reporting" and 0 <= blocker.start - c.end <= REPORTED_FUTURE_REACH for c in cues
    )


def _in_background(cue: CueMatch, background: Sequence[tuple[int, int]]) -> bool:
    return any(start < cue.start and cue.end <= end for start, end in background)


def background_clauses(sent: Span) -> list[tuple[int, int]]:
    """Token spans of relative clauses set off by commas: ", which ... ," (or to the end)."""
    spans = []
    for token in sent:
        if (
            token.text == ","
            and token.i + 1 < sent.end
            and token.nbor(1).lower_ in {"which", "who"}
        ):
            end = next((t.i for t in sent if t.i > token.i + 1 and t.text == ","), sent.end)
            spans.append((token.i, end))
    return spans


def _withdrawn(cue: CueMatch, cues: list[CueMatch]) -> bool:
    """A call said to be over: "no longer objects to the return", "withdrew its call on
    States to refrain from returning", "guidance opposing returns ... is no longer in effect"."""
    return any(
        (c.label in ("no_longer", "withdrawn_call") and c.start < cue.start)
        or (c.label == "no_longer_valid" and cue.end <= c.start <= cue.end + WITHDRAWN_REACH)
        for c in cues
    )


def _blocked(
    cue: CueMatch, blockers: list[CueMatch], cues: list[CueMatch], breaks: Sequence[int] = ()
) -> bool:
    for blocker in blockers:
        if blocker.label == "other_sense" and any(
            blocker.start <= i < blocker.end for i in (cue.start, cue.end - 1)
        ):
            return True  # the cue's own word in another sense; "the end of the war" inside is not
        if (
            blocker.label in ("hypothetical", "negated")
            and blocker.start <= cue.start
            and not _new_main_clause(blocker, cue, cues)
            and not (blocker.pattern_id == "dismissed_demands" and cue.label == "lift")
        ):
            return True  # a rejected petition against deportation clears the way for a lifting
        if blocker.start > cue.start and not _same_clause(blocker, cue, breaks):
            continue  # "..., where they would likely be arrested": the risk, in a clause of its own
        if blocker.label == "speculative" and not any(
            c.label == "risk_assessment" and blocker.start <= c.start < blocker.end for c in cues
        ):
            # "a halt to deportations was unlikely", "is considering a moratorium"; but "are
            # likely to need protection" judges the risk, not the call.
            return True
        if cue.label == "lift" and (
            (blocker.label == "conditional" and blocker.start < cue.end and cue.start < blocker.end)
            or (blocker.label == "condition" and blocker.start < cue.start)
        ):
            return True  # "resume them only when ...", "until it is safe to go back"
    # "has not suspended deportations": a negation right before the cue.
    return any(c.label == "negation" and cue.start - 2 <= c.start < cue.start for c in cues)


def find_issuer(
    doc: Doc,
    sent: Span,
    cue: CueMatch,
    places: list[PlaceMention],
    words: Words,
    names: Mapping[str, str],
) -> Issuer | None:
    """Who recommends: named before the cue (the nearer of an issuer and a government acting),
    an earlier mention, later in the sentence, then the next sentence ("According to UNHCR")."""
    mentions: list[IssuerMention] = [
        m
        for m in doc._.rw_issuers
        if _agent(doc, m) or not addressed(doc, doc[m.start].sent, m.start, words)
    ]
    before = [
        m
        for m in mentions
        if sent.start <= m.start
        and m.end <= cue.start
        and not (m.start > 0 and doc[m.start - 1].lower_ in {"which", "whom"})
    ]  # "In its view, which UNHCR shares, ...": a relative clause, not the speaker
    government = _government_subject(doc, sent, cue, places, words)
    if before and (government is None or government.start < before[-1].start):
        first = _list_head(doc, before)
        return Issuer(first.name, first.is_un, True)
    if government is not None:
        return Issuer(
            f"Government of {names.get(government.country, government.text)}", False, True
        )
    earlier = [m for m in mentions if m.end <= sent.start]
    if earlier:
        return Issuer(earlier[-1].name, earlier[-1].is_un, False)
    after = [m for m in mentions if cue.start <= m.start < sent.end]
    if after:
        return Issuer(after[0].name, after[0].is_un, True)
    following = (
        [m for m in mentions if sent.end <= m.start < doc[sent.end].sent.end]
        if sent.end < len(doc)
        else []
    )
    if following:
        return Issuer(following[0].name, following[0].is_un, False)
    return None


def _agent(doc: Doc, mention: IssuerMention) -> bool:
    """ "is no longer ruled out by UNHCR": the passive's agent is who speaks."""
    return mention.start > 0 and doc[mention.start - 1].lower_ == "by"


def _list_head(doc: Doc, before: list[IssuerMention]) -> IssuerMention:
    """ "UNHCR and IOM called ...": the first issuer of a list just before the cue."""
    head = before[-1]
    for previous in reversed(before[:-1]):
        between = {t.lower_ for t in doc[previous.end : head.start]}
        if not between or not between <= {",", "and", "&"}:
            break
        head = previous
    return head


def _government_subject(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], words: Words
) -> PlaceMention | None:
    """ "Canada currently defers removals", "Norway's appeals board has ...", "Danish
    immigration authorities have concluded": that government, unless it is asked ("... must")."""
    for place in places:
        if place.end > cue.start or place.end >= len(doc):
            continue
        if addressed(doc, sent, place.start, words) or _obliged(doc, place):
            continue
        if any(m.start <= place.start < m.end for m in doc._.rw_issuers):
            continue  # "the Special Rapporteur on ... in Afghanistan, said": the mandate
        if (
            any(t.lower_ in JUDGEMENT_WORDS for t in doc[place.end : place.end + JUDGED_REACH])
            or {t.lower_ for t in doc[place.end : cue.start]} <= COPULAS
        ):
            continue  # "Syria is still not a safe place to return to": judged, not speaking
        if is_subject(doc, place, words) or _demonym_body(doc, place, cue, words):
            return place
    return None


JUDGEMENT_WORDS = frozenset(
    {"safe", "safely", "unsafe", "dangerous", "conducive", "stable", "secure"}
)
JUDGED_REACH = 5
COPULAS = frozenset({"is", "was", "are", "remains", "remained", "still", "yet", "clearly"})

OBLIGED = frozenset({"obligation", "obliged", "duty", "required", "must", "should", "ought"})


def _obliged(doc: Doc, place: PlaceMention) -> bool:
    """ "Denmark is under an obligation to refrain": the State bound, not the one speaking."""
    return any(t.lower_ in OBLIGED for t in doc[place.end : place.end + 4])


def _demonym_body(doc: Doc, place: PlaceMention, cue: CueMatch, words: Words) -> bool:
    """ "Danish immigration authorities have ...", not "Lebanese authorities must stop"."""
    if place.kind != "demonym":
        return False
    i = place.end
    while i < cue.start and doc[i].lower_ in words.gov_nouns:
        i += 1
    return i > place.end and (i >= len(doc) or doc[i].lower_ not in words.modals)


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


def without_contradictions(found: list[Recommendation]) -> list[Recommendation]:
    """A call whose place is borrowed from another sentence gives way to the opposite stance
    said of that place outright ("enforced returns to Zimbabwe will resume ... although no
    one will be removed until the tribunal issues new guidance")."""
    named = {(r.stance, r.country) for r in found if not r.from_context}
    return [
        r
        for r in found
        if not (
            r.from_context
            and any((s, r.country) in named for s in STANCES.values() if s != r.stance)
        )
    ]


def without_vague_repeats(found: list[Recommendation]) -> list[Recommendation]:
    """A headline's "eastern DRC", or a later sentence's town, beside the units another
    sentence names for the same call: the named units say it better."""
    coded = {(r.stance, r.country, r.start_char) for r in found if r.area_code}
    return [
        r
        for r in found
        if not (
            r.area_name
            and not r.area_code
            and any(
                (stance, country) == (r.stance, r.country) and start != r.start_char
                for stance, country, start in coded
            )
        )
    ]


def deduplicate(found: list[Recommendation]) -> list[Recommendation]:
    """One recommendation per stance and place in a document, keeping the best evidence."""
    best: dict[tuple[str, str, str], Recommendation] = {}
    groups: dict[tuple[str, str, str], set[str]] = {}
    for rec in found:
        key = (rec.stance, rec.country, rec.area_code or (rec.area_name or "").lower())
        groups.setdefault(key, set()).update(rec.groups)
        current = best.get(key)
        if current is None or (rec.confidence, rec.end_char - rec.start_char) > (
            current.confidence,
            current.end_char - current.start_char,
        ):
            best[key] = rec
    # The same call told over several sentences: every group any of them singles out.
    kept = [replace(rec, groups=tuple(sorted(groups[key]))) for key, rec in best.items()]
    return sorted(kept, key=lambda r: (r.start_char, r.country, r.area_name or ""))


@Language.factory("rw_recommendations", default_config={"data_dir": ""})
def make_recommendation_builder(nlp: Language, name: str, data_dir: str) -> RecommendationBuilder:
    register_extensions()
    return RecommendationBuilder(name, data_dir)
