"""Repository functions for documents: dedup by content hash, revisions on change."""

from __future__ import annotations

import hashlib
from enum import Enum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import Document, Source, utcnow
from store.records import DocumentView, FetchedDocument


class SaveResult(Enum):
    NEW = "new"
    REVISED = "revised"
    UNCHANGED = "unchanged"


def content_hash(title: str, text: str) -> str:
    """Hash of what a reader sees; whitespace differences do not make a new revision."""
    normal = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def save_document(session: Session, item: FetchedDocument) -> SaveResult:
    """Store a fetched document once; a changed one becomes the next revision of its URL."""
    digest = content_hash(item.title, item.text)
    current = session.scalars(
        select(Document).where(Document.url == item.url, Document.is_current.is_(True))
    ).first()
    if current is not None and current.content_hash == digest:
        return SaveResult.UNCHANGED
    revision = 1
    if current is not None:
        current.is_current = False
        revision = current.revision + 1
    session.add(
        Document(
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
    )
    session.flush()
    return SaveResult.NEW if revision == 1 else SaveResult.REVISED


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
