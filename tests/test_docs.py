"""Documentation keeps up with the code: every setting, source kind and command is described."""

from __future__ import annotations

from pathlib import Path

import click
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


def _command_paths() -> list[tuple[str, ...]]:
    """Every command, with the subcommands of groups such as `subscribers add`."""
    paths: list[tuple[str, ...]] = []
    for name, command in sorted(main.commands.items()):
        if isinstance(command, click.Group):
            paths += [(name, sub) for sub in sorted(command.commands)]
        else:
            paths.append((name,))
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=" ".join)
def test_docs_every_command_is_in_readme_and_has_an_example(path: tuple[str, ...]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"returnwatch {path[0]}" in readme
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
