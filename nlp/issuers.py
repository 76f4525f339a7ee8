"""Issuer detection: UN entities, NGOs and government bodies named in the text."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.annotations import IssuerMention, register_extensions
from nlp.errors import NlpError
from nlp.resources import data_path, read_jsonl


def _is_acronym(alias: str) -> bool:
    """Acronyms match case-sensitively ("WHO" is not "who"); names match in any case."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class IssuerRecognizer:
    """Marks issuer names; results go to doc._.rw_issuers and doc.spans["rw_issuers"]."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        self.name = name
        self.data_dir = data_dir
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.issuers: dict[str, tuple[str, bool]] = {}

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if nlp is None:
            raise NlpError(f"component {self.name!r}: initialize needs the pipeline")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        for record in read_jsonl(data_path("issuers.jsonl", self.data_dir)):
            key = str(record["name"])
            self.issuers[key] = (key, bool(record.get("is_un", False)))
            for alias in record.get("aliases", []):
                matcher = self.exact if _is_acronym(alias) else self.folded
                matcher.add(key, [nlp.make_doc(alias)])

    def __call__(self, doc: Doc) -> Doc:
        if not self.issuers:
            raise NlpError(f"component {self.name!r} used before initialize")
        matches = [*self.exact(doc), *self.folded(doc)]
        spans = filter_spans([Span(doc, s, e, label=m) for m, s, e in matches])
        mentions = []
        for span in sorted(spans, key=lambda s: s.start):
            name, is_un = self.issuers[span.label_]
            mentions.append(IssuerMention(span.start, span.end, name, is_un))
        doc._.rw_issuers = mentions
        doc.spans["rw_issuers"] = spans
        return doc


@Language.factory("rw_issuers", default_config={"data_dir": ""})
def make_issuer_recognizer(nlp: Language, name: str, data_dir: str) -> IssuerRecognizer:
    register_extensions()
    return IssuerRecognizer(nlp, name, data_dir)
