"""Issuer detection: UN entities, NGOs and government bodies named in the text."""

from __future__ import annotations

import numpy as np
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nlp.annotations import IssuerMention, register_extensions
from nlp.component import DataComponent
from nlp.errors import NlpError
from nlp.place_words import POSSESSIVE
from nlp.resources import data_path, read_jsonl
from nlp.sentences import among, lower_array


def _is_acronym(alias: str) -> bool:
    """Acronyms match case-sensitively ("WHO" is not "who"); names match in any case."""
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


class IssuerRecognizer(DataComponent):
    """Marks issuer names; results go to doc._.rw_issuers and doc.spans["rw_issuers"]."""

    def __init__(self, nlp: Language, name: str, data_dir: str) -> None:
        super().__init__(name, data_dir)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.issuers: dict[str, tuple[str, bool]] = {}

    def load(self, nlp: Language) -> None:
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
        found = [Span(doc, s, e, label=m) for m, s, e in matches]
        found += generic_un_bodies(doc) + treaty_body_committees(doc)
        spans = filter_spans(found)
        spans = _without_roles(doc, [_with_mandate(doc, span) for span in spans])
        mentions = []
        for span in sorted(spans, key=lambda s: s.start):
            default = (TREATY_BODY if span.label_ == TREATY_BODY else span.text, True)
            name, is_un = self.issuers.get(span.label_) or default
            mentions.append(IssuerMention(span.start, span.end, name, is_un))
        doc._.rw_issuers = mentions
        doc.spans["rw_issuers"] = spans
        return doc


# "the UN Joint Human Rights Office", "the United Nations Mission in South Sudan": a UN body
# the issuer table does not list is still a UN body.
GENERIC_UN = "generic UN body"
UN_BODY_NOUNS = frozenset(
    {"office", "mission", "agency", "programme", "program", "fund", "committee", "commission"}
    | {"team", "panel", "envoy", "rapporteur", "rapporteurs", "experts", "council", "secretariat"}
    | {"coordinator", "representative", "organization", "organisation", "department", "expert"}
)


def _without_roles(doc: Doc, spans: list[Span]) -> list[Span]:
    """ "the Norwegian Refugee Council's secretary general": a role of the issuer before
    the possessive, not the UN Secretary-General."""
    ends = {s.end for s in spans}
    return [
        s
        for s in spans
        if not (s.start > 1 and doc[s.start - 1].lower_ in POSSESSIVE and s.start - 1 in ends)
    ]


UN_WORDS = frozenset({"UN", "U.N."})
# String hashes do not depend on the vocabulary: the sorted keys are made once.
UN_START_KEYS = np.sort(
    np.array([get_string_id(w) for w in (*UN_WORDS, "United")], dtype=np.uint64)
)
# "UN independent human rights experts": lower-case words a body's name may hold.
UN_BODY_ADJECTIVES = frozenset(
    {"independent", "human", "rights", "humanitarian", "refugee", "special", "country"}
)
GENERIC_REACH = 6


def generic_un_bodies(doc: Doc) -> list[Span]:
    """ "UN" or "United Nations", capitalised words, then a body noun ("Office")."""
    if not len(doc):
        return []
    orths = doc.to_array(ORTH)
    found = []
    for index in np.flatnonzero(among(orths, UN_START_KEYS)).tolist():
        token = doc[index]
        if token.text in UN_WORDS:
            start, i = token.i, token.i + 1
        elif (
            token.text == "United" and token.i + 1 < len(doc) and doc[token.i + 1].text == "Nations"
        ):
            start, i = token.i, token.i + 2
        else:
            continue
        end = None
        while (
            i < len(doc)
            and i - start <= GENERIC_REACH
            and (
                doc[i].is_title
                or doc[i].lower_ in UN_BODY_ADJECTIVES
                or doc[i].lower_ in UN_BODY_NOUNS
            )
        ):
            if doc[i].lower_ in UN_BODY_NOUNS:
                end = i + 1
            i += 1
        if end is None and i + 1 < len(doc) and doc[i].lower_ == "in" and doc[i + 1].is_title:
            end = i + 2  # "the United Nations in Afghanistan": the UN presence there
        if end is not None:
            found.append(Span(doc, start, end, label=GENERIC_UN))
    return found


# "The Committee recommends that the State party refrain ...": a treaty body's concluding
# observations, which name the committee only in their title.
TREATY_BODY = "UN treaty body"
STATE_PARTY = ("state", "party")


def treaty_body_committees(doc: Doc) -> list[Span]:
    """ "the Committee" in a text that speaks of "the State party": a UN treaty body."""
    if len(doc) < 2:
        return []
    strings = doc.vocab.strings
    orths = doc.to_array(ORTH)
    committees = np.flatnonzero(orths == strings.add("Committee")).tolist()
    if not committees:
        return []  # the common case, decided without a loop over the tokens
    lowers = lower_array(doc)
    state, party = (strings.add(word) for word in STATE_PARTY)
    if not np.any((lowers[:-1] == state) & (lowers[1:] == party)):
        return []
    return [
        Span(doc, i, i + 1, label=TREATY_BODY)
        for i in committees
        if i == 0 or doc[i - 1].lower_ in {"the", "this", "."}
    ]


# "the Special Rapporteur on the situation of human rights in Eritrea said": the mandate is
# part of the name, so its places are not the speaker's government or the destination.
TITLE_HEADS = frozenset(
    {"rapporteur", "rapporteurs", "expert", "experts", "committee", "envoy", "representative"}
)
MANDATE_END = frozenset(
    {",", ".", ";", ":", "said", "says", "urged", "urges", "called", "calls", "has", "have"}
    | {"warned", "noted", "stressed", "told", "added", "asked", "is", "was", "welcomed"}
    | {"expressed", "reiterated", "recommended", "recommends", "found", "who", "and"}
)
MANDATE_REACH = 14


def _with_mandate(doc: Doc, span: Span) -> Span:
    end = span.end
    if (
        doc[end - 1].lower_ not in TITLE_HEADS
        or end >= len(doc)
        or doc[end].lower_
        not in {
            "on",
            "for",
        }
    ):
        return span
    limit = min(len(doc), end + MANDATE_REACH)
    while end < limit and doc[end].lower_ not in MANDATE_END:
        end += 1
    if end >= limit or doc[end].lower_ in {".", ";"}:
        return span  # no verb in reach: not a title after all
    return Span(doc, span.start, end, label=span.label_)


@Language.factory("rw_issuers", default_config={"data_dir": ""})
def make_issuer_recognizer(nlp: Language, name: str, data_dir: str) -> IssuerRecognizer:
    register_extensions()
    return IssuerRecognizer(nlp, name, data_dir)
