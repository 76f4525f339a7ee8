"""The sentence stance classifier: how a sentence is shown to it, and loading it.

The classifier sees a sentence with its places and issuers replaced by PLACE and ISSUER,
so that what it learns is the wording of a call, not which countries or agencies the
labelled passages happened to name. Training (nlp/train.py) and every use go through
masked_text, so both see the same thing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from nlp.errors import NlpDataError
from nlp.resources import data_path

MODEL_DIR = "stance_model"
LABELS = ("against", "lifts", "none")
PLACE = "PLACE"
ISSUER = "ISSUER"


def masked_text(doc: Doc, start: int, end: int) -> str:
    """The tokens start..end, each place and issuer mention shown as one placeholder."""
    marks: dict[int, str] = {}
    for mentions, word in ((doc._.rw_places, PLACE), (doc._.rw_issuers, ISSUER)):
        for mention in mentions:
            for i in range(mention.start, mention.end):
                marks[i] = word if i == mention.start else ""
    words = (marks.get(t.i, t.text) for t in doc[start:end])
    return " ".join(w for w in words if w)


def stance_model(data_dir: str = "") -> Language:
    """The shipped (or data_dir's) classifier, loaded once per process."""
    path = data_path(MODEL_DIR, data_dir)
    if not (path / "config.cfg").exists():
        raise NlpDataError(f"{path}: no stance model; run `returnwatch train`")
    return _load(str(path))


@lru_cache(maxsize=4)
def _load(path: str) -> Language:
    return spacy.load(Path(path))


def stance_scores(model: Language, doc: Doc, start: int, end: int) -> dict[str, float]:
    """against / lifts / none probabilities for the tokens start..end of doc."""
    return dict(model(masked_text(doc, start, end)).cats)
