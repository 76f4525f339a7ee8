"""Every source kind that sources.toml accepts has a collector; unknown kinds are named."""

from __future__ import annotations

import pytest

from crawlers.errors import UnknownKindError
from crawlers.parsers import COLLECTORS, PARSERS, collector_for, parser_for
from store.records import SOURCE_KINDS


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_parsers_every_source_kind_has_a_collector(kind: str) -> None:
    assert collector_for(kind) is COLLECTORS[kind]


@pytest.mark.parametrize("kind", sorted(PARSERS))
def test_parsers_every_parser_is_a_known_kind(kind: str) -> None:
    assert parser_for(kind) is PARSERS[kind]
    assert kind in SOURCE_KINDS


def test_parsers_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(UnknownKindError, match=r"known kinds: atom, .*rss"):
        collector_for("gopher")
    with pytest.raises(UnknownKindError, match=r"known kinds: atom, .*rss"):
        parser_for("gopher")
