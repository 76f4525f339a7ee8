"""store.outbox: one row per dedup key, stable Message-IDs, claiming, backoff and giving up."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from mail_samples import NOW, outgoing
from sqlalchemy.orm import Session, sessionmaker

from store.db import transaction
from store.outbox import (
    BACKOFF_CAP,
    OutboxError,
    backoff_delay,
    claim_due,
    enqueue,
    get_message,
    list_messages,
    mark_failed,
    mark_sent,
    message_id_for,
    queued_keys,
    requeue_failed,
)

MAX_ATTEMPTS = 12  # the default of settings.outbox_max_attempts


def test_outbox_enqueue_is_unique_by_dedup_key(store: sessionmaker[Session]) -> None:
    with transaction(store) as session:
        assert enqueue(session, outgoing("k1"), now=NOW) is True
        assert enqueue(session, outgoing("k1", subject="changed"), now=NOW) is False
        assert enqueue(session, outgoing("k2"), now=NOW) is True
    with transaction(store) as session:
        assert enqueue(session, outgoing("k1")) is False
        rows = list_messages(session)
        assert [r.message.dedup_key for r in rows] == ["k1", "k2"]
        assert rows[0].message.subject == "Hello"
        assert queued_keys(session, ["k1", "k3", "k2"]) == {"k1", "k2"}


def test_outbox_message_id_derives_from_the_dedup_key(store: sessionmaker[Session]) -> None:
    with transaction(store) as session:
        enqueue(session, outgoing("alert:7:ana@example.org"), now=NOW)
        row = list_messages(session)[0]
    digest = hashlib.sha256(b"alert:7:ana@example.org").hexdigest()[:32]
    assert row.message_id == f"<{digest}@returnwatch>" == message_id_for(row.message.dedup_key)
    assert row.state == "pending" and row.attempts == 0


def test_outbox_claim_marks_sending_and_skips_rows_not_due(
    store: sessionmaker[Session],
) -> None:
    with transaction(store) as session:
        enqueue(session, outgoing("a"), now=NOW)
        enqueue(session, outgoing("b"), now=NOW + timedelta(hours=1))
    with transaction(store) as session:
        claimed = claim_due(session, now=NOW, lease=timedelta(minutes=5))
    assert [c.message.dedup_key for c in claimed] == ["a"]
    assert claimed[0].state == "sending" and claimed[0].attempts == 1
    with transaction(store) as session:
        assert claim_due(session, now=NOW + timedelta(minutes=1)) == []  # a is leased
        mark_sent(session, claimed[0].id, now=NOW)
    with transaction(store) as session:
        sent = get_message(session, claimed[0].id)
        assert sent is not None and sent.state == "sent" and sent.sent == NOW
        later = claim_due(session, now=NOW + timedelta(days=1))
    assert [c.message.dedup_key for c in later] == ["b"]


def test_outbox_row_left_sending_is_claimed_again_after_its_lease(
    store: sessionmaker[Session],
) -> None:
    with transaction(store) as session:
        enqueue(session, outgoing("a"), now=NOW)
    with transaction(store) as session:
        first = claim_due(session, now=NOW, lease=timedelta(minutes=5))
    # The sender died here. Within the lease nobody else sends it; afterwards it is due.
    with transaction(store) as session:
        assert claim_due(session, now=NOW + timedelta(minutes=4)) == []
        again = claim_due(session, now=NOW + timedelta(minutes=6))
    assert [r.id for r in again] == [first[0].id]
    assert again[0].message_id == first[0].message_id
    assert again[0].attempts == 2


def test_outbox_backoff_doubles_up_to_six_hours_and_spans_a_day() -> None:
    assert backoff_delay(1) == timedelta(minutes=2)
    assert backoff_delay(2) == timedelta(minutes=4)
    assert backoff_delay(5) == timedelta(minutes=32)
    assert backoff_delay(20) == BACKOFF_CAP == timedelta(hours=6)
    assert backoff_delay(10_000) == BACKOFF_CAP
    waits = sum((backoff_delay(n) for n in range(1, MAX_ATTEMPTS)), timedelta())
    assert waits > timedelta(hours=24)


def test_outbox_failures_back_off_then_give_up(store: sessionmaker[Session]) -> None:
    with transaction(store) as session:
        enqueue(session, outgoing("a"), now=NOW)
    moment, states = NOW, []
    for _ in range(MAX_ATTEMPTS):
        with transaction(store) as session:
            claimed = claim_due(session, now=moment)
            assert len(claimed) == 1
            after = mark_failed(
                session, claimed[0].id, "connection refused", max_attempts=MAX_ATTEMPTS, now=moment
            )
        states.append(after.state)
        if after.next_attempt is not None:
            assert after.next_attempt == moment + backoff_delay(after.attempts)
            with transaction(store) as session:
                assert claim_due(session, now=after.next_attempt - timedelta(seconds=1)) == []
            moment = after.next_attempt
    assert states == ["pending"] * (MAX_ATTEMPTS - 1) + ["failed"]
    assert moment - NOW > timedelta(hours=24)
    with transaction(store) as session:
        [row] = list_messages(session, ["failed"])
        assert row.last_error == "connection refused" and row.attempts == MAX_ATTEMPTS
        assert claim_due(session, now=moment + timedelta(days=30)) == []
        assert requeue_failed(session, now=moment) == 1
        assert [r.state for r in claim_due(session, now=moment)] == ["sending"]


def test_outbox_permanent_failure_gives_up_at_once(store: sessionmaker[Session]) -> None:
    with transaction(store) as session:
        enqueue(session, outgoing("a"), now=NOW)
        [row] = claim_due(session, now=NOW)
        after = mark_failed(
            session, row.id, "550 no such user", permanent=True, max_attempts=MAX_ATTEMPTS, now=NOW
        )
    assert after.state == "failed" and after.next_attempt is None


def test_outbox_unknown_row_is_a_named_error(store: sessionmaker[Session]) -> None:
    with transaction(store) as session, pytest.raises(OutboxError):
        mark_sent(session, 999)
