"""Engine and session set-up, and schema migration through Alembic."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000


class StoreError(Exception):
    """The database cannot be opened or migrated."""


class LockHeld(StoreError):
    """Another process holds the database's daemon lock."""


# pg_try_advisory_lock key of the daemon: "retw" in ASCII; any fixed bigint would do.
DAEMON_LOCK_KEY = 0x72657477


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys on each connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, issue BEGIN so that we can make it IMMEDIATE.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _begin_immediate(connection: Any) -> None:
    # Every transaction takes the write lock up front: read-modify-write never deadlocks.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed on success and rolled back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision; safe to run any number of times."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.connect() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
            connection.commit()
    except Exception as exc:  # alembic raises many types; name the database in one error
        raise StoreError(f"cannot migrate {engine.url.render_as_string()}: {exc}") from exc


def sessions_are_thread_safe(factory: sessionmaker[Session]) -> bool:
    """Whether sessions from several threads see one database (not so for SQLite :memory:)."""
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine):
        return False
    url = bind.url
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


def is_sqlite(engine: Engine) -> bool:
    return engine.url.get_backend_name() == "sqlite"


@contextmanager
def advisory_lock(engine: Engine, key: int = DAEMON_LOCK_KEY) -> Iterator[Connection | None]:
    """Hold a PostgreSQL session advisory lock for the block, on a connection kept for it.

    The lock lives as long as that connection: if the process dies, PostgreSQL releases it.
    SQLite has no such lock (the daemon's lock file covers it): the block runs unlocked.
    """
    if engine.url.get_backend_name() != "postgresql":
        yield None
        return
    connection = engine.connect()
    try:
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}).scalar()
        connection.commit()  # never sit idle in a transaction for the daemon's whole life
        if not got:
            raise LockHeld(f"another process holds advisory lock {key} on {engine.url}")
        try:
            yield connection
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            connection.commit()
    finally:
        connection.close()


def maintain(engine: Engine) -> str:
    """Routine upkeep that is safe while the daemon runs; says what it did.

    SQLite: refresh the planner's statistics (PRAGMA optimize) and move the WAL into the
    database without waiting for readers (a PASSIVE checkpoint). PostgreSQL's autovacuum
    does the equivalent by itself.
    """
    if not is_sqlite(engine):
        return "nothing to do (PostgreSQL autovacuum)"
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA optimize")
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
        busy, log_pages, moved = cursor.fetchone() or (0, 0, 0)
        cursor.close()
    finally:
        raw.close()
    return f"optimized; WAL checkpoint moved {moved} of {log_pages} pages (busy={busy})"
