"""Repository functions for the status of each country and area, with its history.

A place with no row is `normal`. An area's own status leaves the rest of its country as
it is; a country's status covers its areas (see `effective_status`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import PlaceStatusRow, StatusChange, utcnow
from store.records import Place, PlaceState, PlaceStatus

logger = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PLACE_STATES: tuple[PlaceState, ...] = (
    "normal",
    "watch",
    "suspension_proposed",
    "resumption_proposed",
    "suspended",
)
# How strongly a state restricts assistance: a country's stronger state covers its areas.
_RANK = {state: rank for rank, state in enumerate(PLACE_STATES)}
# States in which assistance is suspended in effect (a resumption is only proposed).
SUSPENDED_STATES: frozenset[str] = frozenset({"suspended", "resumption_proposed"})


@dataclass(frozen=True)
class StatusChangeView:
    country: str
    area: str
    old_state: PlaceState
    new_state: PlaceState
    at: datetime
    by: str | None
    reason: str | None
    proposal_id: int | None


def is_suspended(state: str) -> bool:
    """True when assistance is suspended in effect (also while a resumption is pending)."""
    return state in SUSPENDED_STATES


def get_status(session: Session, place: Place) -> PlaceStatus:
    """The place's own status; `normal` since the epoch when it never had one."""
    row = _find_row(session, place)
    if row is None:
        return PlaceStatus(place=place, state="normal", since=EPOCH)
    return _view(row)


def list_statuses(session: Session, country: str | None = None) -> list[PlaceStatus]:
    """Every stored status (countries before their areas), optionally for one country."""
    query = select(PlaceStatusRow).order_by(PlaceStatusRow.country, PlaceStatusRow.area)
    if country is not None:
        query = query.where(PlaceStatusRow.country == country.upper())
    return [_view(row) for row in session.scalars(query)]


def effective_status(session: Session, place: Place) -> PlaceStatus:
    """The status that applies: an area takes its country's status when that is stronger."""
    own = get_status(session, place)
    if not place.area:
        return own
    country = get_status(session, Place(place.country))
    if _RANK[country.state] > _RANK[own.state]:
        return PlaceStatus(
            place=own.place,
            state=country.state,
            since=country.since,
            decided_by=country.decided_by,
            reason=country.reason,
            proposal_id=country.proposal_id,
        )
    return own


def set_status(
    session: Session,
    place: Place,
    state: PlaceState,
    *,
    by: str | None,
    reason: str | None,
    proposal_id: int | None,
    at: datetime | None = None,
    automatic: bool = False,
) -> None:
    """Move a place to `state` and append the transition to its history.

    Setting the state a place already has writes no history; it only points the status at
    the newer proposal. An automatic move (a proposal, not a decision) keeps the row's
    last decision (who and why) so that it is never shown as decided by the machine.
    """
    if state not in _RANK:
        raise ValueError(f"unknown place state {state!r}")
    when = at or utcnow()
    row = _find_row(session, place)
    if row is None:
        row = PlaceStatusRow(
            country=place.country,
            area=place.area,
            area_code=place.area_code,
            state="normal",
            since=EPOCH,
        )
        session.add(row)
    elif row.state == state:
        if proposal_id is not None:
            row.proposal_id = proposal_id
        session.flush()
        return
    if place.area_code and not row.area_code:
        row.area_code = place.area_code
    session.add(
        StatusChange(
            country=row.country,
            area=row.area,
            old_state=row.state,
            new_state=state,
            at=when,
            by=by,
            reason=reason,
            proposal_id=proposal_id,
        )
    )
    logger.info("status of %s: %s -> %s", place.key, row.state, state)
    row.state, row.since, row.proposal_id = state, when, proposal_id
    if not automatic:
        row.decided_by, row.reason = by, reason
    session.flush()


def status_history(session: Session, country: str) -> list[StatusChangeView]:
    """All transitions for a country and its areas, oldest first."""
    rows = session.scalars(
        select(StatusChange)
        .where(StatusChange.country == country.upper())
        .order_by(StatusChange.at, StatusChange.id)
    )
    return [
        StatusChangeView(
            country=r.country,
            area=r.area,
            old_state=r.old_state,  # type: ignore[arg-type]
            new_state=r.new_state,  # type: ignore[arg-type]
            at=r.at,
            by=r.by,
            reason=r.reason,
            proposal_id=r.proposal_id,
        )
        for r in rows
    ]


def state_before(session: Session, place: Place) -> PlaceState:
    """The state the place had before it entered its current one (for undoing a proposal)."""
    row = _find_row(session, place)
    if row is None:
        return "normal"
    change = session.scalars(
        select(StatusChange)
        .where(
            StatusChange.country == row.country,
            StatusChange.area == row.area,
            StatusChange.new_state == row.state,
        )
        .order_by(StatusChange.at.desc(), StatusChange.id.desc())
    ).first()
    return "normal" if change is None else change.old_state  # type: ignore[return-value]


def _find_row(session: Session, place: Place) -> PlaceStatusRow | None:
    # An area is known by its name; its ISO 3166-2 code finds it under another spelling.
    row = session.scalars(
        select(PlaceStatusRow).where(
            PlaceStatusRow.country == place.country, PlaceStatusRow.area == place.area
        )
    ).first()
    if row is None and place.area and place.area_code:
        row = session.scalars(
            select(PlaceStatusRow).where(
                PlaceStatusRow.country == place.country, PlaceStatusRow.area_code == place.area_code
            )
        ).first()
    return row


def _view(row: PlaceStatusRow) -> PlaceStatus:
    return PlaceStatus(
        place=Place(row.country, row.area, row.area_code),
        state=row.state,  # type: ignore[arg-type]
        since=row.since,
        decided_by=row.decided_by,
        reason=row.reason,
        proposal_id=row.proposal_id,
    )
