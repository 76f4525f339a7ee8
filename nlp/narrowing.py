"""One target per place: areas replace their country, units replace the vague area that
contains them, and a capital stands for its country only as an arrival point."""

from __future__ import annotations

from itertools import pairwise

from spacy.tokens import Doc, Span

from nlp.annotations import PlaceMention
from nlp.place_roles import origin
from nlp.place_words import NARROWING, Words, led_by
from nlp.places import DIRECTIONS, TYPE_WORDS


def narrow(
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
            or _locates_a_town(doc, place, targets)
            or (
                not place.area_code
                and any(k.country == place.country for k in kept)
                and led_by(doc, place, [], words.source, words)
                and not origin(doc, place, words)  # "from northern Mali or from central Mali"
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


TOWN_NOUNS = frozenset({"city", "town", "village", "port", "capital"})


def _locates_a_town(doc: Doc, place: PlaceMention, targets: list[PlaceMention]) -> bool:
    """ "Nuevo Laredo, a border city in Tamaulipas state": the state says where the town is."""
    before = doc[max(0, place.start - 6) : place.start]
    words = [t.lower_ for t in before]
    if words[-1:] != ["in"] or "," not in words or not TOWN_NOUNS & set(words):
        return False
    comma = before.start + len(words) - 1 - words[::-1].index(",")
    return any(t.kind == "area" and t.country == place.country and t.end == comma for t in targets)


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
    if not place.city or not led_by(doc, place, targets, words.dest, words):
        return place
    # "to Damascus via Istanbul": a route's end point.
    via = place.end < len(doc) and doc[place.end].lower_ == "via"
    # "flying 28 offenders from Leipzig to Kabul": the other end of a route.
    via = via or any(
        t.lower_ == "from" for t in doc[max(0, place.start - ROUTE_REACH) : place.start]
    )
    if not (fallback or via) and not any(
        t.lower_ in ARRIVAL_WORDS for t in doc[max(0, place.start - 7) : place.start]
    ):
        return place
    if place.end < len(doc) and doc[place.end].lower_ in TYPE_WORDS:
        return place  # "to the Damascus governorate": the unit, not the capital
    if any(p.kind == "area" and not p.city and p.country == place.country for p in targets):
        return place
    return PlaceMention(place.start, place.end, place.text, place.country, "country")


ROUTE_REACH = 4
ARRIVAL_WORDS = frozenset(
    {"flight", "flights", "flown", "fly", "flew", "flying", "plane", "planes", "charter"}
    | {"charters", "airport", "landed", "airlift", "airlifted"}
    # "extradited a member of the party to Dushanbe": one State hands a person to another.
    | {"extradite", "extradited", "extraditing", "extradition", "extraditions"}
)


def _in_relative_clause(doc: Doc, place: PlaceMention, kept: list[PlaceMention]) -> bool:
    """ "to the Central African Republic, where ... Bangui": the area is background, unless
    the clause has closed ("the central governorates, where ..., and the northern ones")."""
    return any(
        other.country == place.country
        and other.kind != "area"
        and other.end <= place.start
        and doc[other.start].sent == doc[place.start].sent
        and _relative_open(doc[other.end : place.start])
        for other in kept
    )


# "lifted the halt on returns to Ethiopia ..., when forces were advancing towards Addis Ababa".
RELATIVE_WORDS = frozenset({"where", "which", "whom", "when"})


def _relative_open(span: Span) -> bool:
    words = [t.lower_ for t in span]
    opened = max((i for i, w in enumerate(words) if w in RELATIVE_WORDS), default=-1)
    if opened < 0:
        return False
    rest = words[opened:]
    return not any(a == "," and b in {"and", "or"} for a, b in pairwise(rest))


def _same_place(a: PlaceMention, b: PlaceMention) -> bool:
    if a.country != b.country:
        return False
    if a.kind != "area" and b.kind != "area":
        return True
    return a.kind == b.kind == "area" and (
        (a.area_code is not None and a.area_code == b.area_code)
        or (a.area_name or "").lower() == (b.area_name or "").lower()
    )
