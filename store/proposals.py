"""Repository functions for proposals (suspend / resume / watch) and managers' decisions.

A proposal is created once per dedup key; decisions are append-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.findings import findings_by_ids, signals_by_ids
from store.models import Decision, Proposal, ProposalFinding, ProposalSignal, utcnow
from store.records import DecisionView, Place, ProposalDraft, ProposalState, ProposalView

PROPOSAL_STATES: tuple[ProposalState, ...] = ("pending", "approved", "rejected", "superseded")


def create_proposal(
    session: Session,
    draft: ProposalDraft,
    *,
    state: ProposalState = "pending",
    created: datetime | None = None,
    dedup_key: str | None = None,
) -> int | None:
    """Store a rule's draft as a proposal with its evidence; None when its key exists already."""
    key = dedup_key or draft.dedup_key
    if session.scalar(select(Proposal.id).where(Proposal.dedup_key == key)) is not None:
        return None
    when = created or utcnow()
    row = Proposal(
        dedup_key=key,
        kind=draft.kind,
        country=draft.place.country,
        area=draft.place.area,
        area_code=draft.place.area_code,
        state=state,
        rule=draft.rule,
        summary=draft.summary,
        priority=draft.priority,
        created_at=when,
        updated_at=when,
    )
    session.add(row)
    session.flush()
    session.add_all(
        ProposalFinding(proposal_id=row.id, finding_id=f) for f in sorted(set(draft.finding_ids))
    )
    session.add_all(
        ProposalSignal(proposal_id=row.id, signal_id=s) for s in sorted(set(draft.signal_ids))
    )
    session.flush()
    return row.id


def find_proposal_id(session: Session, dedup_key: str) -> int | None:
    return session.scalar(select(Proposal.id).where(Proposal.dedup_key == dedup_key))


def list_proposals(
    session: Session, states: Sequence[str] | None = None, country: str | None = None
) -> list[ProposalView]:
    """Proposals in the given states (all when None), highest priority first, then oldest."""
    query = select(Proposal).order_by(Proposal.priority.desc(), Proposal.id)
    if states is not None:
        query = query.where(Proposal.state.in_(list(states)))
    if country is not None:
        query = query.where(Proposal.country == country.upper())
    return [_view(session, row) for row in session.scalars(query)]


def get_proposal(session: Session, proposal_id: int) -> ProposalView | None:
    row = session.get(Proposal, proposal_id)
    return None if row is None else _view(session, row)


def pending_for_place(session: Session, place: Place) -> list[ProposalView]:
    """Pending proposals for exactly this place (a country's do not include its areas')."""
    rows = session.scalars(
        select(Proposal)
        .where(
            Proposal.state == "pending",
            Proposal.country == place.country,
            Proposal.area == place.area,
        )
        .order_by(Proposal.id)
    )
    return [_view(session, row) for row in rows]


def set_proposal_state(session: Session, proposal_id: int, state: ProposalState) -> None:
    if state not in PROPOSAL_STATES:
        raise ValueError(f"unknown proposal state {state!r}")
    row = _require(session, proposal_id)
    row.state, row.updated_at = state, utcnow()
    session.flush()


def add_decision(
    session: Session,
    proposal_id: int,
    approve: bool,
    by: str,
    reason: str,
    at: datetime | None = None,
) -> DecisionView:
    """Append a manager's approval or rejection; it never changes afterwards."""
    _require(session, proposal_id)
    row = Decision(
        proposal_id=proposal_id, approve=approve, by=by, reason=reason, at=at or utcnow()
    )
    session.add(row)
    session.flush()
    return _decision_view(row)


def list_decisions(session: Session, proposal_id: int | None = None) -> list[DecisionView]:
    """Decisions oldest first, for one proposal or all."""
    query = select(Decision).order_by(Decision.at, Decision.id)
    if proposal_id is not None:
        query = query.where(Decision.proposal_id == proposal_id)
    return [_decision_view(row) for row in session.scalars(query)]


def decisions_for_country(
    session: Session, country: str
) -> list[tuple[DecisionView, ProposalView]]:
    """Decisions about a country and its areas, newest first, each with its proposal."""
    rows = session.execute(
        select(Decision, Proposal)
        .join(Proposal, Decision.proposal_id == Proposal.id)
        .where(Proposal.country == country.upper())
        .order_by(Decision.at.desc(), Decision.id.desc())
    )
    return [(_decision_view(d), _view(session, p)) for d, p in rows]


def _require(session: Session, proposal_id: int) -> Proposal:
    row = session.get(Proposal, proposal_id)
    if row is None:
        raise KeyError(f"unknown proposal {proposal_id}")
    return row


def _view(session: Session, row: Proposal) -> ProposalView:
    finding_ids = session.scalars(
        select(ProposalFinding.finding_id).where(ProposalFinding.proposal_id == row.id)
    ).all()
    signal_ids = session.scalars(
        select(ProposalSignal.signal_id).where(ProposalSignal.proposal_id == row.id)
    ).all()
    approvals = (
        session.scalar(
            select(func.count(Decision.id)).where(
                Decision.proposal_id == row.id, Decision.approve.is_(True)
            )
        )
        or 0
    )
    findings = sorted(findings_by_ids(session, list(finding_ids)), key=lambda f: f.id)
    signals = sorted(signals_by_ids(session, list(signal_ids)), key=lambda s: s.id)
    return ProposalView(
        id=row.id,
        kind=row.kind,  # type: ignore[arg-type]
        place=Place(row.country, row.area, row.area_code),
        state=row.state,  # type: ignore[arg-type]
        rule=row.rule,
        summary=row.summary,
        priority=row.priority,
        created=row.created_at,
        findings=tuple(findings),
        signals=tuple(signals),
        approvals=approvals,
    )


def _decision_view(row: Decision) -> DecisionView:
    return DecisionView(
        id=row.id,
        proposal_id=row.proposal_id,
        approve=row.approve,
        by=row.by,
        reason=row.reason,
        at=row.at,
    )
