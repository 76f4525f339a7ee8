"""Every source kind that sources.toml accepts has a parser; unknown kinds are named."""

from __future__ import annotations

import pytest

from crawlers.errors import UnknownKindError
from crawlers.parsers import PARSERS, parser_for
from store.records import SOURCE_KINDS


@pytest.mark.parametrize("kind", SOURCE_KINDS)
def test_parsers_every_source_kind_has_a_parser(kind: str) -> None:
    assert parser_for(kind) is PARSERS[kind]


def test_parsers_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(UnknownKindError, match="known kinds: atom, rss"):
        parser_for("gopher")
