"""The crawl stage: fetch each source, parse it, store new and changed documents.

One source's failure never stops the others: it becomes an error on that source's health
record and one log line. The network fetch runs outside any transaction, so a slow
server never holds the database's write lock; each source's writes are one transaction.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from crawlers.errors import CrawlError, UnknownSourceError
from crawlers.fetch import FetchLimits, FetchResult, fetch
from crawlers.parsers import parser_for
from store.db import transaction
from store.documents import SaveResult, save_document
from store.records import SourceSpec
from store.sources import (
    ConditionalState,
    get_conditional_state,
    record_failure,
    record_success,
    sync_sources,
)

__all__ = [
    "CrawlReport",
    "Fetcher",
    "SourceOutcome",
    "UnknownSourceError",
    "crawl_source",
    "crawl_sources",
    "select_sources",
]

logger = logging.getLogger(__name__)

OutcomeStatus = Literal["ok", "not_modified", "error"]
Fetcher = Callable[[str, FetchLimits, ConditionalState | None], FetchResult]


@dataclass(frozen=True)
class SourceOutcome:
    """What one source gave in one crawl; an error may come with documents kept."""

    source_id: str
    status: OutcomeStatus
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    error: str | None = None

    def describe(self) -> str:
        if self.status == "not_modified":
            return "not modified"
        counts = f"{self.new} new, {self.revised} revised"
        if self.error is None:
            return counts
        if self.new or self.revised or self.unchanged:
            return f"{counts}; error: {self.error}"
        return f"error: {self.error}"


@dataclass(frozen=True)
class CrawlReport:
    outcomes: tuple[SourceOutcome, ...]

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)

    @property
    def revised(self) -> int:
        return sum(o.revised for o in self.outcomes)

    @property
    def failed(self) -> tuple[SourceOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "error")

    def __str__(self) -> str:
        text = f"crawled {len(self.outcomes)} sources: {self.new} new, {self.revised} revised"
        if self.failed:
            text += f", {len(self.failed)} failed ({', '.join(o.source_id for o in self.failed)})"
        return text


def crawl_sources(
    factory: sessionmaker[Session],
    settings: Settings,
    specs: list[SourceSpec],
    only: Sequence[str] | None = None,
    progress: Callable[[str], None] | None = None,
    fetcher: Fetcher = fetch,
) -> CrawlReport:
    """Crawl the enabled sources (or those named in `only`) once, one after another.

    `specs` is the whole source list: the store is synced to it first. A source named in
    `only` is crawled even when disabled, so an operator can try it by hand.
    """
    chosen = select_sources(specs, only)
    with transaction(factory) as session:
        sync_sources(session, specs)
    limits = FetchLimits.from_settings(settings)
    outcomes = []
    for index, spec in enumerate(chosen, start=1):
        outcome = crawl_source(factory, limits, spec, fetcher)
        outcomes.append(outcome)
        if progress is not None:
            progress(f"[{index}/{len(chosen)}] {spec.id}: {outcome.describe()}")
    return CrawlReport(tuple(outcomes))


def select_sources(specs: Sequence[SourceSpec], only: Sequence[str] | None) -> list[SourceSpec]:
    """The sources to crawl; unknown ids are an error that lists the known ones."""
    if not only:
        return [spec for spec in specs if spec.enabled]
    by_id = {spec.id: spec for spec in specs}
    unknown = [source_id for source_id in only if source_id not in by_id]
    if unknown:
        raise UnknownSourceError(
            f"unknown source id(s): {', '.join(unknown)}; "
            f"known ids: {', '.join(sorted(by_id)) or '(none)'}"
        )
    return [by_id[source_id] for source_id in dict.fromkeys(only)]


def crawl_source(
    factory: sessionmaker[Session], limits: FetchLimits, spec: SourceSpec, fetcher: Fetcher = fetch
) -> SourceOutcome:
    """Crawl one source that is already in the store; a fault ends as its health error.

    Only a failure to record that error (the store itself is broken) propagates.
    """
    try:
        return _crawl(factory, limits, spec, fetcher)
    except CrawlError as exc:
        reason = str(exc)
        logger.warning("source %s failed: %s", spec.id, reason)
    except Exception as exc:  # the job boundary: an unforeseen fault must not stop the rest
        reason = f"unexpected {type(exc).__name__}: {exc}"
        logger.exception("source %s failed: %s", spec.id, reason)
    with transaction(factory) as session:
        record_failure(session, spec.id, reason)
    return SourceOutcome(spec.id, "error", error=reason)


def _crawl(
    factory: sessionmaker[Session], limits: FetchLimits, spec: SourceSpec, fetcher: Fetcher
) -> SourceOutcome:
    with transaction(factory) as session:
        validators = get_conditional_state(session, spec.id)
    fetched = datetime.now(UTC)
    response = fetcher(spec.url, limits, validators)
    if response.not_modified:
        with transaction(factory) as session:
            record_success(session, spec.id, response.etag, response.last_modified)
        return SourceOutcome(spec.id, "not_modified")
    parsed = parser_for(spec.kind)(response.body, spec, fetched)
    with transaction(factory) as session:
        counts = Counter(save_document(session, doc) for doc in parsed.documents)
        if parsed.problem is None:
            record_success(session, spec.id, response.etag, response.last_modified)
        else:
            record_failure(session, spec.id, parsed.problem)
    if parsed.problem is not None:
        logger.warning("source %s: %s", spec.id, parsed.problem)
    return SourceOutcome(
        spec.id,
        "ok" if parsed.problem is None else "error",
        new=counts[SaveResult.NEW],
        revised=counts[SaveResult.REVISED],
        unchanged=counts[SaveResult.UNCHANGED],
        error=parsed.problem,
    )
