"""The daemon's job runner: each run recorded in the store, one log line, follow-ups woken."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from config import Settings
from scheduler import DaemonAlreadyRunning, JobDef, JobRunner, single_instance
from stages import Runtime, run_maintenance
from store import jobs as job_store
from store.db import LockHeld, advisory_lock, is_sqlite, transaction

MINUTE = timedelta(minutes=1)


@pytest.fixture
def rt(settings: Settings) -> Iterator[Runtime]:
    runtime = Runtime(settings)
    runtime.init_database()
    yield runtime
    runtime.close()


def runs(rt: Runtime) -> dict[str, job_store.JobRunView]:
    with transaction(rt.factory) as session:
        return job_store.last_runs(session)


def fail() -> None:
    raise RuntimeError("feed server on fire")


def test_jobs_store_keeps_last_success_when_a_later_run_fails(rt: Runtime) -> None:
    runner = JobRunner(rt, threading.Event())
    runner.run(JobDef("tag", lambda: "tagged 3", MINUTE))
    first_ok = runs(rt)["tag"].last_ok
    runner.run(JobDef("tag", fail, MINUTE))
    after = runs(rt)["tag"]
    assert after.last_ok == first_ok and after.last_ok is not None
    assert after.failing and "feed server on fire" in (after.last_error or "")
    assert after.last_finished is not None and after.last_finished >= after.last_ok
    runner.run(JobDef("tag", lambda: "tagged 0", MINUTE))
    assert not runs(rt)["tag"].failing


def test_scheduler_runner_logs_one_line_per_run_with_fields(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    runner = JobRunner(rt, threading.Event())
    with caplog.at_level(logging.INFO, logger="scheduler"):
        runner.run(JobDef("assess", lambda: "2 proposals", MINUTE))
        runner.run(JobDef("notify", fail, MINUTE))
    lines = [r for r in caplog.records if r.name == "scheduler"]
    assert [(r.job, r.outcome) for r in lines] == [("assess", "ok"), ("notify", "error")]  # type: ignore[attr-defined]
    assert "2 proposals" in lines[0].getMessage()
    assert lines[1].exc_info is not None


def test_scheduler_runner_wakes_follow_ups_and_reruns_a_busy_job(rt: Runtime) -> None:
    runner = JobRunner(rt, threading.Event())
    woken: list[str] = []
    runner.wake = woken.append

    def crawl() -> str:
        runner.request("crawl:a")  # asked for while it runs: it runs again right after
        return "1 new"

    runner.run(JobDef("crawl:a", crawl, MINUTE, wakes=("tag",)))
    runner.run(JobDef("tag", lambda: "ok", MINUTE, wakes=("assess",)))
    assert woken == ["crawl:a", "assess"]

    calls: list[str] = []

    def tag() -> None:
        calls.append("tag")
        if len(calls) == 1:  # the scheduler starts it again while it runs
            runner.run(JobDef("tag", tag, MINUTE))

    runner.run(JobDef("tag", tag, MINUTE, wakes=("assess",)))
    assert calls == ["tag"]  # never two runs at once ...
    assert woken[-1] == "tag"  # ... but one more right after


def test_scheduler_runner_starts_nothing_once_stopping(rt: Runtime) -> None:
    stop = threading.Event()
    runner = JobRunner(rt, stop)
    stop.set()
    called: list[str] = []
    runner.run(JobDef("tag", lambda: called.append("tag"), MINUTE))
    assert called == [] and "tag" not in runs(rt)
    assert runner.wait_idle(0.1) == []


def test_scheduler_single_instance_refuses_a_second_daemon(tmp_path: Path) -> None:
    lock = tmp_path / "returnwatch.lock"
    with single_instance(lock), pytest.raises(DaemonAlreadyRunning), single_instance(lock):
        pass
    with single_instance(lock):  # released on exit
        pass


def test_store_advisory_lock_is_exclusive_on_postgresql(rt: Runtime) -> None:
    if is_sqlite(rt.engine):
        with advisory_lock(rt.engine) as connection:
            assert connection is None  # SQLite relies on the lock file
        return
    with advisory_lock(rt.engine), pytest.raises(LockHeld), advisory_lock(rt.engine):
        pass
    with advisory_lock(rt.engine) as connection:
        assert connection is not None


def test_store_maintenance_is_safe_while_in_use(rt: Runtime) -> None:
    with transaction(rt.factory) as session:
        job_store.record_start(session, "tag")
    text = run_maintenance(rt)
    assert ("optimized" in text) if is_sqlite(rt.engine) else ("autovacuum" in text)
    assert "tag" in runs(rt)
