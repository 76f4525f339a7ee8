"""Repository functions for the web UI's users (staff who sign in; only password hashes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import WebUser, utcnow

Role = Literal["manager", "counsellor"]
ROLES: tuple[Role, ...] = ("manager", "counsellor")


@dataclass(frozen=True)
class WebUserView:
    id: int
    email: str
    role: Role
    password_hash: str
    active: bool
    last_login: datetime | None


def save_user(session: Session, email: str, role: Role, password_hash: str) -> int:
    """Add a user, or update the role and password of the one with this email."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    key = email.strip().lower()
    row = session.scalars(select(WebUser).where(WebUser.email == key)).first()
    if row is None:
        row = WebUser(email=key, role=role, password_hash=password_hash, active=True)
        session.add(row)
    else:
        row.role, row.password_hash, row.active = role, password_hash, True
    session.flush()
    return row.id


def find_user(session: Session, email: str) -> WebUserView | None:
    row = session.scalars(select(WebUser).where(WebUser.email == email.strip().lower())).first()
    return None if row is None else _view(row)


def get_user(session: Session, user_id: int) -> WebUserView | None:
    row = session.get(WebUser, user_id)
    return None if row is None else _view(row)


def list_users(session: Session) -> list[WebUserView]:
    return [_view(r) for r in session.scalars(select(WebUser).order_by(WebUser.email))]


def mark_login(session: Session, user_id: int) -> None:
    row = session.get(WebUser, user_id)
    if row is not None:
        row.last_login_at = utcnow()
        session.flush()


def _view(row: WebUser) -> WebUserView:
    return WebUserView(
        id=row.id,
        email=row.email,
        role=row.role,  # type: ignore[arg-type]
        password_hash=row.password_hash,
        active=row.active,
        last_login=row.last_login_at,
    )
