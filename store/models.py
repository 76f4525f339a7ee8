"""SQLAlchemy 2.x models: the only place the schema is written down (Alembic mirrors it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and always returns them aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class Source(Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(String(200), default="")
    issuer_is_un: Mapped[bool] = mapped_column(Boolean, default=False)
    country: Mapped[str | None] = mapped_column(String(3))
    interval_minutes: Mapped[int] = mapped_column(Integer, default=60)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Conditional-GET state.
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    # Health.
    last_checked_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None]
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("url", "revision", name="uq_documents_url_revision"),
        Index("ix_documents_url_current", "url", "is_current"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text, default="")
    published_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    language: Mapped[str] = mapped_column(String(10), default="en")
    text: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    tagged_at: Mapped[datetime | None] = mapped_column(index=True)

    source: Mapped[Source] = relationship()


class Finding(Base):
    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    stance: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(20))
    issuer: Mapped[str] = mapped_column(String(200))
    issuer_is_un: Mapped[bool] = mapped_column(Boolean)
    country: Mapped[str] = mapped_column(String(3), index=True)
    area_name: Mapped[str] = mapped_column(String(200), default="")
    area_code: Mapped[str | None] = mapped_column(String(10))
    groups: Mapped[list[str]] = mapped_column(default=list)
    condition: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str] = mapped_column(Text)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessed_at: Mapped[datetime | None] = mapped_column(index=True)

    document: Mapped[Document] = relationship()


class Signal(Base):
    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    category: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(3), index=True)
    area_name: Mapped[str] = mapped_column(String(200), default="")
    area_code: Mapped[str | None] = mapped_column(String(10))
    level: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    evidence: Mapped[str | None] = mapped_column(Text)
    date: Mapped[datetime | None]
    # "source": a structured fact the source itself published (GDACS level, advisory
    # level); "tagger": read from the text. Re-tagging replaces only the tagger's rows.
    origin: Mapped[str] = mapped_column(String(10), default="tagger", server_default="tagger")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    assessed_at: Mapped[datetime | None] = mapped_column(index=True)


class PlaceStatusRow(Base):
    """Current status of a country (area '') or an area."""

    __tablename__ = "statuses"
    __table_args__ = (UniqueConstraint("country", "area", name="uq_statuses_place"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(3))
    area: Mapped[str] = mapped_column(String(200), default="")
    area_code: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(30), default="normal")
    since: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))


class StatusChange(Base):
    """History of statuses: one row per transition, never updated."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    country: Mapped[str] = mapped_column(String(3), index=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    old_state: Mapped[str] = mapped_column(String(30))
    new_state: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    by: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(Text)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))


class ProposalFinding(Base):
    __tablename__ = "proposal_findings"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id"), primary_key=True)


class ProposalSignal(Base):
    __tablename__ = "proposal_signals"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id"), primary_key=True)


class Proposal(Base):
    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    country: Mapped[str] = mapped_column(String(3), index=True)
    area: Mapped[str] = mapped_column(String(200), default="")
    area_code: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    rule: Mapped[str] = mapped_column(String(100))
    summary: Mapped[str] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Decision(Base):
    """Append-only: a manager's approval or rejection of a proposal."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    approve: Mapped[bool] = mapped_column(Boolean)
    by: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only audit log of every step: proposals, decisions, status changes, mail."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60))
    subject: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Subscriber(Base):
    __tablename__ = "subscribers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    countries: Mapped[list[str]] = mapped_column(default=list)
    # Named groups of countries (settings.regions_file), followed as the list stands today.
    regions: Mapped[list[str]] = mapped_column(default=list)
    mode: Mapped[str] = mapped_column(String(20), default="immediate")
    language: Mapped[str] = mapped_column(String(10), default="en")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class OutboxMessage(Base):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(400), unique=True)
    message_id: Mapped[str] = mapped_column(String(300), unique=True)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class JobRun(Base):
    """Last run of each stage, so the daemon catches up from the store after downtime."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class WebUser(Base):
    """A member of staff who signs in to the web UI; only a password hash is kept."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class BriefingEdition(Base):
    """A printed edition of a place's briefing, with the content summary the next one diffs."""

    __tablename__ = "briefing_editions"
    __table_args__ = (UniqueConstraint("place", "number", name="uq_briefing_editions_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place: Mapped[str] = mapped_column(String(220), index=True)
    number: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
