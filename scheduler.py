"""The daemon: APScheduler jobs that call the stage functions, and nothing more.

Jobs: one crawl job per enabled source at its own interval (with jitter), in a thread pool
of its own so a slow or hanging source never delays the others (each fetch also has its
own deadline, settings.fetch_timeout); tag, assess and notify every
settings.pipeline_interval_seconds, and at once after a crawl, tag or assess finishes, so
that a new recommendation reaches the managers within seconds of being fetched (notify
also queues reminders and the digest when due); the daily digest at settings.digest_time
in settings.timezone; briefings every settings.briefing_interval_minutes, in a child
process so that the daemon's memory stays flat; database maintenance daily.

Exactly one daemon runs at a time: a lock file in the work directory, and with
PostgreSQL an advisory lock held on a dedicated connection for the daemon's life.

Catch-up: each run is recorded in the store (store.jobs). At start-up a job whose last
success is older than its interval runs at once; the others resume their rhythm from
their last success. APScheduler's own misfire handling only covers a busy thread pool.

Stopping: SIGTERM or SIGINT stops scheduling new runs and waits up to STOP_GRACE_SECONDS
for the running ones. A run still going then is abandoned by exiting the process: every
stage commits each item (a source, a document, a message) in its own transaction, so an
abandoned run loses at most its current item's uncommitted work, which the next run does
again. That is the same guarantee that makes a kill -9 safe.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import FrameType
from typing import IO, Any
from zoneinfo import ZoneInfo

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from config import ConfigError, Settings
from daemon_health import Health as Health
from daemon_health import evaluate_health as evaluate_health
from stages import (
    Runtime,
    load_source_specs,
    run_assess,
    run_briefings_apart,
    run_crawl,
    run_digest,
    run_maintenance,
    run_notify,
    run_tag,
    sync_source_specs,
)
from store import jobs as job_store
from store.db import advisory_lock, transaction
from store.models import utcnow
from store.outbox import FAILED, PENDING, SENDING, list_messages
from store.records import SourceSpec
from store.sources import list_health

logger = logging.getLogger(__name__)

STOP_GRACE_SECONDS = 6.0
MAX_JITTER_SECONDS = 30.0
MAINTENANCE_INTERVAL = timedelta(days=1)
PIPELINE_WORKERS = 4


class DaemonAlreadyRunning(Exception):
    """Another daemon holds the lock."""


@dataclass(frozen=True)
class JobDef:
    """One scheduled job: either every `every`, or daily at `daily` local time."""

    name: str
    run: Callable[[], object]
    every: timedelta
    daily: clock_time | None = None
    jitter: float = 0.0
    pool: str = "default"
    wakes: tuple[str, ...] = ()  # jobs to run as soon as this one has finished


def job_table(rt: Runtime, specs: list[SourceSpec]) -> list[JobDef]:
    """Every job of the daemon; `returnwatch health` checks the same list."""
    settings = rt.settings
    pipeline = timedelta(seconds=settings.pipeline_interval_seconds)
    table = [
        JobDef(
            f"crawl:{spec.id}",
            functools.partial(run_crawl, rt, specs, [spec.id]),
            timedelta(seconds=spec.poll_seconds),
            jitter=min(MAX_JITTER_SECONDS, spec.poll_seconds / 10),
            pool="crawl",
            wakes=("tag",),
        )
        for spec in specs
        if spec.enabled
    ]
    table += [
        JobDef("tag", functools.partial(run_tag, rt), pipeline, wakes=("assess",)),
        JobDef("assess", functools.partial(run_assess, rt), pipeline, wakes=("notify",)),
        JobDef("notify", functools.partial(_notify, rt, run_notify), pipeline),
        # Notify also queues a digest that is due; this job makes it punctual.
        JobDef(
            "digest",
            functools.partial(_notify, rt, run_digest),
            timedelta(days=1),
            daily=_local_time("digest_time", settings.digest_time),
        ),
        JobDef(
            "briefings",
            functools.partial(_count, run_briefings_apart, settings),
            timedelta(minutes=settings.briefing_interval_minutes),
        ),
        JobDef("maintenance", functools.partial(run_maintenance, rt), MAINTENANCE_INTERVAL),
    ]
    return table


def _local_time(name: str, text: str) -> clock_time:
    try:
        return clock_time.fromisoformat(text)
    except ValueError as exc:
        raise ConfigError(f"setting {name!r} must be HH:MM, not {text!r}") from exc


def _notify(rt: Runtime, stage: Callable[[Runtime], tuple[int, object]]) -> str:
    queued, report = stage(rt)
    return f"queued {queued} message(s); {report}"


def _count(func: Callable[[Settings], list[Path]], settings: Settings) -> str:
    return f"{len(func(settings))} file(s)"


def first_run_time(job: JobDef, last_ok: datetime | None, now: datetime) -> datetime:
    """When a job first runs after start-up, from its last success recorded in the store.

    An interval job that is overdue (or never ran) runs at once; a daily job runs at once
    only if it missed an occurrence since its last success, else at its next occurrence.
    """
    if job.daily is not None:
        previous = _previous_occurrence(job.daily, now)
        if last_ok is not None and last_ok < previous:
            return now
        return previous + timedelta(days=1)
    if last_ok is None:
        return now
    return max(now, last_ok + job.every)


def _previous_occurrence(at: clock_time, now: datetime) -> datetime:
    today = now.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return today if today <= now else today - timedelta(days=1)


class JobRunner:
    """Runs jobs for the scheduler: records each run, logs one line, wakes follow-ups."""

    def __init__(self, rt: Runtime, stop: threading.Event) -> None:
        self.rt = rt
        self.stop = stop
        self.wake: Callable[[str], None] = lambda name: None
        self._running: set[str] = set()
        self._again: set[str] = set()
        self._idle = threading.Condition()

    def run(self, job: JobDef) -> None:
        """One run of `job`; a failure is recorded and logged and never stops the daemon.

        A job runs once at a time: a run that comes while it runs becomes one more run
        right after it (APScheduler would drop it, its instance count lags behind).
        """
        with self._idle:
            if self.stop.is_set():
                return
            if job.name in self._running:
                self._again.add(job.name)
                return
            self._running.add(job.name)
        try:
            self._run(job)
        finally:
            with self._idle:
                self._running.discard(job.name)
                again = job.name in self._again
                self._again.discard(job.name)
                self._idle.notify_all()
        if not self.stop.is_set():
            for name in (job.name,) if again else job.wakes:
                self.request(name)

    def request(self, name: str) -> None:
        """Run a job as soon as possible, or once more right after its current run."""
        with self._idle:
            if name in self._running:
                self._again.add(name)
                return
        self.wake(name)

    def wait_idle(self, timeout: float) -> list[str]:
        """Wait for running jobs to finish; the names of those still running at the end."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._running and (left := deadline - time.monotonic()) > 0:
                self._idle.wait(left)
            return sorted(self._running)

    def _run(self, job: JobDef) -> None:
        started = time.monotonic()
        self._record(job.name, None, start=True)
        try:
            result = job.run()
        except Exception as exc:  # the job boundary
            seconds = time.monotonic() - started
            self._record(job.name, f"{type(exc).__name__}: {exc}")
            logger.error(
                "job %s failed in %.2fs: %s",
                job.name,
                seconds,
                exc,
                exc_info=True,
                extra={"job": job.name, "seconds": round(seconds, 3), "outcome": "error"},
            )
            return
        seconds = time.monotonic() - started
        self._record(job.name, None)
        logger.info(
            "job %s ok in %.2fs: %s",
            job.name,
            seconds,
            result,
            extra={"job": job.name, "seconds": round(seconds, 3), "outcome": "ok"},
        )

    def _record(self, name: str, error: str | None, start: bool = False) -> None:
        try:
            with transaction(self.rt.factory) as session:
                if start:
                    job_store.record_start(session, name)
                else:
                    job_store.record_finish(session, name, error)
        except Exception:  # a broken store must not kill the scheduler thread
            logger.exception("cannot record the run of job %s", name)


def build_scheduler(
    table: list[JobDef], runner: JobRunner, last_ok: dict[str, datetime | None], tz: str
) -> BackgroundScheduler:
    """A scheduler with every job of the table, first runs computed by first_run_time."""
    crawl_workers = max(1, runner.rt.settings.crawl_workers)
    scheduler = BackgroundScheduler(
        timezone=tz,
        executors={
            "default": ThreadPoolExecutor(PIPELINE_WORKERS),
            "crawl": ThreadPoolExecutor(crawl_workers),
        },
        # JobRunner keeps each job to one run at a time; APScheduler must not drop a wake-up.
        job_defaults={"coalesce": True, "max_instances": 3, "misfire_grace_time": None},
    )
    now = datetime.now(ZoneInfo(tz))
    for job in table:
        if job.daily is not None:
            trigger: Any = CronTrigger(hour=job.daily.hour, minute=job.daily.minute, timezone=tz)
        else:
            trigger = IntervalTrigger(seconds=job.every.total_seconds(), jitter=job.jitter or None)
        scheduler.add_job(
            runner.run,
            trigger,
            args=[job],
            id=job.name,
            name=job.name,
            executor=job.pool,
            next_run_time=first_run_time(job, last_ok.get(job.name), now),
        )

    def wake(name: str) -> None:
        if scheduler.get_job(name) is not None:
            scheduler.modify_job(name, next_run_time=datetime.now(ZoneInfo(tz)))

    runner.wake = wake
    return scheduler


@contextmanager
def single_instance(lock_path: Path) -> Iterator[IO[str]]:
    """Hold an exclusive lock on lock_path for the daemon's lifetime."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    handle = lock_path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise DaemonAlreadyRunning(f"another returnwatch daemon holds {lock_path}") from exc
    try:
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield handle
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def run_daemon(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT; stop within STOP_GRACE_SECONDS plus a moment."""
    _check_timezone(settings.timezone)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # we log each run ourselves
    rt = Runtime(settings)
    rt.init_database()
    with single_instance(settings.workdir / "returnwatch.lock"), advisory_lock(rt.engine):
        specs = load_source_specs(settings)
        # Crawl jobs run in parallel and each syncs the source list: only the first sync
        # may insert rows, so do it before they start (concurrent inserts would collide).
        sync_source_specs(rt, specs)
        table = job_table(rt, specs)
        with transaction(rt.factory) as session:
            last_ok = {name: run.last_ok for name, run in job_store.last_runs(session).items()}
        runner = JobRunner(rt, stop)
        scheduler = build_scheduler(table, runner, last_ok, settings.timezone)
        scheduler.start()
        logger.info("daemon started with %d jobs (pid %d)", len(table), os.getpid())
        while not stop.wait(0.5):
            pass
        logger.info("stopping: no new runs; waiting up to %.0fs", STOP_GRACE_SECONDS)
        scheduler.shutdown(wait=False)
        unfinished = runner.wait_idle(STOP_GRACE_SECONDS)
        if unfinished:
            _abandon(unfinished)
    rt.close()
    logger.info("daemon stopped")


def _abandon(unfinished: list[str]) -> None:
    """Exit now, leaving the runs in progress uncommitted (see the module docstring)."""
    logger.warning("daemon stopped; abandoned the current item of: %s", ", ".join(unfinished))
    logging.shutdown()
    sys.stderr.flush()
    os._exit(0)


def _check_timezone(name: str) -> None:
    try:
        ZoneInfo(name)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"setting 'timezone': unknown time zone {name!r}") from exc


def check_health(rt: Runtime, specs: list[SourceSpec], now: datetime | None = None) -> Health:
    """Read the store and judge whether the daemon keeps up (see evaluate_health)."""
    with transaction(rt.factory) as session:
        runs = job_store.last_runs(session)
        sources = list_health(session)
        waiting = list_messages(session, [PENDING, SENDING, FAILED])
    return evaluate_health(job_table(rt, specs), runs, sources, waiting, now or utcnow())
