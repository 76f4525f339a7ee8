"""The `returnwatch` command line: parses options, loads settings, calls stages, prints."""

from __future__ import annotations

# Importing the command modules registers their commands on `main`.
from cli import admin, briefings, decisions, pipeline  # noqa: F401
from cli.common import main

__all__ = ["main"]
