"""The tagger over tests/cases/tagger_heldout.jsonl (gold schema, written for this project).

Floors sit a little below what the tagger reaches so they catch regressions, not noise;
bench/eval_tagger.py prints the full table.
"""

from __future__ import annotations

from pathlib import Path

from nlp.pipeline import build_pipeline
from nlp.resources import read_jsonl
from nlp.tagger import tag_text

CASES = Path(__file__).parent / "cases" / "tagger_heldout.jsonl"


def test_heldout_floors() -> None:
    nlp = build_pipeline()
    counts = {s: [0, 0, 0] for s in ("against_return", "lifts")}  # tp, fp, fn
    countries = un = total = 0
    for case in read_jsonl(CASES):
        findings = tag_text(nlp, case["text"]).findings
        for stance, c in counts.items():
            found = any(f.stance == stance for f in findings)
            gold = case["stance"] == stance
            c[0] += found and gold
            c[1] += found and not gold
            c[2] += gold and not found
        mine = [f for f in findings if f.stance == case["stance"]]
        if mine:
            total += 1
            countries += {f.country for f in mine} == set(case["countries"])
            un += mine[0].issuer_is_un == case["issuer_is_un"]
    tp, fp, fn = counts["against_return"]
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.9, counts
    tp, fp, fn = counts["lifts"]
    assert 2 * tp / (2 * tp + fp + fn) >= 0.9, counts
    assert countries / total >= 0.95 and un / total >= 0.95
