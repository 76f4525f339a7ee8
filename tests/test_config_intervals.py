"""Poll intervals: minutes in production, seconds for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

import pytest

from config import ConfigError, load_sources

ENTRY = '[[source]]\nid = "a"\nkind = "rss"\nurl = "http://127.0.0.1/a.xml"\n'


def sources(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(ENTRY + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("extra", "seconds", "minutes"),
    [
        ("", 3600, 60),
        ("interval_minutes = 15\n", 900, 15),
        ("interval_seconds = 2\n", 2, 1),
        ("interval_minutes = 15\ninterval_seconds = 90\n", 90, 2),
    ],
)
def test_config_interval_seconds_overrides_minutes(
    tmp_path: Path, extra: str, seconds: int, minutes: int
) -> None:
    (spec,) = load_sources(sources(tmp_path, extra))
    assert (spec.poll_seconds, spec.interval_minutes) == (seconds, minutes)


@pytest.mark.parametrize("value", ["0", '"soon"'])
def test_config_interval_seconds_must_be_a_positive_number(tmp_path: Path, value: str) -> None:
    with pytest.raises(ConfigError, match=r"interval_seconds|invalid literal"):
        load_sources(sources(tmp_path, f"interval_seconds = {value}\n"))
