"""The daemon: APScheduler jobs that call the stage functions, and nothing more.

One daemon at a time (a lock file beside the database); SIGTERM and SIGINT stop it after
the current job.
"""

from __future__ import annotations

import fcntl
import functools
import logging
import os
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import IO, Any

from apscheduler.schedulers.blocking import BlockingScheduler

from config import Settings
from stages import (
    Runtime,
    load_source_specs,
    run_assess,
    run_briefings,
    run_crawl,
    run_notify,
    run_tag,
)

logger = logging.getLogger(__name__)

PIPELINE_INTERVAL_SECONDS = 60
BRIEFING_INTERVAL_MINUTES = 60
JITTER_SECONDS = 30


class DaemonAlreadyRunning(Exception):
    """Another daemon holds the lock."""


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


def _job(name: str, func: Callable[[], Any]) -> Callable[[], None]:
    """Run one stage; log one line per run; a failure is logged and never stops the daemon."""

    def run() -> None:
        try:
            result = func()
        except Exception:
            logger.exception("job %s failed", name)
            return
        logger.info("job %s: %s", name, result)

    return run


def build_scheduler(rt: Runtime) -> BlockingScheduler:
    """Jobs: each source on its own interval; the downstream stages every minute."""
    scheduler = BlockingScheduler(timezone=rt.settings.timezone)
    specs = load_source_specs(rt.settings)
    for spec in specs:
        if not spec.enabled:
            continue
        scheduler.add_job(
            _job(f"crawl:{spec.id}", functools.partial(run_crawl, rt, specs, [spec.id])),
            "interval",
            minutes=spec.interval_minutes,
            jitter=JITTER_SECONDS,
            id=f"crawl:{spec.id}",
            next_run_time=_now(rt),
            coalesce=True,
            max_instances=1,
        )
    for name, func in (("tag", run_tag), ("assess", run_assess), ("notify", run_notify)):
        scheduler.add_job(
            _job(name, functools.partial(func, rt)),
            "interval",
            seconds=PIPELINE_INTERVAL_SECONDS,
            id=name,
            coalesce=True,
            max_instances=1,
        )
    scheduler.add_job(
        _job("briefings", lambda: len(run_briefings(rt))),
        "interval",
        minutes=BRIEFING_INTERVAL_MINUTES,
        id="briefings",
        coalesce=True,
    )
    return scheduler


def _now(rt: Runtime) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo(rt.settings.timezone))


def run_daemon(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT."""
    rt = Runtime(settings)
    rt.init_database()
    with single_instance(settings.workdir / "returnwatch.lock"):
        scheduler = build_scheduler(rt)

        def stop(signum: int, _frame: FrameType | None) -> None:
            logger.info("signal %s: stopping after the current job", signum)
            scheduler.shutdown(wait=False)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        logger.info("daemon started with %d jobs", len(scheduler.get_jobs()))
        try:
            scheduler.start()
        finally:
            rt.close()
            logger.info("daemon stopped")
