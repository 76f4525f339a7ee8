"""The stance classifier's training data is derived deterministically from repo data."""

from __future__ import annotations

from nlp.confidence import ConfidenceScorer
from nlp.pipeline import build_pipeline
from nlp.train import LABELS, derive_sentences


def test_train_derivation_is_reproducible() -> None:
    first, second = derive_sentences(), derive_sentences()
    assert first == second
    assert {label for _, label in first} == set(LABELS)
    assert not any("{" in text for text, _ in first)


def test_train_shipped_model_scores_stances() -> None:
    scorer = build_pipeline().get_pipe("rw_confidence")
    assert isinstance(scorer, ConfidenceScorer) and scorer.classifier is not None
    cats = scorer.classifier("UNHCR urged States to halt forced returns to Eritrea.").cats
    assert max(cats, key=lambda k: cats[k]) == "against"
