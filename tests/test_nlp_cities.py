"""The town table (nlp/data/cities.jsonl): clean against the gazetteer, and used by it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.check_cities import CITIES, run_checks
from nlp.pipeline import build_pipeline
from nlp.resources import read_jsonl
from nlp.tagger import tag_text


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_cities_table_has_no_collisions_words_or_duplicates() -> None:
    report, _ = run_checks(read_jsonl(CITIES))
    assert not report.failed, report.problems


def test_cities_resolve_as_areas_without_code(nlp: Language) -> None:
    text = "UNHCR urged Kenya not to return Somali refugees to Kismayo, Baidoa or Beledweyne."
    findings = tag_text(nlp, text).findings
    areas = {
        (f.country, f.area.name if f.area else None, f.area.code if f.area else "")
        for f in findings
    }
    assert areas == {("SOM", "Baidoa", None), ("SOM", "Beledweyne", None), ("SOM", "Kismayo", None)}


def test_city_sharing_a_province_name_needs_city(nlp: Language) -> None:
    findings = tag_text(nlp, "IOM suspended returns to Kherson city after the shelling.").findings
    assert [(f.country, f.area.name if f.area else None) for f in findings] == [
        ("UKR", "Kherson city")
    ]
