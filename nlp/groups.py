"""Profile groups a recommendation singles out (women and girls, rejected asylum-seekers)."""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.annotations import GroupMention, register_extensions
from nlp.component import DataComponent
from nlp.errors import NlpError
from nlp.resources import data_path, read_jsonl


class GroupRecognizer(DataComponent):
    """Marks group phrases; results go to doc._.rw_groups."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        super().__init__(name, data_dir)
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns = Matcher(nlp.vocab)

    def load(self, nlp: Language) -> None:
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.patterns = Matcher(nlp.vocab)
        for record in read_jsonl(data_path("groups.jsonl", self.data_dir)):
            tag = str(record["tag"])
            self.phrases.add(tag, [nlp.make_doc(p) for p in record.get("phrases", [])])
            if record.get("patterns"):
                self.patterns.add(tag, record["patterns"])

    def __call__(self, doc: Doc) -> Doc:
        """Only sentences with a stance cue: groups matter only inside a recommendation."""
        self.check_ready()
        spans = []
        for sent in [*stance_sentences(doc), *_follow_ons(doc)]:
            spans += [Span(doc, s, e, label=m) for m, s, e in self.phrases(sent)]
            spans += [
                Span(doc, sent.start + s, sent.start + e, label=m)
                for m, s, e in self.patterns(sent)
            ]
        # Longest match wins: "unaccompanied children" is not also "children".
        doc._.rw_groups = [
            GroupMention(s.start, s.end, s.label_)
            for s in sorted(filter_spans(spans), key=lambda s: s.start)
            if not _audience(doc, s)
        ]
        return doc


AUDIENCE_VERBS = frozenset({"told", "tell", "tells", "telling", "briefed", "briefing"})


def _audience(doc: Doc, span: Span) -> bool:
    """ "told journalists in Geneva": who heard the call, not whom it protects."""
    return span.start > 0 and doc[span.start - 1].lower_ in AUDIENCE_VERBS


def stance_sentences(doc: Doc) -> list[Span]:
    """The sentences holding a stance cue (rw_cues runs before this component)."""
    cues = doc._.rw_cues
    if cues is None:
        raise NlpError("rw_groups needs rw_cues earlier in the pipeline")
    sentences: dict[int, Span] = {}
    for cue in cues:
        if cue.label in ("against", "lift"):
            sent = doc[cue.start].sent
            sentences.setdefault(sent.start, sent)
    return [sentences[k] for k in sorted(sentences)]


# "Women and girls ... are at particular risk", "This applies equally to people whose
# claims were rejected": a sentence after the call that says whom it protects.
FOLLOW_ON_WORDS = frozenset(
    {"risk", "risks", "danger", "dangers", "applies", "apply", "covers", "cover", "extends"}
    | {"particular", "particularly", "especially", "notably", "including", "includes"}
)
FOLLOW_ON_REACH = 2


def follow_on_sentences(doc: Doc, sent: Span) -> list[Span]:
    """The next sentences (at most two) that speak of who is at risk or covered, up to the
    next sentence with a stance cue of its own."""
    found: list[Span] = []
    i = sent.end
    for _ in range(FOLLOW_ON_REACH):
        if i >= len(doc):
            break
        other = doc[i].sent
        if _has_stance_cue(doc, other):
            break
        if any(t.lower_ in FOLLOW_ON_WORDS for t in other):
            found.append(other)
        i = other.end
    return found


def _has_stance_cue(doc: Doc, span: Span) -> bool:
    return any(
        c.label in ("against", "lift") and span.start <= c.start < span.end for c in doc._.rw_cues
    )


def _follow_ons(doc: Doc) -> list[Span]:
    sentences = {
        s.start: s for sent in stance_sentences(doc) for s in follow_on_sentences(doc, sent)
    }
    return [sentences[k] for k in sorted(sentences)]


@Language.factory("rw_groups", default_config={"data_dir": ""})
def make_group_recognizer(nlp: Language, name: str, data_dir: str) -> GroupRecognizer:
    register_extensions()
    return GroupRecognizer(nlp, name, data_dir)
