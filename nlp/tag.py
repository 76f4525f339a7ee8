"""The tagging stage: tag every untagged document revision and store what it says."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from sqlalchemy.orm import Session, sessionmaker

from nlp.tagger import TagResult, tag_text
from store.db import transaction
from store.documents import mark_tagged, untagged_documents
from store.findings import replace_findings
from store.records import DocumentView

logger = logging.getLogger(__name__)

BATCH_SIZE = 200

# Called with a one-line message per document (the CLI prints it with --verbose).
Progress = Callable[[str], None]


@dataclass
class TagReport:
    """What one run of the stage did; failed documents are marked tagged and logged."""

    documents: int = 0
    findings: int = 0
    signals: int = 0
    failed: int = 0

    def __str__(self) -> str:
        text = f"tagged {self.documents} document(s): {self.findings} finding(s), "
        text += f"{self.signals} signal(s)"
        return text + (f", {self.failed} failed" if self.failed else "")


def document_text(document: DocumentView) -> str:
    """The title as its own first paragraph, so that a headline is a sentence of its own."""
    return f"{document.title}\n\n{document.text}" if document.title else document.text


def tag_document(nlp: Language, document: DocumentView) -> TagResult:
    """Tag one stored document; signals carry the document's title, link and date."""
    result = tag_text(
        nlp,
        document_text(document),
        default_issuer=document.issuer,
        default_issuer_is_un=document.issuer_is_un,
        source_country=document.source_country,
    )
    signals = [
        dataclasses.replace(
            s, title=document.title or s.title, url=document.url, date=document.published
        )
        for s in result.signals
    ]
    return TagResult(result.findings, signals, result.mentions)


def tag_documents(
    factory: sessionmaker[Session], nlp: Language, progress: Progress | None = None
) -> TagReport:
    """Tag until no untagged document is left; each document in its own transaction."""
    report = TagReport()
    seen: set[int] = set()
    while True:
        with transaction(factory) as session:
            batch = [d for d in untagged_documents(session, limit=BATCH_SIZE) if d.id not in seen]
        if not batch:
            return report
        for document in batch:
            seen.add(document.id)
            result = _store_one(factory, nlp, document, report)
            if progress is not None:
                found = "failed" if result is None else f"{len(result.findings)} findings"
                progress(f"tagged document {document.id} ({found}): {document.url}")


def _store_one(
    factory: sessionmaker[Session], nlp: Language, document: DocumentView, report: TagReport
) -> TagResult | None:
    report.documents += 1
    try:
        result = tag_document(nlp, document)
        with transaction(factory) as session:
            replace_findings(session, document.id, result.findings, result.signals)
            mark_tagged(session, document.id)
    except Exception:  # job boundary: one bad document must not stop the stage
        logger.exception(
            "tagging document %s (%s) failed; marking it tagged", document.id, document.url
        )
        report.failed += 1
        with transaction(factory) as session:
            mark_tagged(session, document.id)
        return None
    report.findings += len(result.findings)
    report.signals += len(result.signals)
    return result
