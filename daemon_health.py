"""The daemon's health: is every job succeeding on time, every source fetching, mail going?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from store import jobs as job_store
from store.outbox import FAILED
from store.records import OutboxView
from store.sources import SourceHealth

if TYPE_CHECKING:
    from scheduler import JobDef


# Health thresholds.
STALE_GRACE = timedelta(minutes=5)
SOURCE_FAILURE_LIMIT = 3
OUTBOX_DELAY_LIMIT = timedelta(hours=1)


@dataclass(frozen=True)
class Health:
    """What `returnwatch health` prints; unhealthy when there is any reason."""

    reasons: list[str]
    jobs: dict[str, dict[str, Any]]
    failing_sources: list[dict[str, Any]]
    outbox: dict[str, Any]

    @property
    def healthy(self) -> bool:
        return not self.reasons

    def as_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "reasons": self.reasons,
            "jobs": self.jobs,
            "failing_sources": self.failing_sources,
            "outbox": self.outbox,
        }


def evaluate_health(
    table: list[JobDef],
    runs: dict[str, job_store.JobRunView],
    sources: list[SourceHealth],
    waiting: list[OutboxView],
    now: datetime,
) -> Health:
    """Unhealthy: a job that has not succeeded within twice its interval (plus a grace),
    or whose last run failed; a source failing SOURCE_FAILURE_LIMIT times in a row; a
    message that failed for good, or due for more than OUTBOX_DELAY_LIMIT.
    """
    reasons: list[str] = []
    jobs: dict[str, dict[str, Any]] = {}
    for job in table:
        run = runs.get(job.name)
        last_ok = run.last_ok if run else None
        jobs[job.name] = {
            "last_ok": _iso(last_ok),
            "last_error": run.last_error if run else None,
            "every_seconds": int(job.every.total_seconds()),
        }
        if last_ok is None:
            if job.daily is None:  # a daily job may not have had its first time yet
                reasons.append(f"job {job.name} has never succeeded")
        elif now - last_ok > 2 * job.every + STALE_GRACE:
            reasons.append(f"job {job.name} last succeeded at {_iso(last_ok)}")
        if run is not None and run.failing:
            reasons.append(f"job {job.name} failed: {run.last_error}")
    failing = [
        {
            "id": s.id,
            "failures": s.consecutive_failures,
            "last_error": s.last_error,
            "last_ok": _iso(s.last_ok),
        }
        for s in sources
        if s.enabled and s.consecutive_failures >= SOURCE_FAILURE_LIMIT
    ]
    reasons += [
        f"source {s['id']} failed {s['failures']} times: {s['last_error']}" for s in failing
    ]
    overdue = [
        m
        for m in waiting
        if m.state != FAILED
        and m.next_attempt is not None
        and now - m.next_attempt > OUTBOX_DELAY_LIMIT
    ]
    failed = sum(m.state == FAILED for m in waiting)
    if failed:
        reasons.append(f"{failed} message(s) failed for good (see returnwatch outbox)")
    if overdue:
        reasons.append(f"{len(overdue)} message(s) overdue by more than {OUTBOX_DELAY_LIMIT}")
    outbox = {"waiting": len(waiting) - failed, "overdue": len(overdue), "failed": failed}
    return Health(reasons, jobs, failing, outbox)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
