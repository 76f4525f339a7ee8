"""A fresh PostgreSQL database per work directory, for running the suite on PostgreSQL.

When RETURNWATCH_TEST_DATABASE_URL names a PostgreSQL database whose role may create
databases, tests/conftest.py replaces config.default_database_url: each work directory a
test builds Settings for gets its own database, copied from a template migrated once per
session (CREATE DATABASE ... TEMPLATE is much faster than migrating). Databases created
during a test are dropped after it; those created by wider fixtures at the session's end.
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from store.db import make_engine, migrate

TEST_DATABASE_ENV = "RETURNWATCH_TEST_DATABASE_URL"
DROP_ATTEMPTS = 20
DROP_WAIT_SECONDS = 0.25


class PostgresDatabases:
    """Creates and drops the test databases through one autocommit admin connection."""

    def __init__(self, url: str) -> None:
        self.base = make_url(url)
        conninfo = self.base.set(drivername="postgresql").render_as_string(hide_password=False)
        self.admin = psycopg.connect(conninfo, autocommit=True)
        self.prefix = f"rwtest_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self.by_workdir: dict[str, str] = {}
        self._numbers = itertools.count(1)
        self.drop(self.template)
        self._execute("CREATE DATABASE {}", self.template)
        engine = make_engine(self.url(self.template))
        migrate(engine)
        engine.dispose()

    def url(self, name: str) -> str:
        return self.base.set(database=name).render_as_string(hide_password=False)

    def url_for(self, workdir: Path) -> str:
        """The database of a work directory, created from the template on first use."""
        key = str(Path(workdir).resolve())
        if key not in self.by_workdir:
            name = f"{self.prefix}_{next(self._numbers)}"
            self._execute("CREATE DATABASE {} TEMPLATE {}", name, self.template)
            self.by_workdir[key] = name
        return self.url(self.by_workdir[key])

    def drop_created_since(self, known: set[str]) -> None:
        for key in [k for k in self.by_workdir if k not in known]:
            self.drop(self.by_workdir.pop(key))

    def drop(self, name: str) -> None:
        """Drop the database. An autovacuum worker that has just connected to it belongs
        to the server, and a role that may only create databases cannot end it: wait for
        the worker to finish and try again."""
        for attempt in range(DROP_ATTEMPTS):
            try:
                self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)", name)
                return
            except psycopg.errors.InsufficientPrivilege:
                if attempt == DROP_ATTEMPTS - 1:
                    raise
                time.sleep(DROP_WAIT_SECONDS)

    def close(self) -> None:
        for name in self.by_workdir.values():
            self.drop(name)
        self.drop(self.template)
        self.admin.close()

    def _execute(self, statement: str, *names: str) -> None:
        self.admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))
