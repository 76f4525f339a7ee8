"""The place data: the generated country and subdivision files, the hand-kept area and
subdivision tables, and place resolution."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pycountry
import pytest
from spacy.language import Language

from nlp.build_gazetteer import (
    OUTPUT_FILE,
    SUBDIVISION_EXTRAS_FILE,
    SUBDIVISIONS_FILE,
    country_entries,
    read_subdivision_extras,
    subdivision_entries,
)
from nlp.pipeline import build_pipeline
from nlp.resources import DATA_DIR, read_jsonl


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _places(nlp: Language, text: str) -> list[tuple[str, str, str | None, str | None]]:
    doc = nlp(text)
    return [(p.country, p.kind, p.area_name, p.area_code) for p in doc._.rw_places]


def test_gazetteer_script_reproduces_countries_file() -> None:
    generated = [json.dumps(e, ensure_ascii=False) for e in country_entries()]
    assert OUTPUT_FILE.read_text("utf-8").splitlines() == generated
    assert len(generated) == len(pycountry.countries)


def test_gazetteer_script_reproduces_subdivisions_file() -> None:
    generated = [json.dumps(e, ensure_ascii=False) for e in subdivision_entries()]
    assert SUBDIVISIONS_FILE.read_text("utf-8").splitlines() == generated
    assert generated == [json.dumps(e, ensure_ascii=False) for e in subdivision_entries()]


def _subdivisions() -> dict[str, dict[str, Any]]:
    return {r["code"]: r for r in read_jsonl(SUBDIVISIONS_FILE)}


def _country_names() -> dict[str, str]:
    """Every country name, abbreviation and demonym, with its ISO3."""
    return {
        alias: record["iso3"]
        for record in read_jsonl(DATA_DIR / "countries.jsonl")
        for alias in [*record["names"], *record["abbreviations"], *record["demonyms"]]
    }


def test_gazetteer_subdivision_extras_are_merged() -> None:
    """Every hand-kept name reaches subdivisions.jsonl, unless a country or area takes it."""
    subdivisions = _subdivisions()
    taken = set(_country_names())
    for area in read_jsonl(DATA_DIR / "areas.jsonl"):
        taken.update(area.get("aliases", []))
    for code, extra in read_subdivision_extras().items():
        assert set(extra) <= {"code", "aliases", "typed_aliases", "city"}, extra
        unit = subdivisions[code]
        if "city" in extra:
            assert unit["city"] is extra["city"], code
        names = [*unit["aliases"], *unit.get("typed_aliases", [])]
        for alias in [*extra.get("aliases", []), *extra.get("typed_aliases", [])]:
            assert alias in names or alias in taken, (code, alias)
        for alias in extra.get("typed_aliases", []):
            assert alias not in unit["aliases"], (code, alias)


def test_gazetteer_no_name_is_both_plain_and_typed() -> None:
    """A name typed for one unit ("North-West") would otherwise compete with the same name
    taken alone for another unit (South Africa's "North-West")."""
    subdivisions = _subdivisions().values()
    plain = {a for r in subdivisions for a in r["aliases"]}
    typed = {a for r in subdivisions for a in r.get("typed_aliases", [])}
    assert plain & typed == set()


def test_gazetteer_subdivision_extras_name_no_country() -> None:
    """A unit named like a country, or containing its own country's name ("Mount Lebanon"),
    would hide the country where the text does not name it again."""
    countries = _country_names()
    own_names = {
        iso3: {a for a, c in countries.items() if c == iso3} for iso3 in countries.values()
    }
    for code, extra in read_subdivision_extras().items():
        iso3 = pycountry.countries.get(alpha_2=code.split("-")[0]).alpha_3
        for alias in [*extra.get("aliases", []), *extra.get("typed_aliases", [])]:
            assert alias not in countries, (code, alias)
            words = set(alias.replace("-", " ").split())
            assert not any(set(n.split()) <= words for n in own_names[iso3]), (code, alias)


def test_gazetteer_subdivision_extras_file_lists_each_code_once() -> None:
    codes = [r["code"] for r in read_jsonl(SUBDIVISION_EXTRAS_FILE)]
    assert len(codes) == len(set(codes))
    assert codes == sorted(codes)


def test_gazetteer_area_codes_exist_in_iso_3166_2() -> None:
    for area in read_jsonl(DATA_DIR / "areas.jsonl"):
        assert pycountry.countries.get(alpha_3=area["country"]) is not None, area
        codes = [
            area["code"],
            *area.get("subdivisions", []),
            *(a["code"] for a in area.get("alternatives", [])),
        ]
        for code in filter(None, codes):
            assert pycountry.subdivisions.get(code=code) is not None, (  # type: ignore[no-untyped-call]
                area["name"],
                code,
            )


def test_gazetteer_every_data_file_is_valid_jsonl() -> None:
    for path in Path(DATA_DIR).glob("*.jsonl"):
        assert read_jsonl(path), path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sudanese nationals", ("SDN", "demonym", None, None)),
        ("the DRC", ("COD", "country", None, None)),
        ("in Côte d'Ivoire", ("CIV", "country", None, None)),
        ("returns to North Kivu", ("COD", "area", "North Kivu", "CD-NK")),
        ("returns to Kosovo", ("SRB", "area", "Kosovo", None)),
        ("to northern Mali", ("MLI", "area", "northern Mali", None)),
        ("to South Sudan", ("SSD", "country", None, None)),
        ("Afghans", ("AFG", "demonym", None, None)),
    ],
)
def test_gazetteer_resolves_place(
    nlp: Language, text: str, expected: tuple[str, str, str | None, str | None]
) -> None:
    assert _places(nlp, text) == [expected]


def test_gazetteer_gaza_follows_context(nlp: Language) -> None:
    assert _places(nlp, "Floods hit Gaza.")[0][3] == "PS-GZA"
    mozambique = _places(nlp, "Floods hit Gaza province in Mozambique.")
    assert mozambique[0][:1] == ("MOZ",) and mozambique[0][3] == "MZ-G"


def test_gazetteer_ignores_lowercase_words(nlp: Language) -> None:
    assert _places(nlp, "the chad and the turkey were eaten by a guinea pig") == []


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        (
            "UNHCR urges States not to deport anyone to the Middle Juba region of Somalia.",
            ["SO-JD"],
        ),
        ("Floods displaced families in Hiran and Middle Juba, Somalia.", ["SO-HI", "SO-JD"]),
        ("Violence continues in Cameroon's North West and South West regions.", ["CM-NW", "CM-SW"]),
        ("In Cameroon, the North-West region is affected.", ["CM-NW"]),
        ("Fighting in Unity State, South Sudan.", ["SS-UY"]),
        ("Returns to Erbil and Duhok in Iraq.", ["IQ-AR", "IQ-DA"]),
        ("Deportations to Ibb and Ma'rib governorates in Yemen.", ["YE-IB", "YE-MA"]),
        ("Displaced people in Deir el-Zor and Al-Hasakeh, Syria.", ["SY-DY", "SY-HA"]),
        ("Rwanda's Eastern Province hosts refugees.", ["RW-02"]),
        ("Attacks in Niger State, Nigeria.", ["NG-NI"]),
        ("Returnees to Sistan and Baluchestan in Iran.", ["IR-11"]),
    ],
)
def test_gazetteer_resolves_subdivision_extras(nlp: Language, text: str, codes: list[str]) -> None:
    places = _places(nlp, text)
    assert [p[3] for p in places if p[1] == "area"] == codes
    assert {p[0] for p in places} == {pycountry.subdivisions.get(code=codes[0]).country.alpha_3}  # type: ignore[no-untyped-call]


@pytest.mark.parametrize(
    "text",
    [
        "In Cameroon, people fled North-West.",  # typed only: no unit word after it
        "The Government of National Unity in South Sudan met.",
        "The Kurdistan Workers' Party is active in Iraq.",
    ],
)
def test_gazetteer_typed_extras_need_a_unit_word(nlp: Language, text: str) -> None:
    assert [p for p in _places(nlp, text) if p[1] == "area"] == []
