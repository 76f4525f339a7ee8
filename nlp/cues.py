"""Cue matching: token patterns for recommendations, lifting, and the words that block them."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from nlp.annotations import CueMatch, register_extensions
from nlp.errors import NlpDataError, NlpError
from nlp.resources import data_path, expand_pattern, pattern_limit, read_jsonl

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


@dataclass(frozen=True)
class ScopeWord:
    scope: str
    strength: int


class CueMatcher:
    """Runs the cue patterns of cues.jsonl; results go to doc._.rw_cues."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.matcher = Matcher(nlp.vocab)
        self.patterns: dict[str, PatternInfo] = {}
        self.scope_words: dict[str, ScopeWord] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if nlp is None:
            raise NlpError(f"component {self.name!r}: initialize needs the pipeline")
        records = read_jsonl(data_path("cues.jsonl", self.data_dir))
        lexicons = {
            str(r["name"]): [str(t).lower() for t in r["terms"]]
            for r in records
            if r.get("kind") == "lexicon"
        }
        self.matcher = Matcher(nlp.vocab)
        for record in records:
            kind = record.get("kind")
            if kind == "pattern":
                self._add_pattern(record, lexicons)
            elif kind == "scope":
                for term in record["terms"]:
                    self.scope_words[str(term).lower()] = ScopeWord(
                        str(record["scope"]), int(record.get("strength", 0))
                    )
            elif kind != "lexicon":
                raise NlpDataError(f"cues.jsonl: unknown record kind {kind!r}")

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
        )
        self.matcher.add(pattern_id, [expand_pattern(record["pattern"], lexicons)])

    def __call__(self, doc: Doc) -> Doc:
        if not self.patterns:
            raise NlpError(f"component {self.name!r} used before initialize")
        cues = []
        for match_id, start, end in self.matcher(doc):
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
        doc._.rw_cues = sorted(_shortest_per_start(cues), key=lambda c: (c.start, c.end))
        return doc

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
