"""Repository functions of the alerts part: statuses, subscribers, audit, proposals."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from store.audit import list_entries, record
from store.db import transaction
from store.proposals import create_proposal, list_proposals, pending_for_place, set_proposal_state
from store.records import Place, ProposalDraft
from store.statuses import (
    EPOCH,
    effective_status,
    get_status,
    list_statuses,
    set_status,
    state_before,
    status_history,
)
from store.subscribers import SubscriberError, add_subscriber, list_subscribers, remove_subscriber


def test_statuses_unknown_place_is_normal(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        status = get_status(session, Place("SDN"))
    assert status.state == "normal" and status.since == EPOCH


def test_statuses_area_suspension_leaves_the_country(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        set_status(
            session,
            Place("MLI", "northern Mali"),
            "suspended",
            by="A",
            reason="r",
            proposal_id=None,
        )
        assert effective_status(session, Place("MLI")).state == "normal"
        assert effective_status(session, Place("MLI", "northern Mali")).state == "suspended"
        assert effective_status(session, Place("MLI", "Bamako")).state == "normal"


def test_statuses_country_suspension_covers_areas(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        set_status(
            session, Place("ETH", "Tigray", "ET-TI"), "watch", by="rw", reason="r", proposal_id=None
        )
        set_status(session, Place("ETH"), "suspended", by="A", reason="UN call", proposal_id=None)
        area = effective_status(session, Place("ETH", "Tigrai", "ET-TI"))
        assert area.state == "suspended" and area.reason == "UN call"
        assert area.place.area == "Tigray"
        assert [s.place.key for s in list_statuses(session, "ETH")] == ["ETH", "ETH/Tigray"]


def test_statuses_history_and_state_before(factory: sessionmaker[Session]) -> None:
    place = Place("SDN")
    with transaction(factory) as session:
        set_status(session, place, "watch", by="rw", reason="a", proposal_id=None)
        set_status(session, place, "suspension_proposed", by="rw", reason="b", proposal_id=None)
        set_status(session, place, "suspension_proposed", by="rw", reason="c", proposal_id=None)
        assert state_before(session, place) == "watch"
        history = status_history(session, "SDN")
    assert [(h.old_state, h.new_state, h.reason) for h in history] == [
        ("normal", "watch", "a"),
        ("watch", "suspension_proposed", "b"),
    ]


def test_statuses_reject_unknown_state(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session, pytest.raises(ValueError, match="unknown"):
        set_status(
            session,
            Place("SDN"),
            "closed",
            by="x",
            reason="y",  # type: ignore[arg-type]
            proposal_id=None,
        )


def test_proposals_dedup_and_filters(factory: sessionmaker[Session]) -> None:
    draft = ProposalDraft("watch", Place("AFG"), "watch_non_un_calls", "Watch Afghanistan")
    with transaction(factory) as session:
        first = create_proposal(session, draft)
        assert first is not None and create_proposal(session, draft) is None
        assert [p.id for p in pending_for_place(session, Place("AFG"))] == [first]
        set_proposal_state(session, first, "superseded")
        assert list_proposals(session, states=["pending"]) == []
        assert [p.id for p in list_proposals(session, country="afg")] == [first]


def test_subscribers_upsert_by_email_and_remove(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        first = add_subscriber(session, "Amina", "Amina@Example.org", "manager")
        again = add_subscriber(
            session, "Amina D.", "amina@example.org", "manager", ["eth"], mode="digest"
        )
        add_subscriber(session, "Jonas", "jonas@example.org", "counsellor", ["SDN"])
        assert first == again
        managers = list_subscribers(session, role="manager")
        assert [(s.name, s.countries, s.mode) for s in managers] == [
            ("Amina D.", ("ETH",), "digest")
        ]
        assert remove_subscriber(session, "jonas@example.org")
        assert not remove_subscriber(session, "jonas@example.org")
        assert [s.email for s in list_subscribers(session)] == ["amina@example.org"]
        assert len(list_subscribers(session, active_only=False)) == 2


@pytest.mark.parametrize(
    ("email", "role", "mode", "countries"),
    [
        ("no-at-sign", "manager", "immediate", ()),
        ("a@b.org", "director", "immediate", ()),
        ("a@b.org", "manager", "weekly", ()),
        ("a@b.org", "manager", "immediate", ("Sudan",)),
    ],
)
def test_subscribers_reject_invalid(
    factory: sessionmaker[Session],
    email: str,
    role: str,
    mode: str,
    countries: tuple[str, ...],
) -> None:
    with transaction(factory) as session, pytest.raises(SubscriberError):
        add_subscriber(session, "X", email, role, countries, mode=mode)


def test_audit_records_newest_first_with_json_details(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        record(session, "returnwatch", "a.first", "x", when=EPOCH, ids=(1, 2))
        record(session, "Amina", "a.second", "y", place=Place("SDN"))
        entries = list_entries(session)
    assert [e.action for e in entries] == ["a.second", "a.first"]
    assert entries[1].details == {"when": "1970-01-01T00:00:00+00:00", "ids": [1, 2]}
