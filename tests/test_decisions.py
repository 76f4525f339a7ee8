"""Managers' decisions: reasons required, statuses follow, four-eyes, past suspensions."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest
from alerts_store import add_document, un_call
from sqlalchemy.orm import Session, sessionmaker

from alerts.assess import assess
from alerts.decisions import DecisionError, decide, record_past_suspension
from config import Settings
from store.audit import list_entries
from store.db import transaction
from store.proposals import decisions_for_country, get_proposal, list_decisions, list_proposals
from store.records import Area, Place
from store.statuses import effective_status, get_status, status_history

SUDAN = "UNHCR urges States to halt forced returns to Sudan."
TIGRAY = Place("ETH", "Tigray", "ET-TI")
PAST = datetime(2025, 12, 1, 9, tzinfo=UTC)


def propose_sudan(factory: sessionmaker[Session], settings: Settings) -> int:
    with transaction(factory) as session:
        add_document(session, "https://example.org/sudan", [un_call("SDN", SUDAN)])
        return assess(session, settings).created[0]


def test_decide_approve_suspends(factory: sessionmaker[Session], settings: Settings) -> None:
    proposal_id = propose_sudan(factory, settings)
    with transaction(factory) as session:
        outcome = decide(session, proposal_id, True, "Amina Diallo", "UNHCR call", settings)
    assert outcome.took_effect and outcome.proposal.state == "approved"
    assert outcome.status.state == "suspended" and outcome.status.decided_by == "Amina Diallo"
    with transaction(factory) as session:
        assert [(c.new_state, c.by) for c in status_history(session, "SDN")] == [
            ("suspension_proposed", "returnwatch"),
            ("suspended", "Amina Diallo"),
        ]
        assert effective_status(session, Place("SDN", "Darfur")).state == "suspended"
        decision, proposal = decisions_for_country(session, "SDN")[0]
        assert decision.reason == "UNHCR call" and proposal.id == proposal_id
        assert list_entries(session)[0].action == "decision.approved"


def test_decide_reject_restores_previous_status(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    proposal_id = propose_sudan(factory, settings)
    with transaction(factory) as session:
        outcome = decide(session, proposal_id, False, "Amina Diallo", "Too early", settings)
    assert outcome.proposal.state == "rejected" and outcome.status.state == "normal"


@pytest.mark.parametrize(
    ("proposal", "by", "reason", "message"),
    [
        (None, "Amina", "  ", "reason"),
        (None, " ", "why", "manager"),
        (999, "Amina", "why", "unknown proposal 999"),
    ],
)
def test_decide_rejects_bad_input(
    factory: sessionmaker[Session],
    settings: Settings,
    proposal: int | None,
    by: str,
    reason: str,
    message: str,
) -> None:
    proposal_id = proposal or propose_sudan(factory, settings)
    with transaction(factory) as session, pytest.raises(DecisionError, match=message):
        decide(session, proposal_id, True, by, reason, settings)


def test_decide_only_pending_proposals(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    proposal_id = propose_sudan(factory, settings)
    with transaction(factory) as session:
        decide(session, proposal_id, False, "Amina", "No", settings)
    with transaction(factory) as session, pytest.raises(DecisionError, match="not pending"):
        decide(session, proposal_id, True, "Amina", "Yes", settings)


def test_decide_four_eyes_needs_two_different_managers(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    strict = dataclasses.replace(settings, four_eyes=True)
    proposal_id = propose_sudan(factory, strict)
    with transaction(factory) as session:
        first = decide(session, proposal_id, True, "Amina", "UNHCR call", strict)
    assert not first.took_effect and first.approvals_missing == 1
    assert first.proposal.state == "pending" and first.proposal.approvals == 1
    assert first.status.state == "suspension_proposed"
    with transaction(factory) as session, pytest.raises(DecisionError, match="different"):
        decide(session, proposal_id, True, "amina", "again", strict)
    with transaction(factory) as session:
        second = decide(session, proposal_id, True, "Jonas", "Agreed", strict)
        assert len(list_decisions(session, proposal_id)) == 2
    assert second.took_effect and second.status.state == "suspended"


def test_decide_past_suspension_then_lifting_resumes(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        past = record_past_suspension(session, TIGRAY, "Amina", "UNHCR advisory", PAST)
        assert record_past_suspension(session, TIGRAY, "Amina", "UNHCR advisory", PAST) == past
        status = get_status(session, TIGRAY)
        assert status.state == "suspended" and status.since == PAST
        assert get_status(session, Place("ETH")).state == "normal"
        add_document(
            session,
            "https://example.org/tigray",
            [
                un_call(
                    "ETH",
                    "UNHCR lifts its advisory against returns to Tigray.",
                    area=Area("Tigrai", "ET-TI"),
                    stance="lifts",
                )
            ],
        )
        report = assess(session, settings)
        resume = get_proposal(session, report.created[0])
        assert resume is not None and resume.kind == "resume"
        assert resume.place.area == "Tigray"
        assert get_status(session, TIGRAY).state == "resumption_proposed"
        outcome = decide(session, resume.id, True, "Amina", "Advisory lifted", settings)
    assert outcome.status.state == "normal"
    with transaction(factory) as session:
        history = [(c.old_state, c.new_state) for c in status_history(session, "ETH")]
        assert history == [
            ("normal", "suspended"),
            ("suspended", "resumption_proposed"),
            ("resumption_proposed", "normal"),
        ]
        assert [p.state for p in list_proposals(session)] == ["approved", "approved"]


def test_decide_rejected_resumption_keeps_suspension(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        record_past_suspension(session, TIGRAY, "Amina", "UNHCR advisory", PAST)
        add_document(
            session,
            "https://example.org/tigray",
            [un_call("ETH", "UNHCR withdraws its advisory for Ethiopia.", stance="lifts")],
        )
        resume_id = assess(session, settings).created[0]
        outcome = decide(session, resume_id, False, "Amina", "Not yet safe", settings)
    assert outcome.proposal.place == TIGRAY
    assert outcome.status.state == "suspended"
