"""A demo store for web and briefing tests: the offline demo, two users, an injected title."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from demo import run_demo
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.documents import save_document
from store.findings import replace_findings
from store.models import Document
from store.proposals import create_proposal
from store.records import Area, FetchedDocument, FindingRecord, Place, ProposalDraft
from store.users import save_user
from web.auth import hash_password

MANAGER, COUNSELLOR, PASSWORD = "manager@example.org", "counsellor@example.org", "correct horse 42"
EVIL = "<script>alert('x')</script><img src=x onerror=alert(2)>"
EVIL_SOURCE = "sample-un-news"


def demo_store(workdir: Path) -> tuple[Settings, sessionmaker[Session]]:
    """Run the offline demo in workdir, add users and a proposal whose source title is hostile."""
    settings = Settings(workdir=workdir, programme_name="Test programme")
    run_demo(settings)
    engine = make_engine(settings.database_url)
    migrate(engine)
    factory = make_sessionmaker(engine)
    with transaction(factory) as s:
        save_user(s, MANAGER, "manager", hash_password(PASSWORD))
        save_user(s, COUNSELLOR, "counsellor", hash_password(PASSWORD))
        _add_hostile_proposal(s)
    return settings, factory


def _add_hostile_proposal(session: Session) -> None:
    evidence = f"UNHCR calls on States to halt forced returns to Yemen. {EVIL}"
    save_document(
        session,
        FetchedDocument(
            source_id=EVIL_SOURCE,
            url="https://example.org/yemen",
            title=f"Yemen {EVIL}",
            text=evidence,
            published=datetime(2026, 11, 1, tzinfo=UTC),
        ),
    )
    doc_id = session.query(Document.id).filter(Document.url == "https://example.org/yemen").scalar()
    finding = FindingRecord(
        stance="against_return",
        scope="forced",
        issuer=f"UNHCR {EVIL}",
        issuer_is_un=True,
        country="YEM",
        area=Area(f"Aden {EVIL}", None),
        groups=("children",),
        condition=None,
        evidence=evidence,
        evidence_start=0,
        evidence_end=len(evidence),
        confidence=0.9,
    )
    ids, _ = replace_findings(session, doc_id, [finding], [])
    create_proposal(
        session,
        ProposalDraft("suspend", Place("YEM"), "un_advisory", f"Suspend Yemen {EVIL}", tuple(ids)),
    )


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)
