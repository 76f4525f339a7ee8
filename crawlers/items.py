"""What a parser hands back: the documents it could read and what was wrong, if anything."""

from __future__ import annotations

from dataclasses import dataclass

from store.records import FetchedDocument


@dataclass(frozen=True)
class ParseResult:
    """Good documents are kept even when `problem` says that part of the input was broken."""

    documents: tuple[FetchedDocument, ...]
    problem: str | None = None
