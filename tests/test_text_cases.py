"""HTML-to-text and canonical URLs, over the cases in tests/cases/*.toml."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from crawlers.plaintext import html_to_text, normalize_text
from crawlers.urls import canonicalize_url

CASES = Path(__file__).parent / "cases"


def _cases(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = tomllib.loads((CASES / name).read_text("utf-8"))["case"]
    return cases


@pytest.mark.parametrize("case", _cases("plaintext.toml"), ids=lambda c: c["name"])
def test_plaintext_html_to_text(case: dict[str, Any]) -> None:
    assert html_to_text(case["html"]) == case["text"]


@pytest.mark.parametrize("case", _cases("urls.toml"), ids=lambda c: c["name"])
def test_urls_canonicalize(case: dict[str, Any]) -> None:
    assert canonicalize_url(case["url"], case.get("base")) == case["canonical"]
    assert canonicalize_url(case["canonical"]) == case["canonical"]  # idempotent


def test_plaintext_normalize_keeps_paragraphs() -> None:
    assert normalize_text("a\r\n b\n\n\n c  d\n \t\n e") == "a b\n\nc d\n\ne"
