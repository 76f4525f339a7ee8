"""The place gazetteer: countries, demonyms and areas, each resolved to an ISO3 country."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.annotations import PlaceMention, register_extensions
from nlp.component import DataComponent
from nlp.errors import NlpDataError, NlpError
from nlp.resources import data_path, read_jsonl

# "northern Mali", "eastern Democratic Republic of the Congo": part of a country.
# "the north of Sri Lanka", "the south-east of Türkiye".
COMPASS_NOUNS = frozenset(
    {"north", "south", "east", "west", "north-east", "north-west", "south-east", "south-west"}
    | {"northeast", "northwest", "southeast", "southwest", "centre", "center"}
)
DIRECTIONS = frozenset(
    {
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "north",
        "south",
        "east",
        "west",
        "north-eastern",
        "north-western",
        "south-eastern",
        "south-western",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "north-east",
        "north-west",
        "south-east",
        "south-west",
    }
)


# Words after a name that say it is an administrative unit ("Hajjah Governorate").
TYPE_WORDS = frozenset(
    {"province", "provinces", "state", "states", "region", "regions", "governorate"}
    | {"governorates", "department", "departments", "district", "county", "oblast", "prefecture"}
)


@dataclass(frozen=True)
class AreaEntry:
    name: str
    country: str
    code: str | None
    alternatives: tuple[tuple[str, str | None], ...] = ()
    city: bool = False


@dataclass
class Gazetteer:
    """Alias -> place, built from countries.jsonl and areas.jsonl."""

    countries: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    areas: dict[str, AreaEntry] = field(default_factory=dict)
    subdivisions: dict[str, list[AreaEntry]] = field(default_factory=dict)
    typed: dict[str, list[AreaEntry]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def add_country(self, record: dict[str, Any]) -> None:
        iso3 = str(record["iso3"])
        self.names[iso3] = str(record["name"])
        for alias in [*record.get("names", []), *record.get("abbreviations", [])]:
            self.countries.setdefault(alias, []).append((iso3, "country"))
        for alias in record.get("demonyms", []):
            self.countries.setdefault(alias, []).append((iso3, "demonym"))

    def add_area(self, record: dict[str, Any]) -> None:
        entry = AreaEntry(
            name=str(record["name"]),
            country=str(record["country"]),
            code=record.get("code"),
            alternatives=tuple(
                (a["country"], a.get("code")) for a in record.get("alternatives", [])
            ),
            city=bool(record.get("capital", False)),
        )
        for alias in record.get("aliases", []):
            self.areas[alias] = entry
            if alias[:1].islower():
                self.areas[alias[:1].upper() + alias[1:]] = entry

    def add_city(self, record: dict[str, Any]) -> None:
        """A town from cities.jsonl: an area without an ISO code. Only a national capital
        counts as city in the tagger's sense (an arrival point standing for the country)."""
        entry = AreaEntry(
            name=str(record["name"]),
            country=str(record["country"]),
            code=record.get("code"),
            city=bool(record.get("capital", False)),
        )
        for alias in record.get("aliases", []):
            self.areas.setdefault(alias, entry)

    def add_subdivision(self, record: dict[str, Any]) -> None:
        """An ISO unit from subdivisions.jsonl: used only where the text backs it up."""
        entry = AreaEntry(
            name=str(record["name"]),
            country=str(record["country"]),
            code=str(record["code"]),
            city=bool(record.get("city", False)),
        )
        for alias in record.get("aliases", []):
            if alias not in self.areas:
                self.subdivisions.setdefault(alias, []).append(entry)
        for alias in record.get("typed_aliases", []):
            if alias not in self.areas:
                self.typed.setdefault(alias, []).append(entry)


def load_gazetteer(data_dir: str = "") -> Gazetteer:
    gazetteer = Gazetteer()
    for record in read_jsonl(data_path("countries.jsonl", data_dir)):
        gazetteer.add_country(record)
    for record in read_jsonl(data_path("areas.jsonl", data_dir)):
        gazetteer.add_area(record)
    cities = data_path("cities.jsonl", data_dir)
    if cities.exists():
        for record in read_jsonl(cities):
            gazetteer.add_city(record)
    subdivisions = data_path("subdivisions.jsonl", data_dir)
    if subdivisions.exists():
        for record in read_jsonl(subdivisions):
            gazetteer.add_subdivision(record)
    if not gazetteer.countries:
        raise NlpDataError("countries.jsonl holds no countries")
    return gazetteer


class PlaceRecognizer(DataComponent):
    """Marks places; results go to doc._.rw_places and doc.spans["rw_places"]."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        super().__init__(name, data_dir)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.gazetteer: Gazetteer | None = None

    def load(self, nlp: Language) -> None:
        self.gazetteer = load_gazetteer(self.data_dir)
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for alias in self.gazetteer.countries:
            self.matcher.add("C:" + alias, [nlp.make_doc(alias)])
        for alias in self.gazetteer.areas:
            self.matcher.add("A:" + alias, [nlp.make_doc(alias)])
        for alias in self.gazetteer.subdivisions:
            self.matcher.add("S:" + alias, [nlp.make_doc(alias)])
        for alias in self.gazetteer.typed:
            self.matcher.add("T:" + alias, [nlp.make_doc(alias)])
        for alias in [a for a in self.gazetteer.countries if len(a) >= 4 and " " not in a]:
            if alias.upper() != alias and alias.upper() not in self.gazetteer.countries:
                self.matcher.add("C:" + alias, [nlp.make_doc(alias.upper())])  # "SUDAN"

    def __call__(self, doc: Doc) -> Doc:
        if self.gazetteer is None:
            raise NlpError(f"component {self.name!r} used before initialize")
        spans = [
            Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)
        ]
        spans = [self._with_direction(doc, span) for span in spans]
        spans = [s for s in spans if not s.label_.startswith("T:") or typed(doc, s, spans)]
        spans += self._elided(doc, spans)
        chosen = sorted(filter_spans(spans), key=lambda s: s.start)
        mentions = [self._mention(span) for span in chosen if span.label_[:2] not in UNITS]
        mentions = drop_ethnic_qualifiers(resolve_ambiguous(mentions, self.gazetteer))
        subdivisions = [s for s in chosen if s.label_[:2] in UNITS]
        if subdivisions:
            named = {m.country for m in mentions}
            found = (self._subdivision(doc, span, named, spans) for span in subdivisions)
            mentions = sorted([*mentions, *(m for m in found if m)], key=lambda m: m.start)
        doc._.rw_places = mentions
        doc.spans["rw_places"] = [Span(doc, m.start, m.end, label=m.country) for m in mentions]
        return doc

    def _with_direction(self, doc: Doc, span: Span) -> Span:
        """Extend "Mali" to "northern Mali" so that it becomes an area of Mali, and "Rakhine"
        to "northern Rakhine" (a part of the unit, under the unit's code)."""
        if (
            span.start >= 3
            and span.label_.startswith("C:")
            and doc[span.start - 1].lower_ == "of"
            and doc[span.start - 2].lower_ in COMPASS_NOUNS
            and doc[span.start - 3].lower_ == "the"
            and self._is_country_name(span.label_[2:])
        ):
            # "Tamils from the north of Sri Lanka": an area, named like "northern Sri Lanka"
            return Span(doc, span.start - 2, span.end, label="D:" + span.label_[2:])
        if span.start == 0 or doc[span.start - 1].lower_ not in DIRECTIONS:
            return span
        start = span.start - 1
        if start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ in DIRECTIONS:
            start -= 2  # "north-eastern Syria": the tokenizer splits at the hyphen
        if start >= 2 and doc[start - 1].lower_ == "and" and doc[start - 2].lower_ in DIRECTIONS:
            start -= 2  # "southern and central Iraq"
        if span.label_.startswith("C:") and self._is_country_name(span.label_[2:]):
            return Span(doc, start, span.end, label="D:" + span.label_[2:])
        if span.label_.startswith("A:") and doc[start].is_lower:
            return Span(doc, start, span.end, label=span.label_)
        return span

    def _is_country_name(self, alias: str) -> bool:
        """ "northern Mali" is an area; "the north-eastern Nigerian states" only describes."""
        assert self.gazetteer is not None
        return any(kind == "country" for _, kind in self.gazetteer.countries.get(alias, []))

    def _elided(self, doc: Doc, spans: list[Span]) -> list[Span]:
        """ "North and South Kivu": the first unit shares the second's name."""
        assert self.gazetteer is not None
        found = []
        for span in spans:
            if len(span) < 2 or span.start < 2 or doc[span.start - 1].lower_ not in ("and", "or"):
                continue
            head = doc[span.start - 2]
            alias = f"{head.text} {doc[span.start + 1 : span.end].text}"
            if head.text[:1].isupper() and alias != span.text:
                if alias in self.gazetteer.areas:
                    found.append(Span(doc, head.i, head.i + 1, label="E:A:" + alias))
                elif alias in self.gazetteer.subdivisions:
                    found.append(Span(doc, head.i, head.i + 1, label="E:S:" + alias))
        return found

    def _entries(self, label: str) -> list[AreaEntry]:
        assert self.gazetteer is not None
        kind, alias = label[:2], label[2:]
        if kind == "T:":
            return self.gazetteer.typed[alias]
        if alias.startswith("A:"):
            return [self.gazetteer.areas[alias[2:]]]
        return self.gazetteer.subdivisions[alias[2:] if kind == "E:" else alias]

    def _subdivision(
        self, doc: Doc, span: Span, named: set[str], spans: list[Span]
    ) -> PlaceMention | None:
        """An ISO unit counts when its country is named in the text, or when it is
        unambiguous and followed by a unit word ("Hajjah Governorate")."""
        entries = self._entries(span.label_)
        entry = next((e for e in entries if e.country in named), None)
        is_typed = typed(doc, span, spans)
        if (
            entry is None
            and (is_typed or span.label_.startswith("E:"))
            and len({e.country for e in entries}) == 1
            # "the Western Balkan states" name a region, not Turkmenistan's Balkan
            and not (span.start > 0 and doc[span.start - 1].lower_ in DIRECTIONS)
        ):
            entry = entries[0]
        if entry is None:
            return None
        name = span.label_[4:] if span.label_.startswith("E:") else span.text
        return PlaceMention(
            span.start, span.end, span.text, entry.country, "area", name, entry.code, entry.city
        )

    def _without_country(self, name: str) -> str:
        """ "Kurdistan Region of Iraq" -> "Kurdistan Region": the country is said apart."""
        assert self.gazetteer is not None
        head, sep, tail = name.rpartition(" of ")
        if (
            sep
            and head
            and (tail in self.gazetteer.countries or tail[4:] in self.gazetteer.countries)
        ):
            return head
        return name

    def _mention(self, span: Span) -> PlaceMention:
        assert self.gazetteer is not None
        kind, alias = span.label_.split(":", 1)
        text = span.text
        if kind == "A":
            area = self.gazetteer.areas[alias]
            name = text[4:] if text.lower().startswith("the ") else text
            name = self._without_country(name)
            return PlaceMention(
                span.start, span.end, text, area.country, "area", name, area.code, area.city
            )
        iso3, place_kind = self.gazetteer.countries[alias][0]
        if kind == "D":
            return PlaceMention(span.start, span.end, text, iso3, "area", text, None)
        return PlaceMention(
            span.start, span.end, text, iso3, "demonym" if place_kind == "demonym" else "country"
        )


# Span labels of units that need the text to back them: ISO subdivisions, names taken only
# before a unit word, and the first of "North and South Kivu".
UNITS = frozenset({"S:", "T:", "E:"})
LIST_WORDS = frozenset({",", "and", "or", "&"})


def typed(doc: Doc, span: Span, spans: list[Span]) -> bool:
    """Whether a unit word follows the name, maybe after a list of other places
    ("the Sahel and Est regions", "Nineveh and Anbar governorates"), or leads the list
    ("the governorates of Erbil, Dohuk and Sulaymaniyah")."""
    ends = {s.start: s.end for s in spans}
    i = span.end
    if (
        i + 2 < len(doc)
        and doc[i].text == ","
        and doc[i + 1].lower_ in {"a", "the"}
        and doc[i + 2].lower_ in TYPE_WORDS
    ):
        return True  # "Tamaulipas, a state to which ...": the unit word in apposition
    while i < len(doc) and doc[i].lower_ in LIST_WORDS:
        i += 1
        if i in ends:
            i = ends[i]
        elif i < len(doc) and doc[i].lower_ not in LIST_WORDS:
            break  # "the province of Babylon and in the city of Kirkuk": no unit word after
    return (i < len(doc) and doc[i].lower_ in TYPE_WORDS) or _unit_before(doc, span, spans)


def _unit_before(doc: Doc, span: Span, spans: list[Span]) -> bool:
    starts = {s.end: s.start for s in spans}
    i = span.start - 1
    while i > 0 and (doc[i].lower_ in LIST_WORDS or i + 1 in starts):
        i = starts[i + 1] - 1 if i + 1 in starts else i - 1
    return i > 0 and doc[i].lower_ == "of" and doc[i - 1].lower_ in TYPE_WORDS


def drop_ethnic_qualifiers(mentions: list[PlaceMention]) -> list[PlaceMention]:
    """ "Kosovo Albanians", "Afghan Tajiks": a demonym right after a place names an ethnic
    group of that place, not nationals of another country."""
    kept: list[PlaceMention] = []
    for mention in mentions:
        if mention.kind == "demonym" and kept and kept[-1].end == mention.start:
            continue
        kept.append(mention)
    return kept


def resolve_ambiguous(mentions: list[PlaceMention], gazetteer: Gazetteer) -> list[PlaceMention]:
    """An ambiguous area ("Gaza") takes its alternative reading when only that country is named."""
    # "Gaza province in southern Mozambique": a direction area names its country too.
    named = {
        m.country
        for m in mentions
        if m.kind != "area" or (m.area_code is None and m.text.split()[0].lower() in DIRECTIONS)
    }
    resolved = []
    for mention in mentions:
        entry = gazetteer.areas.get(mention.text) or gazetteer.areas.get(mention.area_name or "")
        if mention.kind == "area" and entry and entry.alternatives and entry.country not in named:
            for country, code in entry.alternatives:
                if country in named:
                    mention = PlaceMention(
                        mention.start,
                        mention.end,
                        mention.text,
                        country,
                        "area",
                        mention.area_name,
                        code,
                    )
                    break
        resolved.append(mention)
    return resolved


@Language.factory("rw_places", default_config={"data_dir": ""})
def make_place_recognizer(nlp: Language, name: str, data_dir: str) -> PlaceRecognizer:
    register_extensions()
    return PlaceRecognizer(nlp, name, data_dir)
