"""Combine places, issuers, cues and groups per sentence into recommendations.

Per sentence the strongest unblocked cue decides the stance; the places it points at
("to Sudan", "Sudanese nationals", "to North Kivu") become one recommendation each. Groups
are taken from the recommendation sentence only: a profile named in a neighbouring
sentence ("Women and girls ... are particularly exposed") is context, not part of the call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.annotations import (
    CueMatch,
    PlaceMention,
    Recommendation,
    register_extensions,
)
from nlp.clauses import opening_clause_end
from nlp.cue_choice import (
    MAIN_MODALS,
    RESUMPTIONS,
    STANCES,
    background_clauses,
    choose_cue,
    clause_breaks,
    dated_asides,
    opening_clause,
    relatives,
    without_relative_speculation,
)
from nlp.cues import CueMatcher
from nlp.described_areas import with_described_areas
from nlp.errors import NlpError
from nlp.groups import follow_on_sentences, stance_sentences
from nlp.issuer_choice import Issuer, find_issuer
from nlp.place_words import Words
from nlp.proposals import ScopeReader, proposed_calls
from nlp.resources import data_path, read_jsonl
from nlp.sentences import sentences_holding
from nlp.stance_model import stance_model
from nlp.targets import departure_only, find_targets, returned_there

WEAK_CUE = 0.7
# A call this confident leaves no room for a proposal of the other stance.
SURE_CALL = 0.8
FALLBACK_PENALTY = 0.2


class RecommendationBuilder:
    """Writes doc._.rw_recommendations from the other components' annotations."""

    def __init__(self, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.words: Words | None = None
        self.names: dict[str, str] = {}
        self.model: Language | None = None
        self.return_words: frozenset[str] = frozenset()
        self.call_words: frozenset[str] = frozenset()
        self.logistic_words: frozenset[str] = frozenset()
        self.scope_of: ScopeReader = _no_scope

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
            self.return_words = lex["CALL_ANCHOR"]
            self.call_words = lex["CALL_ON"]
            self.logistic_words = lex["PAUSE_CAUSES"]
        except KeyError as exc:
            raise NlpError(f"cues.jsonl lacks lexicon {exc}") from exc
        self.model = stance_model(self.data_dir)
        cue_matcher = nlp.get_pipe("rw_cues") if nlp and "rw_cues" in nlp.pipe_names else None
        if isinstance(cue_matcher, CueMatcher):
            matcher = cue_matcher
            self.scope_of = lambda doc, start, end: matcher.scope_of(doc, start, end, "")
        self.names = {
            str(r["iso3"]): str(r["name"])
            for r in read_jsonl(data_path("countries.jsonl", self.data_dir))
        }

    def __call__(self, doc: Doc) -> Doc:
        if self.words is None:
            raise NlpError(f"component {self.name!r} used before initialize")
        found: list[Recommendation] = []
        read = stance_sentences(doc)
        for sent in read:
            found.extend(self._sentence(doc, sent, self.words, found))
        if self.model is not None:
            # The rules read every sentence with a call cue, keeping the call or rejecting
            # it; the classifier only speaks for the others (nlp/proposals.py).
            covered = {sent.start for sent in read}
            found.extend(self._proposed(doc, self.words, self.model, covered, found))
        doc._.rw_recommendations = without_vague_repeats(deduplicate(without_contradictions(found)))
        return doc

    def _proposed(
        self,
        doc: Doc,
        words: Words,
        model: Language,
        covered: set[int],
        found: list[Recommendation],
    ) -> list[Recommendation]:
        """Calls the classifier reads in sentences the rules left alone (nlp/proposals.py)."""
        proposed: list[Recommendation] = []
        told = {r.stance for r in found}
        for sent, cue in proposed_calls(doc, model, self.return_words, covered, self.scope_of):
            if STANCES[cue.label] in told or asks_a_question(sent):
                continue  # a sentence restating a call the rules read adds nothing
            cues = [c for c in doc._.rw_cues if c.start >= sent.start and c.end <= sent.end]
            if any(c.pattern_id in REFUSED_BY_DESTINATION for c in cues):
                continue  # "unable to deport ... because Eritrea does not accept forced returns"
            proposed += self._from_cue(doc, sent, cue, STANCES[cue.label], cues, words, found)
        # A side remark of the other stance beside a call that is sure is no second
        # finding: the rules' sure calls decide, else the classifier's sure proposals.
        sure = {r.stance for r in found if r.confidence >= SURE_CALL} or {
            r.stance for r in proposed if r.confidence >= SURE_CALL
        }
        return [r for r in proposed if not sure or r.stance in sure]

    def _resumed_after_logistics(self, doc: Doc, sent: Span, cue: CueMatch) -> bool:
        """ "IOM has restarted assisted voluntary return departures ... Movements had been
        halted in March because of airport closures": a resumption after a pause that
        logistics forced, or a pause told as a fact ("Returns ... remain on hold. Türkiye
        has accepted no readmissions since ..."), with its cause in the sentence before or
        after, says nothing about the country."""
        if cue.pattern_id not in RESUMPTIONS | HALT_FACTS:
            return False
        if cue.pattern_id in HALT_FACTS and any(
            t.lower_ in CALL_MODALS for t in doc[cue.start : cue.end]
        ):
            return False  # "Deportations of Afghan women should be suspended": a call
        start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
        end = doc[sent.end].sent.end if sent.end < len(doc) else sent.end
        return any(start <= s < end for s in logistic_sentences(doc, self.logistic_words))

    def _sentence(
        self, doc: Doc, sent: Span, words: Words, found: list[Recommendation]
    ) -> list[Recommendation]:
        cues = [c for c in doc._.rw_cues if c.start >= sent.start and c.end <= sent.end]
        if not any(c.label in STANCES for c in cues) or asks_a_question(sent):
            return []
        calls_on = [t.i for t in sent if t.lower_ in self.call_words]
        opened = relatives(sent)
        chosen = choose_cue(
            without_relative_speculation(sent, cues),
            clause_breaks(sent),
            background_clauses(sent),
            opened,
            calls_on,
            opening_clause(sent),
            dated_asides(sent, opened),
        )
        if chosen is None or self._resumed_after_logistics(doc, sent, chosen[0]):
            return []
        return self._from_cue(doc, sent, chosen[0], chosen[1], cues, words, found)

    def _from_cue(
        self,
        doc: Doc,
        sent: Span,
        cue: CueMatch,
        stance: str,
        cues: list[CueMatch],
        words: Words,
        found: list[Recommendation],
    ) -> list[Recommendation]:
        """The recommendations one call makes: its places, issuer, groups and condition."""
        places = [p for p in doc._.rw_places if sent.start <= p.start < sent.end]
        if departure_only(doc, places, words) and not returned_there(doc, sent, cue):
            if stance != "lifts":
                return []
            # "a failed asylum-seeker returning from the UK ... will not face a real risk":
            # the finding is about the country the text is about, not the host left.
            places = []
        if _armed_forces_speak(doc, sent, cue, places):
            return []
        issuer = find_issuer(doc, sent, cue, places, words, self.names)
        if (
            stance == "lifts"
            and cue.pattern_id in RESUMPTIONS
            and not _halt_told(doc, self.logistic_words)
        ):
            return []  # deporting or flying people home again, with no halt it ends
        previous = [_as_place(r) for r in found if r.stance == stance and r.country]
        targets, fallback = find_targets(doc, sent, cue, places, words, previous)
        named_here = {p.country for p in places}
        if (
            fallback
            and cue.weight < WEAK_CUE
            and stance == "against_return"
            and not (targets and all(t.country in named_here for t in targets))
        ):
            # "GBV survivors will not be deported": a weak cue needs its own place, or a
            # country its sentence names ("Libya is not a place of safety, and people ...
            # must not be brought back to its shores").
            return []
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


# A destination that will not take people back: why removals stop, not a call.
REFUSED_BY_DESTINATION = frozenset({"does_not_accept_returns", "refused_to_accept"})

# Cues that tell a pause as a fact rather than call for one.
HALT_FACTS = frozenset({"returns_on_hold", "returns_suspended"})
CALL_MODALS = MAIN_MODALS | {"ought", "need", "needs"}

PART_WORDS = frozenset({"areas", "parts", "regions", "provinces", "districts", "part"})


def _no_scope(doc: Doc, start: int, end: int) -> str:
    return ""


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


HALT_WORDS = frozenset(
    {"suspended", "halted", "paused", "stopped", "frozen", "suspension", "moratorium", "halt"}
    | {"pause", "freeze", "ban", "stay", "suspend", "deferral", "deferred", "hold"}
    | {"stable", "improved", "safe", "ceasefire", "peace", "secure"}
)


def asks_a_question(sent: Span) -> bool:
    """ "Will UNHCR issue a non-return advisory for Ecuador?": a question states no call."""
    return sent.text.rstrip().endswith("?")


def _halt_told(doc: Doc, logistic_words: frozenset[str]) -> bool:
    """A halt or safety finding told outside sentences about logistics ("flights had been on
    hold because the government refused to accept them" is no halt on safety grounds)."""
    return bool(sentences_holding(doc, HALT_WORDS) - logistic_sentences(doc, logistic_words))


def logistic_sentences(doc: Doc, logistic_words: frozenset[str]) -> set[int]:
    """The starts of the sentences that tell a cause of a pause other than safety: a
    logistics cue, or a word of PAUSE_CAUSES ("when COVID-19 movement restrictions grounded
    the flights", "frozen under the US foreign aid pause")."""
    cued = {doc[c.start].sent.start for c in doc._.rw_cues if c.label == "logistics"}
    return cued | sentences_holding(doc, logistic_words)


MILITARY = frozenset({"army", "military", "troops", "forces", "soldiers", "police", "militia"})


def _armed_forces_speak(doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention]) -> bool:
    """ "The Lebanese army urged residents not to rush back to frontline villages": a
    security order to a country's own people, not advice on returning migrants."""
    if any(sent.start <= m.start and m.end <= cue.start for m in doc._.rw_issuers):
        return False
    # "As Turkish troops advance ..., the organisation urged ...": the scene, not the speaker
    opening = opening_clause_end(doc, sent, cue.start)
    # "Thai soldiers should stop turning back ...": the forces are asked, not speaking.
    return any(
        p.start >= opening
        and p.end < cue.start
        and doc[p.end].lower_ in MILITARY
        and doc[p.end + 1].lower_ not in CALL_MODALS
        for p in places
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
