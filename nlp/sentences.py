"""Sentence boundaries at line breaks, so that a headline is a sentence of its own."""

from __future__ import annotations

import numpy as np
from spacy.attrs import IS_SPACE
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("rw_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after any whitespace token holding a newline (titles, paragraphs).

    Whitespace tokens are found with one vectorised lookup rather than a loop over every
    token: ReliefWeb bodies run to thousands of tokens.
    """
    if len(doc) < 2:
        return doc
    for i in np.flatnonzero(doc.to_array(IS_SPACE)[:-1]).tolist():
        if "\n" in doc[i].text:
            doc[i + 1].is_sent_start = True
    return doc
