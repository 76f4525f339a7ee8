"""The tagger against the labelled dev set in ../shared/gold (skipped when it is absent).

Passage level: a passage counts as against_return when any finding has that stance. The
floors sit below what the rules reach (against_return P 0.98 / R 0.98, lifts P 1.0 /
R 0.65 when written) so that they catch regressions, not noise.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nlp.pipeline import build_pipeline
from nlp.tagger import tag_text

GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold" / "dev" / "passages.jsonl"

pytestmark = pytest.mark.corpus


def _passages() -> list[dict[str, Any]]:
    if not GOLD.exists():
        pytest.skip(f"{GOLD} not present")
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def _precision_recall(passages: list[dict[str, Any]], stance: str) -> tuple[float, float]:
    nlp = build_pipeline()
    tp = fp = fn = 0
    for passage in passages:
        found = any(f.stance == stance for f in tag_text(nlp, passage["text"]).findings)
        gold = passage["stance"] == stance
        tp += found and gold
        fp += found and not gold
        fn += gold and not found
    return tp / max(1, tp + fp), tp / max(1, tp + fn)


def test_corpus_against_return_floor() -> None:
    precision, recall = _precision_recall(_passages(), "against_return")
    assert precision >= 0.85 and recall >= 0.8, (precision, recall)


def test_corpus_lifts_floor() -> None:
    precision, recall = _precision_recall(_passages(), "lifts")
    assert precision >= 0.8 and recall >= 0.5, (precision, recall)


def test_corpus_against_return_countries() -> None:
    nlp = build_pipeline()
    hits = total = 0
    for passage in _passages():
        if passage["stance"] != "against_return":
            continue
        found = {
            f.country
            for f in tag_text(nlp, passage["text"]).findings
            if f.stance == "against_return"
        }
        total += 1
        hits += bool(found & set(passage["countries"]))
    assert hits / total >= 0.8, (hits, total)
