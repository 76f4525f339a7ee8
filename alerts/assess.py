"""The assess stage: new findings and signals -> rules -> pending proposals and statuses.

Idempotent: findings and signals are marked assessed, and proposals are unique by their
dedup key, so a second run creates nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alerts.places import PROPOSED_STATE, suspended_in_effect
from alerts.rules import Facts, Policy, Supersession, level_set, run_rules, supersessions
from config import Settings
from store import audit
from store.findings import mark_assessed, unassessed_findings, unassessed_signals
from store.proposals import create_proposal, list_proposals, set_proposal_state
from store.records import ProposalDraft
from store.statuses import get_status, list_statuses, set_status, state_before

logger = logging.getLogger(__name__)

ACTOR = "returnwatch"


@dataclass(frozen=True)
class AssessReport:
    """What one run of the stage did."""

    findings: int = 0
    signals: int = 0
    created: tuple[int, ...] = ()
    superseded: tuple[int, ...] = ()
    status_changes: tuple[str, ...] = ()

    def __str__(self) -> str:
        created = ", ".join(f"#{i}" for i in self.created) or "none"
        text = (
            f"assessed {self.findings} finding(s) and {self.signals} signal(s); "
            f"proposals created: {created}; superseded: {len(self.superseded)}"
        )
        return "; ".join([text, *self.status_changes])


def assess(session: Session, settings: Settings) -> AssessReport:
    """Run the rules over everything not yet assessed and carry out what they propose."""
    findings = unassessed_findings(session)
    signals = unassessed_signals(session)
    if not findings and not signals:
        return AssessReport()
    facts = Facts(
        findings=tuple(findings),
        signals=tuple(signals),
        statuses=tuple(list_statuses(session)),
        pending=tuple(list_proposals(session, states=["pending"])),
        policy=policy_of(settings),
    )
    drafts = run_rules(facts)
    created: list[int] = []
    stored: list[ProposalDraft] = []
    changes: list[str] = []
    for draft in drafts:
        proposal_id = create_proposal(session, draft)
        if proposal_id is None:
            continue
        created.append(proposal_id)
        stored.append(draft)
        audit.record(
            session,
            ACTOR,
            "proposal.created",
            f"proposal {proposal_id}",
            kind=draft.kind,
            place=draft.place.key,
            rule=draft.rule,
            priority=draft.priority,
            findings=list(draft.finding_ids),
            signals=list(draft.signal_ids),
        )
        changes += _move_status(session, draft, proposal_id)
    # An older proposal gives way only to a replacement that was actually stored.
    replaced = [
        item
        for item in supersessions(facts, drafts)
        if item.replaced_by is None or item.replaced_by in stored
    ]
    superseded, restored = _supersede(session, replaced)
    changes += restored
    mark_assessed(session, [f.id for f in findings], [s.id for s in signals])
    audit.record(
        session,
        ACTOR,
        "assess.run",
        "assess",
        findings=len(findings),
        signals=len(signals),
        created=created,
        superseded=superseded,
        programme=settings.programme_name,
    )
    logger.info(
        "assessed %d findings and %d signals: %d proposals, %d superseded",
        len(findings),
        len(signals),
        len(created),
        len(superseded),
    )
    return AssessReport(
        len(findings), len(signals), tuple(created), tuple(superseded), tuple(changes)
    )


def policy_of(settings: Settings) -> Policy:
    """The programme's rule thresholds, from its settings."""
    return Policy(
        disaster_levels=level_set(settings.watch_disaster_levels),
        travel_levels=level_set(settings.watch_travel_levels),
        outbreaks=settings.watch_outbreaks,
    )


def _supersede(session: Session, replaced: list[Supersession]) -> tuple[list[int], list[str]]:
    """Mark older proposals superseded; a resumption contradicted by a new call is undone."""
    done: list[int] = []
    changes: list[str] = []
    for item in replaced:
        if item.proposal_id in done:
            continue
        done.append(item.proposal_id)
        set_proposal_state(session, item.proposal_id, "superseded")
        audit.record(
            session,
            ACTOR,
            "proposal.superseded",
            f"proposal {item.proposal_id}",
            place=item.place.key,
            reason=item.reason,
        )
        if item.replaced_by is None and item.kind == "resume":
            changes += _restore(session, item)
    return done, changes


def _restore(session: Session, item: Supersession) -> list[str]:
    """Put a place back in the state it had before a proposal that no longer stands."""
    current = get_status(session, item.place)
    if current.state != PROPOSED_STATE[item.kind]:
        return []
    before = state_before(session, item.place)
    set_status(
        session,
        item.place,
        before,
        by=ACTOR,
        reason=item.reason,
        proposal_id=item.proposal_id,
        automatic=True,
    )
    audit.record(
        session,
        ACTOR,
        "status.changed",
        item.place.key,
        old=current.state,
        new=before,
        proposal=item.proposal_id,
    )
    return [f"{item.place.key}: {current.state} -> {before}"]


def _move_status(session: Session, draft: ProposalDraft, proposal_id: int) -> list[str]:
    """Show a new proposal in the place's status; only a decision suspends or resumes."""
    current = get_status(session, draft.place)
    target = PROPOSED_STATE[draft.kind]
    if draft.kind == "watch" and current.state not in ("normal", "watch"):
        return []
    if draft.kind == "suspend" and suspended_in_effect(list_statuses(session), draft.place):
        return []
    set_status(
        session,
        draft.place,
        target,
        by=ACTOR,
        reason=draft.summary,
        proposal_id=proposal_id,
        automatic=True,
    )
    if current.state == target:
        return []
    audit.record(
        session,
        ACTOR,
        "status.changed",
        draft.place.key,
        old=current.state,
        new=target,
        proposal=proposal_id,
    )
    return [f"{draft.place.key}: {current.state} -> {target}"]
