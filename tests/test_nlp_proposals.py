"""Which sentences the classifier may turn into a call, and where the call is anchored."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from spacy.language import Language

from nlp.pipeline import build_pipeline
from nlp.proposals import proposed_calls


@dataclass
class _Scored:
    cats: dict[str, float]


class _SureClassifier:
    """Stands in for the textcat: every sentence is a call against return."""

    def __call__(self, text: str) -> _Scored:
        return _Scored({"against": 0.95, "lifts": 0.0, "none": 0.05})


RETURN_WORDS = frozenset({"return", "returns", "deport", "sent"})


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


def _anchors(nlp: Language, text: str) -> list[str]:
    doc = nlp(text)
    calls = proposed_calls(doc, _SureClassifier(), RETURN_WORDS, set(), lambda d, s, e: "")  # type: ignore[arg-type]
    return [doc[cue.start].text for _, cue in calls]


def test_proposal_is_anchored_at_the_first_return_word(nlp: Language) -> None:
    assert _anchors(nlp, "Britain should drop its plans to deport children.") == ["deport"]


def test_proposal_skips_a_return_word_inside_a_name(nlp: Language) -> None:
    text = "Britain should withdraw from the European Return Platform at once."
    assert _anchors(nlp, text) == []


def test_proposal_may_anchor_on_the_sentence_opening_word(nlp: Language) -> None:
    assert _anchors(nlp, "Return is not an option for these children.") == ["Return"]
