"""Managers' decisions: the only way a place moves into or out of `suspended`.

Every decision needs a reason, which is kept (seed principle 5, accountability). With
`settings.four_eyes`, a suspension takes effect only when two different managers approve.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from alerts.places import PROPOSED_STATE
from config import Settings
from store import audit
from store.proposals import (
    add_decision,
    create_proposal,
    find_proposal_id,
    get_proposal,
    list_decisions,
    pending_for_place,
    set_proposal_state,
)
from store.records import DecisionView, Place, PlaceState, PlaceStatus, ProposalDraft, ProposalView
from store.statuses import effective_status, get_status, set_status, state_before

logger = logging.getLogger(__name__)

FOUR_EYES_APPROVALS = 2
APPROVED_STATE: dict[str, PlaceState] = {"suspend": "suspended", "resume": "normal"}


class DecisionError(Exception):
    """A decision cannot be taken: unknown or closed proposal, missing reason, same manager."""


@dataclass(frozen=True)
class DecisionOutcome:
    """A recorded decision, the proposal and the place's effective status after it."""

    decision: DecisionView
    proposal: ProposalView
    status: PlaceStatus
    took_effect: bool = True
    approvals_missing: int = 0

    def __str__(self) -> str:
        d, p = self.decision, self.proposal
        if not self.took_effect:
            return (
                f"approval of proposal {p.id} by {d.by} recorded; {self.approvals_missing} "
                "more approval(s) by a different manager needed (four-eyes)"
            )
        verdict = "approved" if d.approve else "rejected"
        return (
            f"proposal {p.id} ({p.kind} {p.place.key}) {verdict} by {d.by}; "
            f"{p.place.key} is now {self.status.state}"
        )


def decide(
    session: Session,
    proposal_id: int,
    approve: bool,
    by: str,
    reason: str,
    settings: Settings,
) -> DecisionOutcome:
    """Record a manager's approval or rejection and apply it to the proposal and status."""
    by, reason = by.strip(), reason.strip()
    proposal = _open_proposal(session, proposal_id, by, reason)
    needed = approvals_needed(proposal, settings) if approve else 1
    earlier = [d for d in list_decisions(session, proposal_id) if d.approve]
    if approve and needed > 1 and any(d.by.casefold() == by.casefold() for d in earlier):
        raise DecisionError(
            f"{by} has already approved proposal {proposal_id}; "
            "a second, different manager must approve it"
        )
    decision = add_decision(session, proposal_id, approve, by, reason)
    missing = max(0, needed - len(earlier) - 1) if approve else 0
    if missing:
        audit.record(
            session,
            by,
            "decision.approval_recorded",
            f"proposal {proposal_id}",
            place=proposal.place.key,
            missing=missing,
            reason=reason,
        )
        return _outcome(session, decision, proposal_id, took_effect=False, missing=missing)
    if approve:
        set_proposal_state(session, proposal_id, "approved")
        _apply_approval(session, proposal, decision)
    else:
        set_proposal_state(session, proposal_id, "rejected")
        _undo_proposal(session, proposal, decision)
    audit.record(
        session,
        by,
        "decision.approved" if approve else "decision.rejected",
        f"proposal {proposal_id}",
        kind=proposal.kind,
        place=proposal.place.key,
        reason=reason,
        decision=decision.id,
    )
    logger.info("proposal %d %s by %s", proposal_id, "approved" if approve else "rejected", by)
    return _outcome(session, decision, proposal_id)


def approvals_needed(proposal: ProposalView, settings: Settings) -> int:
    """How many different managers must approve before the proposal takes effect."""
    return FOUR_EYES_APPROVALS if settings.four_eyes and proposal.kind == "suspend" else 1


def record_past_suspension(
    session: Session, place: Place, by: str, reason: str, at: datetime
) -> int:
    """Record a suspension decided before returnwatch ran; running it again changes nothing."""
    if not reason.strip() or not by.strip():
        raise DecisionError("a past suspension needs the deciding manager and a reason")
    key = f"past:suspend:{place.key}:{at.isoformat()}"
    existing = find_proposal_id(session, key)
    if existing is not None:
        return existing
    draft = ProposalDraft(kind="suspend", place=place, rule="past_decision", summary=reason)
    proposal_id = create_proposal(session, draft, state="approved", created=at, dedup_key=key)
    if proposal_id is None:  # cannot happen inside one transaction; keeps mypy honest
        raise DecisionError(f"past suspension for {place.key} exists already")
    decision = add_decision(session, proposal_id, True, by, reason, at=at)
    set_status(session, place, "suspended", by=by, reason=reason, proposal_id=proposal_id, at=at)
    audit.record(
        session,
        by,
        "decision.recorded_past",
        f"proposal {proposal_id}",
        place=place.key,
        reason=reason,
        decision=decision.id,
        at=at,
    )
    return proposal_id


def _open_proposal(session: Session, proposal_id: int, by: str, reason: str) -> ProposalView:
    if not reason:
        raise DecisionError("a reason is required for every decision")
    if not by:
        raise DecisionError("the name of the deciding manager is required")
    proposal = get_proposal(session, proposal_id)
    if proposal is None:
        raise DecisionError(f"unknown proposal {proposal_id}")
    if proposal.state != "pending":
        raise DecisionError(f"proposal {proposal_id} is {proposal.state}, not pending")
    return proposal


def _apply_approval(session: Session, proposal: ProposalView, decision: DecisionView) -> None:
    """Approving a suspension suspends, a resumption resumes; a watch item stays on watch."""
    state = APPROVED_STATE.get(proposal.kind)
    if state is None:
        return
    set_status(
        session,
        proposal.place,
        state,
        by=decision.by,
        reason=decision.reason,
        proposal_id=proposal.id,
        at=decision.at,
    )


def _undo_proposal(session: Session, proposal: ProposalView, decision: DecisionView) -> None:
    """A rejection puts the place back where it was before the proposal."""
    current = get_status(session, proposal.place).state
    if current != PROPOSED_STATE[proposal.kind]:
        return
    if any(p.kind == proposal.kind for p in pending_for_place(session, proposal.place)):
        return  # another proposal of this kind still stands
    set_status(
        session,
        proposal.place,
        state_before(session, proposal.place),
        by=decision.by,
        reason=decision.reason,
        proposal_id=proposal.id,
        at=decision.at,
    )


def _outcome(
    session: Session,
    decision: DecisionView,
    proposal_id: int,
    took_effect: bool = True,
    missing: int = 0,
) -> DecisionOutcome:
    proposal = get_proposal(session, proposal_id)
    if proposal is None:
        raise DecisionError(f"unknown proposal {proposal_id}")
    return DecisionOutcome(
        decision, proposal, effective_status(session, proposal.place), took_effect, missing
    )
