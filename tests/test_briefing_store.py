"""Briefings read from a real (temporary SQLite) store and written to the briefings folder."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from alerts.briefing import briefing_countries, gather_briefing, write_briefings
from config import Settings
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.documents import save_document, untagged_documents
from store.findings import replace_findings
from store.proposals import add_decision, create_proposal
from store.records import (
    Area,
    FetchedDocument,
    FindingRecord,
    Place,
    ProposalDraft,
    SignalRecord,
    SourceSpec,
)
from store.sources import sync_sources
from store.statuses import set_status

TIGRAY = Place("ETH", "Tigray", "ET-TI")
DECIDED_AT = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
EVIDENCE = "UNHCR calls on States to suspend forcible returns to the Tigray region of Ethiopia."


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workdir=tmp_path, programme_name="Test programme")


@pytest.fixture
def session(settings: Settings) -> Iterator[Session]:
    engine = make_engine(settings.database_url)
    migrate(engine)
    factory = make_sessionmaker(engine)
    with transaction(factory) as s:
        _seed(s)
    with transaction(factory) as s:
        yield s
    engine.dispose()


def _seed(session: Session) -> None:
    sync_sources(
        session,
        [
            SourceSpec(
                id="unhcr",
                kind="rss",
                url="http://127.0.0.1/feed",
                issuer="UNHCR",
                issuer_is_un=True,
            )
        ],
    )
    save_document(
        session,
        FetchedDocument(
            source_id="unhcr",
            url="https://example.org/unhcr-ethiopia",
            title="UNHCR position on returns to <Ethiopia>",
            text=EVIDENCE,
            published=datetime(2025, 11, 20, tzinfo=UTC),
        ),
    )
    document_id = untagged_documents(session)[0].id
    finding = FindingRecord(
        stance="against_return",
        scope="forced",
        issuer="UNHCR",
        issuer_is_un=True,
        country="ETH",
        area=Area("Tigray", "ET-TI"),
        groups=(),
        condition=None,
        evidence=EVIDENCE,
        evidence_start=0,
        evidence_end=len(EVIDENCE),
        confidence=0.9,
    )
    signal = SignalRecord(
        category="conflict",
        country="SDN",
        title="Fighting in El Fasher",
        date=datetime.now(UTC),
        url="https://example.org/sudan",
    )
    finding_ids, _ = replace_findings(session, document_id, [finding], [signal])
    proposal_id = create_proposal(
        session,
        ProposalDraft("suspend", TIGRAY, "un_advisory", "UNHCR advisory", tuple(finding_ids)),
        state="approved",
        created=DECIDED_AT,
    )
    add_decision(
        session, proposal_id or 0, True, "Amina Diallo", "UNHCR advisory for Tigray", at=DECIDED_AT
    )
    set_status(
        session,
        TIGRAY,
        "suspended",
        by="Amina Diallo",
        reason="UNHCR advisory for Tigray",
        proposal_id=proposal_id,
        at=DECIDED_AT,
    )


def test_briefing_store_gathers_country_and_area(session: Session, settings: Settings) -> None:
    country = gather_briefing(session, "eth", None, settings)
    area = gather_briefing(session, "ETH", "tigray", settings)

    assert briefing_countries(session) == ["ETH", "SDN"]
    assert country.status.headline == "No country-wide suspension in force for Ethiopia"
    assert [a.state for a in country.area_statuses] == ["suspended"]
    assert country.recommendations[0].areas == ("Tigray",)
    assert country.decisions[0].by == "Amina Diallo"
    assert area.status.headline == (
        "Return assistance suspended for Tigray (Ethiopia) since "
        "1 December 2025, decided by Amina Diallo"
    )
    assert area.place.area_code == "ET-TI"


def test_briefing_store_writes_html_and_pdf(session: Session, settings: Settings) -> None:
    paths = write_briefings(session, settings)

    names = sorted(p.name for p in paths)
    assert names == [
        "ETH-tigray.html",
        "ETH-tigray.pdf",
        "ETH.html",
        "ETH.pdf",
        "SDN.html",
        "SDN.pdf",
    ]
    assert all(p.parent == settings.briefings_dir for p in paths)
    html = (settings.briefings_dir / "ETH.html").read_text(encoding="utf-8")
    assert "UNHCR position on returns to &lt;Ethiopia&gt;" in html
    reader = PdfReader(io.BytesIO((settings.briefings_dir / "ETH-tigray.pdf").read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Return assistance suspended for Tigray (Ethiopia) since 1 December 2025" in text
    assert len(reader.pages) == 1


def test_briefing_store_writes_only_requested_countries(
    session: Session, settings: Settings
) -> None:
    paths = write_briefings(session, settings, countries=["sdn"])

    assert sorted(p.name for p in paths) == ["SDN.html", "SDN.pdf"]
