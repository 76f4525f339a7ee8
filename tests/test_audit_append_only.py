"""The audit log, decisions and status history are append-only, in the code and in the database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session, sessionmaker

from alerts.decisions import record_past_suspension
from store import audit
from store.db import transaction
from store.records import Place

WHEN = datetime(2025, 12, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'someone else'",
        "DELETE FROM audit_log",
        "UPDATE decisions SET reason = 'rewritten'",
        "DELETE FROM status_changes",
    ],
)
def test_audit_database_refuses_to_change_history(
    factory: sessionmaker[Session], statement: str
) -> None:
    with transaction(factory) as session:
        record_past_suspension(session, Place("SDN"), "Ana", "UNHCR call", WHEN)
    with pytest.raises(DatabaseError, match="append-only"), transaction(factory) as session:
        session.execute(text(statement))
    with transaction(factory) as session:
        [entry] = audit.list_entries(session)
    assert (entry.actor, entry.details["reason"]) == ("Ana", "UNHCR call")


def test_audit_store_offers_no_way_to_change_an_entry() -> None:
    public = {name for name in vars(audit) if not name.startswith("_")}
    assert not {n for n in public if n.startswith(("update", "delete", "remove", "edit"))}
