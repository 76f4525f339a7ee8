"""The tagging stage over a real SQLite store: findings stored, documents marked, no loops."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from nlp import tag as tag_stage
from nlp.pipeline import build_pipeline
from nlp.tag import tag_documents
from store.db import transaction
from store.documents import save_document, untagged_documents
from store.findings import findings_for_country
from store.records import DocumentView, FetchedDocument, SourceSpec
from store.sources import sync_sources

SOURCE = SourceSpec(
    id="unhcr", kind="rss", url="http://127.0.0.1/feed", issuer="UNHCR", issuer_is_un=True
)


@pytest.fixture()
def factory(store: sessionmaker[Session]) -> sessionmaker[Session]:
    with transaction(store) as session:
        sync_sources(session, [SOURCE])
        save_document(
            session,
            FetchedDocument(
                "unhcr",
                "http://127.0.0.1/a",
                "UNHCR urges States to halt forced returns to Sudan",
                "The agency calls on States to suspend forcible returns of Sudanese nationals.",
            ),
        )
        save_document(
            session,
            FetchedDocument(
                "unhcr", "http://127.0.0.1/b", "Floods in Chad", "Heavy rains hit eastern Chad."
            ),
        )
    return store


def test_tag_stage_stores_findings_and_marks_tagged(factory: sessionmaker[Session]) -> None:
    messages: list[str] = []
    report = tag_documents(factory, build_pipeline(), progress=messages.append)
    assert (report.documents, report.findings, report.failed) == (2, 1, 0)
    assert report.signals >= 1 and len(messages) == 2
    with transaction(factory) as session:
        assert untagged_documents(session) == []
        (stored,) = findings_for_country(session, "SDN")
    assert stored.record.issuer == "UNHCR" and stored.record.issuer_is_un
    assert tag_documents(factory, build_pipeline()).documents == 0  # idempotent


def test_tag_stage_marks_failing_document(
    factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = tag_stage.tag_document

    def flaky(nlp: object, document: DocumentView) -> object:
        if document.url.endswith("/b"):
            raise RuntimeError("boom")
        return original(nlp, document)  # type: ignore[arg-type]

    monkeypatch.setattr(tag_stage, "tag_document", flaky)
    report = tag_documents(factory, build_pipeline())
    assert (report.documents, report.failed) == (2, 1)
    with transaction(factory) as session:
        assert untagged_documents(session) == []
