"""Sentence boundaries: after sentence-final punctuation, and at line breaks so that a
headline is a sentence of its own. Both are found with array operations rather than token
by token: ReliefWeb bodies run to thousands of tokens, and spaCy's own sentencizer, which
walks them in Python, cost a sixth of the whole tagger's time."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.strings import get_string_id
from spacy.tokens import Doc
from thinc.types import Ints2d

# String hashes do not depend on the vocabulary: computed once for every document.
FINAL_MARKS = np.sort(
    np.array([get_string_id(mark) for mark in Sentencizer.default_punct_chars], dtype=np.uint64)
)


def among(values: np.ndarray[Any, Any], keys: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """np.isin for a sorted key array: a binary search per value, without the sort of
    both arrays np.isin does (a fifth of the tagger's time on short documents)."""
    if not len(keys):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(keys, values), len(keys) - 1)
    found: np.ndarray[Any, Any] = keys[at] == values
    return found


@Language.component("rw_sentences")
def mark_sentences(doc: Doc) -> Doc:
    """The boundaries of spaCy's Sentencizer with its default punctuation (a sentence
    starts at the first token after a sentence-final mark that is not punctuation itself,
    so '."' and '.)' stay with the sentence they end), plus a start after any whitespace
    token holding a newline (titles, paragraphs)."""
    if not len(doc):
        return doc
    columns = doc.to_array([ORTH, IS_PUNCT, IS_SPACE])
    orths = columns[:, 0]
    final = among(orths, FINAL_MARKS)
    closing = final | columns[:, 1].astype(bool)
    words = np.flatnonzero(~closing)
    # SENT_START: 1 starts a sentence, -1 (as the array's unsigned type) continues one.
    starts = np.full(len(doc), -1, dtype="int64").astype("uint64")
    starts[0] = 1
    if len(words) and final[: words[0]].any():
        starts[words[0]] = 1  # "... Word": a new sentence after leading marks
    if len(words) > 1:
        marks_before = np.cumsum(final)
        previous, current = words[:-1], words[1:]
        ended = marks_before[current - 1] > marks_before[previous]
        starts[current[ended]] = 1
    starts[_after_line_breaks(doc, orths, columns[:, 2])] = 1
    doc.from_array([SENT_START], cast(Ints2d, starts.reshape(-1, 1)))
    return doc


def _after_line_breaks(doc: Doc, orths: np.ndarray, spaces: np.ndarray) -> list[int]:
    """Positions right after a whitespace token that holds a newline."""
    space = np.flatnonzero(spaces[:-1])
    if not len(space):
        return []
    strings = doc.vocab.strings
    return [
        i + 1
        for i, orth in zip(space.tolist(), orths[space].tolist(), strict=True)
        if "\n" in strings[orth]
    ]


def sentence_bounds(doc: Doc) -> np.ndarray[Any, Any]:
    """The token index where each sentence starts, then len(doc): sentence k spans
    bounds[k]..bounds[k + 1]. Read from the array, so no span is made per sentence, and
    kept on the doc: the components after rw_sentences ask for it many times."""
    cached = doc.user_data.get(BOUNDS_KEY)
    if cached is not None and cached[-1] == len(doc):
        return cast(np.ndarray[Any, Any], cached)
    starts = np.flatnonzero(doc.to_array(SENT_START) == 1)
    if not len(starts) or starts[0] != 0:
        starts = np.concatenate(([0], starts))
    bounds = np.append(starts, len(doc))
    if doc.has_annotation("SENT_START"):
        doc.user_data[BOUNDS_KEY] = bounds
    return bounds


def lower_array(doc: Doc) -> np.ndarray[Any, Any]:
    """The lower-case word ids of the doc, read once and kept on it."""
    cached = doc.user_data.get(LOWER_KEY)
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data[LOWER_KEY] = doc.to_array(LOWER)
    return cast(np.ndarray[Any, Any], cached)


BOUNDS_KEY = "rw_sentence_bounds"
LOWER_KEY = "rw_lower"


def word_positions(doc: Doc, words: frozenset[str]) -> list[int]:
    """The token indexes of the words (lower case), in order, found with arrays: a Python
    walk over every token of a long report costs a tenth of the tagger's time."""
    return np.flatnonzero(among(lower_array(doc), _keys(words))).tolist()


@lru_cache(maxsize=64)
def _keys(words: frozenset[str]) -> np.ndarray[Any, Any]:
    """The sorted hashes of a word set; the sets are constants, so made once each."""
    return np.sort(np.array([get_string_id(w) for w in words], dtype=np.uint64))


def sentences_holding(doc: Doc, words: frozenset[str]) -> set[int]:
    """The starts of the sentences holding one of the words."""
    positions = word_positions(doc, words)
    if not positions:
        return set()
    bounds = sentence_bounds(doc)
    which = np.searchsorted(bounds[:-1], positions, side="right") - 1
    return set(bounds[which].tolist())
