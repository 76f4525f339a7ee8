"""Calls the cue rules cannot read: sentences the stance classifier is sure of.

The cue patterns are precise, but every new wording of a call ("halt any plans for their
removal") needs a pattern of its own. A sentence about returns that holds no call cue
is shown to the classifier; when it is sure, the sentence becomes a
call anchored at its first return word, and the rules place and attribute it like any
other. A sentence with a call cue was read by the rules, whether they kept the call or
rejected it (negated, hypothetical, historical): the classifier does not overrule them.
The bar is high and the call's confidence low, so a reviewer sees the weaker kind.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterator

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch
from nlp.sentences import sentence_bounds, word_positions
from nlp.stance_model import stance_scores

PROPOSE_AT = 0.7
# A proposal weighs the classifier's probability less this: only a sure one (0.85 and
# up) counts as a strong cue that may borrow its place from another sentence.
PROPOSAL_DISCOUNT = 0.15
PATTERN_ID = "classifier"
CUE_LABEL = {"against": "against", "lifts": "lift"}

# (doc, start, end) -> "forced" / "voluntary" / "all", or "" when no word says.
ScopeReader = Callable[[Doc, int, int], str]


def proposed_calls(
    doc: Doc,
    model: Language,
    return_words: frozenset[str],
    covered: set[int],
    scope_of: ScopeReader,
) -> Iterator[tuple[Span, CueMatch]]:
    """Per sentence not in covered (sentence starts) that names a return and that the
    classifier calls against or lifts with probability PROPOSE_AT or more: the sentence
    and a cue on its first return word."""
    positions = word_positions(doc, return_words)
    for start, end in _sentences_with(doc, positions):
        if start in covered:
            continue
        anchor = _anchor(doc, positions, start, end)
        if anchor is None:
            continue
        sent = doc[start:end]
        cats = stance_scores(model, doc, start, end)
        label = max(cats, key=lambda k: cats[k])
        if label not in CUE_LABEL or cats[label] < PROPOSE_AT:
            continue
        scope = scope_of(doc, anchor, anchor + 1) or None
        weight = round(cats[label] - PROPOSAL_DISCOUNT, 2)
        cue = CueMatch(anchor, anchor + 1, CUE_LABEL[label], PATTERN_ID, 0, weight, scope)
        yield sent, cue


def _sentences_with(doc: Doc, positions: list[int]) -> list[tuple[int, int]]:
    """The bounds of the sentences holding a position, in order: only these are read, so
    a long report's other sentences are never made into spans."""
    if not positions:
        return []
    bounds = sentence_bounds(doc)
    which = sorted(set((np.searchsorted(bounds[:-1], positions, side="right") - 1).tolist()))
    return [(int(bounds[k]), int(bounds[k + 1])) for k in which]


def _anchor(doc: Doc, positions: list[int], start: int, end: int) -> int | None:
    """The first return word of the sentence start..end, not inside a name ("the European
    Return Platform"); the sentence's own first word may be capitalised."""
    for i in positions[bisect_left(positions, start) :]:
        if i >= end:
            return None
        if i == start or not doc[i].is_title:
            return i
    return None
