"""Job runs: when each daemon job last started, finished and succeeded.

The daemon reads these at start-up to catch up after downtime, and `returnwatch health`
reads them to tell whether the daemon is keeping up. One row per job name, updated in place.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import JobRun, utcnow

ERROR_TEXT_LIMIT = 2000


@dataclass(frozen=True)
class JobRunView:
    job: str
    last_started: datetime | None
    last_finished: datetime | None
    last_ok: datetime | None
    last_error: str | None

    @property
    def failing(self) -> bool:
        """The last finished run failed (a run still going does not count)."""
        return self.last_error is not None


def record_start(session: Session, job: str, now: datetime | None = None) -> None:
    """Note that a run of `job` began."""
    _row(session, job).last_started_at = now or utcnow()


def record_finish(
    session: Session, job: str, error: str | None = None, now: datetime | None = None
) -> None:
    """Note that a run of `job` ended: successfully when `error` is None."""
    row = _row(session, job)
    moment = now or utcnow()
    row.last_finished_at = moment
    if error is None:
        row.last_ok_at = moment
        row.last_error = None
    else:
        row.last_error = error[:ERROR_TEXT_LIMIT]


def last_runs(session: Session) -> dict[str, JobRunView]:
    """Every recorded job by name."""
    rows = session.scalars(select(JobRun).order_by(JobRun.job))
    return {row.job: _view(row) for row in rows}


def _row(session: Session, job: str) -> JobRun:
    row = session.get(JobRun, job, with_for_update=True)
    if row is None:
        row = JobRun(job=job)
        session.add(row)
    return row


def _view(row: JobRun) -> JobRunView:
    return JobRunView(
        job=row.job,
        last_started=row.last_started_at,
        last_finished=row.last_finished_at,
        last_ok=row.last_ok_at,
        last_error=row.last_error,
    )
