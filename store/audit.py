"""Repository functions for the append-only audit log (seed principle 5: accountability)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AuditEntry, utcnow

SUBJECT_LIMIT = 200


@dataclass(frozen=True)
class AuditView:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: dict[str, Any]


def record(session: Session, actor: str, action: str, subject: str, **details: Any) -> None:
    """Append one entry; details are stored as JSON (dates as ISO text, other objects as text)."""
    session.add(
        AuditEntry(
            at=utcnow(),
            actor=actor,
            action=action,
            subject=subject[:SUBJECT_LIMIT],
            details={key: _jsonable(value) for key, value in details.items()},
        )
    )
    session.flush()


def list_entries(session: Session, limit: int = 200) -> list[AuditView]:
    """The newest entries first."""
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit))
    return [AuditView(r.id, r.at, r.actor, r.action, r.subject, dict(r.details)) for r in rows]


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return _jsonable(value.value)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    return str(value)
