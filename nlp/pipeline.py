"""The returnwatch spaCy pipeline: blank English plus rule components fed by data files."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# Importing the modules registers their factories with spaCy.
from nlp import confidence, cues, groups, issuers, places, recommendations, sentences, signals

COMPONENTS = (
    "rw_sentences",
    "rw_places",
    "rw_issuers",
    "rw_cues",
    "rw_groups",
    "rw_recommendations",
    "rw_confidence",
    "rw_signals",
)
_REGISTERED = (confidence, cues, groups, issuers, places, recommendations, sentences, signals)


def create_pipeline(data_dir: str = "", components: tuple[str, ...] = COMPONENTS) -> Language:
    """A new, initialized pipeline; data_dir overrides the bundled nlp/data files, and
    components may name the first few only (training needs no stance model to mask)."""
    nlp = spacy.blank("en")
    for name in components:
        config = {"data_dir": data_dir} if name.startswith("rw_") and name != "rw_sentences" else {}
        nlp.add_pipe(name, config=config)
    # Only rule components: load their data directly rather than through nlp.initialize(),
    # which would also set up training state and log it.
    for _, component in nlp.pipeline:
        initialize = getattr(component, "initialize", None)
        if initialize is not None:
            initialize(lambda: [], nlp=nlp)
    return nlp


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The pipeline with the bundled data, built once per process (loading takes ~1 s)."""
    return create_pipeline()
