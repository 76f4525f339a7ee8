"""Reminders to managers: a suspension not reviewed for a while, a proposal left waiting.

A suspension counts as reviewed when it was decided and whenever a manager decides a
proposal for the same place since. Each reminder's outbox key names its period (the
number of whole `review_after_days` or `proposal_reminder_hours` elapsed), so a reminder
goes out once per period however often `returnwatch notify` runs, and a review starts a new
series.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import jinja2
from sqlalchemy.orm import Session

from alerts.email import (
    SUBJECT_PREFIX,
    clean_header,
    environment,
    proposal_url,
    status_label,
    translator,
)
from alerts.i18n import load_language
from alerts.regions import load_regions
from config import Settings
from store import audit
from store.models import utcnow
from store.outbox import enqueue, queued_keys
from store.proposals import decisions_for_country, list_proposals
from store.records import OutgoingMessage, PlaceStatus, ProposalView, SubscriberView
from store.statuses import list_statuses
from store.subscribers import list_subscribers

logger = logging.getLogger(__name__)

ACTOR = "returnwatch"
REMINDED_KINDS = ("suspend", "resume")


@dataclass(frozen=True)
class Reminder:
    """One thing a manager should look at again, and the period it is due for."""

    kind: Literal["review", "proposal"]
    country: str
    key: str  # the outbox key without the recipient
    since: datetime
    period: int
    status: PlaceStatus | None = None
    proposal: ProposalView | None = None


def due_reviews(
    statuses: Sequence[PlaceStatus],
    last_reviews: dict[str, datetime],
    now: datetime,
    every: timedelta,
) -> list[Reminder]:
    """Suspended places whose last review is at least one period old (pure)."""
    reminders = []
    for status in statuses:
        if status.state != "suspended" or every <= timedelta(0):
            continue
        reviewed = max(status.since, last_reviews.get(status.place.key, status.since))
        period = (now - reviewed) // every
        if period >= 1:
            key = f"reminder:review:{status.place.key}:{reviewed:%Y%m%dT%H%M%S}:{period}"
            reminders.append(
                Reminder("review", status.place.country, key, reviewed, period, status=status)
            )
    return reminders


def due_proposals(
    pending: Sequence[ProposalView], now: datetime, every: timedelta
) -> list[Reminder]:
    """Pending suspensions and resumptions that have waited at least one period (pure)."""
    reminders = []
    for proposal in pending:
        if proposal.kind not in REMINDED_KINDS or every <= timedelta(0):
            continue
        period = (now - proposal.created) // every
        if period >= 1:
            key = f"reminder:proposal:{proposal.id}:{period}"
            reminders.append(
                Reminder(
                    "proposal",
                    proposal.place.country,
                    key,
                    proposal.created,
                    period,
                    proposal=proposal,
                )
            )
    return reminders


def render_reminder(
    reminder: Reminder,
    recipient: SubscriberView,
    programme: str,
    base_url: str,
    *,
    env: jinja2.Environment | None = None,
) -> OutgoingMessage:
    """The reminder email (text + HTML) for one manager."""
    env = env or environment(recipient.language)
    lang = load_language(recipient.language)
    words = translator(recipient.language).gettext
    if reminder.status is not None:
        what = words("Reminder: review the suspension")
        where = lang.place(reminder.status.place)
    else:
        assert reminder.proposal is not None
        what = words("Reminder: a proposal waits for your decision")
        where = lang.place(reminder.proposal.place)
    subject = clean_header(f"{SUBJECT_PREFIX} {what} — {where}")
    context = {
        "reminder": reminder,
        "recipient": recipient,
        "programme": programme,
        "subject": subject,
        "status_text": status_label(reminder.status, recipient.language) if reminder.status else "",
        "web_url": proposal_url(base_url, reminder.proposal.id) if reminder.proposal else None,
    }
    return OutgoingMessage(
        dedup_key=f"{reminder.key}:{recipient.email}",
        recipient=recipient.email,
        subject=subject,
        body_text=env.get_template("email/reminder.txt.j2").render(context),
        body_html=env.get_template("email/reminder.html.j2").render(context),
    )


def queue_reminders(session: Session, settings: Settings, now: datetime | None = None) -> int:
    """Queue due reminders to the managers who follow each place; once per period each."""
    moment = now or utcnow()
    statuses = list_statuses(session)
    reviews = _last_reviews(session, {s.place.country for s in statuses if s.state == "suspended"})
    reminders = due_reviews(
        statuses, reviews, moment, timedelta(days=settings.review_after_days)
    ) + due_proposals(
        list_proposals(session, states=["pending"]),
        moment,
        timedelta(hours=settings.proposal_reminder_hours),
    )
    if not reminders:
        return 0
    managers = [s for s in list_subscribers(session) if s.role == "manager"]
    regions = load_regions(settings.regions_file)
    queued = 0
    for reminder in reminders:
        todo = [m for m in managers if m.follows(reminder.country, regions)]
        done = queued_keys(session, [f"{reminder.key}:{m.email}" for m in todo])
        sent = sum(
            enqueue(
                session,
                render_reminder(reminder, m, settings.programme_name, settings.base_url),
                now=moment,
            )
            for m in todo
            if f"{reminder.key}:{m.email}" not in done
        )
        if sent:
            audit.record(
                session,
                ACTOR,
                "reminder.queued",
                reminder.key,
                recipients=sent,
                since=reminder.since,
            )
        queued += sent
    return queued


def _last_reviews(session: Session, countries: set[str]) -> dict[str, datetime]:
    """The latest decision about each place (by place key) of these countries."""
    latest: dict[str, datetime] = {}
    for country in countries:
        for decision, proposal in decisions_for_country(session, country):
            key = proposal.place.key
            if key not in latest or decision.at > latest[key]:
                latest[key] = decision.at
    return latest
