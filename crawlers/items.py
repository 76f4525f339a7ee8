"""What a parser hands back: the documents it could read and what was wrong, if anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from store.records import FetchedDocument, SourceSpec


@dataclass(frozen=True)
class ParseResult:
    """Good documents are kept even when `problem` says that part of the input was broken."""

    documents: tuple[FetchedDocument, ...]
    problem: str | None = None


Parser = Callable[[bytes, SourceSpec, datetime], ParseResult]
"""A pure parser: (body, source, fetch time) -> what it could read; never raises."""
