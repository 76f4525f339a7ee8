"""An html source's options are checked before anything is fetched."""

from __future__ import annotations

from typing import Any

import pytest

from crawlers.errors import SourceOptionError
from crawlers.pageitems import ListingRules


def test_pageitems_rules_defaults_and_overrides() -> None:
    rules = ListingRules.from_options({"list_item": ".row", "max_pages": 3, "follow_pdfs": False})
    assert (rules.list_item, rules.max_pages, rules.follow_pdfs) == (".row", 3, False)
    assert rules.link == "a::attr(href)"
    assert rules.body == "article"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "options.list_item"),
        ({"list_item": "  "}, "options.list_item"),
        ({"list_item": ".row", "max_pages": 0}, "options.max_pages must be a whole number"),
        ({"list_item": ".row", "max_items": "5"}, "options.max_items must be a whole number"),
        ({"list_item": ".row", "max_pdfs": True}, "options.max_pdfs must be a whole number"),
        ({"list_item": ".row", "follow_pdfs": "yes"}, "options.follow_pdfs must be true or false"),
        ({"list_item": ".row", "body": 3}, "options.body must be a CSS selector"),
    ],
)
def test_pageitems_rules_reject_bad_options(options: dict[str, Any], message: str) -> None:
    with pytest.raises(SourceOptionError, match=message):
        ListingRules.from_options(options)
