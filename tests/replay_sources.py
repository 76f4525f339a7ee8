"""Many realistic sources on one replay server, for the re-crawl test and the benchmark.

Bodies are generated (no corpus needed): RSS and Atom feeds of `items` entries with
paragraphs of plausible length, GDACS feeds, GOV.UK travel-advice items and WHO DON
pages, with a mix of validators: ETag only, Last-Modified only, both, gzip or not.
"""

from __future__ import annotations

import json
from email.utils import formatdate

from replay import ReplayServer

from store.records import SourceSpec

KINDS = ("rss", "atom", "gdacs", "fcdo", "who_don_api")
PARAGRAPH = (
    "Humanitarian partners report continued displacement in the region after renewed "
    "clashes; access remains constrained and the protection situation is fragile. "
)


def _text(n: int, paragraphs: int) -> str:
    return "".join(f"<p>{PARAGRAPH * 3} (item {n}, part {p})</p>" for p in range(paragraphs))


def rss_feed(source: int, items: int) -> bytes:
    entries = "".join(
        f"<item><title>Update {source}-{i}</title><link>https://news.example.org/{source}/{i}</link>"
        f"<pubDate>Tue, 10 Nov 2026 10:{i % 60:02d}:00 +0000</pubDate>"
        f"<description><![CDATA[{_text(i, 4)}]]></description></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Sample feed {source}</title>{entries}</channel></rss>"
    ).encode()


def atom_feed(source: int, items: int) -> bytes:
    entries = "".join(
        f'<entry><title>Notice {source}-{i}</title><link href="https://atom.example.org/{source}/{i}"/>'
        f"<id>urn:sample:{source}:{i}</id><updated>2026-11-10T10:{i % 60:02d}:00Z</updated>"
        f'<content type="html"><![CDATA[{_text(i, 4)}]]></content></entry>'
        for i in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Sample atom {source}</title><id>urn:sample:{source}</id>"
        f"<updated>2026-11-10T10:00:00Z</updated>{entries}</feed>"
    ).encode()


def gdacs_feed(source: int, items: int) -> bytes:
    levels = ("Green", "Orange", "Red")
    entries = "".join(
        f"<item><title>{levels[i % 3]} flood alert in Sudan</title>"
        f"<link>https://www.gdacs.org/report.aspx?eventtype=FL&amp;eventid={source}{i:03d}</link>"
        f"<pubDate>Tue, 10 Nov 2026 10:00:00 GMT</pubDate><description>{PARAGRAPH}</description>"
        f"<gdacs:eventtype>FL</gdacs:eventtype><gdacs:alertlevel>{levels[i % 3]}</gdacs:alertlevel>"
        f"<gdacs:eventid>{source}{i:03d}</gdacs:eventid><gdacs:episodeid>1</gdacs:episodeid>"
        f"<gdacs:iso3>SDN</gdacs:iso3><gdacs:country>Sudan</gdacs:country></item>"
        for i in range(items)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        f'xmlns:gdacs="http://www.gdacs.org"><channel><title>GDACS sample {source}</title>'
        f"{entries}</channel></rss>"
    ).encode()


def fcdo_item(source: int, items: int) -> bytes:
    parts = [{"slug": f"p{i}", "title": f"Part {i}", "body": _text(i, 3)} for i in range(items)]
    item = {
        "title": f"Country {source} travel advice",
        "base_path": f"/foreign-travel-advice/country-{source}",
        "public_updated_at": "2026-11-10T10:00:00Z",
        "details": {
            "country": {"name": "Syria", "slug": "syria"},
            "alert_status": ["avoid_all_travel_to_parts"],
            "summary": "<p>FCDO advises against all travel to:</p><ul><li>Idlib province</li></ul>",
            "parts": parts,
        },
    }
    return json.dumps(item).encode()


def don_page(source: int, items: int) -> bytes:
    value = [
        {
            "DonId": f"2026-DON{source}{i:03d}",
            "Title": "Cholera – Sudan",
            "PublicationDate": "2026-11-10T10:00:00Z",
            "Summary": _text(i, 3),
        }
        for i in range(items)
    ]
    return json.dumps({"value": value}).encode()


BODIES = {
    "rss": (rss_feed, "application/rss+xml; charset=utf-8"),
    "atom": (atom_feed, "application/atom+xml"),
    "gdacs": (gdacs_feed, "application/rss+xml"),
    "fcdo": (fcdo_item, "application/json"),
    "who_don_api": (don_page, "application/json"),
}


def populate(
    server: ReplayServer, count: int, items: int = 20, delay: float = 0.0
) -> list[SourceSpec]:
    """`count` sources of all kinds in turn; validators and gzip vary from source to source."""
    specs = []
    modified = formatdate(1_790_000_000, usegmt=True)
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        make, content_type = BODIES[kind]
        path = f"/{kind}/{n}"
        server.record(
            path,
            make(n, items),
            content_type=content_type,
            etag=None if n % 3 == 1 else f'"{kind}-{n}-v1"',
            last_modified=modified if n % 3 != 0 else None,
            gzip=n % 2 == 0,
            delay=delay,
        )
        specs.append(SourceSpec(id=f"{kind}-{n}", kind=kind, url=server.url(path), issuer="Sample"))
    return specs
