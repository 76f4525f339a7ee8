"""Train the sentence stance classifier shipped in nlp/data/stance_model.

`python -m nlp.train` (or `returnwatch train`) derives labelled sentences from the
templates and fillers in nlp/data/stance_sentences.jsonl (written for this project, no
corpus or gold text) and trains a bag-of-words spaCy textcat on them. The seed is fixed,
so the same data gives the same model.
"""

from __future__ import annotations

import logging
import random
import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import fix_random_seed

from nlp.errors import NlpDataError
from nlp.resources import data_path, read_jsonl

logger = logging.getLogger(__name__)

LABELS = ("against", "lifts", "none")
MODEL_DIR = "stance_model"
SEED = 7
FILLS_PER_TEMPLATE = 12
EPOCHS = 12
_SLOT = re.compile(r"\{(\w+)\}")
TEXTCAT_CONFIG = {
    "threshold": 0.5,
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 65536,
    },
}


def derive_sentences(data_dir: str = "", seed: int = SEED) -> list[tuple[str, str]]:
    """(sentence, label) pairs: every template filled FILLS_PER_TEMPLATE times."""
    records = read_jsonl(data_path("stance_sentences.jsonl", data_dir))
    fillers = {
        str(r["slot"]): [str(v) for v in r["values"]] for r in records if r["kind"] == "filler"
    }
    rng = random.Random(seed)
    pairs = []
    for record in (r for r in records if r["kind"] == "template"):
        label = str(record["label"])
        if label not in LABELS:
            raise NlpDataError(f"stance_sentences.jsonl: unknown label {label!r}")
        for _ in range(FILLS_PER_TEMPLATE):
            pairs.append((fill(str(record["text"]), fillers, rng), label))
    return pairs


def fill(template: str, fillers: dict[str, list[str]], rng: random.Random) -> str:
    def choose(match: re.Match[str]) -> str:
        slot = match.group(1)
        if slot not in fillers:
            raise NlpDataError(f"stance_sentences.jsonl: no filler for {{{slot}}}")
        return rng.choice(fillers[slot])

    text = _SLOT.sub(choose, template)
    return text[:1].upper() + text[1:]


def train_classifier(pairs: list[tuple[str, str]], seed: int = SEED) -> Language:
    """A blank English pipeline holding only the trained textcat."""
    fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config=TEXTCAT_CONFIG)
    assert isinstance(textcat, TextCategorizer)
    for label in LABELS:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {x: float(x == label) for x in LABELS}})
        for text, label in pairs
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for epoch in range(EPOCHS):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for start in range(0, len(examples), 32):
            nlp.update(examples[start : start + 32], sgd=optimizer, losses=losses)
        logger.info("epoch %d loss %.3f", epoch, losses.get("textcat", 0.0))
    return nlp


def train(data_dir: str = "", out: Path | None = None) -> Path:
    """Derive the sentences, train, and write the model; returns where it went."""
    target = out or data_path(MODEL_DIR, data_dir)
    model = train_classifier(derive_sentences(data_dir))
    model.to_disk(target)
    return target


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logger.info("wrote %s", train())
