"""The final step keeps or drops rule calls by the classifier's support for them."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from spacy.language import Language

from nlp.annotations import Recommendation
from nlp.confidence import ConfidenceScorer
from nlp.train import masking_pipeline

SENTENCE = "The central bank suspended the repatriation of dividends to Zimbabwe."


@dataclass
class _Scored:
    cats: dict[str, float]


class _FixedClassifier:
    """Stands in for the textcat: the same scores for every sentence."""

    def __init__(self, against: float) -> None:
        self.cats = {"against": against, "lifts": 0.0, "none": 1.0 - against}

    def __call__(self, text: str) -> _Scored:
        return _Scored(self.cats)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return masking_pipeline()


def _kept(nlp: Language, rule_confidence: float, support: float) -> list[Recommendation]:
    doc = nlp(SENTENCE)
    call = Recommendation(
        "against_return", "all", None, False, "ZWE", None, None, (), None,
        0, len(SENTENCE), rule_confidence, "stop_returns",
    )  # fmt: skip
    doc._.rw_recommendations = [call]
    scorer = ConfidenceScorer("rw_confidence", "")
    scorer.classifier = _FixedClassifier(support)  # type: ignore[assignment]
    return list(scorer(doc)._.rw_recommendations)


@pytest.mark.parametrize(
    ("rule_confidence", "support", "kept"),
    [
        (0.9, 0.5, True),  # both agree
        (0.9, 0.05, True),  # a strong rule outweighs a doubtful classifier
        (0.5, 0.05, False),  # a weak rule the classifier does not support
        (0.9, 0.01, True),  # a strong rule stands even when the classifier all but rules it out
    ],
)
def test_confidence_keeps_a_call_by_rule_strength_and_support(
    nlp: Language, rule_confidence: float, support: float, kept: bool
) -> None:
    found = _kept(nlp, rule_confidence, support)
    assert bool(found) == kept
    if kept:
        assert 0.05 <= found[0].confidence <= 0.99
