"""The notification stage: queue alerts, confirmations, reminders and digests, once each.

Who gets what: managers in `immediate` mode get an alert per suspension or resumption
proposal (and per watch item backed by settings.urgent_priority sources); everyone who
follows a country gets the confirmation of a decision about it; managers get reminders;
everyone gets the daily digest (for `digest` subscribers it is the only mail besides
confirmations and reminders). Queuing is idempotent through the outbox's unique dedup keys
(`alert:{proposal}:{email}`, `decision:{decision}:{email}`, `reminder:...`,
`digest:{day}:{email}`); sending is alerts.outbox's job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from alerts.digest import due_day, queue_digests
from alerts.email import (
    alert_key,
    decision_key,
    render_decision_confirmation,
    render_proposal_alert,
)
from alerts.regions import Regions, load_regions
from alerts.reminders import queue_reminders
from config import Settings
from store.models import utcnow
from store.outbox import enqueue, queued_keys
from store.proposals import get_proposal, list_decisions, list_proposals
from store.records import (
    DecisionView,
    OutgoingMessage,
    PlaceStatus,
    ProposalView,
    SubscriberView,
)
from store.statuses import effective_status
from store.subscribers import list_subscribers

logger = logging.getLogger(__name__)

ALERT_KINDS = ("suspend", "resume")
# Confirmations go out for recent decisions only, so that a subscriber added today is not
# sent the whole history (nor the back-dated suspensions a deployment is seeded with).
DECISION_NOTICE_WINDOW = timedelta(days=7)


def queue_alerts(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Queue proposal alerts to managers and decision confirmations; returns how many are new."""
    subscribers = list_subscribers(session)
    regions = load_regions(settings.regions_file)
    managers = [s for s in subscribers if s.role == "manager" and s.mode == "immediate"]
    queued = 0
    for proposal in list_proposals(session, states=["pending"]):
        if proposal.kind in ALERT_KINDS or _urgent(proposal, settings):
            queued += _queue_proposal_alert(session, settings, proposal, managers, regions)
    since = (now or utcnow()) - DECISION_NOTICE_WINDOW
    for decision in list_decisions(session):
        if decision.at < since:
            continue
        decided = get_proposal(session, decision.proposal_id)
        if decided is not None:
            queued += _queue_confirmation(
                session, settings, decision, decided, subscribers, regions
            )
    if queued:
        logger.info("queued %d messages", queued)
    return queued


def queue_notifications(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Everything `returnwatch notify` queues: alerts, confirmations, reminders, due digest."""
    moment = now or utcnow()
    return (
        queue_alerts(session, settings, now=moment)
        + queue_reminders(session, settings, now=moment)
        + queue_digests(session, settings, due_day(moment, settings))
    )


def _urgent(proposal: ProposalView, settings: Settings) -> bool:
    """A watch item backed by enough sources is mailed at once, not only in the digest."""
    return 0 < settings.urgent_priority <= proposal.priority


def _queue_proposal_alert(
    session: Session,
    settings: Settings,
    proposal: ProposalView,
    managers: list[SubscriberView],
    regions: Regions,
) -> int:
    def render(status: PlaceStatus, manager: SubscriberView) -> OutgoingMessage:
        return render_proposal_alert(
            proposal, status, manager, settings.programme_name, settings.base_url
        )

    keys = {m.email: alert_key(proposal.id, m.email) for m in managers}
    return _queue_once(session, proposal, managers, regions, keys, render)


def _queue_confirmation(
    session: Session,
    settings: Settings,
    decision: DecisionView,
    proposal: ProposalView,
    subscribers: list[SubscriberView],
    regions: Regions,
) -> int:
    def render(status: PlaceStatus, subscriber: SubscriberView) -> OutgoingMessage:
        return render_decision_confirmation(
            decision, proposal, status, subscriber, settings.programme_name
        )

    keys = {s.email: decision_key(decision.id, s.email) for s in subscribers}
    return _queue_once(session, proposal, subscribers, regions, keys, render)


def _queue_once(
    session: Session,
    proposal: ProposalView,
    recipients: list[SubscriberView],
    regions: Regions,
    keys: dict[str, str],
    render: Callable[[PlaceStatus, SubscriberView], OutgoingMessage],
) -> int:
    """Enqueue one message per recipient following the place, skipping keys already queued.

    The status is read (and the message rendered) only when someone still needs it.
    """
    wanted = {
        r.email: keys[r.email] for r in recipients if r.follows(proposal.place.country, regions)
    }
    done = queued_keys(session, wanted.values())
    todo = [r for r in recipients if r.email in wanted and wanted[r.email] not in done]
    if not todo:
        return 0
    status = effective_status(session, proposal.place)
    return sum(enqueue(session, render(status, r)) for r in todo)
