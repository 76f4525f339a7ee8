"""Where a call with no place of its own points: "these three states", the places of an
earlier call or sentence, or the country the text is mainly about."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, PlaceMention
from nlp.place_roles import excluded
from nlp.place_words import Words, fled, is_subject, led_by
from nlp.places import TYPE_WORDS

ANAPHORS = frozenset({"these", "those", "the", "both"})
NUMBER_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "several"})


def anaphoric_units(doc: Doc, sent: Span, cue: CueMatch) -> list[PlaceMention]:
    """ "... originating from these three states": the units the last sentence named."""
    tokens = [t.lower_ for t in doc[cue.end : sent.end]]
    refers = any(
        word in ANAPHORS
        and (
            (i + 1 < len(tokens) and tokens[i + 1] in TYPE_WORDS | {"areas"})
            or (
                i + 2 < len(tokens)
                and tokens[i + 1] in NUMBER_WORDS
                and tokens[i + 2] in TYPE_WORDS | {"areas"}
            )
        )
        for i, word in enumerate(tokens)
        if word != "the" or (i + 1 < len(tokens) and tokens[i + 1] in NUMBER_WORDS)
    )
    if not refers:
        return []
    units = [p for p in doc._.rw_places if p.end <= sent.start and p.kind == "area" and p.area_code]
    return _of_last_sentence(doc, units)


def _of_last_sentence(doc: Doc, units: list[PlaceMention]) -> list[PlaceMention]:
    """The units of the last sentence that names any of them."""
    if not units:
        return []
    last = doc[units[-1].start].sent
    return [p for p in units if p.start >= last.start]


UNIT_NOUNS = TYPE_WORDS | {"areas", "cities", "towns", "parts"}
OBJECT_REACH = 10


def units_referred_before(doc: Doc, sent: Span, cue: CueMatch) -> list[PlaceMention]:
    """ "Asylum-seekers from these cities will no longer ...", "For people originating from
    the three northern governorates, ...", "improved in Babylon and Kirkuk, so that people
    from those areas ...": the units or cities last named before the reference, when the
    people the call concerns come from them."""
    # "Returning an Iraqi civilian to those areas would breach ...": inside the cue too, and
    # in its object ("suspend forcible returns of people originating from those three
    # regions of Ethiopia")
    tokens = [t.lower_ for t in doc[sent.start : min(sent.end, cue.end + OBJECT_REACH)]]
    at = next(
        (
            i
            for i, word in enumerate(tokens)
            if (
                word in {"from", "in", "fled", "fleeing", "left"}
                or (word == "to" and sent.start + i >= cue.start)
            )
            and tokens[i + 1 : i + 2]
            and tokens[i + 1] in ANAPHORS
            # "to the two earthquake-hit provinces": hyphened words count as one
            and any(w in UNIT_NOUNS for w in _words(tokens[i + 2 : i + 9])[:3])
            and (tokens[i + 1] != "the" or any(w in NUMBER_WORDS for w in tokens[i + 2 : i + 4]))
        ),
        None,
    )
    if at is None:
        return []
    units = [p for p in doc._.rw_places if p.kind == "area" and (p.area_code or p.city)]
    here = [p for p in units if sent.start <= p.start and p.end <= sent.start + at]
    return _of_last_sentence(doc, [p for p in units if p.end <= sent.start]) + here


def _words(tokens: list[str]) -> list[str]:
    """Tokens with each hyphened compound ("earthquake - hit") kept as its last part."""
    words: list[str] = []
    for i, token in enumerate(tokens):
        if token == "-" or (i > 0 and tokens[i - 1] == "-" and words):
            if token != "-":
                words[-1] = token
            continue
        words.append(token)
    return words


def earlier_targets(
    doc: Doc, sent: Span, words: Words, previous: list[PlaceMention]
) -> list[PlaceMention]:
    """A sentence with no place: the earlier call's places, the last destinations named,
    every country of the last sentence for "both countries", else the main country."""
    if previous:
        return previous
    all_places = doc._.rw_places
    earlier = [
        p
        for p in all_places
        if p.end <= sent.start
        and not excluded(doc, p, all_places, words)
        and not is_subject(doc, p, words)
        and not (p.start > 0 and doc[p.start - 1].lower_ in ADDRESS_VERBS)
    ]
    if not earlier:
        return []
    last = max(p.start for p in earlier)
    last_sent = doc[last].sent
    in_last = [p for p in earlier if p.start >= last_sent.start]
    if _plural_reference(sent):
        return in_last
    # "sent back from the United States to Mexico, El Salvador, Guatemala and Honduras"
    dest = [p for p in in_last if destination(doc, last_sent, p, all_places, words)]
    # "People from Tigray have crossed into Sudan. ... not to return them": the origin.
    origins = [p for p in in_last if p.kind != "country" and fled(doc, p)]
    return origins or dest or _dominant(earlier)


# "urged Lebanon", "asked Switzerland": the State spoken to (not "to", which also leads
# destinations).
ADDRESS_VERBS = frozenset(
    {"urge", "urges", "urged", "urging", "ask", "asks", "asked", "asking", "told", "tells"}
    | {"call", "calls", "called", "calling", "advise", "advised", "advises", "request"}
    | {"requested", "requests", "appeal", "appealed", "appeals", "press", "pressed"}
    | {"informed", "informs", "reminded", "reminds", "notified"}
    | {"allow", "allows", "allowed", "allowing", "permit", "permits", "permitted", "permitting"}
)
PLURAL_BEFORE = frozenset({"both", "two", "three", "four", "five", "these", "those", "respective"})


def _plural_reference(sent: Span) -> bool:
    """ "in all three countries of origin", "both countries": several places named before."""
    tokens = [t.lower_ for t in sent]
    for i, token in enumerate(tokens):
        if token != "countries":
            continue
        if (i > 0 and tokens[i - 1] in PLURAL_BEFORE) or tokens[i + 1 : i + 3] == ["of", "origin"]:
            return True
    return False


def destination(
    doc: Doc, sent: Span, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    """ "to return to Sudan": led by "to" and not itself asked to act ("appealed to X to")."""
    following = doc[place.end].lower_ if place.end < sent.end else ""
    return led_by(doc, place, places, words.dest, words) and following not in words.modals | {"to"}


def _dominant(places: list[PlaceMention]) -> list[PlaceMention]:
    """The document's main country before this sentence: most often named, then first."""
    if not places:
        return []
    counts: dict[str, int] = {}
    for place in places:
        counts[place.country] = counts.get(place.country, 0) + 1
    best = max(counts, key=lambda c: (counts[c], -min(p.start for p in places if p.country == c)))
    return [
        next(p for p in places if p.country == best and p.kind != "area")
        if any(p.country == best and p.kind != "area" for p in places)
        else next(p for p in places if p.country == best)
    ]
