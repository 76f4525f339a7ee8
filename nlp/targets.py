"""Which places a recommendation is about: the country of return, not the host or transit.

"urged Pakistan to halt deportations of Afghans" is about Afghanistan; "from Iran" names
where people are; "Denmark should not send anyone back" names who is asked. The rules read
the words around each place mention (markers, modals, possessives, lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from nlp.annotations import CueMatch, PlaceMention
from nlp.places import DIRECTIONS, TYPE_WORDS

# A place this close after a cue is its object even without "to" ("of Sudanese nationals"),
# unless it says where people are now ("helping migrants in Yemen ... go home").
OBJECT_WINDOW = 3
WHERE_NOW = frozenset({"in", "within", "inside"})


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
    if i + 1 < len(doc) and doc[i].lower_ in {"'s", "’s"}:
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
    issuer_tokens = {i for m in doc._.rw_issuers for i in range(m.start, m.end)}
    outside = [p for p in places if p.start not in issuer_tokens]
    targets, fallback = _targets_among(query, outside)
    if not targets and len(outside) < len(places):
        targets, fallback = _targets_among(query, places)
    return targets, fallback


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
        p for p in places if not _excluded(doc, p, places, words) and not _in_condition(doc, cue, p)
    ]
    after = [
        p
        for p in usable
        if p.start >= cue.start
        and not _actor(doc, p, words)
        and not (p.kind == "country" and p.start > 0 and doc[p.start - 1].lower_ in ADDRESS_VERBS)
    ]
    people = [
        p
        for p in usable
        if p.end <= cue.start
        and p.start >= query.sent.start
        and (p.kind == "demonym" or (p.end < len(doc) and doc[p.end].lower_ in words.people))
    ]
    after = _before_explanation(doc, cue, after, people)
    led = [
        p
        for p in after
        if _led_by(doc, p, places, words.dest, words)
        or _home_in(doc, p)
        or (p.start < cue.end + OBJECT_WINDOW and not _led_by(doc, p, places, WHERE_NOW, words))
    ]
    led += [
        p
        for p in after
        if p.kind == "area"
        and p not in led
        and any(
            _possessor(doc, q, p)
            or (
                q.country == p.country
                and (_fled(doc, p) or _led_by(doc, p, places, SINGLING | FLED_WORDS, words))
            )
            for q in led
        )
    ]
    led += _list_mates(doc, led, after)
    present = [p for p in after if not _led_by(doc, p, places, WHERE_NOW, words)]
    chosen = _judged_over_host(query, usable, led or present or after)
    targets = _with_situation_area(doc, sent, cue, places, chosen)
    if not targets:
        rest = [p for p in usable if not is_subject(doc, p, words) and not _actor(doc, p, words)]
        # "people who fled the governorates of Anbar, Ninewa ... should not be returned there"
        fled = [p for p in rest if _led_by(doc, p, places, FLED_WORDS, words)]
        rest = fled or rest
        # "requiring them to return to Sudan": a destination, though "to" also addresses.
        targets = [p for p in rest if _destination(doc, sent, p, places, words)] or [
            p for p in rest if not _addressee(doc, sent, p, words)
        ]
        # "refugees arriving in Bangladesh ... conditions in Myanmar": not where people are.
        targets = (
            [
                p
                for p in targets
                if not _led_by(doc, p, places, words.source, words) or _origin(doc, p, words)
            ]
            or [p for p in targets if p.kind == "area"]
            or targets
        )
        judged = _judged_before(doc, sent, cue, usable)
        if judged and not {p.country for p in targets} & {p.country for p in judged}:
            targets = judged
        elif all(p.kind == "area" for p in judged) and any(p.kind == "area" for p in targets):
            # "security in Babylon province and in the city of Kirkuk": every unit judged.
            targets = [*targets, *(p for p in judged if p not in targets)]
    if not targets:
        # "not to deport former members of the Afghan security forces": the only place
        # in the call's object, even if it reads as an institution.
        targets = [
            p
            for p in places
            if p.start >= cue.end
            and p.kind != "country"
            and not _in_condition(doc, cue, p)
            and not _names_an_institution(doc, p)
        ][:1]
    fallback = False
    if not targets:
        targets, fallback = _anaphoric_units(doc, sent, cue), True
    if not targets:
        targets, fallback = _earlier(doc, sent, words, previous), True
    if not targets:
        # "ruled out deporting the Chin refugees until the situation in Myanmar returns to
        # normal": with no other place, the one whose situation the condition waits on.
        targets = [p for p in places if _in_condition(doc, cue, p) and _judged(doc, sent, p)]
    if not targets:
        # "Tamils originating from the north of the country": the one country the text names.
        here = [p for p in doc._.rw_places if sent.start <= p.start < sent.end]
        for pool in (here, list(doc._.rw_places)):
            if len({p.country for p in pool}) == 1 and "the country" in sent.text:
                targets, fallback = [_whole(pool[0])], True
                break
    if not targets:
        # "Liberia's government has certified ... as safe": a government about its country.
        targets = [p for p in usable if is_subject(doc, p, words)]
    return _narrow(doc, targets, words, fallback), fallback


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
    candidates = [p for p in places if p.kind == "area" and p.country in countries]
    candidates = [p for p in candidates if p.end <= cue.start]
    areas = [p for p in candidates if _judged(doc, sent, p) or _people_from(doc, p)]
    if len(areas) != 1:
        return targets
    return [*targets, areas[0]]


def _whole(place: PlaceMention) -> PlaceMention:
    return PlaceMention(place.start, place.end, place.text, place.country, "country")


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
    from_only = all(_led_by(doc, p, usable, hosts, query.words) for p in chosen)
    countries = {p.country for p in chosen}
    if judged and chosen and from_only and not countries & {p.country for p in judged}:
        return judged
    return chosen


# "from the regions of Mopti and Ségou, as well as from Gao, Kidal and Timbuktu".
LIST_JOINERS = frozenset({",", "and", "or", "the", "as", "well", "from", "to"})


def _list_mates(doc: Doc, led: list[PlaceMention], after: list[PlaceMention]) -> list[PlaceMention]:
    """ "for Honduras and Nicaragua": places listed right after a target are targets too."""
    mates: list[PlaceMention] = []
    chain = list(led)
    for place in after:
        if place in led or not chain:
            continue
        last = max((p for p in chain if p.end <= place.start), key=lambda p: p.end, default=None)
        if last is None:
            continue
        between = [t.lower_ for t in doc[last.end : place.start]]
        if between and all(w in LIST_JOINERS for w in between):
            mates.append(place)
            chain.append(place)
    return mates


HOME_WORDS = frozenset({"homes", "home", "villages", "communities", "origin", "areas", "towns"})


def _home_in(doc: Doc, place: PlaceMention) -> bool:
    """ "returns ... to their homes in Ethiopia's Tigray region": where the homes are."""
    i = place.start - 1
    if i > 1 and doc[i].lower_ in {"'s", "’s"}:
        i = next((p.start for p in doc._.rw_places if p.end == i), i) - 1
    window = [t.lower_ for t in doc[max(0, i - 4) : i + 1]]
    return bool(window) and window[-1] == "in" and "to" in window and bool(HOME_WORDS & set(window))


SPREAD_VERBS = frozenset({"spread", "spreading", "spreads", "moved", "shifted", "extended"})


def _people_from(doc: Doc, place: PlaceMention) -> bool:
    """ "Persons from the Darfur states should not be returned to Sudan": their area."""
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
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
    if judged:
        for place in before:
            between = {t.lower_ for t in doc[judged[-1].end : place.start]}
            if place.start >= judged[-1].end and between and between <= JUDGED_LIST_WORDS:
                judged.append(place)  # "security in Babylon province and in the city of Kirkuk"
        return judged
    there = [
        t.i
        for t in doc[sent.start : cue.start]
        if t.lower_ == "there" and t.i > sent.start and doc[t.i - 1].lower_ in SITUATION_NOUNS
    ]
    if not there:
        return []
    earlier = [p for p in before if p.end <= there[0]]
    return [max(earlier, key=lambda p: p.start)] if earlier else []


def _judged(doc: Doc, sent: Span, place: PlaceMention) -> bool:
    """ "the situation in (the) Damascus area": a situation noun, "in", maybe "the" or a
    country's possessive ("conditions in Myanmar's Rakhine State")."""
    i = place.start - 1
    owner = next((p for p in doc._.rw_places if p.end == i), None)
    if owner is not None and doc[i].lower_ in {"'s", "’s"}:
        i = owner.start - 1
    if i > sent.start and doc[i].lower_ == "the":
        i -= 1
    return i - 1 >= sent.start and doc[i].lower_ == "in" and doc[i - 1].lower_ in SITUATION_NOUNS


# "to areas of Iraq ..., including parts of Nineveh and Anbar governorates".
SINGLING = frozenset({"including", "particularly", "especially", "notably", "namely", "mainly"})

# "eastern DRC, in particular North Kivu": the units that narrow a vague area.
NARROWING = frozenset({"particular", "particularly", "especially", "notably", "mainly"})

# "Mozambicans fleeing violence in Cabo Delgado", "people from the Chechen Republic".
FLED_WORDS = frozenset(
    {"fleeing", "fled", "flee", "escaping", "escaped", "from", "originating", "originate"}
    | {"leaving", "left"}
)
FLED_REACH = 5


def _fled(doc: Doc, place: PlaceMention) -> bool:
    """Whether the area is where the people concerned come from, hence where they'd return."""
    others = [
        p.end
        for p in doc._.rw_places
        if p.end <= place.start and not (p.end == place.start - 1 and p.country == place.country)
    ]  # "fled attacks in Mozambique's Niassa": the possessor does not interrupt
    start = max([0, place.start - FLED_REACH, *others])
    return any(t.lower_ in FLED_WORDS for t in doc[start : place.start])


def departure_only(doc: Doc, places: list[PlaceMention], words: Words) -> bool:
    """ "Return flights from Port-au-Prince have been suspended": every place of the sentence
    is where movements leave from, so the pause says nothing about a country of return."""
    return bool(places) and all(
        _led_by(doc, p, places, frozenset({"from"}), words) and not _origin(doc, p, words)
        for p in places
    )


def _in_condition(doc: Doc, cue: CueMatch, place: PlaceMention) -> bool:
    """ "not to deport them while fighting in Upper Nile continues", "although the conflict
    in the North-West continues": the condition's or concession's place is background."""
    if any(t.lower_ in CONCESSIVE for t in doc[cue.end : place.start]):
        return True
    return any(
        c.label == "condition" and cue.end <= c.start < place.start for c in doc._.rw_cues
    ) and not any(
        c.label in ("against", "lift") and c.start > cue.start and c.start < place.start
        for c in doc._.rw_cues
    )


AGGRESSION = frozenset(
    {"invasion", "attack", "attacks", "aggression", "offensive", "occupation", "troops"}
    | {"bombardment", "shelling", "strikes", "airstrikes", "war", "army", "forces", "military"}
)

CONCESSIVE = frozenset({"although", "though", "despite", "notwithstanding"})

# "..., warning that those sent back to Kabul ...": what follows explains the call.
REPORTING = frozenset(
    {"warning", "saying", "noting", "adding", "stressing", "arguing", "explaining", "citing"}
    | {"pointing"}
)


AS_CLAUSE = frozenset({"as", "while", "amid", "after", "since", "following"})
# "halted all returns to Ethiopia because of uncertainty ..., with forces advancing towards
# Addis Ababa": the reason, not the destination.
CAUSES = frozenset({"because", "owing"})


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


ANAPHORS = frozenset({"these", "those", "the", "both"})
NUMBER_WORDS = frozenset({"two", "three", "four", "five", "six", "seven", "eight", "several"})


def _anaphoric_units(doc: Doc, sent: Span, cue: CueMatch) -> list[PlaceMention]:
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
    if not units:
        return []
    last = doc[units[-1].start].sent
    return [p for p in units if p.start >= last.start]


def _earlier(
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
        and not _excluded(doc, p, all_places, words)
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
    dest = [p for p in in_last if _destination(doc, last_sent, p, all_places, words)]
    # "People from Tigray have crossed into Sudan. ... not to return them": the origin.
    origins = [p for p in in_last if p.kind != "country" and _fled(doc, p)]
    return origins or dest or _dominant(earlier)


# "urged Lebanon", "asked Switzerland": the State spoken to (not "to", which also leads
# destinations).
ADDRESS_VERBS = frozenset(
    {"urge", "urges", "urged", "urging", "ask", "asks", "asked", "asking", "told", "tells"}
    | {"call", "calls", "called", "calling", "advise", "advised", "advises", "request"}
    | {"requested", "requests", "appeal", "appealed", "appeals", "press", "pressed"}
    | {"informed", "informs", "reminded", "reminds", "notified"}
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


def _destination(
    doc: Doc, sent: Span, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    """ "to return to Sudan": led by "to" and not itself asked to act ("appealed to X to")."""
    following = doc[place.end].lower_ if place.end < sent.end else ""
    return _led_by(doc, place, places, words.dest, words) and following not in words.modals | {"to"}


def _actor(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "..., and Denmark should not send anyone back": the State that would act, named right
    before a stance cue, unless a destination marker or a plain list leads to it."""
    if place.kind != "country":
        return False  # "Afghans should not be deported": people, not a State
    if not any(
        c.label in ("against", "lift") and place.end <= c.start <= place.end + 1
        for c in doc._.rw_cues
    ):
        return False
    if place.end < len(doc) and doc[place.end].lower_ in {"no", "is", "remains", "was"}:
        return False  # "Sudan no longer meets the requirements": the country judged
    before = doc[place.start - 1].lower_ if place.start > 0 else ""
    if before in words.dest | words.source | {"from", "of", "for", "fleeing", "fled", "escaping"}:
        return False  # "persons from Uganda should not be returned", "conditions in X do not"
    if before == "leaving":
        return False
    if before in {"and", "or"}:
        return place.start > 1 and doc[place.start - 2].lower_ == ","
    return True


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


def _possessor(doc: Doc, owner: PlaceMention, place: PlaceMention) -> bool:
    """ "Iraq's Nineveh governorate": the area belongs to the country named just before."""
    return (
        owner.country == place.country
        and owner.end == place.start - 1
        and doc[owner.end].lower_ in {"'s", "’s"}
    )


def _excluded(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """Not a destination: "from Iran and Pakistan", "the German government".

    "refugees from Sierra Leone" names where people come from, which is where they
    would return to: a people noun before "from" keeps the place.
    """
    if place.end < len(doc) and place.kind != "area" and doc[place.end].lower_ in words.gov_nouns:
        return True
    if _possessive_government(doc, place, words):
        return True  # "Mizoram's government has ruled out deporting ...": who decides
    if _names_an_institution(doc, place) or _host_reached(doc, place, places, words):
        return True
    if _bound_state(doc, place) or _where_programme_runs(doc, place, places, words):
        return True
    if (
        place.start > 1
        and doc[place.start - 1].lower_ == "in"
        and doc[place.start - 2].lower_ in (SPOKEN)
    ):
        return True  # "Lubbers announced in Dili": where it was said
    if _seat_of_government(doc, place, words) or _alternative(doc, place):
        return True
    if _led_by(doc, place, places, frozenset({"with"}), words) and _after_border(
        doc, place, places
    ):
        return True  # "desert areas along its borders with Libya and Algeria": neighbours
    if (
        place.kind == "demonym"
        and place.end < len(doc)
        and doc[place.end].lower_ in AGGRESSION
        and not (place.end + 1 < len(doc) and doc[place.end + 1].lower_ in words.people)
    ):
        return True  # "the Russian invasion": the attacker; "Bosnian war refugees" are people
    if _pushed_into(doc, place, places, words) or _relative_subject(doc, place):
        return True
    if not _led_by(doc, place, places, frozenset({"from"}), words):
        return False
    return _route_start(doc, place, places, words) or not _origin(doc, place, words)


SPOKEN = frozenset({"said", "announced", "told", "stated", "declared", "speaking", "briefing"})


# "the UK Upper Tribunal", "Belgrade airport", "Sufi and Elmi v. the United Kingdom": a
# court, an airport or a party to a case, not where anyone is sent.
INSTITUTION_HEADS = frozenset(
    {"tribunal", "court", "courts", "airport", "parliament", "judges", "judge"}
)
CASE_MARKERS = frozenset({"v.", "v", "vs.", "vs", "versus"})


def _possessive_government(doc: Doc, place: PlaceMention, words: Words) -> bool:
    return (
        place.kind == "area"
        and place.end + 1 < len(doc)
        and doc[place.end].lower_ in {"'s", "’s"}
        and doc[place.end + 1].lower_ in words.gov_nouns
    )


def _names_an_institution(doc: Doc, place: PlaceMention) -> bool:
    i = place.end
    while (
        i < min(len(doc), place.end + 3)
        and doc[i].is_title
        and doc[i].lower_ not in (INSTITUTION_HEADS)
    ):
        i += 1
    if i < len(doc) and doc[i].lower_ in INSTITUTION_HEADS and place.kind != "demonym":
        return True
    before = [t.lower_ for t in doc[max(0, place.start - 2) : place.start]]
    return bool(before) and (before[-1] in CASE_MARKERS or before[-2:] == ["v.", "the"])


# "restarted its assisted voluntary return programmes in Mexico, Guatemala and Honduras":
# where the help is given, the side people leave from.
PROGRAMME_NOUNS = frozenset(
    {"programme", "programmes", "program", "programs", "operations", "activities", "projects"}
    | {"office", "offices", "centres", "centers", "desks", "caseload", "caseloads"}
)


def _where_programme_runs(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    covered = {i for p in places for i in range(p.start, p.end)}
    i = place.start - 1
    while i >= 0 and (i in covered or doc[i].lower_ in words.list_skip):
        i -= 1
    return i > 0 and doc[i].lower_ == "in" and doc[i - 1].lower_ in PROGRAMME_NOUNS


OBLIGATION_NOUNS = frozenset(
    {"obligation", "obligations", "duty", "duties", "commitment", "commitments"}
    | {"responsibility", "responsibilities", "international", "legal", "treaty"}
    | {"list", "lists", "law", "laws", "policy", "courts"}
)


def _bound_state(doc: Doc, place: PlaceMention) -> bool:
    """ "recalling Thailand's obligations under international law": the State reminded."""
    return (
        place.kind == "country"
        and place.end + 1 < len(doc)
        and doc[place.end].lower_ in {"'s", "’s"}
        and doc[place.end + 1].lower_ in OBLIGATION_NOUNS
    )


# "came to Canada at the age of four", "who fled to Bangladesh", "required to leave the
# Netherlands": where people went or must leave, not where they would be sent.
ARRIVED = frozenset(
    {"came", "come", "moved", "arrived", "arriving", "fled", "fleeing", "escaped", "emigrated"}
    | {"relocated", "resettled", "settled", "crossed", "travelled", "traveled", "went", "born"}
)


def _host_reached(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    if place.kind == "area":
        return False
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 0 and doc[i].lower_ == "leave":
        return True
    return (
        i > 0
        and doc[i].lower_ in {"to", "into", "in"}
        and (doc[i - 1].lower_ in ARRIVED or (i > 1 and doc[i - 2].lower_ in ARRIVED))
    )


# "the ban on deportations to Syria that Germany had maintained": who keeps the measure.
RELATIVE_VERBS = frozenset(
    {"had", "has", "have", "was", "is", "will", "would", "imposed", "introduced", "maintained"}
    | {"adopted", "declared", "announced", "decided", "issued", "put", "kept", "extended"}
)


def _relative_subject(doc: Doc, place: PlaceMention) -> bool:
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    if place.kind != "country" or i < 0 or place.end >= len(doc):
        return False
    if doc[i].lower_ not in {"that", "which"}:
        return False
    if doc[place.end].lower_ in {"'s", "’s"}:
        # "which Germany's federal and state interior ministers had renewed"
        return any(t.lower_ in RELATIVE_VERBS for t in doc[place.end : place.end + 8])
    verb = doc[place.end].lower_
    return verb in RELATIVE_VERBS or verb.endswith("ed")


PUSH_WORDS = frozenset({"pushed", "pushing", "push", "pushback", "pushbacks", "push-backs"})
PUSH_REACH = 6


def _pushed_into(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """ "pushed back from Poland into Belarus": the side of the border people are driven to,
    a transit country rather than the one they would return to."""
    if not _led_by(doc, place, places, words.dest, words):
        return False
    before = doc[max(0, place.start - PUSH_REACH) : place.start]
    return any(t.lower_ in PUSH_WORDS for t in before)


def _route_start(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """ "refugees from Bangladesh to Myanmar": where the journey starts, not the origin."""
    by_start = {p.start: p for p in places}
    i = place.end
    while i < len(doc) and (doc[i].lower_ in {",", "and", "or", "back"} or i in by_start):
        i = by_start[i].end if i in by_start else i + 1  # "from Cox's Bazar back to Rakhine"
    if i >= len(doc) or doc[i].lower_ not in words.dest:
        return False
    i += 1
    if i < len(doc) and doc[i].lower_ == "the":
        i += 1
    # "from the Chechen Republic to Russia": an area of the destination is the origin.
    return i in by_start and by_start[i].country != place.country


def _seat_of_government(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "the Government of Bangladesh", "the authorities in Khartoum": who is asked to act."""
    if place.start < 2:
        return False
    link, noun = doc[place.start - 1].lower_, doc[place.start - 2].lower_
    if link == "in":
        return noun in GOVERNING
    return link == "of" and noun in words.gov_nouns and noun not in {"security", "border", "coast"}


def _after_border(doc: Doc, place: PlaceMention, places: list[PlaceMention]) -> bool:
    covered = {i for p in places for i in range(p.start, p.end)}
    i = place.start - 1
    while i > 0 and (i in covered or doc[i].lower_ in {",", "and", "or"}):
        i -= 1
    return i > 0 and doc[i].lower_ == "with" and doc[i - 1].lower_ in BORDER_WORDS


BORDER_WORDS = frozenset({"border", "borders", "frontier", "frontiers", "boundary"})


def _alternative(doc: Doc, place: PlaceMention) -> bool:
    """ "an internal flight alternative in other parts of the DRC", "elsewhere in Iraq":
    where people could go instead, not where the call is about."""
    before = [t.lower_ for t in doc[max(0, place.start - 5) : place.start] if t.lower_ != "the"]
    joined = [w for w in before if w not in {"from", "to"}]
    if len(joined) >= 4 and joined[-4] in {"and", "or"} and joined[-3] == "other":
        return False  # "to Idlib and other parts of northern Syria": more of the same call
    return before[-3:] == ["other", "parts", "of"] or before[-2:] == ["elsewhere", "in"]


GOVERNING = frozenset({"government", "authorities", "officials", "ministry", "cabinet"})


# "asylum-seekers originating from Tigray": where people come from, hence where they return.
ORIGIN_BEFORE = frozenset({"originating", "originate", "originates", "originally", "hailing"})


LIST_FROM_REACH = 14


def _origin(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """Whether "from" before the place follows people or an origin word ("refugees from X")."""
    i = place.start - 1
    while i > 0 and doc[i].lower_ != "from":
        i -= 1
    if i <= 0 or doc[i].lower_ != "from":
        return False
    # "from the regions of Mopti and Segou, as well as from Gao": the list's first "from".
    j = i - 1
    while j > 0 and doc[j].lower_ in {"as", "well", "and", "or", ","}:
        j -= 1
    if j < i - 1:
        k = j
        while k > max(0, i - LIST_FROM_REACH) and doc[k].lower_ != "from":
            k -= 1
        if doc[k].lower_ == "from" and k < i:
            i = k
    before = doc[i - 1].lower_
    if any(g.end == i for g in doc._.rw_groups or []):
        return True  # "the forcible return of Tamils from northern Sri Lanka"
    if any(
        p.kind == "demonym" and p.end == i and p.country == place.country for p in doc._.rw_places
    ):
        return True  # "Iraqis from Nineveh", but "Afghans from Iran" are not going to Iran
    return before in words.people or before in ORIGIN_BEFORE


def _led_by(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], markers: frozenset[str], words: Words
) -> bool:
    """Whether a marker word governs the place, across a list ("to Gao, Timbuktu and Kidal")."""
    covered = {i for p in places for i in range(p.start, p.end)}
    i = place.start - 1
    while i >= 0 and (i in covered or doc[i].lower_ in words.list_skip):
        if doc[i].lower_ in markers:
            return True
        i -= 1
    return i >= 0 and doc[i].lower_ in markers


def _addressee(doc: Doc, sent: Span, place: PlaceMention, words: Words) -> bool:
    """ "urged Malaysia to stop", "Denmark must not send": the State asked, not the destination."""
    previous = {t.lower_ for t in doc[max(sent.start, place.start - 2) : place.start]}
    if place.start > sent.start and doc[place.start - 1].lower_ in FLED_WORDS:
        return False  # "People fleeing Myanmar should not be returned": the origin
    following = doc[place.end].lower_ if place.end < sent.end else ""
    if place.city and following in words.modals:
        return True  # "Bangkok should let UNHCR reach them": the capital for its government
    if place.kind in ("demonym", "area") and not previous & words.addressee_before:
        return False  # "Afghans should not be deported": the people, not a State asked
    return bool(previous & words.addressee_before) or following in words.modals | {"to"}


def _narrow(
    doc: Doc, targets: list[PlaceMention], words: Words, fallback: bool = False
) -> list[PlaceMention]:
    """One target per place: areas replace their country; "in eastern DRC" is context."""
    targets = [_as_country(doc, p, targets, words, fallback) for p in targets]
    # "to Sudan, where fighting has spread to Darfur": the relative clause is background.
    targets = [p for p in targets if p.kind != "area" or not _in_relative_clause(doc, p, targets)]
    targets = [p for p in targets if not _listed_with_its_country(doc, p, targets)]
    area_countries = {p.country for p in targets if p.kind == "area"}
    kept: list[PlaceMention] = []
    for place in targets:
        if place.kind != "area" and place.country in area_countries:
            continue
        if place.kind == "area" and (
            _vague_beside_coded(doc, place, targets)
            or _locates_another(doc, place, targets)
            or (
                not place.area_code
                and any(k.country == place.country for k in kept)
                and _led_by(doc, place, [], words.source, words)
            )
        ):
            continue
        if not any(_same_place(place, k) for k in kept):
            kept.append(place)
    return kept


def _listed_with_its_country(doc: Doc, place: PlaceMention, targets: list[PlaceMention]) -> bool:
    """ "to Serbia, North Macedonia, Kosovo, Montenegro": a unit listed beside its own
    country among other countries is said of the country as a whole."""
    if place.kind != "area" or place.city:
        return False
    listed = sorted(targets, key=lambda p: p.start)
    for other in listed:
        if other.kind == "area" or other.country != place.country:
            continue
        low, high = sorted((other, place), key=lambda p: p.start)
        inside = [p for p in listed if low.end <= p.start and p.end <= high.start]
        covered = {i for p in inside for i in range(p.start, p.end)}
        gap = [t.lower_ for t in doc[low.end : high.start] if t.i not in covered]
        if inside and set(gap) <= {",", "and", "or"}:
            return True
    return False


def _locates_another(doc: Doc, place: PlaceMention, targets: list[PlaceMention]) -> bool:
    """ "the Vanni region of northern Sri Lanka": the larger part only says where the
    named one lies."""
    i = place.start - 1
    if i > 0 and doc[i].lower_ == "the":
        i -= 1
    if i < 1 or doc[i].lower_ != "of":
        return False
    ends = {i, i - 1} if doc[i - 1].lower_ in TYPE_WORDS else {i}
    return any(
        t.kind == "area" and t.country == place.country and t.end in ends and t is not place
        for t in targets
    )


def _vague_beside_coded(doc: Doc, place: PlaceMention, targets: list[PlaceMention]) -> bool:
    """ "eastern DRC, in particular North Kivu and Ituri": the units singled out say it
    better; "northern Mali, including the regions of Gao ..." keeps both, as does a named
    region ("Khartoum and the Darfur states")."""
    words = place.text.split()
    if place.area_code is not None or not words or words[0].lower() not in DIRECTIONS:
        return False
    if _container_of_units(doc, place, targets):
        return True
    return any(
        p.kind == "area"
        and p.area_code
        and p.country == place.country
        and p.start >= place.end
        and any(t.lower_ in NARROWING for t in doc[place.end : p.start])
        for p in targets
    )


def _container_of_units(doc: Doc, place: PlaceMention, targets: list[PlaceMention]) -> bool:
    """ "the Timbuktu, Gao and Kidal regions of northern Mali": the direction area only
    says where the units lie."""
    units = [
        p
        for p in targets
        if p.kind == "area" and p.area_code and p.country == place.country and p.end <= place.start
    ]
    if not units:
        return False
    between = [t.lower_ for t in doc[max(p.end for p in units) : place.start]]
    return between[-1:] == ["of"] and all(w in TYPE_WORDS | {"of", "the"} for w in between)


def _as_country(
    doc: Doc, place: PlaceMention, targets: list[PlaceMention], words: Words, fallback: bool
) -> PlaceMention:
    """ "deportation flights to Kabul": a capital as the arrival point stands for the country,
    as does one named in an earlier sentence as where people were sent; "removals to
    Mogadishu may again be enforced" is about the city, unless other parts of the country
    are listed with it."""
    if not place.city or not _led_by(doc, place, targets, words.dest, words):
        return place
    if not fallback and not any(
        t.lower_ in ARRIVAL_WORDS for t in doc[max(0, place.start - 7) : place.start]
    ):
        return place
    if place.end < len(doc) and doc[place.end].lower_ in TYPE_WORDS:
        return place  # "to the Damascus governorate": the unit, not the capital
    if any(p.kind == "area" and not p.city and p.country == place.country for p in targets):
        return place
    return PlaceMention(place.start, place.end, place.text, place.country, "country")


ARRIVAL_WORDS = frozenset(
    {"flight", "flights", "flown", "fly", "flew", "plane", "planes", "charter", "charters"}
    | {"airport", "landed", "airlift", "airlifted"}
)


def _in_relative_clause(doc: Doc, place: PlaceMention, kept: list[PlaceMention]) -> bool:
    """ "to the Central African Republic, where ... Bangui": the area is background."""
    return any(
        other.country == place.country
        and other.kind != "area"
        and other.end <= place.start
        and any(t.lower_ in {"where", "which", "whom"} for t in doc[other.end : place.start])
        for other in kept
    )


def _same_place(a: PlaceMention, b: PlaceMention) -> bool:
    if a.country != b.country:
        return False
    if a.kind != "area" and b.kind != "area":
        return True
    return a.kind == b.kind == "area" and (
        (a.area_code is not None and a.area_code == b.area_code)
        or (a.area_name or "").lower() == (b.area_name or "").lower()
    )
