"""Repository functions for documents: dedup by content hash, revisions on change."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.findings import signals_of_document, source_signal_row
from store.models import Document, Source, utcnow
from store.records import DocumentView, FetchedDocument, SignalRecord


class SaveResult(Enum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"


def content_hash(title: str, text: str) -> str:
    """Hash of what a reader sees; whitespace differences do not make a new revision."""
    normal = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def save_document(session: Session, item: FetchedDocument) -> SaveResult:
    """Store a fetched document once; a changed one becomes the next revision of its URL.

    The source's own signals (item.signals) are stored with a new revision, origin
    "source", so each revision keeps the level it had and a change between revisions shows.
    """
    digest = content_hash(item.title, item.text + _signals_key(item.signals))
    current = session.scalars(
        select(Document).where(Document.url == item.url, Document.is_current.is_(True))
    ).first()
    if current is not None and current.content_hash == digest:
        return SaveResult.UNCHANGED
    revision = 1
    if current is not None:
        current.is_current = False
        revision = current.revision + 1
    document = Document(
        source_id=item.source_id,
        url=item.url,
        title=item.title,
        text=item.text,
        published_at=item.published,
        fetched_at=item.fetched or utcnow(),
        language=item.language,
        content_hash=digest,
        revision=revision,
        is_current=True,
    )
    session.add(document)
    session.flush()
    session.add_all(source_signal_row(document.id, s) for s in item.signals)
    session.flush()
    return SaveResult.NEW if revision == 1 else SaveResult.REVISED


def _signals_key(signals: tuple[SignalRecord, ...]) -> str:
    """A changed level alone (same text) must still make a new revision."""
    return "".join(f"\n{s.category}|{s.country}|{s.area}|{s.level}" for s in signals)


@dataclass(frozen=True)
class LevelChange:
    """A source signal whose level differs from the previous revision (None: absent)."""

    category: str
    country: str
    area: str
    before: str | None
    after: str | None


def level_changes(session: Session, document_id: int) -> list[LevelChange]:
    """How the source's own levels changed from the previous revision of this document."""
    previous = previous_revision(session, document_id)
    after = signals_of_document(session, document_id)
    before = [] if previous is None else signals_of_document(session, previous.id)
    return compare_levels([s.record for s in before], [s.record for s in after])


def compare_levels(before: list[SignalRecord], after: list[SignalRecord]) -> list[LevelChange]:
    """Changes per (category, country, area); a lifted advisory shows as after=None."""
    old = {_place_key(s): s.level for s in before}
    new = {_place_key(s): s.level for s in after}
    changes = []
    for key in sorted(old.keys() | new.keys()):
        if key not in old or key not in new or old[key] != new[key]:
            changes.append(LevelChange(*key, old.get(key), new.get(key)))
    return changes


def _place_key(s: SignalRecord) -> tuple[str, str, str]:
    return (s.category, s.country, s.area.name if s.area else "")


def untagged_documents(session: Session, limit: int = 500) -> list[DocumentView]:
    """Current revisions that the tagger has not seen yet, oldest first."""
    rows = session.execute(
        select(Document, Source)
        .join(Source, Document.source_id == Source.id)
        .where(Document.tagged_at.is_(None), Document.is_current.is_(True))
        .order_by(Document.id)
        .limit(limit)
    )
    return [_view(doc, src) for doc, src in rows]


def mark_tagged(session: Session, document_id: int) -> None:
    doc = session.get(Document, document_id)
    if doc is None:
        raise KeyError(f"unknown document {document_id}")
    doc.tagged_at = utcnow()


def get_document(session: Session, document_id: int) -> DocumentView | None:
    row = session.execute(
        select(Document, Source).join(Source).where(Document.id == document_id)
    ).first()
    return None if row is None else _view(row[0], row[1])


def previous_revision(session: Session, document_id: int) -> DocumentView | None:
    """The revision before this one, so a change (a lifted advisory) can be seen as a diff."""
    doc = session.get(Document, document_id)
    if doc is None or doc.revision <= 1:
        return None
    row = session.execute(
        select(Document, Source)
        .join(Source)
        .where(Document.url == doc.url, Document.revision == doc.revision - 1)
    ).first()
    return None if row is None else _view(row[0], row[1])


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count(Document.id))) or 0


def _view(doc: Document, src: Source) -> DocumentView:
    return DocumentView(
        id=doc.id,
        source_id=doc.source_id,
        url=doc.url,
        title=doc.title,
        text=doc.text,
        published=doc.published_at,
        fetched=doc.fetched_at,
        revision=doc.revision,
        issuer=src.issuer,
        issuer_is_un=src.issuer_is_un,
        source_country=src.country,
    )
