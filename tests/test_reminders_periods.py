"""Reminders: a suspension not reviewed for N days, a proposal waiting N hours; once per period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from alerts.decisions import decide, record_past_suspension
from alerts.reminders import due_proposals, due_reviews, queue_reminders
from config import Settings
from store.db import transaction
from store.outbox import list_messages
from store.proposals import create_proposal
from store.records import Place, PlaceStatus, ProposalDraft
from store.subscribers import add_subscriber

T0 = datetime(2026, 1, 1, tzinfo=UTC)
TIGRAY = Place("ETH", "Tigray", "ET-TI")


def test_reminders_review_due_once_each_period() -> None:
    status = PlaceStatus(TIGRAY, "suspended", T0)
    every = timedelta(days=90)
    assert due_reviews([status], {}, T0 + timedelta(days=89), every) == []
    [first] = due_reviews([status], {}, T0 + timedelta(days=91), every)
    [again] = due_reviews([status], {}, T0 + timedelta(days=120), every)
    [second] = due_reviews([status], {}, T0 + timedelta(days=181), every)
    assert first.key == again.key != second.key
    reviewed = {TIGRAY.key: T0 + timedelta(days=100)}
    assert due_reviews([status], reviewed, T0 + timedelta(days=181), every) == []


def test_reminders_only_suspended_places_and_pending_decisions() -> None:
    watch = PlaceStatus(Place("SDN"), "watch", T0)
    assert due_reviews([watch], {}, T0 + timedelta(days=400), timedelta(days=90)) == []
    assert due_proposals([], T0, timedelta(hours=48)) == []


def test_reminders_queued_to_managers_once_per_period(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    with transaction(factory) as session:
        add_subscriber(session, "Ana", "ana@example.org", "manager", ["ETH"], mode="digest")
        add_subscriber(session, "Cleo", "cleo@example.org", "counsellor", ["ETH"])
        record_past_suspension(session, TIGRAY, "Ana", "UNHCR advisory", T0)
        draft = ProposalDraft("suspend", Place("SDN"), "r", "Suspend Sudan")
        proposal_id = create_proposal(session, draft, created=T0)
        add_subscriber(session, "Ben", "ben@example.org", "manager", ["SDN"])
    assert proposal_id is not None
    at = T0 + timedelta(days=91)
    with transaction(factory) as session:
        assert queue_reminders(session, settings, now=at) == 2
        assert queue_reminders(session, settings, now=at + timedelta(hours=1)) == 0
        decide(session, proposal_id, False, "Ben", "not a UN call", settings)
        assert queue_reminders(session, settings, now=at + timedelta(days=3)) == 0
    with transaction(factory) as session:
        sent = {(m.message.recipient, m.message.subject) for m in list_messages(session)}
    assert sent == {
        ("ana@example.org", "[returnwatch] Reminder: review the suspension — Tigray (Ethiopia)"),
        ("ben@example.org", "[returnwatch] Reminder: a proposal waits for your decision — Sudan"),
    }
