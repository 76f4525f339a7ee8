"""Which parser reads which kind of source: one registry entry per kind, no code per source.

A parser is a pure function (body, source, fetch time) -> ParseResult. A new kind (PDF,
ReliefWeb API, GDACS ...) adds its parser module and one line here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from types import MappingProxyType

from crawlers.errors import UnknownKindError
from crawlers.feeds import parse_feed
from crawlers.items import ParseResult
from store.records import SourceSpec

Parser = Callable[[bytes, SourceSpec, datetime], ParseResult]

PARSERS: Mapping[str, Parser] = MappingProxyType(
    {
        "rss": parse_feed,
        "atom": parse_feed,
    }
)


def parser_for(kind: str) -> Parser:
    """The parser registered for a source kind."""
    try:
        return PARSERS[kind]
    except KeyError:
        raise UnknownKindError(
            f"no parser for source kind {kind!r}; known kinds: {', '.join(sorted(PARSERS))}"
        ) from None
