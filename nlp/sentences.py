"""Sentence boundaries at line breaks, so that a headline is a sentence of its own."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("rw_line_breaks")
def mark_line_breaks(doc: Doc) -> Doc:
    """Start a sentence after any whitespace token holding a newline (titles, paragraphs)."""
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc
