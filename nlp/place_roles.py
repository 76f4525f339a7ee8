"""Places that are not where anyone would be returned: hosts, routes, courts, governments
asked or speaking, neighbours, alternatives, where a programme runs or a call was made."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.annotations import PlaceMention
from nlp.place_words import AGGRESSION, FLED_WORDS, POSSESSIVE, Words, before_list, led_by


def actor(doc: Doc, place: PlaceMention, words: Words) -> bool:
    """ "..., and Denmark should not send anyone back": the State that would act, named right
    before a stance cue, unless a destination marker or a plain list leads to it."""
    if place.kind != "country":
        return False  # "Afghans should not be deported": people, not a State
    if not any(
        c.label in ("against", "lift")
        and place.end <= c.start <= place.end + 1
        and c.pattern_id not in JUDGING_CUES
        for c in doc._.rw_cues
    ):
        return False
    if place.end < len(doc) and doc[place.end].lower_ in JUDGED_NEXT:
        return False  # "Sudan no longer meets the requirements": the country judged
    before = doc[place.start - 1].lower_ if place.start > 0 else ""
    if before in words.dest | words.source | {"from", "of", "for", "fleeing", "fled", "escaping"}:
        return False  # "persons from Uganda should not be returned", "conditions in X do not"
    if before == "leaving":
        return False
    if before in {"and", "or"}:
        return place.start > 1 and doc[place.start - 2].lower_ == ","
    return True


# "Nepal can now adequately handle the return of its nationals", "Libya cannot be
# considered a safe place to which people ... are returned": the country judged.
JUDGING_CUES = frozenset({"can_now_handle_returns", "not_safe_place_to_return", "not_a_safe_port"})
JUDGING_COPULAS = frozenset({"is", "was", "remains", "remained"})

# "Burma designated for Temporary Protected Status": the country a measure is about.
JUDGED_NEXT = frozenset(
    {"no", "is", "are", "remains", "remain", "was", "were", "designated", "redesignated"}
)


def judged_by_cue(doc: Doc, place: PlaceMention) -> bool:
    """ "Libya is not a safe port", "that Syria was not fit for the ... return of refugees":
    the country a call's judgement is about, right after a copula."""
    copula = place.end < len(doc) and doc[place.end].lower_ in JUDGING_COPULAS
    return any(
        (c.pattern_id in JUDGING_CUES and place.end <= c.start <= place.end + 1)
        or (copula and c.label in {"against", "lift"} and c.start - place.end in {1, 2})
        for c in doc._.rw_cues
    )


def possessor(doc: Doc, owner: PlaceMention, place: PlaceMention) -> bool:
    """ "Iraq's Nineveh governorate": the area belongs to the country named just before."""
    return (
        owner.country == place.country
        and owner.end == place.start - 1
        and doc[owner.end].lower_ in POSSESSIVE
    )


def excluded(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    """Not a destination: "from Iran and Pakistan", "the German government".

    "refugees from Sierra Leone" names where people come from, which is where they
    would return to: a people noun before "from" keeps the place.
    """
    if place.end < len(doc) and place.kind != "area" and doc[place.end].lower_ in words.gov_nouns:
        return True
    if _possessive_government(doc, place, words):
        return True  # "Mizoram's government has ruled out deporting ...": who decides
    if names_an_institution(doc, place) or host_reached(doc, place, places, words):
        return True
    if _bound_state(doc, place) or _where_programme_runs(doc, place, places, words):
        return True
    if (
        place.start > 1
        and doc[place.start - 1].lower_ == "in"
        and doc[place.start - 2].lower_ in SPOKEN
    ):
        return True  # "Lubbers announced in Dili": where it was said
    if _seat_of_government(doc, place, places, words) or _alternative(doc, place):
        return True
    if _relocation_site(doc, place, places, words):
        return True
    if led_by(doc, place, places, frozenset({"with"}), words) and _after_border(doc, place, places):
        return True  # "desert areas along its borders with Libya and Algeria": neighbours
    if (
        place.kind == "demonym"
        and place.end < len(doc)
        and doc[place.end].lower_ in AGGRESSION
        and not (place.end + 1 < len(doc) and doc[place.end + 1].lower_ in words.people)
    ):
        return True  # "the Russian invasion": the attacker; "Bosnian war refugees" are people
    if _relative_subject(doc, place):
        return True
    if held_group(doc, place) or _possessive_plan(doc, place):
        return True
    if place.kind == "demonym" and place.start > 0 and doc[place.start - 1].lower_ == "ethnic":
        return True  # "an ethnic Kazakh with Chinese citizenship": descent, not nationality
    if [t.lower_ for t in doc[place.end : place.end + 2]] == ["-", "born"]:
        return True  # "their two Australian-born daughters": a birthplace, not a destination
    at = (
        place.start - 1
        if place.start > 0 and doc[place.start - 1].lower_ != "the"
        else place.start - 2
    )
    if at > 0 and doc[at].lower_ in {"in", "at"} and doc[at - 1].lower_ in STAYING | HOLDING_PLACES:
        return True  # "158 people held in Nong Khai", "the Huay Nam Khao camp in Phetchabun
    if _name_qualifier(doc, place):
        return True  # "Action Network for Migrants (Thailand)": part of a name
    if place.end < len(doc) and doc[place.end].lower_ in LAW_NOUNS:
        return True  # "safe countries of origin under German law": whose law, not a place
    if not led_by(doc, place, places, frozenset({"from"}), words):
        return False
    return _route_start(doc, place, places, words) or not origin(doc, place, words)


def _name_qualifier(doc: Doc, place: PlaceMention) -> bool:
    return (
        place.kind == "country"
        and place.start > 1
        and place.end < len(doc)
        and doc[place.start - 1].text == "("
        and doc[place.end].text == ")"
        and doc[place.start - 2].text[:1].isupper()
    )


STAYING = frozenset(
    {"held", "detained", "living", "staying", "sheltering", "stranded", "hosted", "residing"}
    | {"stay", "remain", "present", "live", "reside", "settled", "resident"}
)
HOLDING_PLACES = frozenset({"camp", "camps", "centre", "center", "prison", "settlement"})
LAW_NOUNS = frozenset({"law", "laws", "legislation", "statute", "jurisdiction"})

PLAN_NOUNS = frozenset(
    {"move", "moves", "plan", "plans", "decision", "attempt", "attempts", "effort", "efforts"}
    | {"bid", "policy", "campaign", "drive", "intention"}
)


def _possessive_plan(doc: Doc, place: PlaceMention) -> bool:
    """ "India's current moves to deport Rohingya": the State whose plan it is."""
    if place.kind != "country" or place.end >= len(doc) or doc[place.end].lower_ not in POSSESSIVE:
        return False
    after = [t.lower_ for t in doc[place.end + 1 : min(len(doc), place.end + 5)]]
    if any(w in STATE_ACT_NOUNS for w in after):
        # "Ethiopia's summary expulsion of hundreds of Eritreans", "in breach of Germany's
        # non-refoulement obligations": the State that acts or is bound
        return True
    return any(w in PLAN_NOUNS and after[i + 1 : i + 2] == ["to"] for i, w in enumerate(after[:3]))


STATE_ACT_NOUNS = frozenset(
    {"expulsion", "expulsions", "deportation", "deportations", "removal", "removals"}
    | {"pushback", "pushbacks", "obligations", "obligation", "crackdown"}
)


def held_group(doc: Doc, place: PlaceMention) -> bool:
    """ "resettle the Nong Khai group": where people are held names them, not a destination."""
    return (
        place.kind == "area"
        and place.end < len(doc)
        and doc[place.end].lower_ in HELD_GROUP_NOUNS
        and place.start > 0
        and doc[place.start - 1].lower_ == "the"
    )


HELD_GROUP_NOUNS = frozenset({"group", "detainees", "camp", "camps", "caseload"})
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
        and doc[place.end].lower_ in POSSESSIVE
        and doc[place.end + 1].lower_ in words.gov_nouns
    )


def names_an_institution(doc: Doc, place: PlaceMention) -> bool:
    i = place.end
    if i < len(doc) and doc[i].lower_ in POSSESSIVE:
        i += 1  # "Switzerland's Federal Administrative Court"
    while (
        i < min(len(doc), place.end + 3)
        and doc[i].is_title
        and doc[i].lower_ not in INSTITUTION_HEADS
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
    i = before_list(doc, place, places, words.list_skip)
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
        and doc[place.end].lower_ in POSSESSIVE
        and doc[place.end + 1].lower_ in OBLIGATION_NOUNS
    )


# "came to Canada at the age of four", "who fled to Bangladesh", "required to leave the
# Netherlands": where people went or must leave, not where they would be sent.
ARRIVED = frozenset(
    {"came", "come", "moved", "arrived", "arriving", "fled", "fleeing", "escaped", "emigrated"}
    | {"relocated", "resettled", "settled", "crossed", "travelled", "traveled", "went", "born"}
    | {"sought", "seeking", "sheltering", "sheltered", "stranded"}
)
HOST_LIST = frozenset({",", "and", "or", "the"})
LEFT = frozenset({"fled", "fleeing", "escaped", "born", "emigrated"})


def host_reached(doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words) -> bool:
    i = before_list(doc, place, places, HOST_LIST)  # "crossed into Mizoram and Manipur"
    if i >= 0 and doc[i].lower_ == "leave":
        return True
    # "fleeing violence in Cabo Delgado", "born in Tigray": an area left is the one of origin.
    reached = ARRIVED - LEFT if place.kind == "area" else ARRIVED
    return (
        i > 0
        and doc[i].lower_ in {"to", "into", "in"}
        and (
            doc[i - 1].lower_ in reached
            # "arrived back in"; but "Australian-born daughters to Sri Lanka" is a compound
            or (i > 2 and doc[i - 2].lower_ in reached and doc[i - 3].text != "-")
        )
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
    if doc[i].lower_ not in {"that", "which"} or judged_by_cue(doc, place):
        return False  # "stressed that Libya is not a safe port": the country judged
    if doc[place.end].lower_ in POSSESSIVE:
        # "which Germany's federal and state interior ministers had renewed"
        return any(t.lower_ in RELATIVE_VERBS for t in doc[place.end : place.end + 8])
    verb = doc[place.end].lower_
    return verb in RELATIVE_VERBS or verb.endswith("ed")


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


def _seat_of_government(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    """ "the Government of Bangladesh", "the authorities in Mexico and the United States":
    who is asked to act."""
    i = before_list(doc, place, places, HOST_LIST) + 1
    if i < 2:
        return False
    link, noun = doc[i - 1].lower_, doc[i - 2].lower_
    if link == "in":
        return noun in GOVERNING
    return link == "of" and noun in words.gov_nouns and noun not in {"security", "border", "coast"}


def _after_border(doc: Doc, place: PlaceMention, places: list[PlaceMention]) -> bool:
    i = before_list(doc, place, places, frozenset({",", "and", "or"}))
    if i > 2 and [t.lower_ for t in doc[i - 3 : i - 1]] in (["to", "the"], ["towards", "the"]):
        return False  # "rounded up and taken to the border with Niger": where they are sent
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


# "assuming that such people can simply move to Baghdad or the Kurdistan Region": where
# people might relocate inside the country, not where the call is about.
RELOCATE_VERBS = frozenset(
    {"move", "moving", "moved", "relocate", "relocating", "relocated", "relocation"}
    | {"settle", "settling", "resettle", "resettling"}
)


def _relocation_site(
    doc: Doc, place: PlaceMention, places: list[PlaceMention], words: Words
) -> bool:
    i = before_list(doc, place, places, words.list_skip - {"to", "in"})
    # "Relocating to Kabul is ... neither unsafe nor unduly harsh": the judged subject
    return (
        i > 1
        and doc[i].lower_ in {"to", "in"}
        and doc[i - 1].lower_ in RELOCATE_VERBS
        and not doc[i - 1].is_sent_start
    )


GOVERNING = frozenset({"government", "authorities", "officials", "ministry", "cabinet"})


# "asylum-seekers originating from Tigray": where people come from, hence where they return.
# "anyone who comes from areas of Iraq": where one comes from is where one is from; "came
# from Iran" may be the route.
ORIGIN_BEFORE = frozenset(
    {"originating", "originate", "originates", "originally", "hailing", "comes", "come"}
    | {"ethnicity"}  # "people of Tigrayan ethnicity from Ethiopia"
)


LIST_FROM_REACH = 14


def origin(doc: Doc, place: PlaceMention, words: Words) -> bool:
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
    if (
        i > 1
        and before in words.people
        and any(
            p.kind == "demonym" and p.end == i - 1 and p.country != place.country
            for p in doc._.rw_places
        )
    ):
        return False  # "removals of Haitian nationals from the United States": the host
    if any(g.end == i for g in doc._.rw_groups or []):
        return True  # "the forcible return of Tamils from northern Sri Lanka"
    if any(
        p.kind == "demonym" and p.end == i and p.country == place.country for p in doc._.rw_places
    ):
        return True  # "Iraqis from Nineveh", but "Afghans from Iran" are not going to Iran
    return before in words.people or before in ORIGIN_BEFORE


def addressee(doc: Doc, sent: Span, place: PlaceMention, words: Words) -> bool:
    """ "urged Malaysia to stop", "Denmark must not send": the State asked, not the destination."""
    previous = {t.lower_ for t in doc[max(sent.start, place.start - 2) : place.start]}
    if place.start > sent.start and doc[place.start - 1].lower_ in FLED_WORDS:
        return False  # "People fleeing Myanmar should not be returned": the origin
    if judged_by_cue(doc, place):
        return False  # "Libya cannot be considered a safe place": the country judged
    before = doc[place.start - 1].lower_ if place.start > sent.start else ""
    if before == "from" or (
        before == "of"
        and place.start - 2 >= sent.start
        and doc[place.start - 2].lower_ not in words.gov_nouns
    ):
        return False  # "Tamils originating from the north of Sri Lanka should not be returned"
    following = doc[place.end].lower_ if place.end < sent.end else ""
    if place.city and following in words.modals:
        return True  # "Bangkok should let UNHCR reach them": the capital for its government
    if place.kind in ("demonym", "area") and not previous & words.addressee_before:
        return False  # "Afghans should not be deported": the people, not a State asked
    return bool(previous & words.addressee_before) or following in words.modals | {"to"}
