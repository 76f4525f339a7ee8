"""`returnwatch health`: JSON for monitoring, and an exit code that says healthy or not."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner

from cli import main
from config import Settings
from scheduler import JobDef, evaluate_health
from stages import Runtime
from store import jobs as job_store
from store.db import transaction
from store.jobs import JobRunView
from store.records import OutboxView, OutgoingMessage
from store.sources import SourceHealth

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
TABLE = [JobDef("crawl:unhcr", lambda: None, HOUR), JobDef("notify", lambda: None, HOUR / 60)]


def run(job: str, ago: timedelta, error: str | None = None) -> JobRunView:
    return JobRunView(job, NOW - ago, NOW - ago, NOW - ago, error)


def source(failures: int, enabled: bool = True) -> SourceHealth:
    last = NOW - HOUR
    return SourceHealth(
        "unhcr", "rss", "http://127.0.0.1/", enabled, last, None, "503", last, failures
    )


def message(state: str, due: datetime | None) -> OutboxView:
    msg = OutgoingMessage("a@example.org", "Subject", "text", "<p>html</p>", f"key-{state}")
    return OutboxView(1, msg, state, 1, due, None, None, "<id@returnwatch>")


def test_health_is_good_when_every_job_ran_recently() -> None:
    runs = {"crawl:unhcr": run("crawl:unhcr", HOUR), "notify": run("notify", HOUR / 30)}
    health = evaluate_health(TABLE, runs, [source(1)], [message("pending", NOW)], NOW)
    assert health.healthy, health.reasons
    assert health.as_json()["outbox"] == {"waiting": 1, "overdue": 0, "failed": 0}
    assert health.jobs["crawl:unhcr"]["every_seconds"] == 3600


def test_health_names_each_reason() -> None:
    runs = {
        "crawl:unhcr": run("crawl:unhcr", 3 * HOUR),  # stale: more than twice its interval
        "notify": run("notify", timedelta(0), error="SMTP down"),
    }
    waiting = [message("failed", None), message("pending", NOW - 2 * HOUR)]
    health = evaluate_health(TABLE, runs, [source(3), source(9, enabled=False)], waiting, NOW)
    assert not health.healthy
    text = "\n".join(health.reasons)
    for expected in (
        "job crawl:unhcr last succeeded",
        "job notify failed: SMTP down",
        "source unhcr failed 3 times",
        "1 message(s) failed for good",
        "1 message(s) overdue",
    ):
        assert expected in text
    assert [s["id"] for s in health.failing_sources] == ["unhcr"]


def test_health_command_exit_code_follows_the_store(settings: Settings, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text('[[source]]\nid = "unhcr"\nkind = "rss"\nurl = "http://127.0.0.1:9/"\n')
    env = {
        "RETURNWATCH_WORKDIR": str(settings.workdir),
        "RETURNWATCH_DATABASE_URL": settings.database_url,
        "RETURNWATCH_SOURCES_FILE": str(sources),
        "RETURNWATCH_CONFIG": "",
    }
    first = CliRunner().invoke(main, ["health"], env=env)
    assert first.exit_code == 1
    report = json.loads(first.stdout)
    assert report["healthy"] is False
    assert "job crawl:unhcr has never succeeded" in report["reasons"]

    rt = Runtime(settings)
    with transaction(rt.factory) as session:
        for name in report["jobs"]:
            job_store.record_finish(session, name)
    rt.close()
    second = CliRunner().invoke(main, ["health"], env=env)
    assert second.exit_code == 0, second.output
    assert json.loads(second.stdout)["jobs"]["tag"]["last_ok"] is not None
