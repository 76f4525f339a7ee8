"""Wiring of the pipeline stages, shared by the CLI, the demo and the daemon.

Each function opens what a stage needs (database, tagger, mailer) and calls the stage in
its package. No domain logic lives here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from alerts import assess as assess_stage
from alerts import briefing, notify, outbox
from alerts.mailer import make_mailer
from config import Settings, load_sources
from crawlers import crawl as crawl_stage
from nlp import tag as tag_stage
from nlp.pipeline import build_pipeline
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.records import SourceSpec

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


def run_crawl(rt: Runtime, specs: list[SourceSpec], only: list[str] | None = None) -> Any:
    return crawl_stage.crawl_sources(
        rt.factory, rt.settings, specs, only=only, progress=rt.progress
    )


def run_tag(rt: Runtime) -> Any:
    return tag_stage.tag_documents(rt.factory, build_pipeline(), progress=rt.progress)


def run_assess(rt: Runtime) -> Any:
    with transaction(rt.factory) as session:
        return assess_stage.assess(session, rt.settings)


def run_notify(rt: Runtime) -> tuple[int, Any]:
    """Queue alerts and confirmations for new proposals and decisions, then send what is due."""
    with transaction(rt.factory) as session:
        queued = notify.queue_alerts(session, rt.settings)
    report = outbox.send_due(rt.factory, make_mailer(rt.settings), rt.settings)
    return queued, report


def run_briefings(rt: Runtime, countries: list[str] | None = None) -> list[Path]:
    with transaction(rt.factory) as session:
        return briefing.write_briefings(session, rt.settings, countries)


def run_cycle(rt: Runtime, specs: list[SourceSpec]) -> CycleReport:
    """One pass of the whole chain: crawl, tag, assess, notify, brief."""
    crawled = run_crawl(rt, specs)
    tagged = run_tag(rt)
    assessed = run_assess(rt)
    queued, sent = run_notify(rt)
    briefings = run_briefings(rt)
    return CycleReport(crawled, tagged, assessed, queued, sent, briefings)
