"""Situation signals: one per category and place per document, subject places only."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.pipeline import build_pipeline
from nlp.tagger import tag_text


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def test_signals_one_per_category_and_place(nlp: Language) -> None:
    text = (
        "Sudan: fighting spreads\n\nFighting continued in Sudan. Clashes and airstrikes hit Sudan."
    )
    conflict = [s for s in tag_text(nlp, text).signals if s.category == "conflict"]
    assert [(s.country, s.area) for s in conflict] == [("SDN", None)]
    assert conflict[0].evidence == "Clashes and airstrikes hit Sudan."


def test_signals_skip_places_named_in_passing(nlp: Language) -> None:
    text = "Sudan: fighting spreads\n\nFighting in Sudan's Darfur continues; refugees reach Chad."
    assert {s.country for s in tag_text(nlp, text).signals} == {"SDN"}


def test_signals_travel_advice_level_and_area(nlp: Language) -> None:
    text = "Ethiopia travel advice\n\nFCDO advises against all travel to Tigray in Ethiopia."
    advice = [s for s in tag_text(nlp, text).signals if s.category == "travel_advice"]
    assert {(s.area.name if s.area else None, s.level) for s in advice} >= {("Tigray", "avoid_all")}
