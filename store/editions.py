"""Repository functions for briefing editions: numbered, with the summary the next one diffs.

An edition is recorded when a briefing is printed (the stage or `returnwatch brief`) and
its content differs from the previous edition; the web view only reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import BriefingEdition, utcnow


@dataclass(frozen=True)
class EditionView:
    place: str
    number: int
    digest: str
    summary: dict[str, Any]
    created: datetime


def latest_editions(session: Session, place: str, limit: int = 2) -> list[EditionView]:
    """The newest editions of a place's briefing, newest first."""
    rows = session.scalars(
        select(BriefingEdition)
        .where(BriefingEdition.place == place)
        .order_by(BriefingEdition.number.desc())
        .limit(limit)
    )
    return [_view(r) for r in rows]


def add_edition(
    session: Session, place: str, number: int, digest: str, summary: dict[str, Any]
) -> EditionView:
    row = BriefingEdition(
        place=place, number=number, digest=digest, summary=summary, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    return _view(row)


def _view(row: BriefingEdition) -> EditionView:
    return EditionView(row.place, row.number, row.digest, dict(row.summary), row.created_at)
