"""Fixtures shared across test modules: settings in a temporary work directory and a store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alerts_store import SOURCES
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.sources import sync_sources


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workdir=tmp_path)


@pytest.fixture
def factory(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A migrated SQLite store in the temporary work directory, with two sample sources."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    with transaction(make_sessionmaker(engine)) as session:
        sync_sources(session, SOURCES)
    yield make_sessionmaker(engine)
    engine.dispose()
