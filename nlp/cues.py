"""Cue matching: token patterns for recommendations, lifting, and the words that block them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, register_extensions
from nlp.component import DataComponent
from nlp.errors import NlpDataError, NlpError
from nlp.resources import data_path, expand_pattern, pattern_limit, read_jsonl
from nlp.sentences import among, lower_array, sentence_bounds

# Words too common to pick a sentence for the expensive matcher on their own.
COMMON_WORDS = frozenset(
    {"to", "not", "no", "n't", "never", "on", "from", "for", "the", "a", "of", "in", "be", "is"}
    | {"are", "can", "may", "will", "should", "must", "shall", "need", "one", "and", "or"}
    | {"that", "which", "when", ",", "was", "were", "has", "have", "had", "by", "it", "at"}
)
STANCE_LABELS = ("against", "lift")

# How far after a cue a scope word ("... back by force") still belongs to it, and how far
# before ("assisted voluntary return ... on hold" matches from "return").
SCOPE_WINDOW = 4
SCOPE_LOOKBACK = 2


@dataclass(frozen=True)
class PatternInfo:
    label: str
    priority: int
    weight: float
    default_scope: str = "all"
    limit: int = 0
    # The pattern spells out a phrase another_sense pattern guards ("put an end to
    # deportations" against "put an end to the war"): its match stands.
    reads_other_sense: bool = False


@dataclass(frozen=True)
class ScopeWord:
    scope: str
    strength: int


class CueMatcher(DataComponent):
    """Runs the cue patterns of cues.jsonl; results go to doc._.rw_cues."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        super().__init__(name, data_dir)
        self.vocab = nlp.vocab
        self.common = frozenset(nlp.vocab.strings.add(w) for w in COMMON_WORDS)
        # One Matcher per pattern, run only on sentences holding its required words: the
        # Matcher's cost grows with every gap pattern it carries, whether it can match or not.
        self.gated: list[tuple[list[frozenset[int]], Matcher]] = []
        self.patterns: dict[str, PatternInfo] = {}
        self.other_sense_readers: set[str] = set()
        self.scope_words: dict[str, ScopeWord] = {}
        self.triggers = np.zeros(0, dtype=np.uint64)
        # Trigger word -> the requirements of the patterns it triggers.
        self.by_trigger: dict[int, list[list[frozenset[int]]]] = {}
        # Word -> the gated patterns whose rarest required token it is: a sentence tests
        # only the patterns one of its words keys, not all of them.
        self.gate_keys: dict[int, list[int]] = {}

    def load(self, nlp: Language) -> None:
        records = read_jsonl(data_path("cues.jsonl", self.data_dir))
        lexicons = {
            str(r["name"]): [str(t).lower() for t in r["terms"]]
            for r in records
            if r.get("kind") == "lexicon"
        }
        self.vocab = nlp.vocab
        self.gated = []
        self.gate_keys = {}
        triggers: set[str] = set()
        self.by_trigger = {}
        for record in records:
            kind = record.get("kind")
            if kind == "pattern":
                self._add_pattern(record, lexicons)
                if record["label"] in STANCE_LABELS:
                    required = required_words(expand_pattern(record["pattern"], lexicons))
                    trigger = min(required, key=lambda t: (bool(t & COMMON_WORDS), len(t)))
                    triggers |= trigger
                    reqs = [frozenset(nlp.vocab.strings.add(w) for w in r) for r in required]
                    for word in trigger:
                        self.by_trigger.setdefault(nlp.vocab.strings.add(word), []).append(reqs)
            elif kind == "scope":
                for term in record["terms"]:
                    self.scope_words[str(term).lower()] = ScopeWord(
                        str(record["scope"]), int(record.get("strength", 0))
                    )
            elif kind != "lexicon":
                raise NlpDataError(f"cues.jsonl: unknown record kind {kind!r}")
        self.triggers = np.array(
            sorted(nlp.vocab.strings.add(word) for word in triggers), dtype=np.uint64
        )

    def _add_pattern(self, record: dict[str, Any], lexicons: dict[str, list[str]]) -> None:
        pattern_id = str(record["id"])
        if pattern_id in self.patterns:
            raise NlpDataError(f"cues.jsonl: duplicate pattern id {pattern_id!r}")
        self.patterns[pattern_id] = PatternInfo(
            str(record["label"]),
            int(record.get("priority", 1)),
            float(record.get("weight", 0.5)),
            str(record.get("default_scope", "all")),
            pattern_limit(record["pattern"]),
            bool(record.get("reads_other_sense", False)),
        )
        if self.patterns[pattern_id].reads_other_sense:
            self.other_sense_readers.add(pattern_id)
        expanded = expand_pattern(record["pattern"], lexicons)
        matcher = Matcher(self.vocab)
        matcher.add(pattern_id, [expanded])
        required = [
            frozenset(self.vocab.strings.add(w) for w in words)
            for words in required_words(expanded)
        ]
        key = min(required, key=lambda r: (bool(r & self.common), len(r)))
        for word in key:
            self.gate_keys.setdefault(word, []).append(len(self.gated))
        self.gated.append((required, matcher))

    def __call__(self, doc: Doc) -> Doc:
        if not self.patterns:
            raise NlpError(f"component {self.name!r} used before initialize")
        cues = []
        sentences = candidate_sentences(doc, self.triggers, self.by_trigger)
        lower = lower_array(doc) if sentences else None
        for sent in sentences:
            assert lower is not None
            words = set(lower[sent.start : sent.end].tolist())
            cues.extend(self._match(doc, sent, words))
        cues = _drop_other_senses(cues, self.other_sense_readers)
        doc._.rw_cues = sorted(_shortest_per_start(cues), key=lambda c: (c.start, c.end))
        return doc

    def _match(self, doc: Doc, sent: Span, words: set[int]) -> list[CueMatch]:
        cues = []
        keyed = sorted({i for w in words for i in self.gate_keys.get(w, ())})
        matches = [
            match
            for required, matcher in (self.gated[i] for i in keyed)
            if all(not r.isdisjoint(words) for r in required)
            for match in matcher(sent)
        ]
        for match_id, rel_start, rel_end in matches:
            start, end = sent.start + rel_start, sent.start + rel_end
            pattern_id = doc.vocab.strings[match_id]
            info = self.patterns[pattern_id]
            if end - start > info.limit:
                continue
            scope = (
                self.scope_of(doc, start, end, info.default_scope)
                if info.label in ("against", "lift")
                else None
            )
            cues.append(
                CueMatch(start, end, info.label, pattern_id, info.priority, info.weight, scope)
            )
        return cues

    def scope_of(self, doc: Doc, start: int, end: int, default: str = "all") -> str:
        """forced / voluntary / all from the words of the cue and around it.

        An explicit adjective (forced, forcible) beats "voluntary", which beats a verb that
        implies force (deport, send back); otherwise the pattern's default applies (a State
        "not to return" someone is forced), and plain "returns" means all returns.
        """
        sent = doc[start].sent
        first = max(start - SCOPE_LOOKBACK, sent.start)
        stop = min(end + SCOPE_WINDOW, sent.end)
        best: ScopeWord | None = None
        for token in doc[first:stop]:
            word = self.scope_words.get(token.lower_)
            if word is not None and (best is None or word.strength > best.strength):
                best = word
        return best.scope if best is not None else default


def required_words(pattern: list[dict[str, Any]]) -> list[set[str]]:
    """Per required token of a pattern, the words it accepts: a sentence needs one of each."""
    required = [
        {str(t) for t in spec["LOWER"]["IN"]}
        for spec in pattern
        if isinstance(spec.get("LOWER"), dict)
        and "IN" in spec["LOWER"]
        and spec.get("OP") in (None, "+")
    ]
    if not required:
        raise NlpDataError(f"pattern {pattern!r} has no required word to prefilter on")
    return required


def candidate_sentences(
    doc: Doc,
    triggers: np.ndarray[Any, Any],
    by_trigger: dict[int, list[list[frozenset[int]]]],
) -> list[Span]:
    """The sentences where some stance pattern could match; the Matcher runs on these only.

    A vectorised lookup finds sentences with a trigger word; a sentence is kept when it
    holds a word for every required token of at least one pattern its triggers start.
    """
    if len(doc) == 0:
        return []
    lower = lower_array(doc)
    hits = np.flatnonzero(among(lower, triggers))
    if not len(hits):
        return []
    bounds = sentence_bounds(doc)
    starts = bounds[:-1]
    by_sentence: dict[int, set[int]] = {}
    for k, word in zip(
        (np.searchsorted(starts, hits, side="right") - 1).tolist(),
        lower[hits].tolist(),
        strict=True,
    ):
        by_sentence.setdefault(k, set()).add(word)
    found = []
    for k, hit_words in sorted(by_sentence.items()):
        begin, stop = int(bounds[k]), int(bounds[k + 1])
        words = set(lower[begin:stop].tolist())
        if any(
            all(not r.isdisjoint(words) for r in reqs)
            for word in hit_words
            for reqs in by_trigger.get(word, ())
        ):
            found.append(doc[begin:stop])
    return found


def _drop_other_senses(cues: list[CueMatch], readers: set[str]) -> list[CueMatch]:
    """A stance match that begins or ends on a word used in another sense ("the end of the
    war", "tax returns") is dropped before the tightest match is chosen, so that a longer
    match of the same pattern ("suspension ... has been lifted") can stand. A pattern that
    reads the phrase itself ("put an end to deportations") stands, and the other-sense
    match inside it goes."""
    read = [c for c in cues if c.pattern_id in readers]
    cues = [
        c
        for c in cues
        if not (
            c.label == "other_sense" and any(r.start <= c.start and c.end <= r.end for r in read)
        )
    ]
    other = {i for c in cues if c.label == "other_sense" for i in range(c.start, c.end)}
    if not other:
        return cues
    return [c for c in cues if c.label not in STANCE_LABELS or not ({c.start, c.end - 1} & other)]


def _shortest_per_start(cues: list[CueMatch]) -> list[CueMatch]:
    """The Matcher returns every length a gap allows; keep the tightest match per pattern."""
    best: dict[tuple[str, int], CueMatch] = {}
    for cue in cues:
        key = (cue.pattern_id, cue.end)
        if key not in best or cue.start > best[key].start:
            best[key] = cue
    tight: dict[tuple[str, int], CueMatch] = {}
    for cue in best.values():
        key = (cue.pattern_id, cue.start)
        if key not in tight or cue.end < tight[key].end:
            tight[key] = cue
    return list(tight.values())


@Language.factory("rw_cues", default_config={"data_dir": ""})
def make_cue_matcher(nlp: Language, name: str, data_dir: str) -> CueMatcher:
    register_extensions()
    return CueMatcher(nlp, name, data_dir)
