"""Situation signals: conflict, disaster, epidemic, human rights and travel advice.

One signal per category and place per document, for the places the document is about
(named in its title, or among its most-named countries), evidenced by the sentence that
says the most about it. A country named in passing ("refugees in Chad") gets none.
"""

from __future__ import annotations

from collections import Counter

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from nlp.annotations import PlaceMention, SituationSignal, register_extensions
from nlp.component import DataComponent
from nlp.resources import data_path, read_jsonl

# A country is a subject when named at least this share of the most-named one's count.
SUBJECT_SHARE = 0.5
# Travel-advice levels from the most to the least severe: the strongest wins.
LEVEL_ORDER = ("level_4", "avoid_all", "avoid_all_but_essential", "level_3")


class SignalSpotter(DataComponent):
    """Writes doc._.rw_signals from the category phrases of signals.jsonl."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        super().__init__(name, data_dir)
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")

    def load(self, nlp: Language) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for record in read_jsonl(data_path("signals.jsonl", self.data_dir)):
            key = f"{record['category']}|{record.get('level', '')}"
            self.matcher.add(key, [nlp.make_doc(p) for p in record["phrases"]])

    def __call__(self, doc: Doc) -> Doc:
        self.check_ready()
        places: list[PlaceMention] = doc._.rw_places
        subjects = subject_countries(doc, places)
        best: dict[tuple[str, str, str], tuple[int, SituationSignal]] = {}
        hits_by_sentence: dict[int, list[str]] = {}
        sentences: dict[int, Span] = {}
        for match_id, start, _ in self.matcher(doc):
            sent = doc[start].sent
            sentences[sent.start] = sent
            hits_by_sentence.setdefault(sent.start, []).append(doc.vocab.strings[match_id])
        for sent_start, keys in hits_by_sentence.items():
            sent = sentences[sent_start]
            here = [p for p in places if sent.start <= p.start < sent.end and p.country in subjects]
            for key, count in Counter(keys).items():
                category, level = key.split("|")
                for place in here:
                    area = place.area_name if place.kind == "area" else None
                    signal = SituationSignal(
                        category,
                        place.country,
                        area,
                        place.area_code if area else None,
                        sent.start_char,
                        sent.end_char,
                        level or None,
                    )
                    slot = (category, place.country, area or "")
                    if slot not in best or _better(count, signal, best[slot]):
                        best[slot] = (count, signal)
        doc._.rw_signals = [signal for _, signal in best.values()]
        return doc


def _better(count: int, signal: SituationSignal, current: tuple[int, SituationSignal]) -> bool:
    """More category words win; for travel advice the more severe level wins."""
    if signal.level != current[1].level:
        return _severity(signal.level) < _severity(current[1].level)
    return count > current[0]


def _severity(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def subject_countries(doc: Doc, places: list[PlaceMention]) -> set[str]:
    """The countries a document is about: named in its first sentence, or named often."""
    if not places:
        return set()
    counts = Counter(p.country for p in places)
    first = next(iter(doc.sents), None)
    titled = {p.country for p in places if first is not None and p.start < first.end}
    top = max(counts.values())
    return titled | {c for c, n in counts.items() if n >= max(1.0, SUBJECT_SHARE * top)}


@Language.factory("rw_signals", default_config={"data_dir": ""})
def make_signal_spotter(nlp: Language, name: str, data_dir: str) -> SignalSpotter:
    register_extensions()
    return SignalSpotter(nlp, name, data_dir)
