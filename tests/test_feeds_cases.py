"""parse_feed over recorded feeds, each with its expectation next to it.

tests/fixtures/feeds/NAME.EXT is checked against NAME.toml: `problem` (the start of the
problem text; absent means no problem), `feed_title`, and one [[entry]] per expected
document with title, url, published (absent: none), language (absent: "en") and either
the exact `text` or sentences that must each lie whole within one paragraph,
`text_contains` (+ the number of `paragraphs`). The bundled demo feeds are checked
the same way against tests/cases/sample_feeds.toml.
"""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from config import SAMPLE_DATA_DIR, load_sources
from crawlers.feeds import FeedResult, parse_feed
from crawlers.parsers import parser_for
from store.records import FetchedDocument, SourceSpec

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
SAMPLE_CASES = Path(__file__).parent / "cases" / "sample_feeds.toml"
FETCHED = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SOURCE = SourceSpec(id="test-feed", kind="rss", url="https://feeds.example.org/feed.xml")


def _fixture_files() -> list[Path]:
    return sorted(p for p in FIXTURES.iterdir() if p.suffix != ".toml")


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.name)
def test_feeds_fixture_matches_expectation(path: Path) -> None:
    expectation = path.with_suffix(".toml")
    assert expectation.exists(), f"{path.name} needs its expectation in {expectation.name}"
    expected = tomllib.loads(expectation.read_text(encoding="utf-8"))
    result = parse_feed(path.read_bytes(), SOURCE, FETCHED)
    _check(result, expected)


def test_feeds_every_expectation_has_its_feed() -> None:
    feeds = {p.stem for p in _fixture_files()}
    orphans = [p.name for p in FIXTURES.glob("*.toml") if p.stem not in feeds]
    assert not orphans


def _sample_sources() -> list[SourceSpec]:
    return load_sources(SAMPLE_DATA_DIR / "sources.toml", {"base": "http://127.0.0.1:9"})


@pytest.mark.parametrize("source", _sample_sources(), ids=lambda s: s.id)
def test_feeds_sample_data_parse_into_expected_documents(source: SourceSpec) -> None:
    name = source.url.rsplit("/", 1)[-1]
    expected = tomllib.loads(SAMPLE_CASES.read_text(encoding="utf-8"))["feeds"][name]
    body = (SAMPLE_DATA_DIR / "feeds" / name).read_bytes()
    result = parser_for(source.kind)(body, source, FETCHED)
    assert isinstance(result, FeedResult)
    _check(result, expected)
    assert all(doc.source_id == source.id for doc in result.documents)


def test_feeds_never_raise_on_garbage() -> None:
    for body in (b"", b"\x00\xff\xfe garbage", b"<rss", b'{"json": true}', b"<" * 10_000):
        result = parse_feed(body, SOURCE, FETCHED)
        assert result.documents == () and result.problem


def _check(result: FeedResult, expected: dict[str, Any]) -> None:
    problem = expected.get("problem")
    if problem is None:
        assert result.problem is None
    else:
        assert result.problem is not None and result.problem.startswith(problem), result.problem
    assert result.feed_title == expected.get("feed_title", "")
    entries = expected.get("entry", [])
    assert [d.title for d in result.documents] == [e["title"] for e in entries]
    for doc, entry in zip(result.documents, entries, strict=True):
        _check_document(doc, entry)


def _check_document(doc: FetchedDocument, entry: dict[str, Any]) -> None:
    assert doc.url == entry["url"]
    assert doc.published == entry.get("published")
    assert doc.published is None or doc.published.tzinfo == UTC
    assert doc.language == entry.get("language", "en")
    assert doc.fetched == FETCHED
    if "text" in entry:
        assert doc.text == entry["text"]
    paragraphs = doc.text.split("\n\n")
    for sentence in entry.get("text_contains", []):
        assert any(sentence in p for p in paragraphs), f"not whole in one paragraph: {sentence!r}"
    if "paragraphs" in entry:
        assert len(paragraphs) == entry["paragraphs"]


def test_feeds_source_language_option_wins() -> None:
    source = SourceSpec(id="es", kind="atom", url=SOURCE.url, options={"language": "es-419"})
    result = parse_feed((FIXTURES / "atom_basic.atom").read_bytes(), source, FETCHED)
    assert [doc.language for doc in result.documents] == ["es", "es"]
