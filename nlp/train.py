"""Train the sentence stance classifier shipped in nlp/data/stance_model.

`returnwatch train` (or `python -m nlp.train`) trains a bag-of-words spaCy textcat on two
kinds of sentence, both written for this project (no corpus or gold text):

- the templates of nlp/data/stance_sentences.jsonl, each filled FILLS_PER_TEMPLATE times;
- the labelled passages in tests/cases/tagger_*.jsonl: a passage's evidence sentence
  carries its stance, every other sentence is "none".

Sentences are shown masked (nlp/stance_model.py), as the tagger shows them. The seed is
fixed, so the same data gives the same model.
"""

from __future__ import annotations

import argparse
import logging
import random
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example
from thinc.api import fix_random_seed

from nlp.errors import NlpDataError
from nlp.pipeline import create_pipeline
from nlp.resources import data_path, read_jsonl
from nlp.stance_model import LABELS, MODEL_DIR, masked_text

logger = logging.getLogger(__name__)

SEED = 7
FILLS_PER_TEMPLATE = 12
EPOCHS = 12
REPO = Path(__file__).resolve().parent.parent
PASSAGES = "tests/cases/tagger_*.jsonl"
# tagger_cases.jsonl holds rule cases in another shape (expected findings, no evidence).
NOT_PASSAGES = frozenset({"tagger_cases.jsonl"})
MASKING_COMPONENTS = ("rw_sentences", "rw_places", "rw_issuers")
CLASS_OF = {"against_return": "against", "lifts": "lifts", "none": "none"}
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


def passage_files(root: Path = REPO) -> list[Path]:
    """The labelled passage sets in the repo, in a fixed order."""
    return sorted(p for p in root.glob(PASSAGES) if p.name not in NOT_PASSAGES)


def masking_pipeline(data_dir: str = "") -> Language:
    """Just enough of the tagger to find sentences, places and issuers."""
    return create_pipeline(data_dir, MASKING_COMPONENTS)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def passage_sentences(
    nlp: Language, passages: Iterable[dict[str, object]]
) -> list[tuple[str, str]]:
    """(masked sentence, label): the evidence sentence has the passage's stance.

    The other sentences of a passage with a call are left out rather than called "none":
    many restate the call ("Until we can be sure ..., we will not be promoting
    repatriation"), and a classifier taught that they are no call vetoes the rules there.
    """
    pairs = []
    for passage in passages:
        stance = str(passage.get("stance"))
        if stance not in CLASS_OF:
            raise NlpDataError(f"passage {passage.get('id')!r}: unknown stance {stance!r}")
        text = passage.get("text")
        if not isinstance(text, str) or not text.strip():
            raise NlpDataError(f"passage {passage.get('id')!r}: no text")
        evidence = _squeezed(str(passage.get("evidence") or ""))
        doc = nlp(text)
        for sent in doc.sents:
            text = _squeezed(sent.text)
            if not text:
                continue
            is_evidence = bool(evidence) and (evidence in text or text in evidence)
            if stance != "none" and not is_evidence:
                continue
            pairs.append((masked_text(doc, sent.start, sent.end), CLASS_OF[stance]))
    return pairs


def masked_templates(nlp: Language, data_dir: str = "") -> list[tuple[str, str]]:
    """The template sentences, masked like every other training sentence."""
    pairs = []
    for text, label in derive_sentences(data_dir):
        doc = nlp(text)
        pairs.append((masked_text(doc, 0, len(doc)), label))
    return pairs


def training_pairs(data_dir: str = "", files: list[Path] | None = None) -> list[tuple[str, str]]:
    """Every training sentence, from the templates and the labelled passage sets."""
    nlp = masking_pipeline(data_dir)
    pairs = masked_templates(nlp, data_dir)
    for path in passage_files() if files is None else files:
        passages = read_jsonl(path)  # names the file and line of a bad line itself
        try:
            pairs += passage_sentences(nlp, passages)
        except NlpDataError as exc:
            raise NlpDataError(f"{path}: {exc}") from exc
    counts = Counter(label for _, label in pairs)
    logger.info("training sentences: %s", ", ".join(f"{k} {counts[k]}" for k in LABELS))
    return pairs


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


def train(data_dir: str = "", out: Path | None = None, files: list[Path] | None = None) -> Path:
    """Derive the sentences, train, and write the model; returns where it went."""
    target = out or data_path(MODEL_DIR, data_dir)
    model = train_classifier(training_pairs(data_dir, files))
    model.to_disk(target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="where to write the model")
    parser.add_argument(
        "--passages", type=Path, action="append", help="labelled sets (default: the repo's)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logger.info("wrote %s", train(out=args.out, files=args.passages))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
