"""The shared start-up of the rule components that read their data at initialize."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language

from nlp.errors import NlpError


class DataComponent:
    """A pipeline component whose patterns come from data files under nlp/data.

    spaCy calls initialize with the pipeline; subclasses build their matchers in load(),
    which needs the pipeline's vocabulary.
    """

    def __init__(self, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.ready = False

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if nlp is None:
            raise NlpError(f"component {self.name!r}: initialize needs the pipeline")
        self.load(nlp)
        self.ready = True

    def load(self, nlp: Language) -> None:
        raise NotImplementedError

    def check_ready(self) -> None:
        if not self.ready:
            raise NlpError(f"component {self.name!r} used before initialize")
