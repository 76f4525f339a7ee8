"""Repository functions for sources: registry sync, conditional-GET state and health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Source, utcnow
from store.records import SourceSpec

ERROR_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class SourceHealth:
    id: str
    kind: str
    url: str
    enabled: bool
    last_checked: datetime | None
    last_ok: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    consecutive_failures: int


@dataclass(frozen=True)
class ConditionalState:
    etag: str | None
    last_modified: str | None


def sync_sources(session: Session, specs: list[SourceSpec]) -> None:
    """Make the sources table mirror sources.toml; sources no longer listed are disabled."""
    known = {s.id: s for s in session.scalars(select(Source))}
    for spec in specs:
        row = known.pop(spec.id, None)
        if row is None:
            row = Source(id=spec.id, consecutive_failures=0)
            session.add(row)
        elif row.url != spec.url:
            row.etag = row.last_modified = None  # validators belong to the old URL
        row.kind, row.url, row.issuer = spec.kind, spec.url, spec.issuer
        row.issuer_is_un, row.country = spec.issuer_is_un, spec.country
        row.interval_minutes, row.enabled = spec.interval_minutes, spec.enabled
        row.options = dict(spec.options)
    for row in known.values():
        row.enabled = False
    session.flush()


def get_conditional_state(session: Session, source_id: str) -> ConditionalState:
    row = session.get(Source, source_id)
    if row is None:
        return ConditionalState(None, None)
    return ConditionalState(row.etag, row.last_modified)


def record_success(
    session: Session, source_id: str, etag: str | None = None, last_modified: str | None = None
) -> None:
    """A fetch worked (200 or 304): keep the validators and reset the failure count."""
    row = _require(session, source_id)
    now = utcnow()
    row.last_checked_at = row.last_ok_at = now
    row.consecutive_failures = 0
    if etag is not None:
        row.etag = etag
    if last_modified is not None:
        row.last_modified = last_modified


def record_failure(session: Session, source_id: str, error: str) -> None:
    """A fetch or parse failed: keep the error text on the source's health record."""
    row = _require(session, source_id)
    now = utcnow()
    row.last_checked_at = row.last_error_at = now
    row.last_error = error[:ERROR_TEXT_LIMIT]
    row.consecutive_failures = (row.consecutive_failures or 0) + 1


def list_health(session: Session) -> list[SourceHealth]:
    rows = session.scalars(select(Source).order_by(Source.id))
    return [
        SourceHealth(
            r.id,
            r.kind,
            r.url,
            r.enabled,
            r.last_checked_at,
            r.last_ok_at,
            r.last_error,
            r.last_error_at,
            r.consecutive_failures or 0,
        )
        for r in rows
    ]


def _require(session: Session, source_id: str) -> Source:
    row = session.get(Source, source_id)
    if row is None:
        raise KeyError(f"unknown source {source_id!r}")
    return row
