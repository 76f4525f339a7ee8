"""The stance classifier: its training data comes from the repo, and it sees masked text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.errors import NlpDataError
from nlp.pipeline import build_pipeline
from nlp.recommendations import RecommendationBuilder
from nlp.stance_model import LABELS, masked_text, stance_scores
from nlp.train import (
    derive_sentences,
    masking_pipeline,
    passage_files,
    passage_sentences,
    training_pairs,
)


def test_train_derivation_is_reproducible() -> None:
    first, second = derive_sentences(), derive_sentences()
    assert first == second
    assert {label for _, label in first} == set(LABELS)
    assert not any("{" in text for text, _ in first)


def test_train_reads_the_labelled_sets_but_not_the_rule_cases() -> None:
    names = {path.name for path in passage_files()}
    assert "tagger_heldout.jsonl" in names and "tagger_blind20.jsonl" in names
    assert "tagger_cases.jsonl" not in names
    assert not any("untouched" in str(path) for path in passage_files())


def test_train_takes_the_evidence_sentence_of_a_call_and_every_sentence_of_none() -> None:
    evidence = "UNHCR urged States to halt forced returns to Eritrea."
    call = {"id": "t-1", "stance": "against_return", "evidence": evidence}
    call["text"] = f"Fighting spread in the north. {evidence} It repeated the call."
    none = {"id": "t-2", "stance": "none", "evidence": None}
    none["text"] = "Fighting spread in the north. Aid convoys were delayed."
    pairs = passage_sentences(masking_pipeline(), [call, none])
    assert pairs == [
        ("ISSUER urged States to halt forced returns to PLACE .", "against"),
        ("Fighting spread in the north .", "none"),
        ("Aid convoys were delayed .", "none"),
    ]


def test_masked_text_hides_places_and_issuers_whatever_their_length() -> None:
    doc = masking_pipeline()("The UN refugee agency asked Germany not to deport Syrians.")
    assert masked_text(doc, 0, len(doc)) == "The ISSUER asked PLACE not to deport PLACE ."


def test_train_shipped_model_scores_stances_on_masked_sentences() -> None:
    builder = build_pipeline().get_pipe("rw_recommendations")
    assert isinstance(builder, RecommendationBuilder) and builder.model is not None
    nlp = masking_pipeline()
    calls = {
        "UNHCR urged States to halt forced returns to Eritrea.": "against",
        "UNHCR has lifted its advisory against returns to Sierra Leone.": "lifts",
        "More than 300 refugees returned to Burundi with UNHCR support last week.": "none",
    }
    for text, expected in calls.items():
        doc = nlp(text)
        cats = stance_scores(builder.model, doc, 0, len(doc))
        assert max(cats, key=lambda k: cats[k]) == expected, (text, cats)


def test_train_passage_sets_have_evidence_for_every_call() -> None:
    """Every stance passage in the training sets names the sentence that carries it."""
    for path in passage_files():
        for line in path.read_text("utf-8").splitlines():
            passage = json.loads(line)
            if passage["stance"] != "none":
                assert passage["evidence"] and passage["evidence"] in passage["text"], passage["id"]


def test_train_names_the_file_and_passage_without_text(tmp_path: Path) -> None:
    bad = tmp_path / "tagger_bad.jsonl"
    bad.write_text(json.dumps({"id": "x-1", "stance": "none", "evidence": None}) + "\n")
    with pytest.raises(NlpDataError, match=r"tagger_bad\.jsonl: passage 'x-1': no text"):
        training_pairs(files=[bad])
