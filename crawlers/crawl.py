"""The crawl stage: fetch each source, parse it, store new and changed documents.

One source's failure never stops the others: it becomes an error on that source's health
record and one log line. What a source kind fetches and how it is read is its collector
(crawlers.parsers.collector_for); this module only runs collectors and stores results.
The network fetch runs outside any transaction, so a slow server never holds the
database's write lock; each source's writes are one transaction.
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
from crawlers.collectors import CollectContext
from crawlers.errors import CrawlError, UnknownSourceError
from crawlers.fetch import Fetcher, FetchLimits, fetch
from crawlers.parsers import collector_for
from crawlers.schedule import run_by_host
from store.db import sessions_are_thread_safe, transaction
from store.documents import SaveResult, save_document
from store.records import SourceSpec
from store.sources import (
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
    """Crawl the enabled sources (or those named in `only`) once, several at a time.

    `specs` is the whole source list: the store is synced to it first. A source named in
    `only` is crawled even when disabled, so an operator can try it by hand. Up to
    `crawl_workers` sources run at once, at most `crawl_per_host` per host, so one slow
    source does not hold up the others; progress lines come in the order sources finish,
    the report lists them in the order given.
    """
    chosen = select_sources(specs, only)
    with transaction(factory) as session:
        sync_sources(session, specs)
    workers = settings.crawl_workers if sessions_are_thread_safe(factory) else 1

    def work(spec: SourceSpec) -> SourceOutcome:
        return crawl_source(factory, settings, spec, fetcher)

    outcomes: dict[int, SourceOutcome] = {}
    for done, (index, outcome) in enumerate(
        run_by_host(chosen, work, workers, settings.crawl_per_host), start=1
    ):
        outcomes[index] = outcome
        if progress is not None:
            progress(f"[{done}/{len(chosen)}] {outcome.source_id}: {outcome.describe()}")
    return CrawlReport(tuple(outcomes[index] for index in range(len(chosen))))


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
    factory: sessionmaker[Session],
    settings: Settings,
    spec: SourceSpec,
    fetcher: Fetcher = fetch,
) -> SourceOutcome:
    """Crawl one source that is already in the store; a fault ends as its health error.

    Only a failure to record that error (the store itself is broken) propagates.
    """
    try:
        return _crawl(factory, settings, spec, fetcher)
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
    factory: sessionmaker[Session], settings: Settings, spec: SourceSpec, fetcher: Fetcher
) -> SourceOutcome:
    collector = collector_for(spec.kind)
    with transaction(factory) as session:
        validators = get_conditional_state(session, spec.id)
    limits = FetchLimits.from_settings(settings)
    context = CollectContext(limits, fetcher, validators, datetime.now(UTC), settings)
    collected = collector(spec, context)
    if collected.not_modified:
        with transaction(factory) as session:
            record_success(session, spec.id, collected.etag, collected.last_modified)
        return SourceOutcome(spec.id, "not_modified")
    with transaction(factory) as session:
        counts = Counter(save_document(session, doc) for doc in collected.documents)
        if collected.problem is None:
            record_success(session, spec.id, collected.etag, collected.last_modified)
        else:
            record_failure(session, spec.id, collected.problem)
    if collected.problem is not None:
        logger.warning("source %s: %s", spec.id, collected.problem)
    return SourceOutcome(
        spec.id,
        "ok" if collected.problem is None else "error",
        new=counts[SaveResult.NEW],
        revised=counts[SaveResult.REVISED],
        unchanged=counts[SaveResult.UNCHANGED],
        error=collected.problem,
    )
