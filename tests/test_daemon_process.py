"""`returnwatch run` as a real process against local HTTP and SMTP servers on 127.0.0.1."""

from __future__ import annotations

import json
import re
import subprocess
import time
from collections.abc import Iterator

import pytest
from daemonworld import MANAGER, NEW_RECOMMENDATION, RETURNWATCH, DaemonWorld, stop, wait_for

from config import Settings
from stages import Runtime
from store import proposals as proposal_store
from store.db import transaction
from store.documents import count_documents

pytestmark = pytest.mark.e2e

STOP_LIMIT_SECONDS = 10.0


@pytest.fixture
def world(settings: Settings) -> Iterator[DaemonWorld]:
    with DaemonWorld(settings.workdir, settings.database_url) as w:
        yield w


def subjects(world: DaemonWorld) -> list[str]:
    return [str(m["Subject"]) for m in world.emails_to(MANAGER)]


def test_daemon_process_fetches_proposes_mails_and_stops_on_sigterm(
    world: DaemonWorld, settings: Settings
) -> None:
    world.write_config(poll_seconds=2, pipeline_seconds=1, hanging=True)
    world.seed_manager()
    proc = world.start_daemon()
    assert wait_for(lambda: any("Sudan" in s for s in subjects(world)), 90), world.log.read_text()

    rt = Runtime(settings)
    with transaction(rt.factory) as session:
        assert count_documents(session) >= 4
        kinds = {(p.kind, p.place.country) for p in proposal_store.list_proposals(session)}
    rt.close()
    assert ("suspend", "SDN") in kinds

    # A new UN call is mailed within seconds, although one source never answers.
    world.publish(NEW_RECOMMENDATION)
    assert wait_for(lambda: any("Haiti" in s for s in subjects(world)), 30), world.log.read_text()

    second = subprocess.run(
        [str(RETURNWATCH), "run", "--config", str(world.config)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert second.returncode == 1
    assert b"another returnwatch daemon" in second.stderr

    seconds = stop(proc)
    assert proc.returncode == 0, world.log.read_text()
    assert seconds < STOP_LIMIT_SECONDS
    log = world.log.read_text()
    assert "job notify ok in" in log and "daemon stopped" in log


def test_daemon_process_abandons_a_hanging_fetch_within_the_stop_limit(
    world: DaemonWorld,
) -> None:
    world.write_config(poll_seconds=60, pipeline_seconds=60, fetch_timeout=120, hanging=True)
    world.seed_manager()
    proc = world.start_daemon()
    assert wait_for(lambda: bool(world.http.requests_to("/hang.xml")), 60), world.log.read_text()
    time.sleep(0.5)
    seconds = stop(proc)
    assert seconds < STOP_LIMIT_SECONDS
    assert proc.returncode == 0
    abandoned = re.search(r"abandoned the current item of: (.*)", world.log.read_text())
    assert abandoned is not None and "crawl:hanging" in abandoned.group(1)


def test_daemon_process_catches_up_from_the_store_and_reports_health(
    world: DaemonWorld, settings: Settings
) -> None:
    world.write_config(poll_seconds=3600, pipeline_seconds=3600)
    world.seed_manager()
    proc = world.start_daemon()
    assert wait_for(lambda: any("Sudan" in s for s in subjects(world)), 90), world.log.read_text()
    assert wait_for(lambda: "job briefings ok" in world.log.read_text(), 60)
    stop(proc)
    health = subprocess.run(
        [str(RETURNWATCH), "health", "--config", str(world.config)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    report = json.loads(health.stdout)
    assert health.returncode == 0, report["reasons"]
    assert report["jobs"]["crawl:sample-un-news"]["last_ok"] is not None

    # Restarted within the intervals: nothing is overdue, so nothing runs at start-up.
    before = world.log.read_text().count("job crawl:sample-un-news ok")
    proc = world.start_daemon()
    assert wait_for(
        lambda: "daemon started" in world.log.read_text().split("daemon stopped")[-1], 60
    )
    time.sleep(2)
    stop(proc)
    assert world.log.read_text().count("job crawl:sample-un-news ok") == before
