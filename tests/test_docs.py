"""Documentation keeps up with the code: every setting, source kind and command is described."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from config import documented_settings
from store.records import SOURCE_KINDS

ROOT = Path(__file__).resolve().parents[1]


def test_docs_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "CONFIGURATION.md").read_text(encoding="utf-8")
    missing = [name for name in documented_settings() if f"`{name}`" not in text]
    assert missing == []


def test_docs_every_source_kind_is_documented() -> None:
    text = (ROOT / "docs" / "SOURCES.md").read_text(encoding="utf-8")
    missing = [kind for kind in SOURCE_KINDS if f"`{kind}`" not in text]
    assert missing == []


@pytest.mark.parametrize("name", sorted(main.commands))
def test_docs_every_command_is_in_readme_and_has_an_example(name: str) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"returnwatch {name}" in readme
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0, result.output
    if name != "subscribers":
        assert "Example:" in result.output
