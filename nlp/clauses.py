"""Clauses that set the scene rather than carry a call or its place."""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from nlp.places import TYPE_WORDS

# "Given the fighting in Khartoum, IOM has suspended ...", "As Lebanon debates sending
# Syrians home, the commission said ...": a sentence's opening clause sets the scene.
OPENERS = frozenset(
    {"as", "while", "amid", "after", "since", "following", "given", "when", "with", "before"}
    | {"during", "despite", "although"}
)


# "Eleven years after UNHCR first asked ...", "A decade after the crisis, ...".
TIME_UNITS = frozenset({"years", "months", "weeks", "days", "decade", "decades", "year"})


def opening_clause_end(doc: Doc, sent: Span, limit: int, dated: bool = False) -> int:
    """Where the scene-setting clause that opens the sentence ends (its first comma that
    does not go on with a list), or the sentence start when it opens otherwise or the main
    clause points back to its places ("people originating from these two regions").

    dated: also a clause dating a past event ("Two years after holding that sending anyone
    to Mogadishu would breach ..."), which sets the time but may name the same place.
    """
    first = [t.lower_ for t in doc[sent.start : min(sent.end, sent.start + 4)]]
    timed = any(a in TIME_UNITS and b == "after" for a, b in pairwise(first))
    # "In 2010, after the earthquake in Haiti, ...": a year that opens the sentence
    timed = timed or (first[0] in {"in", "during"} and any(_year(w) for w in first[1:3]))
    if first[0] not in OPENERS and not (dated and timed):
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


def _year(word: str) -> bool:
    return len(word) == 4 and word.isdigit() and word[:2] in {"19", "20"}
