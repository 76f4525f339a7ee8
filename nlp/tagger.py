"""Tag one text: run the pipeline and turn its Doc annotations into store records."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language

from nlp.annotations import Recommendation, SituationSignal
from store.records import Area, FindingRecord, Scope, SignalCategory, SignalRecord, Stance

TITLE_LENGTH = 200
METHOD = "rules+textcat"


@dataclass(frozen=True)
class TagResult:
    """Findings, situation signals and the countries (ISO3) a text mentions."""

    findings: list[FindingRecord] = field(default_factory=list)
    signals: list[SignalRecord] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


def tag_text(
    nlp: Language,
    text: str,
    *,
    default_issuer: str = "",
    default_issuer_is_un: bool = False,
    source_country: str | None = None,
) -> TagResult:
    """Tag a text (a document is tagged as its title + "\\n\\n" + body).

    The issuer falls back to the source's issuer when the text names none; a call that
    names no place falls back to the source's country, or is dropped. Evidence offsets are
    character offsets into `text`.
    """
    doc = nlp(text)
    findings = []
    for rec in doc._.rw_recommendations:
        finding = to_finding(rec, text, default_issuer, default_issuer_is_un, source_country)
        if finding is not None and finding not in findings:
            findings.append(finding)
    title = _first_line(text)
    signals = [to_signal(s, text, title) for s in doc._.rw_signals]
    mentions = sorted({p.country for p in doc._.rw_places})
    return TagResult(findings, signals, mentions)


def to_finding(
    rec: Recommendation,
    text: str,
    default_issuer: str,
    default_issuer_is_un: bool,
    source_country: str | None,
) -> FindingRecord | None:
    country = rec.country or source_country
    if not country:
        return None
    issuer, is_un = (
        (rec.issuer, rec.issuer_is_un) if rec.issuer else (default_issuer, default_issuer_is_un)
    )
    stance: Stance = "lifts" if rec.stance == "lifts" else "against_return"
    return FindingRecord(
        stance=stance,
        scope=_scope(rec.scope),
        issuer=issuer,
        issuer_is_un=is_un,
        country=country,
        area=Area(rec.area_name, rec.area_code) if rec.area_name else None,
        groups=rec.groups,
        condition=rec.condition,
        evidence=text[rec.start_char : rec.end_char],
        evidence_start=rec.start_char,
        evidence_end=rec.end_char,
        confidence=rec.confidence if rec.country else round(rec.confidence - 0.2, 2),
        method=METHOD,
    )


def to_signal(signal: SituationSignal, text: str, title: str) -> SignalRecord:
    category: SignalCategory = signal.category  # type: ignore[assignment]
    return SignalRecord(
        category=category,
        country=signal.country,
        title=title,
        area=Area(signal.area_name, signal.area_code) if signal.area_name else None,
        level=signal.level,
        evidence=text[signal.start_char : signal.end_char].strip(),
    )


def _scope(value: str) -> Scope:
    if value == "forced":
        return "forced"
    return "voluntary" if value == "voluntary" else "all"


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:TITLE_LENGTH]
    return ""
