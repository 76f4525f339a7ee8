"""The digest's day and period follow settings.digest_time in settings.timezone."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from alerts.digest import DigestError, digest_key, digest_period, due_day
from config import Settings


def test_digest_period_ends_at_local_digest_time() -> None:
    settings = Settings(digest_time="07:00", timezone="Africa/Nairobi")  # UTC+3
    period = digest_period(date(2026, 11, 10), settings)
    assert period.end == datetime(2026, 11, 10, 4, 0, tzinfo=UTC)
    assert period.end - period.start == datetime(2, 1, 2) - datetime(2, 1, 1)


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (datetime(2026, 11, 10, 3, 59, tzinfo=UTC), date(2026, 11, 9)),
        (datetime(2026, 11, 10, 4, 0, tzinfo=UTC), date(2026, 11, 10)),
        (datetime(2026, 11, 10, 23, 0, tzinfo=UTC), date(2026, 11, 10)),
        (datetime(2026, 11, 11, 4, 0, tzinfo=UTC), date(2026, 11, 11)),
    ],
)
def test_digest_due_day_is_the_newest_past_digest_time(now: datetime, day: date) -> None:
    assert due_day(now, Settings(digest_time="07:00", timezone="Africa/Nairobi")) == day


def test_digest_bad_time_or_zone_is_named() -> None:
    with pytest.raises(DigestError, match="digest_time"):
        due_day(datetime(2026, 1, 1, tzinfo=UTC), Settings(digest_time="7 am"))
    with pytest.raises(DigestError, match="Mars"):
        due_day(datetime(2026, 1, 1, tzinfo=UTC), Settings(timezone="Mars/Olympus"))


def test_digest_key_is_one_per_day_and_recipient() -> None:
    assert digest_key(date(2026, 11, 10), "a@example.org") == "digest:2026-11-10:a@example.org"
