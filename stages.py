"""Wiring of the pipeline stages, shared by the CLI, the demo and the daemon.

Each function opens what a stage needs (database, tagger, mailer) and calls the stage in
its package. No domain logic lives here.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from alerts import assess as assess_stage
from alerts import briefing, digest, notify, outbox
from alerts.mailer import make_mailer
from config import Settings, load_sources
from crawlers import crawl as crawl_stage
from nlp import tag as tag_stage
from nlp.pipeline import build_pipeline
from store.db import maintain, make_engine, make_sessionmaker, migrate, transaction
from store.records import SourceSpec
from store.sources import sync_sources

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class Runtime:
    """The open database of one process; built once at the entry point."""

    settings: Settings
    progress: Progress | None = None
    _engine: Engine | None = field(default=None, init=False, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    @cached_property
    def factory(self) -> sessionmaker[Session]:
        return make_sessionmaker(self.engine)

    @cached_property
    def nlp(self) -> Any:
        """The spaCy pipeline, built once per process: a daemon tags every minute."""
        return build_pipeline()

    def init_database(self) -> None:
        migrate(self.engine)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


@dataclass(frozen=True)
class CycleReport:
    crawl: Any
    tag: Any
    assess: Any
    queued: int
    sent: Any
    briefings: list[Path]


def load_source_specs(
    settings: Settings, substitutions: dict[str, str] | None = None
) -> list[SourceSpec]:
    return load_sources(settings.sources_file, substitutions)


def sync_source_specs(rt: Runtime, specs: list[SourceSpec]) -> None:
    """Make the store's source list match the file (done once before parallel crawls)."""
    with transaction(rt.factory) as session:
        sync_sources(session, specs)


def run_crawl(rt: Runtime, specs: list[SourceSpec], only: list[str] | None = None) -> Any:
    return crawl_stage.crawl_sources(
        rt.factory, rt.settings, specs, only=only, progress=rt.progress
    )


def run_tag(rt: Runtime) -> Any:
    # Strings and tokenizer cache entries added while tagging are freed when the zone ends:
    # without it spaCy's vocabulary grows with every new word, for the daemon's whole life.
    with rt.nlp.memory_zone():
        return tag_stage.tag_documents(rt.factory, rt.nlp, progress=rt.progress)


def run_assess(rt: Runtime) -> Any:
    with transaction(rt.factory) as session:
        return assess_stage.assess(session, rt.settings)


def run_notify(rt: Runtime) -> tuple[int, Any]:
    """Queue alerts, confirmations, reminders and the due digest, then send what is due."""
    with transaction(rt.factory) as session:
        queued = notify.queue_notifications(session, rt.settings)
    report = outbox.send_due(rt.factory, make_mailer(rt.settings), rt.settings)
    return queued, report


def run_digest(rt: Runtime) -> tuple[int, Any]:
    """Queue the daily digest that is due (once per day and subscriber), then send it."""
    with transaction(rt.factory) as session:
        day = digest.due_day(datetime.now(UTC), rt.settings)
        queued = digest.queue_digests(session, rt.settings, day)
    report = outbox.send_due(rt.factory, make_mailer(rt.settings), rt.settings)
    return queued, report


def run_briefings(rt: Runtime, countries: list[str] | None = None) -> list[Path]:
    with transaction(rt.factory) as session:
        return briefing.write_briefings(session, rt.settings, countries)


def run_briefings_apart(settings: Settings) -> list[Path]:
    """run_briefings in a child process, so that the daemon's memory stays flat.

    WeasyPrint's font and layout caches grow with every sheet rendered (measured in
    bench/soak.py); a child process returns all of it to the system when it exits.
    """
    context = multiprocessing.get_context("spawn")  # no copy of the daemon's threads
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_briefings_child, settings).result()


def _briefings_child(settings: Settings) -> list[Path]:
    rt = Runtime(settings)
    try:
        return run_briefings(rt)
    finally:
        rt.close()


def run_maintenance(rt: Runtime) -> str:
    return maintain(rt.engine)


def run_cycle(rt: Runtime, specs: list[SourceSpec]) -> CycleReport:
    """One pass of the whole chain: crawl, tag, assess, notify, brief."""
    crawled = run_crawl(rt, specs)
    tagged = run_tag(rt)
    assessed = run_assess(rt)
    queued, sent = run_notify(rt)
    briefings = run_briefings(rt)
    return CycleReport(crawled, tagged, assessed, queued, sent, briefings)
