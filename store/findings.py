"""Repository functions for findings (recommendations) and signals (situation)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from store.models import Document, Finding, Signal, utcnow
from store.records import Area, FindingRecord, SignalRecord, StoredFinding, StoredSignal

TAGGER = "tagger"
SOURCE = "source"


def replace_findings(
    session: Session,
    document_id: int,
    findings: Iterable[FindingRecord],
    signals: Iterable[SignalRecord],
) -> tuple[list[int], list[int]]:
    """Store the tagger's results for one document revision, replacing any earlier run."""
    session.execute(
        delete(Finding).where(Finding.document_id == document_id, Finding.assessed_at.is_(None))
    )
    session.execute(
        delete(Signal).where(
            Signal.document_id == document_id,
            Signal.assessed_at.is_(None),
            Signal.origin == TAGGER,
        )
    )
    finding_rows = [_finding_row(document_id, f) for f in findings]
    signal_rows = [_signal_row(document_id, s) for s in signals]
    session.add_all(finding_rows)
    session.add_all(signal_rows)
    session.flush()
    return [r.id for r in finding_rows], [r.id for r in signal_rows]


def add_signal(session: Session, signal: SignalRecord, document_id: int | None = None) -> int:
    row = _signal_row(document_id, signal)
    session.add(row)
    session.flush()
    return row.id


def unassessed_findings(session: Session) -> list[StoredFinding]:
    """Findings the rules have not looked at yet, oldest statement first."""
    rows = session.execute(
        select(Finding, Document)
        .join(Document)
        .where(Finding.assessed_at.is_(None))
        .order_by(Document.published_at.is_(None), Document.published_at, Finding.id)
    )
    return [_stored_finding(f, d) for f, d in rows]


def unassessed_signals(session: Session) -> list[StoredSignal]:
    rows = session.scalars(select(Signal).where(Signal.assessed_at.is_(None)).order_by(Signal.id))
    return [_stored_signal(s) for s in rows]


def mark_assessed(
    session: Session, finding_ids: Sequence[int], signal_ids: Sequence[int] = ()
) -> None:
    now = utcnow()
    if finding_ids:
        session.execute(update(Finding).where(Finding.id.in_(finding_ids)).values(assessed_at=now))
    if signal_ids:
        session.execute(update(Signal).where(Signal.id.in_(signal_ids)).values(assessed_at=now))


def findings_by_ids(session: Session, ids: Sequence[int]) -> list[StoredFinding]:
    if not ids:
        return []
    rows = session.execute(select(Finding, Document).join(Document).where(Finding.id.in_(ids)))
    return [_stored_finding(f, d) for f, d in rows]


def signals_by_ids(session: Session, ids: Sequence[int]) -> list[StoredSignal]:
    if not ids:
        return []
    return [_stored_signal(s) for s in session.scalars(select(Signal).where(Signal.id.in_(ids)))]


def findings_for_country(session: Session, country: str) -> list[StoredFinding]:
    """All findings about a country and its areas, newest statement first."""
    rows = session.execute(
        select(Finding, Document)
        .join(Document)
        .where(Finding.country == country)
        .order_by(Document.published_at.desc(), Finding.id.desc())
    )
    return [_stored_finding(f, d) for f, d in rows]


def signals_for_country(
    session: Session, country: str, since: datetime | None = None
) -> list[StoredSignal]:
    query = select(Signal).where(Signal.country == country)
    if since is not None:
        query = query.where(Signal.created_at >= since)
    return [_stored_signal(s) for s in session.scalars(query.order_by(Signal.id.desc()))]


def countries_with_findings(session: Session) -> list[str]:
    found = session.scalars(select(Finding.country).distinct()).all()
    signalled = session.scalars(select(Signal.country).distinct()).all()
    return sorted(set(found) | set(signalled))


def _finding_row(document_id: int, f: FindingRecord) -> Finding:
    return Finding(
        document_id=document_id,
        stance=f.stance,
        scope=f.scope,
        issuer=f.issuer,
        issuer_is_un=f.issuer_is_un,
        country=f.country,
        area_name=f.area.name if f.area else "",
        area_code=f.area.code if f.area else None,
        groups=list(f.groups),
        condition=f.condition,
        evidence=f.evidence,
        evidence_start=f.evidence_start,
        evidence_end=f.evidence_end,
        confidence=f.confidence,
        method=f.method,
    )


def source_signal_row(document_id: int, s: SignalRecord) -> Signal:
    """A row for a fact the source published itself; re-tagging leaves it alone."""
    row = _signal_row(document_id, s)
    row.origin = SOURCE
    return row


def signals_of_document(session: Session, document_id: int) -> list[StoredSignal]:
    """All signals of one document revision, in the order they were stored."""
    query = select(Signal).where(Signal.document_id == document_id).order_by(Signal.id)
    return [_stored_signal(s) for s in session.scalars(query)]


def _signal_row(document_id: int | None, s: SignalRecord) -> Signal:
    return Signal(
        origin=TAGGER,
        document_id=document_id,
        category=s.category,
        country=s.country,
        area_name=s.area.name if s.area else "",
        area_code=s.area.code if s.area else None,
        level=s.level,
        title=s.title,
        url=s.url,
        evidence=s.evidence,
        date=s.date,
    )


def _stored_finding(f: Finding, d: Document) -> StoredFinding:
    record = FindingRecord(
        stance=f.stance,  # type: ignore[arg-type]
        scope=f.scope,  # type: ignore[arg-type]
        issuer=f.issuer,
        issuer_is_un=f.issuer_is_un,
        country=f.country,
        area=Area(f.area_name, f.area_code) if f.area_name else None,
        groups=tuple(f.groups),
        condition=f.condition,
        evidence=f.evidence,
        evidence_start=f.evidence_start,
        evidence_end=f.evidence_end,
        confidence=f.confidence,
        method=f.method,
    )
    return StoredFinding(f.id, d.id, record, d.title, d.url, d.published_at, d.source_id)


def _stored_signal(s: Signal) -> StoredSignal:
    record = SignalRecord(
        category=s.category,  # type: ignore[arg-type]
        country=s.country,
        title=s.title,
        area=Area(s.area_name, s.area_code) if s.area_name else None,
        level=s.level,
        date=s.date,
        url=s.url,
        evidence=s.evidence,
    )
    return StoredSignal(s.id, s.document_id, record, s.created_at)
