"""Repository functions for the outbox: rendered messages waiting to be sent, with retries.

A row moves pending -> sending -> sent, or back to pending with a later next attempt when
sending fails, and to failed once it has used up its attempts. While a row is 'sending',
next_attempt_at holds the end of the sender's lease: a row still 'sending' after its lease
(the process died mid-send) is due again and is re-sent with the same Message-ID.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import OutboxMessage, utcnow
from store.records import OutboxView, OutgoingMessage

logger = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
OUTBOX_STATES = (PENDING, SENDING, SENT, FAILED)
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=6)
DEFAULT_LEASE = timedelta(minutes=5)
ERROR_TEXT_LIMIT = 2000
MESSAGE_ID_DOMAIN = "returnwatch"


class OutboxError(Exception):
    """An outbox row that the caller named does not exist."""


def message_id_for(dedup_key: str) -> str:
    """A Message-ID that depends only on the dedup key, so every re-send carries the same one."""
    digest = hashlib.sha256(dedup_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{MESSAGE_ID_DOMAIN}>"


def backoff_delay(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed tries: 2, 4, 8 ... minutes, at most 6 h.

    With the default 12 attempts the tries span more than 24 hours, so a mail server that is
    down for a night does not lose a message.
    """
    exponent = min(max(attempts, 0), 20)  # 2**20 minutes is far past the cap already
    delay: timedelta = BACKOFF_BASE * (1 << exponent)
    return min(delay, BACKOFF_CAP)


def enqueue(session: Session, msg: OutgoingMessage, now: datetime | None = None) -> bool:
    """Queue a message once; False when a message with the same dedup key was queued before."""
    exists = session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedup_key == msg.dedup_key)
    )
    if exists is not None:
        return False
    moment = now or utcnow()
    row = OutboxMessage(
        dedup_key=msg.dedup_key,
        message_id=message_id_for(msg.dedup_key),
        recipient=msg.recipient,
        subject=msg.subject,
        body_text=msg.body_text,
        body_html=msg.body_html,
        state=PENDING,
        created_at=moment,
        attempts=0,
        next_attempt_at=moment,
    )
    try:
        with session.begin_nested():  # a concurrent writer may have won the race
            session.add(row)
    except IntegrityError:
        return False
    return True


def queued_keys(session: Session, keys: Iterable[str]) -> set[str]:
    """Which of these dedup keys are in the outbox already (so callers skip rendering them)."""
    wanted = list(dict.fromkeys(keys))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):  # stay below SQL parameter limits
        chunk = wanted[start : start + 500]
        found.update(
            session.scalars(
                select(OutboxMessage.dedup_key).where(OutboxMessage.dedup_key.in_(chunk))
            )
        )
    return found


def claim_due(
    session: Session,
    now: datetime | None = None,
    limit: int = 50,
    lease: timedelta = DEFAULT_LEASE,
) -> list[OutboxView]:
    """Mark due rows 'sending' (one more attempt each) and return them for the sender.

    Due are pending rows whose next attempt has come, and rows left 'sending' past their
    lease by a sender that died. The caller commits before it talks to the mail server.
    """
    moment = now or utcnow()
    rows = session.scalars(
        select(OutboxMessage)
        .where(
            or_(
                and_(
                    OutboxMessage.state == PENDING,
                    or_(
                        OutboxMessage.next_attempt_at.is_(None),
                        OutboxMessage.next_attempt_at <= moment,
                    ),
                ),
                and_(OutboxMessage.state == SENDING, OutboxMessage.next_attempt_at <= moment),
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    for row in rows:
        if row.state == SENDING:
            logger.warning(
                "outbox message %s (%s) was left mid-send; sending it again with "
                "the same Message-ID",
                row.id,
                row.message_id,
            )
        row.state = SENDING
        row.attempts += 1
        row.next_attempt_at = moment + lease
    session.flush()
    return [_view(row) for row in rows]


def mark_sent(session: Session, outbox_id: int, now: datetime | None = None) -> None:
    """The mail server accepted the message: it is never sent again."""
    row = _require(session, outbox_id)
    row.state = SENT
    row.sent_at = now or utcnow()
    row.next_attempt_at = None
    row.last_error = None


def mark_failed(
    session: Session,
    outbox_id: int,
    error: str,
    *,
    max_attempts: int,
    permanent: bool = False,
    now: datetime | None = None,
) -> OutboxView:
    """Record a failed try: retry later with exponential backoff, or give up.

    A permanent failure (the server refused the recipient) or the last allowed attempt
    moves the row to 'failed'; otherwise it waits `backoff_delay(attempts)`.
    """
    row = _require(session, outbox_id)
    moment = now or utcnow()
    row.last_error = error[:ERROR_TEXT_LIMIT]
    if permanent or row.attempts >= max_attempts:
        row.state = FAILED
        row.next_attempt_at = None
        logger.error(
            "outbox message %s to %s failed for good after %d attempts: %s",
            row.id,
            row.recipient,
            row.attempts,
            error,
        )
    else:
        row.state = PENDING
        row.next_attempt_at = moment + backoff_delay(row.attempts)
    session.flush()
    return _view(row)


def requeue_failed(session: Session, now: datetime | None = None) -> int:
    """Give messages that failed for good a fresh set of attempts (after an operator's fix)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == FAILED)
        .values(state=PENDING, attempts=0, next_attempt_at=now or utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)


def get_message(session: Session, outbox_id: int) -> OutboxView | None:
    row = session.get(OutboxMessage, outbox_id)
    return None if row is None else _view(row)


def list_messages(session: Session, states: Sequence[str] | None = None) -> list[OutboxView]:
    """Outbox rows, oldest first, optionally only those in the given states."""
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if states is not None:
        query = query.where(OutboxMessage.state.in_(list(states)))
    return [_view(row) for row in session.scalars(query)]


def _require(session: Session, outbox_id: int) -> OutboxMessage:
    row = session.get(OutboxMessage, outbox_id)
    if row is None:
        raise OutboxError(f"no outbox message with id {outbox_id}")
    return row


def _view(row: OutboxMessage) -> OutboxView:
    message = OutgoingMessage(
        dedup_key=row.dedup_key,
        recipient=row.recipient,
        subject=row.subject,
        body_text=row.body_text,
        body_html=row.body_html,
    )
    return OutboxView(
        id=row.id,
        message=message,
        state=row.state,
        attempts=row.attempts,
        next_attempt=row.next_attempt_at,
        sent=row.sent_at,
        last_error=row.last_error,
        message_id=row.message_id,
    )
