"""Retries with exponential backoff cover more than 24 hours with the default settings."""

from __future__ import annotations

from datetime import timedelta

from config import Settings
from store.outbox import backoff_delay


def test_outbox_backoff_grows_and_spans_a_day() -> None:
    attempts = Settings().outbox_max_attempts
    delays = [backoff_delay(n) for n in range(1, attempts)]
    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert sum(delays, timedelta()) >= timedelta(hours=24)
