"""Areas told by description rather than by name: "areas still under ISIS control",
"the parts of Burkina Faso worst hit by the crisis", "areas where military operations are
ongoing". A call restricted to such areas keeps the description as the area's name, so that
a counsellor reads which part of the country it concerns.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, PlaceMention

PART_HEADS = frozenset(
    {"areas", "parts", "counties", "districts", "regions", "zones", "provinces", "localities"}
    | {"governorates", "territories", "villages", "towns", "cities"}
)
# Words that open the description of which parts are meant.
QUALIFIERS = frozenset(
    {"affected", "retaken", "recaptured", "still", "worst", "hardest", "most", "under", "held"}
    | {"controlled", "where", "that", "which", "in", "of", "along", "near", "close", "bordering"}
    | {"experiencing", "hit", "facing", "with", "outside", "beyond"}
)
MARKERS = frozenset({"to", "from", "into", "in"})
HEAD_REACH = 3
# Where a description ends: the end of its clause.
ENDS = frozenset({".", ";", ":", "!", "?", "—", "–", "(", ")", '"', "“", "”"})
END_WORDS = frozenset(
    {"as", "until", "unless", "because", "since", "while", "including", "citing", "saying"}
    | {"pending", "given", "due", "despite", "following", "after", "before"}
)
# ", remain under the control of ISIS, or are insecure ...": the same relative clause goes on.
CONTINUING = frozenset({"remain", "remains", "are", "is", "were", "was", "have", "has"})
# "areas where they would form a minority continue to need protection": a second verb with
# no comma or conjunction before it is the sentence's own.
VERBS = CONTINUING | {"continue", "continues", "need", "needs", "should", "must", "would", "will"}
ANAPHORIC = frozenset({"those", "these", "such", "same", "other"})
# "areas of origin", "areas of return": kinds of place, not parts of a country.
NOT_PLACES = frozenset({"origin", "return", "displacement", "residence", "departure", "transit"})


def described_areas(doc: Doc, sent: Span, cue: CueMatch) -> list[tuple[int, int]]:
    """Token spans of the descriptions the call points at, after its cue, in its sentence."""
    found: list[tuple[int, int]] = []
    i = cue.start
    while i < sent.end:
        start = _description_start(doc, sent, i)
        if start is None:
            i += 1
            continue
        end = _description_end(doc, sent, start)
        if end > start:
            found.append((start, end))
        i = max(end, i + 1)
    return found


def _description_start(doc: Doc, sent: Span, i: int) -> int | None:
    """A marker ("to", "from") then, within a few words, a part noun with a qualifier."""
    if doc[i].lower_ not in MARKERS:
        return None
    start = i + 1
    if start < sent.end and doc[start].lower_ == "the":
        start += 1
    for head in range(start, min(sent.end - 1, start + HEAD_REACH)):
        token = doc[head]
        if token.lower_ in PART_HEADS and token.is_lower:
            return start if _qualified(doc, sent, head) else None
        if not (token.is_lower or token.like_num) or token.is_punct or token.lower_ in ANAPHORIC:
            return None
    return None


def _qualified(doc: Doc, sent: Span, head: int) -> bool:
    """A qualifier follows the part noun; "of" only with a place ("of Iraq", "of the
    country") and more after it ("areas of Iraq affected by ...")."""
    word = doc[head + 1].lower_
    if word not in QUALIFIERS:
        return False
    if word != "of":
        return True
    places = {p.start: p.end for p in doc._.rw_places or []}
    i = head + 2
    if i < sent.end and doc[i].lower_ in {"the", "their"}:
        i += 1
    if i in places:
        i = places[i]
    elif i < sent.end and doc[i].lower_ == "country" and doc[i - 1].lower_ in {"the", "their"}:
        i += 1
    else:
        return False
    return i < sent.end and doc[i].lower_ not in NOT_PLACES and not doc[i].is_punct


def _description_end(doc: Doc, sent: Span, start: int) -> int:
    end = start
    relative = False
    verbs = 0
    while end < sent.end:
        token = doc[end]
        if token.text in ENDS or (
            token.lower_ in END_WORDS and end > start + 1 and not _gerund_after(doc, sent, end)
        ):
            break
        if token.lower_ in {"that", "which", "where"}:
            relative = True
        if token.text == "," and not (relative and _goes_on(doc, sent, end)):
            break
        if token.lower_ in {"or", "and"} and end + 1 < sent.end and doc[end + 1].lower_ in MARKERS:
            break
        if relative and token.lower_ in VERBS:
            verbs += 1
            if verbs > 1 and doc[end - 1].lower_ not in {",", "or", "and"}:
                break
        end += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"or", "and"}):
        end -= 1
    return end


def _gerund_after(doc: Doc, sent: Span, i: int) -> bool:
    """ "after being retaken from the group": still the description."""
    return i + 1 < sent.end and doc[i + 1].lower_.endswith("ing")


def _goes_on(doc: Doc, sent: Span, comma: int) -> bool:
    nxt = comma + 1
    if nxt < sent.end and doc[nxt].lower_ == "or":
        nxt += 1
    return nxt < sent.end and doc[nxt].lower_ in CONTINUING


def with_described_areas(
    doc: Doc, sent: Span, cue: CueMatch, targets: list[PlaceMention]
) -> list[PlaceMention]:
    """A call about one country whose object is a description of its parts: one area per
    description, under that country."""
    countries = {t.country for t in targets}
    named_here = [t for t in targets if t.kind == "area" and sent.start <= t.start < sent.end]
    if len(countries) != 1 or named_here:
        return targets
    country = next(iter(countries))
    places = doc._.rw_places or []
    areas = []
    for start, end in described_areas(doc, sent, cue):
        inside = [p for p in places if start <= p.start < end]
        if any(p.country != country for p in inside) or any(p.kind == "area" for p in inside):
            continue
        text = doc[start:end].text
        areas.append(PlaceMention(start, end, text, country, "area", text, None))
    return areas or targets
