"""Which places a recommendation is about: the country of return, not the host or transit.

"urged Pakistan to halt deportations of Afghans" is about Afghanistan; "from Iran" names
where people are; "Denmark should not send anyone back" names who is asked. The rules read
the words around each place mention (markers, modals, possessives, lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, PlaceMention
from nlp.clauses import opening_clause_end
from nlp.cue_choice import MAIN_MODALS
from nlp.narrowing import narrow
from nlp.place_roles import (
    actor,
    addressee,
    excluded,
    held_group,
    host_reached,
    judged_by_cue,
    names_an_institution,
    origin,
    possessor,
)
from nlp.place_words import (
    FLED_WORDS,
    POSSESSIVE,
    WHERE_NOW,
    Words,
    before_list,
    fled,
    is_subject,
    led_by,
)
from nlp.places import TYPE_WORDS
from nlp.target_fallbacks import (
    ADDRESS_VERBS,
    anaphoric_units,
    destination,
    earlier_targets,
    units_referred_before,
)

# A place this close after a cue is its object even without "to" ("of Sudanese nationals"),
# unless it says where people are now ("helping migrants in Yemen ... go home").
OBJECT_WINDOW = 3


@dataclass(frozen=True)
class TargetQuery:
    """One recommendation sentence: its cue, and the targets of earlier ones."""

    doc: Doc
    sent: Span
    cue: CueMatch
    words: Words
    previous: list[PlaceMention]


def find_targets(
    doc: Doc,
    sent: Span,
    cue: CueMatch,
    places: list[PlaceMention],
    words: Words,
    previous: list[PlaceMention],
) -> tuple[list[PlaceMention], bool]:
    """The places the recommendation is about, and whether they came from outside the sentence.

    previous: the targets of the document's earlier recommendations, which a sentence
    without a place of its own ("Sending refugees back ... can never be justified") restates.
    A place inside an issuer's name ("Danish Refugee Council", "the Special Rapporteur on
    Eritrea") counts only when nothing else does.
    """
    query = TargetQuery(doc, sent, cue, words, previous)
    left = _left_and_returned_there(query, places)
    if left:
        return left, False
    issuer_tokens = {i for m in doc._.rw_issuers for i in range(m.start, m.end)}
    outside = [p for p in places if p.start not in issuer_tokens]
    targets, fallback = _targets_among(query, outside)
    if not targets and len(outside) < len(places):
        targets, fallback = _targets_among(query, places)
    return targets, fallback


def _left_and_returned_there(query: TargetQuery, places: list[PlaceMention]) -> list[PlaceMention]:
    """ "People who cross from Belarus ... must no longer be returned there": the place
    people left, when the call points back to it and judges no other place."""
    doc, sent, cue, words = query.doc, query.sent, query.cue, query.words
    if not returned_there(doc, sent, cue):
        return []
    if any(_judged(doc, sent, p) for p in places if p.end <= cue.start):
        return []
    opening = opening_clause_end(doc, sent, cue.start)
    left = [
        p
        for p in places
        if opening <= p.start
        and p.end <= cue.start
        and led_by(doc, p, places, frozenset({"from"}), words)
    ]
    # "from the Vanni region of northern Sri Lanka": the unit left, not its setting
    return [p for p in left if doc[p.start - 1].lower_ not in {"of", "in"}] or left


def _targets_among(
    query: TargetQuery, places: list[PlaceMention]
) -> tuple[list[PlaceMention], bool]:
    doc, sent, cue, words, previous = (
        query.doc,
        query.sent,
        query.cue,
        query.words,
        query.previous,
    )
    usable = [
        p for p in places if not excluded(doc, p, places, words) and not _in_condition(doc, cue, p)
    ]
    opening = opening_clause_end(doc, sent, cue.start)
    usable = [p for p in usable if not sent.start <= p.start < opening] or usable
    usable = [p for p in usable if not _conceded_before(doc, cue, p)] or usable
    after = [
        p
        for p in usable
        if p.start >= cue.start
        and not actor(doc, p, words)
        and not _asked(doc, p, places, words)
        and not _acting_state(doc, p, words)
    ]
    people = [
        p
        for p in usable
        if p.end <= cue.start
        and p.start >= query.sent.start
        and (p.kind == "demonym" or (p.end < len(doc) and doc[p.end].lower_ in words.people))
    ]
    after = _before_explanation(doc, cue, after, people or _judged_before(doc, sent, cue, usable))
    led = [
        p
        for p in after
        if led_by(doc, p, places, words.dest, words)
        or _home_in(doc, p)
        or _lived_in(doc, p)
        or _fleeing_war_in(doc, p)
        or (p.start < cue.end + OBJECT_WINDOW and not led_by(doc, p, places, WHERE_NOW, words))
    ]
    led += [
        p
        for p in after
        if p.kind == "area"
        and p not in led
        and any(
            possessor(doc, q, p)
            or (
                q.country == p.country
                and (fled(doc, p) or led_by(doc, p, places, SINGLING | FLED_WORDS, words))
            )
            for q in led
        )
    ]
    led += [p for p in after if p not in led and _listed_after_colon(doc, p, places, words)]
    # "if it deported the Somali woman and her children to Italy": the destination said
    # outright beats the people's nationality.
    sent_to = {
        p.country for p in led if p.kind == "country" and led_by(doc, p, places, words.dest, words)
    }
    if sent_to:
        led = [p for p in led if p.kind != "demonym" or p.country in sent_to]
    led += _list_mates(doc, led, after)
    present = [p for p in after if not led_by(doc, p, places, WHERE_NOW, words)]
    chosen = _judged_over_host(query, usable, led or present or after)
    targets = _with_situation_area(doc, sent, cue, places, chosen)
    if not targets:
        rest = [
            p
            for p in usable
            # "that Syria was not fit for ... return": the subject a call's judgement is about
            if (not is_subject(doc, p, words) or judged_by_cue(doc, p))
            and not actor(doc, p, words)
            and not _asked(doc, p, places, words)
        ]
        # "people who fled the governorates of Anbar, Ninewa ... should not be returned there"
        left_from = [p for p in rest if led_by(doc, p, places, FLED_WORDS, words)]
        rest = left_from or rest
        # "requiring them to return to Sudan": a destination, though "to" also addresses.
        targets = [p for p in rest if destination(doc, sent, p, places, words)] or [
            p for p in rest if not addressee(doc, sent, p, words)
        ]
        # "refugees arriving in Bangladesh ... conditions in Myanmar": not where people are.
        targets = (
            [
                p
                for p in targets
                if not led_by(doc, p, places, words.source, words) or origin(doc, p, words)
            ]
            or [p for p in targets if p.kind == "area"]
            or targets
        )
        judged = _judged_before(doc, sent, cue, usable)
        if judged and not {p.country for p in targets} & {p.country for p in judged}:
            targets = judged
        elif judged and all(p.kind == "area" for p in judged):
            # "security in Babylon province and in the city of Kirkuk": every unit judged.
            targets = [*targets, *(p for p in judged if p not in targets)]
    if not targets and _such_returns(doc, cue):
        # "forced returns to southern and central Somalia should not take place, and it calls
        # on States to refrain from such returns": the destination the sentence named.
        targets = [
            p
            for p in usable
            if sent.start <= p.start
            and p.end <= cue.start
            and led_by(doc, p, places, words.dest, words)
        ][-1:]
    if not targets and returned_there(doc, sent, cue):
        # "Libya is not a safe port ..., ensure that people ... are not returned there"
        targets = [
            p
            for p in places
            if sent.start <= p.start
            and p.end <= cue.start
            and p.end < len(doc)
            and doc[p.end].lower_ in COPULAS_JUDGED
        ][-1:]
    if not targets:
        # "not to deport former members of the Afghan security forces": the only place
        # in the call's object, even if it reads as an institution.
        targets = [
            p
            for p in places
            if p.start >= cue.end
            and p.kind != "country"
            and not _in_condition(doc, cue, p)
            and not names_an_institution(doc, p)
            and not host_reached(doc, p, places, words)
            and not held_group(doc, p)
            and not _governing_subject(doc, p, words)
            # "some 2,000 people were returned from Mae Hong Son province": where they were
            and not (
                led_by(doc, p, places, frozenset({"from"}), words) and not origin(doc, p, words)
            )
        ][:1]
    fallback = False
    if not targets and "the country" in doc[cue.start : cue.end].text:
        # "no part of the country could be considered safe": the whole of the one country
        # the text names, not the areas an earlier sentence lists.
        targets = _one_country(list(doc._.rw_places))
    if not targets:
        targets, fallback = anaphoric_units(doc, sent, cue), True
    if not targets:
        targets, fallback = earlier_targets(doc, sent, words, previous), True
    if not targets:
        # "ruled out deporting the Chin refugees until the situation in Myanmar returns to
        # normal": with no other place, the one whose situation the condition waits on.
        targets = [p for p in places if _in_condition(doc, cue, p) and _judged(doc, sent, p)]
    if not targets:
        # "Tamils originating from the north of the country": the one country the text names.
        here = [p for p in doc._.rw_places if sent.start <= p.start < sent.end]
        if "the country" in sent.text:
            targets = _one_country(here) or _one_country(list(doc._.rw_places))
            fallback = fallback or bool(targets)
    if not targets:
        # "Liberia's government has certified ... as safe": a government about its country.
        targets = [p for p in usable if is_subject(doc, p, words)]
    if not targets and len({p.country for p in doc._.rw_places}) == 1:
        # "Afghanistan was spinning out of control ... He appealed to all countries to
        # receive Afghan refugees and to refrain from any deportations": the one country
        # the whole text names, when the call's sentence names its people.
        targets = [_whole(p) for p in usable if p.kind == "demonym"][:1]
        fallback = fallback or bool(targets)
    if not targets:
        # "In new country guidance on Iraq, the Tribunal has held that ...": the paper's
        # subject, when nothing else in reach names a place.
        targets = [p for p in usable if p.end <= cue.start and _paper_subject(doc, p)]
        fallback = fallback or bool(targets)
    referred = units_referred_before(doc, sent, cue)
    targets += [p for p in referred if p not in targets]
    return narrow(doc, targets, words, fallback), fallback


# "conditions in Rakhine State are not conducive ...": the area whose situation is judged.
SITUATION_NOUNS = frozenset(
    {"conditions", "situation", "security", "fighting", "violence", "hostilities", "conflict"}
)


JUDGED_LIST_WORDS = TYPE_WORDS | {",", "and", "in", "the", "city", "town", "of"}


def _with_situation_area(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention], targets: list[PlaceMention]
) -> list[PlaceMention]:
    """Targets of one country only, plus the one area of it whose situation the sentence
    judges before the cue ("the situation in Damascus province has improved ...") or
    that the people concerned come from."""
    countries = {p.country for p in targets}
    if len(countries) != 1 or any(p.kind == "area" for p in targets):
        return targets
    opening = opening_clause_end(doc, sent, cue.start)
    candidates = [p for p in places if p.kind == "area" and p.country in countries]
    # "the situation in Rakhine State does not yet allow ... to return": inside the cue too
    # "repatriating Rohingya refugees, as conditions in Rakhine State are not conducive":
    # with only the people named, the area whose conditions the reason judges.
    people_only = all(p.kind == "demonym" for p in targets)
    candidates = [
        p
        for p in candidates
        if opening <= p.start
        and (p.end <= cue.end or (people_only and _judged(doc, sent, p, CONDITIONS)))
    ]
    named = [p for p in candidates if _judged(doc, sent, p) or _people_from(doc, p)]
    # "from the conflict-affected areas of Donetsk and Luhansk regions": the whole list.
    areas = named[:1] + _chained(doc, named[:1], candidates, JUDGED_LIST_WORDS)
    if not areas or len(areas) < len(named):
        return targets
    return [*targets, *areas]


CONDITIONS = frozenset({"conditions", "situation", "security"})


def _whole(place: PlaceMention) -> PlaceMention:
    return PlaceMention(place.start, place.end, place.text, place.country, "country")


def _one_country(pool: list[PlaceMention]) -> list[PlaceMention]:
    """The whole country, when every place in the pool is of one country."""
    return [_whole(pool[0])] if len({p.country for p in pool}) == 1 else []


def _judged_over_host(
    query: TargetQuery, usable: list[PlaceMention], chosen: list[PlaceMention]
) -> list[PlaceMention]:
    """ "conditions in Rakhine State are not conducive to the return of refugees from
    Bangladesh": the place whose situation is judged is where they would go, not the host
    they would leave."""
    doc, sent, cue = query.doc, query.sent, query.cue
    judged = [p for p in usable if sent.start <= p.start and p.end <= cue.start]
    judged = [p for p in judged if _judged(doc, sent, p)]
    hosts = frozenset({"from"}) | WHERE_NOW
    from_only = all(led_by(doc, p, usable, hosts, query.words) for p in chosen)
    countries = {p.country for p in chosen}
    if judged and chosen and from_only and not countries & {p.country for p in judged}:
        return judged
    return chosen


# "from the regions of Mopti and Ségou, as well as from Gao, Kidal and Timbuktu".
LIST_JOINERS = frozenset({",", "and", "or", "the", "as", "well", "from", "to"})


def _list_mates(doc: Doc, led: list[PlaceMention], after: list[PlaceMention]) -> list[PlaceMention]:
    """ "for Honduras and Nicaragua": places listed right after a target are targets too."""
    return _chained(doc, led, after, LIST_JOINERS)


def _chained(
    doc: Doc, chain: list[PlaceMention], candidates: list[PlaceMention], joiners: frozenset[str]
) -> list[PlaceMention]:
    """The candidates joined to the chain, one after another, by list words only."""
    linked = list(chain)
    added: list[PlaceMention] = []
    for place in candidates:
        if place in linked:
            continue
        last = max((p for p in linked if p.end <= place.start), key=lambda p: p.end, default=None)
        if last is None:
            continue
        between = {t.lower_ for t in doc[last.end : place.start]}
        if between == {","} and place.end < len(doc) and doc[place.end].lower_ in POSSESSIVE:
            continue  # "not be deported to Iran, Germany's interior ministers agreed"
        if between and between <= joiners:
            linked.append(place)
            added.append(place)
    return added


COLON_REACH = 8


def _listed_after_colon(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    """ "go home to three areas it now considers stable enough: Luuq, Baidoa and Kismayo":
    the units a colon spells out after naming areas."""
    i = before_list(doc, place, places, words.list_skip)
    if i < 0 or doc[i].text != ":":
        return False
    return any(t.lower_ in PART_NOUNS | TYPE_WORDS for t in doc[max(0, i - COLON_REACH) : i])


def _asked(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """ "urging Lebanon, Jordan and Turkey not to ...": the States asked, the whole list; but
    "will allow Myanmar nationals to remain" names the people."""
    return (
        place.kind == "country"
        and led_by(doc, place, places, ADDRESS_VERBS, words)
        and not (place.end < len(doc) and doc[place.end].lower_ in words.people)
    )


# "Libya is not a safe port": the place judged, which "there" then points back to.
COPULAS_JUDGED = frozenset({"is", "was", "remains", "remained", "are"})


def _acting_state(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """A State that acts, not a place of return: its officials speaking after a comma
    ("... to Iran, Germany's interior ministers agreed"), its own measure ("Turkey's
    deportations of Syrians", "lifted Canada's temporary suspension of removals"), or a
    later clause's subject ("Syria is not safe for returns, and Turkey must respect ...")."""
    if place.kind != "country" or place.end >= len(doc):
        return False
    following = [t.lower_ for t in doc[place.end : place.end + 5]]
    if following[0] in ACTING_VERBS:
        return True  # "... if Sweden deported an Iraqi family to Iraq"
    if following[0] in POSSESSIVE:
        if (
            place.start > 0
            and doc[place.start - 1].text == ","
            and set(following[1:]) & words.gov_nouns
        ):
            return True
        return bool(set(following[1:4]) & STATE_MEASURES)
    return (
        len(following) > 1
        and following[0] in MAIN_MODALS
        and following[1] not in {"be", "not", "no", "never", "remain", "now"}
        and place.start > 1
        and doc[place.start - 1].lower_ == "and"
        and doc[place.start - 2].text == ","
    )


# What a State's possessive owns when the State is the one acting on returns.
STATE_MEASURES = frozenset(
    {"deportations", "deportation", "removals", "returns", "pushbacks", "expulsions"}
    | {"suspension", "moratorium", "ban", "halt", "freeze", "policy"}
)
ACTING_VERBS = frozenset(
    {"deported", "deports", "deport", "expelled", "expels", "extradited", "extradites"}
    | {"returned", "returns", "removed", "removes", "sent", "sends", "forcibly"}
)


ANAPHORIC_DETERMINERS = frozenset({"such", "these", "those"})


def _such_returns(doc: Doc, cue: CueMatch) -> bool:
    """ "refrain from such returns": the call points back to returns already described."""
    return any(t.lower_ in ANAPHORIC_DETERMINERS for t in doc[cue.start : cue.end])


def returned_there(doc: Doc, sent: Span, cue: CueMatch) -> bool:
    """ "must no longer be summarily returned there": the call points back to a place named."""
    return any(t.lower_ == "there" for t in doc[cue.end : min(sent.end, cue.end + 2)])


def _governing_subject(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "the Thai authorities remain free not to enforce the order": who acts; but "former
    members of the Afghan security forces" are people the call concerns."""
    if place.end >= len(doc) or doc[place.end].lower_ not in words.gov_nouns:
        return False
    before = [t.lower_ for t in doc[max(0, place.start - 2) : place.start]]
    return not {"of", "to"} & set(before)  # "hand him over to Vietnamese authorities"


ESCAPE_WORDS = frozenset({"fleeing", "fled", "flee", "escaping", "escaped"})


def _fleeing_war_in(doc: Doc, place: PlaceMention) -> bool:
    """ "deportations of people fleeing the war in Sudan": where they fled is where they
    would be sent."""
    start = max([place.start - 5, *(p.end for p in doc._.rw_places if p.end <= place.start)])
    window = [t for t in doc[max(0, start) : place.start]]
    escape = [t.i for t in window if t.lower_ in ESCAPE_WORDS]
    # "who lived in Syria before fleeing, including Palestine refugees": a list, not a war
    return bool(escape) and not any(t.is_punct for t in window if t.i > escape[-1])


HOME_WORDS = frozenset({"homes", "home", "villages", "communities", "origin", "areas", "towns"})


def _home_in(doc: Doc, place: PlaceMention) -> bool:
    """ "returns ... to their homes in Ethiopia's Tigray region": where the homes are."""
    i = place.start - 1
    if i > 1 and doc[i].lower_ in POSSESSIVE:
        i = next((p.start for p in doc._.rw_places if p.end == i), i) - 1
    window = [t.lower_ for t in doc[max(0, i - 4) : i + 1]]
    return bool(window) and window[-1] == "in" and "to" in window and bool(HOME_WORDS & set(window))


# "persons who have lived in the Gaza Strip", "habitually resident in": a former home.
RESIDED_WORDS = frozenset({"lived", "resided", "resident"})


def _lived_in(doc: Doc, place: PlaceMention) -> bool:
    if place.kind != "area":
        return False  # "Salvadorans who have lived in the United States": the host
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    return i > 0 and doc[i].lower_ == "in" and doc[i - 1].lower_ in RESIDED_WORDS


PART_NOUNS = frozenset({"areas", "parts", "regions", "provinces", "districts", "governorates"})
SPREAD_VERBS = frozenset({"spread", "spreading", "spreads", "moved", "shifted", "extended"})


def _people_from(doc: Doc, place: PlaceMention) -> bool:
    """ "Persons from the Darfur states should not be returned to Sudan": their area."""
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    if i > 1 and doc[i].lower_ == "of" and doc[i - 1].lower_ in PART_NOUNS:
        # "from the conflict-affected areas of Donetsk": back to the "from"
        i = next((j for j in range(i - 2, max(0, i - 8), -1) if doc[j].lower_ == "from"), i)
    if i > 0 and doc[i].lower_ == "fleeing":
        return True
    # "Persons from the Darfur states", not "the conflict that has spread from Khartoum"
    return i > 0 and doc[i].lower_ == "from" and doc[i - 1].lower_ not in SPREAD_VERBS


def _judged_before(
    doc: Doc, sent: Span, cue: CueMatch, places: list[PlaceMention]
) -> list[PlaceMention]:
    """ "the security situation in Iraq does not allow refugees to return", "... who remain in
    Rakhine State ..., and conditions there make it impossible": the place whose situation
    the sentence judges before the call."""
    before = [p for p in places if sent.start <= p.start and p.end <= cue.start]
    judged = [p for p in before if _judged(doc, sent, p)][:1]
    # "conditions in Myanmar's Rakhine State": the area the possessive introduces.
    judged = [next((q for q in before if possessor(doc, p, q)), p) for p in judged]
    if judged:
        # "security in Babylon province and in the city of Kirkuk": the whole list.
        return judged + _chained(doc, judged, before, JUDGED_LIST_WORDS)
    there = [
        t.i
        for t in doc[sent.start : cue.start]
        if t.lower_ == "there" and t.i > sent.start and doc[t.i - 1].lower_ in SITUATION_NOUNS
    ]
    if not there:
        return []
    earlier = [p for p in before if p.end <= there[0]]
    return [max(earlier, key=lambda p: p.start)] if earlier else []


# "guidance on Iraq", "its position on Syria": the paper's subject, not a State called on.
DOCUMENT_NOUNS = frozenset(
    {"guidance", "guidelines", "position", "report", "note", "paper", "update", "advice"}
    | {"advisory", "assessment", "information", "judgment", "judgement", "ruling"}
)


def _paper_subject(doc: Doc, place: PlaceMention) -> bool:
    return (
        place.start > 1
        and doc[place.start - 1].lower_ == "on"
        and doc[place.start - 2].lower_ in DOCUMENT_NOUNS
    )


def _judged(
    doc: Doc, sent: Span, place: PlaceMention, nouns: frozenset[str] = SITUATION_NOUNS
) -> bool:
    """ "the situation in (the) Damascus area": a situation noun, "in", maybe "the" or a
    country's possessive ("conditions in Myanmar's Rakhine State")."""
    i = place.start - 1
    owner = next((p for p in doc._.rw_places if p.end == i), None)
    if owner is not None and doc[i].lower_ in POSSESSIVE:
        i = owner.start - 1
    if i > sent.start and doc[i].lower_ == "the":
        i -= 1
    return i - 1 >= sent.start and doc[i].lower_ == "in" and doc[i - 1].lower_ in nouns


# "to areas of Iraq ..., including parts of Nineveh and Anbar governorates".
SINGLING = frozenset({"including", "particularly", "especially", "notably", "namely", "mainly"})


def departure_only(doc: Doc, places: list[PlaceMention], words: Words) -> bool:
    """ "Return flights from Port-au-Prince have been suspended": every place of the sentence
    is where movements leave from, so the pause says nothing about a country of return."""
    return bool(places) and all(
        led_by(doc, p, places, frozenset({"from"}), words) and not origin(doc, p, words)
        for p in places
    )


def _in_condition(doc: Doc, cue: CueMatch, place: PlaceMention) -> bool:
    """ "not to deport them while fighting in Upper Nile continues", "although the conflict
    in the North-West continues": the condition's or concession's place is background."""
    if any(t.lower_ in CONCESSIVE for t in doc[cue.end : place.start]):
        return True
    # "a winter stop ... until the end of March for ... families from Kosovo": a date
    # limits the measure; it is no condition with a place of its own.
    dates = {c.start for c in doc._.rw_cues if c.label == "time_limit"}
    return any(
        c.label == "condition" and cue.end <= c.start < place.start and c.start not in dates
        for c in doc._.rw_cues
    ) and not any(
        c.label in ("against", "lift") and c.start > cue.start and c.start < place.start
        for c in doc._.rw_cues
    )


CONCESSIVE = frozenset({"although", "though", "despite", "notwithstanding"})
CONCESSION_REACH = 12


def _conceded_before(doc: Doc, cue: CueMatch, place: PlaceMention) -> bool:
    """ "although some displaced people have gone home to Bangui, conditions in much of the
    Central African Republic are not yet conducive": a concession closed before the cue."""
    if place.end > cue.start:
        return False
    before = doc[max(0, place.start - CONCESSION_REACH) : place.start]
    opener = next((t.i for t in reversed(before) if t.lower_ in CONCESSIVE | {","}), None)
    return (
        opener is not None
        and doc[opener].lower_ in CONCESSIVE
        and any(t.text == "," for t in doc[place.end : cue.start])
    )


# "..., warning that those sent back to Kabul ...": what follows explains the call.
REPORTING = frozenset(
    {"warning", "saying", "noting", "adding", "stressing", "arguing", "explaining", "citing"}
    | {"pointing", "documenting", "describing", "highlighting", "responding", "reacting"}
)


AS_CLAUSE = frozenset({"as", "while", "amid", "after", "since", "following"})

# "halted all returns to Ethiopia because of uncertainty ..., with forces advancing towards
# Addis Ababa": the reason, not the destination.
CAUSES = frozenset({"because", "owing"})
# "..., among them the prisoners expelled to the United States": who else, not where.
AMONG = frozenset({"them", "whom", "those", "others"})


def _second_call(doc: Doc, i: int) -> bool:
    """ "..., and to ensure that people fleeing ... have access": a call of its own."""
    return (
        doc[i].lower_ == "to"
        and i > 1
        and doc[i - 1].lower_ == "and"
        and doc[i - 2].text == ","
        and i + 1 < len(doc)
        and doc[i + 1].is_lower
        and doc[i + 1].lower_ not in NOT_VERBS
    )


# "..., and to the Gaza Strip, Syria ...": more destinations, not a second call.
NOT_VERBS = frozenset({"the", "a", "an", "all", "any", "its", "their", "other", "those"})


def _before_explanation(
    doc: Doc, cue: CueMatch, after: list[PlaceMention], people: list[PlaceMention]
) -> list[PlaceMention]:
    """The places before an explaining clause, when the call names one before it, or else
    the people it concerns ("Hong Kong residents ... protected from removal ..., pointing
    to ... since China imposed ...")."""
    end = after[-1].end if after else cue.end
    stop = next(
        (
            t.i
            for t in doc[cue.end : end]
            if t.lower_ in REPORTING
            or t.lower_ in CAUSES
            or _second_call(doc, t.i)
            or (t.lower_ == "among" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ in AMONG)
            or (
                t.lower_ in AS_CLAUSE
                and doc[t.i - 1].text == ","
                and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "well")
            )
        ),
        None,
    )
    if stop is None:
        return after
    return [p for p in after if p.start < stop] or people or after
