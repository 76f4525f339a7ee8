"""A re-crawl of 200 unchanged sources sends only conditional requests and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from replay import ReplayServer
from replay_sources import populate
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from crawlers.crawl import crawl_sources
from store.db import transaction
from store.documents import count_documents

pytestmark = pytest.mark.e2e

SOURCES = 200


def test_crawl_replay_unchanged_sources_cost_one_304_each(
    tmp_path: Path, store: sessionmaker[Session]
) -> None:
    settings = Settings(workdir=tmp_path, fetch_timeout=10.0, crawl_per_host=8)
    with ReplayServer() as server:
        specs = populate(server, SOURCES, items=5)
        first = crawl_sources(store, settings, specs)
        assert first.failed == () and first.new == SOURCES // 5 * (5 + 5 + 5 + 1 + 5)
        with transaction(store) as session:
            stored = count_documents(session)
        assert not any(r.conditional for r in server.log)
        server.clear_log()

        again = crawl_sources(store, settings, specs)

        log = list(server.log)
    assert len(log) == SOURCES
    assert all(r.conditional and r.status == 304 for r in log)
    assert {o.status for o in again.outcomes} == {"not_modified"}
    assert (again.new, again.revised) == (0, 0)
    with transaction(store) as session:
        assert count_documents(session) == stored
