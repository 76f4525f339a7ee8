"""parse_date reads the date forms news pages print and refuses ambiguous ones."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from crawlers.dates import parse_date

CASES = tomllib.loads((Path(__file__).parent / "cases" / "dates.toml").read_text("utf-8"))["cases"]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_dates_parse(text: str, expected: str) -> None:
    parsed = parse_date(text)
    assert (parsed.isoformat() if parsed else "") == expected
