"""alerts.notify.queue_alerts over a real store: who gets what, once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from mail_samples import NOW, PUBLISHED, SUDAN_QUOTE, SUDAN_URL
from sqlalchemy.orm import Session, sessionmaker

from alerts.notify import queue_alerts
from config import Settings
from store.db import transaction
from store.documents import save_document, untagged_documents
from store.findings import replace_findings
from store.outbox import list_messages
from store.proposals import add_decision, create_proposal, set_proposal_state
from store.records import FetchedDocument, FindingRecord, Place, ProposalDraft, SourceSpec
from store.sources import sync_sources
from store.subscribers import add_subscriber, remove_subscriber


@pytest.fixture
def factory(store: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(store) as session:
        add_subscriber(session, "Ana", "ana@example.org", "manager")
        add_subscriber(session, "Ben", "ben@example.org", "manager", countries=["AFG"])
        add_subscriber(session, "Cleo", "cleo@example.org", "counsellor", countries=["SDN"])
    return store


def sudan_finding(session: Session) -> int:
    sync_sources(
        session,
        [
            SourceSpec(
                "unhcr", "rss", "https://www.unhcr.org/feed", issuer="UNHCR", issuer_is_un=True
            )
        ],
    )
    save_document(
        session,
        FetchedDocument(
            "unhcr", SUDAN_URL, "UNHCR urges halt to returns", SUDAN_QUOTE, published=PUBLISHED
        ),
    )
    [doc] = untagged_documents(session)
    record = FindingRecord(
        "against_return",
        "forced",
        "UNHCR",
        True,
        "SDN",
        None,
        (),
        None,
        SUDAN_QUOTE,
        0,
        len(SUDAN_QUOTE),
        0.9,
    )
    [finding_id], _ = replace_findings(session, doc.id, [record], [])
    return finding_id


def propose(
    session: Session, kind: str = "suspend", country: str = "SDN", finding_ids: tuple[int, ...] = ()
) -> int:
    draft = ProposalDraft(
        kind,
        Place(country),
        "un_recommends_against_return",  # type: ignore[arg-type]
        f"{kind} {country}",
        finding_ids=finding_ids,
    )
    proposal_id = create_proposal(session, draft, created=NOW)
    assert proposal_id is not None
    return proposal_id


def outbox(factory: sessionmaker[Session]) -> dict[str, str]:
    with transaction(factory) as session:
        return {m.message.dedup_key: m.message.body_text for m in list_messages(session)}


def test_notify_alerts_managers_following_the_country_once(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = Settings(workdir=tmp_path, programme_name="AVRR Test")
    with transaction(factory) as session:
        proposal_id = propose(session, finding_ids=(sudan_finding(session),))
        propose(session, kind="watch", country="AFG")
        assert queue_alerts(session, settings, now=NOW) == 1
        assert queue_alerts(session, settings, now=NOW) == 0
    queued = outbox(factory)
    assert list(queued) == [f"alert:{proposal_id}:ana@example.org"]
    body = queued[f"alert:{proposal_id}:ana@example.org"]
    assert SUDAN_QUOTE in body and SUDAN_URL in body and "AVRR Test" in body


def test_notify_confirms_recent_decisions_to_managers_and_counsellors(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    settings = Settings(workdir=tmp_path)
    with transaction(factory) as session:
        proposal_id = propose(session)
        set_proposal_state(session, proposal_id, "approved")
        decision = add_decision(session, proposal_id, True, "Ana", "UNHCR advisory", at=NOW)
        old_id = propose(session, kind="resume")
        set_proposal_state(session, old_id, "rejected")
        add_decision(session, old_id, False, "Ana", "too early", at=NOW - timedelta(days=60))
        remove_subscriber(session, "ben@example.org")
        assert queue_alerts(session, settings, now=NOW + timedelta(hours=1)) == 2
        assert queue_alerts(session, settings, now=NOW + timedelta(hours=2)) == 0
    assert sorted(outbox(factory)) == [
        f"decision:{decision.id}:ana@example.org",
        f"decision:{decision.id}:cleo@example.org",
    ]
