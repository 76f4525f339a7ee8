"""The place data: the generated country file, the area alias table, and place resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry
import pytest
from spacy.language import Language

from nlp.build_gazetteer import OUTPUT_FILE, country_entries
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
