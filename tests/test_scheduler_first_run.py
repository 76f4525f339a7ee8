"""Catch-up after downtime comes from the store's record of last runs (cases/first_run.toml)."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from scheduler import JobDef, first_run_time

CASES = tomllib.loads((Path(__file__).parent / "cases" / "first_run.toml").read_text())["case"]
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("case", CASES, ids=[c["why"] for c in CASES])
def test_scheduler_first_run_time(case: dict[str, Any]) -> None:
    daily = time.fromisoformat(case["daily"]) if "daily" in case else None
    job = JobDef(
        "job", lambda: None, timedelta(seconds=case.get("every_seconds", 86400)), daily=daily
    )
    last_ok = datetime.fromisoformat(case["last_ok"]) if "last_ok" in case else None
    assert first_run_time(job, last_ok, NOW) == datetime.fromisoformat(case["expect"])
