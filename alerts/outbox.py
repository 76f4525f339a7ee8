"""The sending stage: deliver due outbox messages, one committed step at a time.

Delivery guarantee
------------------
Each message goes through three committed steps: claim (row 'sending', one more attempt,
a lease until now + lease), hand to the mailer, then 'sent'. So:

* A message is never handed to the mail server again once 'sent' is committed.
* A message is handed over at most once per claim; two senders (daemon and a manual
  `returnwatch notify`) cannot both claim it, because claiming is a write under the
  database's write lock (SQLite BEGIN IMMEDIATE; FOR UPDATE SKIP LOCKED elsewhere).
* If the process dies between the server accepting the message and 'sent' being committed,
  or the connection breaks after the final "." of DATA, the row stays 'sending' (or becomes
  pending with backoff) and is sent again after its lease ends. This is the only way a
  recipient can get a message twice, and the copy carries the SAME Message-ID (derived from
  the dedup key), so mail clients and servers can drop it. Exactly-once over SMTP is not
  possible without the receiver's help; this is at-least-once with stable identity.
* A failed try waits with exponential backoff (store.outbox.backoff_delay); after
  settings.outbox_max_attempts tries (more than 24 hours with the defaults), or at once when
  the server refuses the recipient for good, the row becomes 'failed' and stays visible.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from alerts.mailer import Mailer, MailError, build_message
from config import Settings
from store import audit
from store.db import transaction
from store.models import utcnow
from store.outbox import FAILED, claim_due, mark_failed, mark_sent
from store.records import OutboxView

logger = logging.getLogger(__name__)

MAX_PER_RUN = 500
ACTOR = "returnwatch"
LEASE_FLOOR = timedelta(minutes=2)


@dataclass
class SendReport:
    """What one run of send_due did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"


def send_lease(settings: Settings) -> timedelta:
    """How long a claimed message may stay 'sending' before another run may send it again.

    An SMTP exchange is a handful of commands, each bounded by smtp_timeout.
    """
    return max(LEASE_FLOOR, timedelta(seconds=8 * settings.smtp_timeout))


def send_due(
    factory: sessionmaker[Session],
    mailer: Mailer,
    settings: Settings,
    now: datetime | None = None,
) -> SendReport:
    """Send every message that is due; one failing message does not stop the others."""
    report = SendReport()
    lease = send_lease(settings)
    for _ in range(MAX_PER_RUN):
        moment = now or utcnow()
        with transaction(factory) as session:
            claimed = claim_due(session, now=moment, limit=1, lease=lease)
        if not claimed:
            break
        _deliver(factory, mailer, settings, claimed[0], moment, report)
    else:
        logger.info("sent the first %d due messages; the rest wait for the next run", MAX_PER_RUN)
    if report.attempted:
        logger.info(
            "outbox: %d sent, %d to retry, %d failed", report.sent, report.retrying, report.failed
        )
    return report


def _deliver(
    factory: sessionmaker[Session],
    mailer: Mailer,
    settings: Settings,
    view: OutboxView,
    moment: datetime,
    report: SendReport,
) -> None:
    try:
        mailer.send(build_message(view, settings.mail_from, date=moment))
    except MailError as exc:
        with transaction(factory) as session:
            after = mark_failed(
                session,
                view.id,
                str(exc),
                permanent=exc.permanent,
                max_attempts=settings.outbox_max_attempts,
                now=moment,
            )
            if after.state == FAILED:
                audit.record(
                    session,
                    ACTOR,
                    "mail.failed",
                    view.message.dedup_key,
                    message_id=view.message_id,
                    recipient=view.message.recipient,
                    error=str(exc),
                )
        report.errors.append(f"message {view.id} to {view.message.recipient}: {exc}")
        if after.state == FAILED:
            report.failed += 1
        else:
            report.retrying += 1
            logger.warning(
                "message %s to %s not sent (attempt %d), retry at %s: %s",
                view.id,
                view.message.recipient,
                after.attempts,
                after.next_attempt,
                exc,
            )
        return
    with transaction(factory) as session:
        mark_sent(session, view.id, now=moment)
        audit.record(
            session,
            ACTOR,
            "mail.sent",
            view.message.dedup_key,
            message_id=view.message_id,
            recipient=view.message.recipient,
            attempt=view.attempts,
        )
    report.sent += 1
