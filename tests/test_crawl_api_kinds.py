"""The API kinds crawled for real over HTTP from the replay server on 127.0.0.1.

Paging (WHO nextLink, ReliefWeb links.next), the ReliefWeb RSS fallback, source signals
stored with their revision, a changed travel-advice level, and bodies that are broken in
the ways real servers break them: each a health error on its source, nothing else.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from replay import ReplayServer
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from crawlers.crawl import crawl_sources
from store.db import transaction
from store.documents import level_changes, untagged_documents
from store.findings import replace_findings, signals_for_country, signals_of_document
from store.records import SourceSpec
from store.sources import list_health

pytestmark = pytest.mark.e2e


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(workdir=tmp_path, fetch_timeout=2.0)


@pytest.fixture
def server() -> Iterator[ReplayServer]:
    with ReplayServer() as srv:
        yield srv


def _don(don_id: str, title: str) -> dict[str, Any]:
    return {
        "DonId": don_id,
        "Title": title,
        "PublicationDate": "2026-10-01T08:00:00Z",
        "Summary": f"<p>Cases of {title.split(' – ')[0]} were reported.</p>",
    }


def _don_page(server: ReplayServer, reports: list[dict[str, Any]], next_path: str | None) -> bytes:
    page: dict[str, Any] = {"value": reports}
    if next_path:
        page["@odata.nextLink"] = server.url(next_path)
    return json.dumps(page).encode()


def _fcdo(country: str, slug: str, statuses: list[str], summary: str) -> bytes:
    item = {
        "title": f"{country} travel advice",
        "base_path": f"/foreign-travel-advice/{slug}",
        "public_updated_at": "2026-10-02T10:00:00Z",
        "locale": "en",
        "details": {
            "country": {"name": country, "slug": slug},
            "alert_status": statuses,
            "summary": summary,
            "parts": [{"slug": "safety", "title": "Safety", "body": "<p>Take care.</p>"}],
        },
    }
    return json.dumps(item).encode()


def _health(store: sessionmaker[Session]) -> dict[str, Any]:
    with transaction(store) as session:
        return {h.id: h for h in list_health(session)}


def test_crawl_who_don_follows_next_link_within_max_pages(
    server: ReplayServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    server.record(
        "/don", _don_page(server, [_don("2026-DON601", "Cholera – Sudan")], "/don?p=2"),
        content_type="application/json", etag='"p1"', gzip=True,
    )  # fmt: skip
    server.record(
        "/don?p=2", _don_page(server, [_don("2026-DON600", "Mpox – Uganda")], "/don?p=3"),
        content_type="application/json",
    )  # fmt: skip
    spec = SourceSpec("who", "who_don_api", server.url("/don"), options={"max_pages": 2})

    report = crawl_sources(store, settings, [spec])

    assert (report.new, report.failed) == (2, ())
    assert [r.path for r in server.log] == ["/don", "/don?p=2"]
    with transaction(store) as session:
        (sudan,) = signals_for_country(session, "SDN")
        assert (sudan.record.category, sudan.record.title) == ("epidemic", "Cholera – Sudan")
        assert signals_for_country(session, "UGA")
    again = crawl_sources(store, settings, [spec])
    assert again.outcomes[0].status == "not_modified"
    assert server.log[-1].headers.get("If-None-Match") == '"p1"'


def _reliefweb_answer(server: ReplayServer, ids: range, next_path: str | None) -> bytes:
    data = [
        {
            "id": str(i),
            "fields": {
                "title": f"Situation report {i}",
                "body-html": f"<p>Report {i} on the situation.</p>",
                "url_alias": f"https://reliefweb.int/report/afghanistan/report-{i}",
                "date": {"original": "2026-09-30T00:00:00+00:00"},
                "primary_country": {"iso3": "afg", "name": "Afghanistan"},
                "country": [{"iso3": "afg"}, {"iso3": "pak"}],
                "source": [{"name": "UNHCR", "shortname": "UNHCR"}],
                "format": [{"name": "Situation Report"}],
                "language": [{"code": "en"}],
            },
        }
        for i in ids
    ]
    answer: dict[str, Any] = {"totalCount": 5, "count": len(data), "data": data}
    if next_path:
        answer["links"] = {"next": {"href": server.url(next_path)}}
    return json.dumps(answer).encode()


def test_crawl_reliefweb_api_pages_with_filters(
    server: ReplayServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    server.record(
        "/v2/reports", _reliefweb_answer(server, range(1, 4), "/v2/reports?offset=3"),
        content_type="application/json",
    )  # fmt: skip
    server.record(
        "/v2/reports?offset=3", _reliefweb_answer(server, range(4, 6), None),
        content_type="application/json",
    )  # fmt: skip
    options = {"appname": "rw-test", "countries": ["AFG"], "formats": ["Situation Report"]}
    spec = SourceSpec("rw", "reliefweb_api", server.url("/v2/reports"), options=options)

    report = crawl_sources(store, settings, [spec])

    assert (report.new, report.failed) == (5, ())
    query = dict(parse_qsl(urlsplit(server.log[0].path).query))
    assert query["appname"] == "rw-test"
    assert query["filter[conditions][0][field]"] == "country.iso3"
    assert query["filter[conditions][0][value][]"] == "AFG"
    assert query["filter[conditions][1][value][]"] == "Situation Report"
    with transaction(store) as session:
        texts = [d.text for d in untagged_documents(session)]
    assert texts[0].endswith("Situation Report from UNHCR; countries AFG, PAK.")


def test_crawl_reliefweb_without_appname_reads_rss_and_says_so_once(
    server: ReplayServer,
    settings: Settings,
    store: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>ReliefWeb</title>
    <item><title>Flash update</title><link>https://reliefweb.int/report/x/flash</link>
    <description>Floods.</description></item></channel></rss>"""
    server.record("/updates/rss.xml", feed, etag='"r1"')
    rss = {"rss_url": server.url("/updates/rss.xml")}
    spec = SourceSpec("rw-rss", "reliefweb_api", server.url("/v2/reports"), options=rss)
    with caplog.at_level(logging.WARNING):
        first = crawl_sources(store, settings, [spec])
        second = crawl_sources(store, settings, [spec])
    assert first.new == 1 and second.outcomes[0].status == "not_modified"
    assert [r.path for r in server.log] == ["/updates/rss.xml", "/updates/rss.xml"]
    notes = [r for r in caplog.records if "appname" in r.getMessage()]
    assert len(notes) == 1

    bare = SourceSpec("rw-none", "reliefweb_api", server.url("/v2/reports"))
    failed = crawl_sources(store, settings, [spec, bare]).failed
    assert [o.source_id for o in failed] == ["rw-none"]
    assert "pre-approved appname" in str(_health(store)["rw-none"].last_error)


def test_crawl_travel_advice_level_change_is_a_revision_with_its_levels(
    server: ReplayServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    whole = ["avoid_all_travel_to_whole_country"]
    summary = "<p>FCDO advises against all travel to Syria.</p>"
    server.record(
        "/syria", _fcdo("Syria", "syria", whole, summary), content_type="application/json"
    )
    spec = SourceSpec("fcdo-syria", "fcdo", server.url("/syria"), country="SYR")
    crawl_sources(store, settings, [spec])
    with transaction(store) as session:
        (first,) = untagged_documents(session)
        replace_findings(session, first.id, [], [])  # the tagger ran: source signals stay
        assert [s.record.level for s in signals_of_document(session, first.id)] == ["against_all"]
    parts = "<p>FCDO advises against all travel to:</p><ul><li>Idlib province</li></ul>"
    server.record(
        "/syria", _fcdo("Syria", "syria", ["avoid_all_travel_to_parts"], parts),
        content_type="application/json",
    )  # fmt: skip

    report = crawl_sources(store, settings, [spec])

    assert report.revised == 1
    with transaction(store) as session:
        (second,) = untagged_documents(session)
        changes = {(c.area, c.before, c.after) for c in level_changes(session, second.id)}
    assert changes == {("", "against_all", "some_parts"), ("Idlib province", None, "against_all")}


US_FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>travel.state.gov: Travel Advisories</title>
<item><title>Nigeria - Level 3: Reconsider Travel</title>
<link>https://travel.state.gov/content/travel/en/traveladvisories/traveladvisories/nigeria-travel-advisory.html</link>
<pubDate>Tue, 15 Sep 2026 00:00:00 GMT</pubDate>
<description><![CDATA[<p>Reconsider travel to Nigeria due to <b>crime</b>.</p>
<p><b>Do Not Travel to</b>:</p>
<ul><li>Borno, Yobe, and northern Adamawa states due to <b>terrorism</b></li>
<li>Zamfara state due to <b>kidnapping</b></li></ul>
<p><b>Country Summary</b>: Violent crime is common.</p>]]></description></item>
</channel></rss>"""


def test_crawl_us_state_and_gdacs_signals_are_stored(
    server: ReplayServer, settings: Settings, store: sessionmaker[Session]
) -> None:
    fixtures = Path(__file__).parent / "fixtures" / "sources"
    server.record("/us.xml", US_FEED, last_modified="Tue, 15 Sep 2026 00:00:00 GMT")
    server.record("/gdacs.xml", (fixtures / "gdacs_two_events.xml").read_bytes(), gzip=True)
    specs = [
        SourceSpec("us", "us_state", server.url("/us.xml")),
        SourceSpec("gdacs", "gdacs", server.url("/gdacs.xml")),
    ]
    report = crawl_sources(store, settings, specs)
    assert (report.new, report.failed) == (3, ())
    with transaction(store) as session:
        nigeria = [(s.record.area, s.record.level) for s in signals_for_country(session, "NGA")]
        sudan = [(s.record.category, s.record.level) for s in signals_for_country(session, "SDN")]
    assert sorted(nigeria, key=str) == sorted(
        [
            (None, "level_3"),
            (_area("Borno, Yobe, and northern Adamawa states"), "level_4"),
            (_area("Zamfara state"), "level_4"),
        ],
        key=str,
    )
    assert sudan == [("disaster", "red")]
    crawl_sources(store, settings, specs)
    us_requests = [r for r in server.log if r.path == "/us.xml"]
    assert us_requests[1].headers["If-Modified-Since"] == "Tue, 15 Sep 2026 00:00:00 GMT"
    assert us_requests[1].status == 304


def _area(name: str) -> Any:
    from store.records import Area

    return Area(name)


VALID_JSON = json.dumps(
    {"value": [{"DonId": f"2026-DON{i}", "Title": "x"} for i in range(80)]}
).encode()
BROKEN = {
    "malformed-json": ({"body": b'{"value": [ {"DonId": '}, "who_don_api", "malformed JSON"),
    "html-as-json": (
        {"body": b"<!DOCTYPE html><html><title>Down</title></html>"},
        "fcdo", "not JSON: got an HTML page",
    ),
    "invalid-utf8": ({"body": b'{"value": ["\xff\xfe"]}'}, "who_don_api", "invalid UTF-8"),
    # zlib reads a cut gzip stream without complaint: the JSON inside ends early instead.
    "truncated-gzip": (
        {"body": VALID_JSON, "gzip": True, "corrupt_gzip": True}, "who_don_api", "malformed JSON",
    ),
    "truncated-body": ({"body": VALID_JSON, "truncate_at": 40}, "who_don_api", "broken response"),
    "server-error": ({"status": 500, "body": b"oops"}, "reliefweb_api", "HTTP 500"),
    "wrong-schema": ({"body": b'{"results": []}'}, "who_don_api", "no 'value' list"),
}  # fmt: skip


def test_crawl_broken_api_bodies_are_health_errors_only(
    server: ReplayServer,
    settings: Settings,
    store: sessionmaker[Session],
    caplog: pytest.LogCaptureFixture,
) -> None:
    specs = []
    for name, (recording, kind, _) in BROKEN.items():
        server.record(f"/{name}", **{"content_type": "application/json", **recording})
        options = {"appname": "test"} if kind == "reliefweb_api" else {}
        specs.append(SourceSpec(name, kind, server.url(f"/{name}"), options=options))
    server.record("/moved", redirect_to="/good")
    server.record(
        "/good", _don_page(server, [_don("2026-DON1", "Cholera – Chad")], None), delay=0.3
    )
    specs.append(SourceSpec("good", "who_don_api", server.url("/moved")))
    with caplog.at_level(logging.WARNING):
        report = crawl_sources(store, settings, specs)

    assert {o.source_id for o in report.failed} == set(BROKEN)
    assert report.new == 1
    health = _health(store)
    for name, (_, _, reason) in BROKEN.items():
        assert reason in str(health[name].last_error), (name, health[name].last_error)
        assert len([r for r in caplog.records if f"source {name}" in r.getMessage()]) == 1
    assert health["good"].last_error is None
