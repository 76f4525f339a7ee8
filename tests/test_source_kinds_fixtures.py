"""The source kinds on small hand-written bodies: UN News RSS, and garbage for every parser."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawlers.fcdo import parse_fcdo
from crawlers.feeds import parse_feed
from crawlers.gdacs import parse_gdacs
from crawlers.reliefweb import parse_reliefweb_page, query_url
from crawlers.us_state import parse_us_state
from crawlers.who_don import parse_don_page, split_title
from store.records import SourceSpec

FETCHED = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
SPEC = SourceSpec(id="fixture", kind="rss", url="https://news.un.org/feed/rss.xml")

# Written for this test in the shape of a UN News topic feed item (not a real story).
UN_NEWS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0" xml:base="https://news.un.org/en">
<channel><title>Migrants and Refugees</title><link>https://news.un.org/en</link>
<language>en</language>
<item>
<title>UNHCR urges States not to force returns to northern region</title>
<link>https://news.un.org/en/story/2026/11/1160001</link>
<description>&lt;p&gt;The UN refugee agency on Friday called on States to refrain from forcibly
returning people to the northern region, citing renewed fighting.&lt;/p&gt;
&lt;p&gt;&amp;ldquo;Conditions for safe return are not in place,&amp;rdquo;
a spokesperson said.&lt;/p&gt;
</description>
<pubDate>Fri, 13 Nov 2026 14:05:00 +0000</pubDate>
<dc:creator>UN News</dc:creator>
<guid isPermaLink="false">1160001 at https://news.un.org/en</guid>
</item></channel></rss>"""


def test_un_news_item_parses_with_paragraphs_and_date() -> None:
    result = parse_feed(UN_NEWS, SPEC, FETCHED)
    assert result.problem is None and result.feed_title == "Migrants and Refugees"
    (doc,) = result.documents
    assert doc.url == "https://news.un.org/en/story/2026/11/1160001"
    assert doc.published == datetime(2026, 11, 13, 14, 5, tzinfo=UTC)
    assert doc.text.split("\n\n") == [
        "The UN refugee agency on Friday called on States to refrain from forcibly returning "
        "people to the northern region, citing renewed fighting.",
        "\u201cConditions for safe return are not in place,\u201d a spokesperson said.",
    ]


GARBAGE = (
    b"",
    b"\x00\xff\xfe garbage",
    b"<!DOCTYPE html><html><head><title>Error</title></head></html>",
    b'{"value": [',
    b'{"data": 1, "value": 2, "details": []}',
    b"[1, 2, 3]",
    b'{"a": "\xff"}',
    b"[" * 100_000,
)
PARSERS = {
    "gdacs": parse_gdacs,
    "us_state": parse_us_state,
    "fcdo": parse_fcdo,
    "who_don_api": parse_don_page,
    "reliefweb_api": parse_reliefweb_page,
}


@pytest.mark.parametrize("kind", sorted(PARSERS))
@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_source_kinds_garbage_is_a_problem_never_an_exception(kind: str, body: bytes) -> None:
    result = PARSERS[kind](body, SPEC, FETCHED)
    assert result.documents == () and result.problem


def test_who_don_titles_with_every_dash() -> None:
    assert split_title("West Nile virus- Barbados") == ("West Nile virus", ("BRB",))
    assert split_title("MERS coronavirus-Kingdom of Saudi Arabia") == ("MERS coronavirus", ("SAU",))
    assert split_title("Avian Influenza A(H9N2)") == ("Avian Influenza A(H9N2)", ())


def test_reliefweb_query_url_carries_appname_filters_and_limit() -> None:
    url = query_url(
        "https://api.reliefweb.int/v2/reports",
        "my-app",
        {"countries": ["SYR", "AFG"], "sources": "UNHCR", "limit": 20},
    )
    assert url.startswith("https://api.reliefweb.int/v2/reports?appname=my-app&limit=20&offset=0")
    assert "filter%5Bconditions%5D%5B0%5D%5Bvalue%5D%5B%5D=SYR" in url
    assert "filter%5Bconditions%5D%5B0%5D%5Bvalue%5D%5B%5D=AFG" in url
    assert "filter%5Bconditions%5D%5B1%5D%5Bfield%5D=source.shortname" in url
