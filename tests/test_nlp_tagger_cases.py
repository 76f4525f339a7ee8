"""The tagger over hand-written passages in tests/cases/tagger_cases.jsonl."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from nlp.pipeline import build_pipeline
from nlp.tagger import tag_text

CASES = Path(__file__).parent / "cases" / "tagger_cases.jsonl"


def _cases() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CASES.read_text("utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return build_pipeline()


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["id"])
def test_tagger_cases(nlp: Language, case: dict[str, Any]) -> None:
    result = tag_text(nlp, case["text"], default_issuer=case.get("default_issuer", ""))
    assert len(result.findings) == len(case["expect"]), result.findings
    for finding, expect in zip(result.findings, case["expect"], strict=True):
        assert finding.stance == expect["stance"]
        assert finding.country == expect["country"]
        assert case["text"][finding.evidence_start : finding.evidence_end] == finding.evidence
        if "scope" in expect:
            assert finding.scope == expect["scope"]
        if "issuer" in expect:
            assert finding.issuer == expect["issuer"]
        if "issuer_is_un" in expect:
            assert finding.issuer_is_un == expect["issuer_is_un"]
        if "area" in expect:
            assert finding.area is not None
            assert (finding.area.name, finding.area.code) == (
                expect["area"]["name"],
                expect["area"]["code"],
            )
        if "groups" in expect:
            assert set(expect["groups"]) <= set(finding.groups)
        if "condition" in expect:
            assert finding.condition == expect["condition"]
