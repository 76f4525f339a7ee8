"""Clauses that set the scene rather than carry a call or its place."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.places import TYPE_WORDS

# "Given the fighting in Khartoum, IOM has suspended ...", "As Lebanon debates sending
# Syrians home, the commission said ...": a sentence's opening clause sets the scene.
OPENERS = frozenset(
    {"as", "while", "amid", "after", "since", "following", "given", "when", "with", "before"}
    | {"during", "despite", "although"}
)


def opening_clause_end(doc: Doc, sent: Span, limit: int) -> int:
    """Where the scene-setting clause that opens the sentence ends (its first comma that
    does not go on with a list), or the sentence start when it opens otherwise or the main
    clause points back to its places ("people originating from these two regions")."""
    if doc[sent.start].lower_ not in OPENERS:
        return sent.start
    starts = {p.start for p in doc._.rw_places}
    end = next(
        (
            t.i + 1
            for t in doc[sent.start : limit]
            if t.text == "," and t.i + 1 not in starts and doc[t.i + 1].lower_ not in {"and", "or"}
        ),
        sent.start,
    )
    words = [t.lower_ for t in doc[end : sent.end]]
    if any(
        a in {"these", "those"} and (b in TYPE_WORDS or c in TYPE_WORDS)
        for a, b, c in zip(words, words[1:], [*words[2:], ""], strict=False)
    ):
        return sent.start
    return end
