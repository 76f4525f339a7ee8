"""Who makes a recommendation: a named issuer before the cue, a government acting, an
earlier mention, or one named after it, and whether it is a UN entity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, IssuerMention, PlaceMention
from nlp.place_words import Words, addressed, is_subject


@dataclass(frozen=True)
class Issuer:
    name: str
    is_un: bool
    in_sentence: bool


def find_issuer(
    doc: Doc,
    sent: Span,
    cue: CueMatch,
    places: list[PlaceMention],
    words: Words,
    names: Mapping[str, str],
) -> Issuer | None:
    """Who recommends: named before the cue (the nearer of an issuer and a government acting),
    an earlier mention, later in the sentence, then the next sentence ("According to UNHCR")."""
    mentions: list[IssuerMention] = [
        m
        for m in doc._.rw_issuers
        if _agent(doc, m) or not addressed(doc, doc[m.start].sent, m.start, words)
    ]
    before = [
        m
        for m in mentions
        if sent.start <= m.start
        and m.end <= cue.start
        and not (m.start > 0 and doc[m.start - 1].lower_ in {"which", "whom"})
    ]  # "In its view, which UNHCR shares, ...": a relative clause, not the speaker
    government = _government_subject(doc, sent, cue, places, words)
    if before and (government is None or government.start < before[-1].start):
        first = _list_head(doc, before)
        return Issuer(first.name, first.is_un, True)
    if government is not None:
        # "Libya is not a place of safety ..., the United Nations said": the attribution
        # names the speaker; the country is what it speaks of.
        reporting = {c.start for c in doc._.rw_cues if c.label == "reporting"}
        attributed = [m for m in mentions if cue.start <= m.start < sent.end and m.end in reporting]
        if attributed:
            return Issuer(attributed[0].name, attributed[0].is_un, True)
        return Issuer(
            f"Government of {names.get(government.country, government.text)}", False, True
        )
    earlier = [m for m in mentions if m.end <= sent.start]
    if earlier:
        return Issuer(earlier[-1].name, earlier[-1].is_un, False)
    after = [m for m in mentions if cue.start <= m.start < sent.end]
    if after:
        return Issuer(after[0].name, after[0].is_un, True)
    following = (
        [m for m in mentions if sent.end <= m.start < doc[sent.end].sent.end]
        if sent.end < len(doc)
        else []
    )
    if following:
        return Issuer(following[0].name, following[0].is_un, False)
    return None


def _agent(doc: Doc, mention: IssuerMention) -> bool:
    """ "is no longer ruled out by UNHCR": the passive's agent is who speaks."""
    return mention.start > 0 and doc[mention.start - 1].lower_ == "by"


def _list_head(doc: Doc, before: list[IssuerMention]) -> IssuerMention:
    """ "UNHCR and IOM called ...": the first issuer of a list just before the cue."""
    head = before[-1]
    for previous in reversed(before[:-1]):
        between = {t.lower_ for t in doc[previous.end : head.start]}
        if not between or not between <= {",", "and", "&"}:
            break
        head = previous
    return head


def _government_subject(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], words: Words
) -> PlaceMention | None:
    """ "Canada currently defers removals", "Norway's appeals board has ...", "Danish
    immigration authorities have concluded": that government, unless it is asked ("... must")."""
    for place in places:
        if place.end > cue.start or place.end >= len(doc):
            continue
        if addressed(doc, sent, place.start, words) or _obliged(doc, place):
            continue
        if any(m.start <= place.start < m.end for m in doc._.rw_issuers):
            continue  # "the Special Rapporteur on ... in Afghanistan, said": the mandate
        if (
            any(t.lower_ in JUDGEMENT_WORDS for t in doc[place.end : place.end + JUDGED_REACH])
            or {t.lower_ for t in doc[place.end : cue.start]} <= COPULAS
        ):
            continue  # "Syria is still not a safe place to return to": judged, not speaking
        if is_subject(doc, place, words) or _demonym_body(doc, place, cue, words):
            return place
    return None


JUDGEMENT_WORDS = frozenset(
    {"safe", "safely", "unsafe", "dangerous", "conducive", "stable", "secure", "fit", "unfit"}
)
JUDGED_REACH = 5
COPULAS = frozenset({"is", "was", "are", "remains", "remained", "still", "yet", "clearly"})

OBLIGED = frozenset(
    {"obligation", "obliged", "duty", "required", "must", "should", "ought", "bound"}
)


def _obliged(doc: Doc, place: PlaceMention) -> bool:
    """ "Denmark is under an obligation to refrain": the State bound, not the one speaking."""
    return any(t.lower_ in OBLIGED for t in doc[place.end : place.end + 4])


def _demonym_body(doc: Doc, place: PlaceMention, cue: CueMatch, words: Words) -> bool:
    """ "Danish immigration authorities have ...", not "Lebanese authorities must stop"."""
    if place.kind != "demonym":
        return False
    i = place.end
    while i < cue.start and doc[i].lower_ in words.gov_nouns:
        i += 1
    return i > place.end and (i >= len(doc) or doc[i].lower_ not in words.modals)
