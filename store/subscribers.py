"""Repository functions for staff who subscribe: the product's only personal data."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Subscriber
from store.records import SubscriberView

ROLES = ("manager", "counsellor")
MODES = ("immediate", "digest")


class SubscriberError(ValueError):
    """A subscriber's role, mode, email or country list is invalid."""


def add_subscriber(
    session: Session,
    name: str,
    email: str,
    role: str,
    countries: Iterable[str] = (),
    mode: str = "immediate",
    language: str = "en",
    regions: Iterable[str] = (),
) -> int:
    """Add a subscriber, or update (and reactivate) the one with that email address.

    `regions` are region names (alerts.regions); no countries and no regions means all.
    """
    address = email.strip().lower()
    codes = sorted({c.strip().upper() for c in countries})
    names = sorted({" ".join(r.split()) for r in regions if r.strip()})
    lang = language.strip().lower().replace("_", "-")
    _validate(address, role, mode, codes)
    if not lang or len(lang) > 10 or not lang.replace("-", "").isalpha():
        raise SubscriberError(f"language must be a code such as en or fr, not {language!r}")
    row = session.scalars(select(Subscriber).where(Subscriber.email == address)).first()
    if row is None:
        row = Subscriber(email=address)
        session.add(row)
    row.name, row.role, row.countries, row.regions = name.strip(), role, codes, names
    row.mode, row.language, row.active = mode, lang, True
    session.flush()
    return row.id


def list_subscribers(
    session: Session, role: str | None = None, active_only: bool = True
) -> list[SubscriberView]:
    query = select(Subscriber).order_by(Subscriber.id)
    if role is not None:
        query = query.where(Subscriber.role == role)
    if active_only:
        query = query.where(Subscriber.active.is_(True))
    return [_view(row) for row in session.scalars(query)]


def remove_subscriber(session: Session, email: str) -> bool:
    """Deactivate a subscriber; False when no active subscriber has that address."""
    row = session.scalars(
        select(Subscriber).where(Subscriber.email == email.strip().lower())
    ).first()
    if row is None or not row.active:
        return False
    row.active = False
    session.flush()
    return True


def _validate(email: str, role: str, mode: str, countries: list[str]) -> None:
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise SubscriberError(f"not an email address: {email!r}")
    if role not in ROLES:
        raise SubscriberError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if mode not in MODES:
        raise SubscriberError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    bad = [c for c in countries if len(c) != 3 or not c.isalpha()]
    if bad:
        raise SubscriberError(f"countries must be ISO 3166-1 alpha-3 codes: {bad}")


def _view(row: Subscriber) -> SubscriberView:
    return SubscriberView(
        id=row.id,
        name=row.name,
        email=row.email,
        role=row.role,  # type: ignore[arg-type]
        countries=tuple(row.countries),
        mode=row.mode,  # type: ignore[arg-type]
        language=row.language,
        regions=tuple(row.regions or ()),
    )
