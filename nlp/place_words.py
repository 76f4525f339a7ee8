"""The words around a place mention that tell its role: who is spoken to, who acts, which
marker leads it ("to", "from", "in"), and the word lists the place rules share."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.annotations import PlaceMention

WHERE_NOW = frozenset({"in", "within", "inside"})


POSSESSIVE = frozenset({"'s", "’s"})


@dataclass(frozen=True)
class Words:
    """The lexicons of cues.jsonl that the combination rules need."""

    gov_follow: frozenset[str]
    gov_nouns: frozenset[str]
    addressee_before: frozenset[str]
    modals: frozenset[str]
    dest: frozenset[str]
    source: frozenset[str]
    list_skip: frozenset[str]
    clause_break: frozenset[str]
    people: frozenset[str]


# "a spokesperson for the UN refugee agency": someone who speaks for the issuer.
ROLE_NOUNS = frozenset(
    {"spokesperson", "spokesman", "spokeswoman", "representative", "head", "chief", "director"}
    | {"official", "officials", "officer", "envoy", "coordinator", "staff", "experts", "expert"}
)


def addressed(doc: Doc, sent: Span, start: int, words: Words) -> bool:
    """ "urged Malaysia", "wrote to Homeland Security": someone spoken to, not the speaker."""
    tokens = [t.lower_ for t in doc[max(sent.start, start - 2) : start]]
    if tokens == ["according", "to"]:
        return False  # "According to UNHCR, ...": the source
    i = start - 1
    while i > sent.start and i > start - 4 and doc[i].is_title and not doc[i].is_sent_start:
        i -= 1  # "urge the Royal Thai Government": past the title to the verb
    if i < start - 1 and doc[i].lower_ == "the":
        i -= 1
    if i < start - 1 and i >= sent.start and doc[i].lower_ in words.addressee_before:
        return True
    link = start - (2 if tokens[-1:] == ["the"] else 1)
    if (
        link > sent.start
        and doc[link].lower_ in {"for", "of"}
        and doc[link - 1].lower_ in ROLE_NOUNS
    ):
        return False
    return bool(set(tokens) & words.addressee_before)


PREPOSITIONS = frozenset({"in", "to", "from", "for", "with", "at", "on", "into", "towards"})


def is_subject(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "Canada currently defers", "Finland and Sweden have stopped", "Norway's board has"."""
    if place.kind != "country":
        return False
    if place.start > 0 and doc[place.start - 1].lower_ in PREPOSITIONS:
        return False  # "although security in Burundi has improved": not who acts
    i = place.end
    while i < len(doc) and (
        doc[i].lower_ in {",", "and", "or"} or any(p.start == i for p in doc._.rw_places)
    ):
        match = next((p for p in doc._.rw_places if p.start == i), None)
        i = match.end if match else i + 1
    if i + 1 < len(doc) and doc[i].lower_ in POSSESSIVE:
        # "Switzerland's Federal Administrative Court", "Norway's Immigration Appeals Board"
        j = i + 1
        while j < min(len(doc), i + 4) and doc[j].is_title and doc[j].lower_ not in BODY_NOUNS:
            j += 1
        return j < len(doc) and doc[j].lower_ in words.gov_follow | words.gov_nouns | BODY_NOUNS
    return i < len(doc) and doc[i].lower_ in words.gov_follow


# National bodies that speak for their State ("Norway's Immigration Appeals Board").
BODY_NOUNS = frozenset(
    {"court", "tribunal", "board", "agency", "service", "office", "directorate", "department"}
    | {"ministry", "government", "authorities", "commission"}
)


def before_list(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], skip: frozenset[str]
) -> int:
    """The position of the first word before the place that is neither a place nor a list
    word ("in" for "programmes in Mexico, Guatemala and Honduras"), -1 at the start."""
    covered = {i for p in places for i in range(p.start, p.end)}
    i = place.start - 1
    while i >= 0 and (i in covered or doc[i].lower_ in skip):
        i -= 1
    return i


def led_by(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], markers: frozenset[str], words: Words
) -> bool:
    """Whether a marker word governs the place, across a list ("to Gao, Timbuktu and Kidal")."""
    i = before_list(doc, place, places, words.list_skip - markers)
    return i >= 0 and doc[i].lower_ in markers


# "eastern DRC, in particular North Kivu": the units that narrow a vague area.
NARROWING = frozenset({"particular", "particularly", "especially", "notably", "mainly"})

# "Mozambicans fleeing violence in Cabo Delgado", "people from the Chechen Republic".
FLED_WORDS = frozenset(
    {"fleeing", "fled", "flee", "escaping", "escaped", "from", "originating", "originate"}
    | {"leaving", "left"}
)
FLED_REACH = 5


def fled(doc: Doc, place: PlaceMention) -> bool:
    """Whether the area is where the people concerned come from, hence where they'd return."""
    others = [
        p.end
        for p in doc._.rw_places
        if p.end <= place.start and not (p.end == place.start - 1 and p.country == place.country)
    ]  # "fled attacks in Mozambique's Niassa": the possessor does not interrupt
    start = max([0, place.start - FLED_REACH, *others])
    return any(t.lower_ in FLED_WORDS for t in doc[start : place.start])


AGGRESSION = frozenset(
    {"invasion", "attack", "attacks", "aggression", "offensive", "occupation", "troops"}
    | {"bombardment", "shelling", "strikes", "airstrikes", "war", "army", "forces", "military"}
    | {"air", "drone", "drones", "warplanes", "soldiers", "missiles", "rockets", "ground"}
)
