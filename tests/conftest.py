"""Fixtures shared across test modules: settings in a temporary work directory and a store."""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alerts_store import SOURCES
from pgdatabases import TEST_DATABASE_ENV, PostgresDatabases
from sqlalchemy.orm import Session, sessionmaker

import config
from config import Settings
from store.db import make_engine, make_sessionmaker, migrate, transaction
from store.sources import sync_sources


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(TEST_DATABASE_ENV):
        # Tests that leave an engine undisposed leave its connections to the garbage
        # collector: psycopg warns about it, sqlite3 does not. Not a fault of the code tested.
        ignored = ".*was deleted while still open"
        config.addinivalue_line("filterwarnings", f"ignore:{ignored}:ResourceWarning")
        warnings.filterwarnings("ignore", ignored, ResourceWarning)  # outside tests too


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """With RETURNWATCH_TEST_DATABASE_URL set, every default database is a PostgreSQL one."""
    url = os.environ.get(TEST_DATABASE_ENV)
    if not url:
        yield None
        return
    databases = PostgresDatabases(url)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "default_database_url", databases.url_for)
        yield databases
    databases.close()


@pytest.fixture(autouse=True)
def _fresh_databases(postgres: PostgresDatabases | None) -> Iterator[None]:
    """Drop the PostgreSQL databases a test created (none on SQLite)."""
    known = set(postgres.by_workdir) if postgres else set()
    yield
    if postgres is not None:
        postgres.drop_created_since(known)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workdir=tmp_path)


@pytest.fixture
def store(settings: Settings) -> Iterator[sessionmaker[Session]]:
    """A migrated, empty store (SQLite, or PostgreSQL in the PostgreSQL run)."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def factory(store: sessionmaker[Session]) -> sessionmaker[Session]:
    """The store with the two sample sources the alert tests refer to."""
    with transaction(store) as session:
        sync_sources(session, SOURCES)
    return store
