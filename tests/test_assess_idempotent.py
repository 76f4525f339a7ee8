"""The assess stage on a real store: proposals, statuses, audit, and nothing twice."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts_store import add_document, un_call
from sqlalchemy.orm import Session, sessionmaker

from alerts.assess import assess
from alerts.decisions import record_past_suspension
from config import Settings
from store.audit import list_entries
from store.db import transaction
from store.findings import unassessed_findings
from store.proposals import list_proposals
from store.records import Area, Place
from store.statuses import get_status, status_history


def test_assess_creates_one_proposal_per_place_and_moves_status(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        add_document(
            session,
            "https://example.org/sudan",
            [
                un_call("SDN", "UNHCR urges States to halt forced returns to Sudan."),
                un_call("SDN", "It is not safe to return anyone to Sudan."),
            ],
        )
        add_document(
            session,
            "https://example.org/afg",
            [
                un_call(
                    "AFG",
                    "Germany should stop deportations to Afghanistan.",
                    issuer="Human Rights Watch",
                    un=False,
                ),
            ],
            source_id="hrw",
        )
        report = assess(session, settings)
    assert report.findings == 3 and len(report.created) == 2
    with transaction(factory) as session:
        proposals = {(p.kind, p.place.key): p for p in list_proposals(session)}
        assert set(proposals) == {("suspend", "SDN"), ("watch", "AFG")}
        assert len(proposals[("suspend", "SDN")].findings) == 2
        assert get_status(session, Place("SDN")).state == "suspension_proposed"
        assert get_status(session, Place("AFG")).state == "watch"
        assert [(c.old_state, c.new_state) for c in status_history(session, "SDN")] == [
            ("normal", "suspension_proposed")
        ]
        assert unassessed_findings(session) == []
        actions = [e.action for e in list_entries(session)]
        assert actions.count("proposal.created") == 2 and "assess.run" in actions


def test_assess_twice_creates_nothing_new(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        add_document(
            session,
            "https://example.org/sudan",
            [un_call("SDN", "UNHCR urges States to halt forced returns to Sudan.")],
        )
        first = assess(session, settings)
    with transaction(factory) as session:
        second = assess(session, settings)
        assert len(list_proposals(session)) == len(first.created) == 1
        assert len(status_history(session, "SDN")) == 1
    assert second.created == () and second.findings == 0


def test_assess_newer_statement_supersedes_pending_proposal(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        add_document(
            session,
            "https://example.org/sudan-1",
            [un_call("SDN", "UNHCR urges States to halt forced returns to Sudan.")],
        )
        first = assess(session, settings)
    with transaction(factory) as session:
        add_document(
            session,
            "https://example.org/sudan-2",
            [un_call("SDN", "OHCHR calls for a moratorium on returns to Sudan.", issuer="OHCHR")],
        )
        second = assess(session, settings)
    assert second.superseded == first.created
    with transaction(factory) as session:
        pending = list_proposals(session, states=["pending"])
        assert [p.id for p in pending] == list(second.created)
        assert pending[0].priority == 2 and len(pending[0].findings) == 2
        assert list_proposals(session, states=["superseded"])[0].id == first.created[0]
        assert get_status(session, Place("SDN")).proposal_id == second.created[0]
        assert len(status_history(session, "SDN")) == 1


def test_assess_area_call_leaves_the_country_normal(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    with transaction(factory) as session:
        add_document(
            session,
            "https://example.org/mali",
            [
                un_call(
                    "MLI", "No one should be returned to northern Mali.", area=Area("northern Mali")
                )
            ],
        )
        assess(session, settings)
        assert get_status(session, Place("MLI", "northern Mali")).state == "suspension_proposed"
        assert get_status(session, Place("MLI")).state == "normal"


def test_assess_new_un_call_withdraws_pending_resumption(
    factory: sessionmaker[Session],
    settings: Settings,
) -> None:
    tigray = Place("ETH", "Tigray", "ET-TI")
    with transaction(factory) as session:
        record_past_suspension(
            session, tigray, "Amina", "UNHCR advisory", datetime(2025, 12, 1, tzinfo=UTC)
        )
        add_document(
            session,
            "https://example.org/lift",
            [
                un_call(
                    "ETH",
                    "UNHCR lifts its advisory for Tigray.",
                    area=Area("Tigray", "ET-TI"),
                    stance="lifts",
                )
            ],
        )
        resume = assess(session, settings).created
        assert get_status(session, tigray).state == "resumption_proposed"
        add_document(
            session,
            "https://example.org/again",
            [
                un_call(
                    "ETH",
                    "Returns to the Tigray region must be halted.",
                    issuer="OHCHR",
                    area=Area("Tigray region"),
                )
            ],
        )
        report = assess(session, settings)
        assert report.created == () and report.superseded == resume
        assert get_status(session, tigray).state == "suspended"
        assert [p.state for p in list_proposals(session)] == ["approved", "superseded"]
