"""The final step: weigh each rule recommendation with the sentence classifier.

The rules find the recommendation and its parts; the bag-of-words classifier
(nlp/train.py) reads the evidence sentence as a whole. A weak rule hit that the
classifier does not support at all is dropped; every kept one gets a confidence that
blends both. A strong rule hit is never dropped: on fresh sets, the classifier's near-zero
support was as often wrong ("a court ordered the authorities to suspend the return") as
right ("the central bank suspended the repatriation of dividends").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from nlp.annotations import Recommendation, register_extensions
from nlp.errors import NlpError
from nlp.stance_model import stance_model, stance_scores

CLASS_OF = {"against_return": "against", "lifts": "lifts"}
RULE_SHARE = 0.6
# A rule hit this weak needs the classifier's support above VETO_BELOW to be kept.
WEAK_RULE = 0.65
VETO_BELOW = 0.1


class ConfidenceScorer:
    """Rescores doc._.rw_recommendations with the stance classifier; drops vetoed ones."""

    def __init__(self, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.classifier: Language | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.classifier = stance_model(self.data_dir)

    def __call__(self, doc: Doc) -> Doc:
        if self.classifier is None:
            raise NlpError(f"component {self.name!r} used before initialize")
        recommendations: list[Recommendation] = doc._.rw_recommendations
        scores: dict[tuple[int, int], dict[str, float]] = {}
        kept = []
        for rec in recommendations:
            key = (rec.start_char, rec.end_char)
            if key not in scores:
                span = doc.char_span(rec.start_char, rec.end_char, alignment_mode="expand")
                scores[key] = (
                    stance_scores(self.classifier, doc, span.start, span.end) if span else {}
                )
            support = scores[key].get(CLASS_OF.get(rec.stance, ""), 0.0)
            if rec.confidence < WEAK_RULE and support < VETO_BELOW:
                continue
            kept.append(dataclasses.replace(rec, confidence=combine(rec.confidence, support)))
        doc._.rw_recommendations = kept
        return doc


def combine(rule: float, support: float) -> float:
    """A blend that stays in (0, 1) and keeps the rules' ordering for equal support."""
    return round(min(max(RULE_SHARE * rule + (1 - RULE_SHARE) * support, 0.05), 0.99), 2)


@Language.factory("rw_confidence", default_config={"data_dir": ""})
def make_confidence_scorer(nlp: Language, name: str, data_dir: str) -> ConfidenceScorer:
    register_extensions()
    return ConfidenceScorer(name, data_dir)
