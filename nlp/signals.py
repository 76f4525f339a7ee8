"""Situation signals: a simple keyword-category count per country (conflict, disaster ...)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from nlp.annotations import PlaceMention, SituationSignal, register_extensions
from nlp.errors import NlpError
from nlp.resources import data_path, read_jsonl


class SignalSpotter:
    """One signal per category and place per document, evidenced by its first sentence."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.ready = False

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if nlp is None:
            raise NlpError(f"component {self.name!r}: initialize needs the pipeline")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for record in read_jsonl(data_path("signals.jsonl", self.data_dir)):
            self.matcher.add(str(record["category"]), [nlp.make_doc(p) for p in record["phrases"]])
        self.ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self.ready:
            raise NlpError(f"component {self.name!r} used before initialize")
        places: list[PlaceMention] = doc._.rw_places
        matches = self.matcher(doc)
        signals: dict[tuple[str, str, str], SituationSignal] = {}
        for sent in doc.sents:
            categories = {doc.vocab.strings[m] for m, s, _ in matches if sent.start <= s < sent.end}
            here = [p for p in places if sent.start <= p.start < sent.end]
            for category in sorted(categories):
                for place in here:
                    area = place.area_name if place.kind == "area" else None
                    key = (category, place.country, area or "")
                    signals.setdefault(
                        key,
                        SituationSignal(
                            category,
                            place.country,
                            area,
                            place.area_code if area else None,
                            sent.start_char,
                            sent.end_char,
                        ),
                    )
        doc._.rw_signals = list(signals.values())
        return doc


@Language.factory("rw_signals", default_config={"data_dir": ""})
def make_signal_spotter(nlp: Language, name: str, data_dir: str) -> SignalSpotter:
    register_extensions()
    return SignalSpotter(nlp, name, data_dir)
