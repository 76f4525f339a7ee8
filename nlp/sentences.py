"""Sentence boundaries at line breaks, so that a headline is a sentence of its own."""

from __future__ import annotations

from typing import cast

import numpy as np
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc
from thinc.types import Ints2d


@Language.component("rw_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after any whitespace token holding a newline (titles, paragraphs).

    Whitespace tokens are found and the boundaries written with array operations rather
    than token by token: ReliefWeb bodies run to thousands of tokens.
    """
    if len(doc) < 2:
        return doc
    space = np.flatnonzero(doc.to_array(IS_SPACE)[:-1])
    if not len(space):
        return doc
    strings = doc.vocab.strings
    orths = doc.to_array(ORTH)[space].tolist()
    after = [i + 1 for i, orth in zip(space.tolist(), orths, strict=True) if "\n" in strings[orth]]
    if not after:
        return doc
    starts = doc.to_array(SENT_START)
    if (starts[after] == 1).all():
        return doc
    starts[after] = 1
    doc.from_array([SENT_START], cast(Ints2d, starts.reshape(-1, 1)))
    return doc
