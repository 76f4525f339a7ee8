"""Publication dates as news pages print them, read without guessing.

Listing and article pages show dates as ISO stamps (`<time datetime>`), "12 March 2024",
"March 12, 2024" or "12 Mar 2024". Numeric day/month forms ("03/04/2024") are ambiguous
between sites and are not read. A date without a time is taken as midnight UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY_FIRST = re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH},?\s+(?P<year>\d{{4}})\b")
_MONTH_FIRST = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?")


def parse_date(text: str) -> datetime | None:
    """The first date in `text` (timezone-aware, UTC when none is given), or None."""
    text = text.strip()
    iso = _ISO.search(text)
    if iso is not None:
        stamp = _from_iso(iso.group(0))
        if stamp is not None:
            return stamp
    for pattern in (_DAY_FIRST, _MONTH_FIRST):
        match = pattern.search(text)
        if match is not None:
            stamp = _from_parts(match.group("year"), match.group("month"), match.group("day"))
            if stamp is not None:
                return stamp
    return None


def _from_iso(text: str) -> datetime | None:
    try:
        stamp = datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return None
    return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)


def _from_parts(year: str, month: str, day: str) -> datetime | None:
    number = MONTHS.get(month.lower())
    if number is None:
        return None
    try:
        return datetime(int(year), number, int(day), tzinfo=UTC)
    except ValueError:
        return None
