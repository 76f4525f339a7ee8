"""Shared set-up for the alerts tests: a migrated temporary SQLite store and sample evidence."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from store.documents import save_document
from store.findings import replace_findings
from store.models import Document
from store.records import Area, FetchedDocument, FindingRecord, SignalRecord, SourceSpec

SOURCES = [
    SourceSpec(
        id="unhcr",
        kind="rss",
        url="https://example.org/unhcr.xml",
        issuer="UNHCR",
        issuer_is_un=True,
    ),
    SourceSpec(
        id="hrw", kind="rss", url="https://example.org/hrw.xml", issuer="Human Rights Watch"
    ),
]


def un_call(
    country: str,
    evidence: str,
    area: Area | None = None,
    stance: str = "against_return",
    issuer: str = "UNHCR",
    un: bool = True,
) -> FindingRecord:
    return FindingRecord(
        stance=stance,
        scope="forced",
        issuer=issuer,
        issuer_is_un=un,  # type: ignore[arg-type]
        country=country,
        area=area,
        groups=(),
        condition=None,
        evidence=evidence,
        evidence_start=0,
        evidence_end=len(evidence),
        confidence=0.9,
    )


def add_document(
    session: Session,
    url: str,
    findings: list[FindingRecord],
    signals: list[SignalRecord] | None = None,
    source_id: str = "unhcr",
    published: datetime | None = None,
) -> tuple[list[int], list[int]]:
    """Store a document and its tagged findings, as the crawler and tagger would."""
    text = " ".join(f.evidence for f in findings) or "text"
    save_document(
        session,
        FetchedDocument(
            source_id=source_id,
            url=url,
            title=url,
            text=text,
            published=published or datetime(2026, 11, 10, tzinfo=UTC),
        ),
    )
    document_id = (
        session.query(Document.id)
        .filter(Document.url == url, Document.is_current.is_(True))
        .scalar()
    )
    assert document_id is not None
    return replace_findings(session, document_id, findings, signals or [])
