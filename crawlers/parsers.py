"""Which code reads which kind of source: one registry entry per kind, no code per source.

Most kinds are one URL read by a pure parser (PARSERS); kinds that page through an API or
follow links register a collector (COLLECTORS) that does the fetching and calls pure
parsers for each body. A new kind adds its module and one line here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from crawlers.collectors import Collector, url_collector
from crawlers.errors import UnknownKindError
from crawlers.fcdo import parse_fcdo
from crawlers.feeds import parse_feed
from crawlers.gdacs import parse_gdacs
from crawlers.htmlsource import collect_html
from crawlers.items import Parser
from crawlers.pdfsource import collect_pdf
from crawlers.reliefweb import collect_reliefweb
from crawlers.us_state import parse_us_state
from crawlers.who_don import collect_who_don

__all__ = ["COLLECTORS", "PARSERS", "Parser", "collector_for", "known_kinds", "parser_for"]

PARSERS: Mapping[str, Parser] = MappingProxyType(
    {
        "rss": parse_feed,
        "atom": parse_feed,
        "gdacs": parse_gdacs,
        "fcdo": parse_fcdo,
        "us_state": parse_us_state,
    }
)

COLLECTORS: Mapping[str, Collector] = MappingProxyType(
    {
        **{kind: url_collector(parser) for kind, parser in PARSERS.items()},
        "reliefweb_api": collect_reliefweb,
        "who_don_api": collect_who_don,
        "html": collect_html,
        "pdf": collect_pdf,
    }
)


def known_kinds() -> list[str]:
    return sorted(COLLECTORS)


def collector_for(kind: str) -> Collector:
    """The collector registered for a source kind."""
    try:
        return COLLECTORS[kind]
    except KeyError:
        raise UnknownKindError(
            f"no collector for source kind {kind!r}; known kinds: {', '.join(known_kinds())}"
        ) from None


def parser_for(kind: str) -> Parser:
    """The pure parser of a single-URL kind (for tests and tools that have a body already)."""
    try:
        return PARSERS[kind]
    except KeyError:
        raise UnknownKindError(
            f"no parser for source kind {kind!r}; known kinds: {', '.join(sorted(PARSERS))}"
        ) from None
