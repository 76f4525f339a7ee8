"""The API and advisory kinds on real recorded responses from ../shared/corpus.

Skipped when the corpus is absent. The ReliefWeb recordings are report records saved by
a scraper of API v2; each is put back into the API's envelope ({"data": [{"fields"}]})
with the fields it recorded, so the parser reads the real titles, bodies and dates.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crawlers.advisories import fcdo_advice, fcdo_level, us_areas, us_title
from crawlers.countries import country_code
from crawlers.fcdo import parse_fcdo
from crawlers.gdacs import parse_gdacs
from crawlers.reliefweb import parse_reliefweb_page
from crawlers.who_don import parse_don_page
from store.records import SourceSpec

pytestmark = pytest.mark.corpus

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
FETCHED = datetime(2026, 11, 20, 6, 0, tzinfo=UTC)
TRAVEL = CORPUS / "travel_advice"


def _corpus(*parts: str) -> Path:
    path = CORPUS.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not available: {path}")
    return path


def _spec(kind: str, url: str = "https://example.org/source") -> SourceSpec:
    return SourceSpec(id=f"corpus-{kind}", kind=kind, url=url)


# GDACS: file -> (documents, signals by level, documents without a country)
GDACS = {
    "OCHA-DAP__hdx-scraper-gdacs/tests/fixtures/input/xml-rss.xml": (2, {"green": 2}, 0),
    "OpenGeoscience__dataqs/dataqs/gdacs/resources/test_gdacs.rss": (
        65, {"green": 19, "orange": 2, "red": 1, None: 37}, 8),
    "The-Turing-Machine__Erectus/gdacs_archive_rss_2012-2016.xml": (
        100, {"orange": 91, "red": 32}, 4),
    "benjiao__gdacs-reader/tests/data/rss_24h.xml": (33, {"green": 40, "orange": 17, "red": 8}, 2),
    "benjiao__gdacs-reader/tests/data/rss_7d.xml": (
        144, {"green": 140, "orange": 18, "red": 8}, 12),
    "exxamalte__python-aio-georss-gdacs/samples/gdacs-rss-24h.xml": (
        21, {"green": 26, "orange": 27}, 1),
    "exxamalte__python-aio-georss-gdacs/samples/gdacs-rss-7d.xml": (
        115, {"green": 116, "orange": 28}, 6),
    "exxamalte__python-aio-georss-gdacs/samples/gdacs-rss.xml": (
        16, {"green": 21, "orange": 28}, 0),
    "exxamalte__python-aio-georss-gdacs/tests/fixtures/gdacs-1.xml": (4, {"green": 7}, 0),
    "exxamalte__python-aio-georss-gdacs/tests/fixtures/gdacs-2.xml": (1, {}, 1),
}  # fmt: skip


def test_gdacs_corpus_every_feed_is_listed() -> None:
    root = _corpus("gdacs")
    feeds = {str(p.relative_to(root)) for p in root.rglob("*") if p.suffix in (".xml", ".rss")}
    assert feeds == set(GDACS)


@pytest.mark.parametrize("name", sorted(GDACS))
def test_gdacs_corpus_feed_parses_levels_and_countries(name: str) -> None:
    documents, levels, without_country = GDACS[name]
    result = parse_gdacs(_corpus("gdacs", name).read_bytes(), _spec("gdacs"), FETCHED)
    assert result.problem is None
    assert len(result.documents) == documents
    assert Counter(s.level for d in result.documents for s in d.signals) == Counter(levels)
    assert sum(1 for d in result.documents if not d.signals) == without_country
    for doc in result.documents:
        assert all(s.category == "disaster" and len(s.country) == 3 for s in doc.signals)
        assert all(s.url == doc.url and s.date == doc.published for s in doc.signals)


def test_gdacs_corpus_old_and_new_schema_details() -> None:
    old = parse_gdacs(
        _corpus(
            "gdacs", "The-Turing-Machine__Erectus/gdacs_archive_rss_2012-2016.xml"
        ).read_bytes(),
        _spec("gdacs"),
        FETCHED,
    )
    first = old.documents[0]  # empty gdacs:iso3, country given by name
    assert first.title == "Orange flood alert in Pakistan"
    assert first.published == datetime(2016, 3, 25, 23, 59, 59, tzinfo=UTC)
    assert [(s.country, s.level) for s in first.signals] == [("PAK", "orange")]
    assert "event type flood; event 4339; episode 1" in first.text
    new = parse_gdacs(
        _corpus("gdacs", "benjiao__gdacs-reader/tests/data/rss_24h.xml").read_bytes(),
        _spec("gdacs"),
        FETCHED,
    )
    nepal = new.documents[0]  # gdacs:iso3 holds the alpha-2 code "NP"
    assert [(s.country, s.level) for s in nepal.signals] == [("NPL", "green")]
    several = [d for d in new.documents if len(d.signals) > 1]
    assert several and all(len({s.country for s in d.signals}) == len(d.signals) for d in several)


def test_who_don_corpus_page() -> None:
    path = _corpus("who_don", "adintegra__rag-for-disease-outbreaks", "app", "who-don-retriever")
    page = parse_don_page((path / "dons_sample.json").read_bytes(), _spec("who_don_api"), FETCHED)
    assert page.problem is None
    assert len(page.documents) == 50
    assert page.next_url is not None and page.next_url.endswith("$skip=50")
    first = page.documents[0]
    assert first.title == "Marburg virus disease – Rwanda"
    assert first.url == "https://www.who.int/emergencies/disease-outbreak-news/item/2024-DON540"
    assert first.published == datetime(2024, 10, 18, 9, 59, 40, tzinfo=UTC)
    assert first.text.startswith("Summary\n\nAs of 17 October 2024, a total of 62 Marburg")
    assert "<p>" not in first.text
    assert [(s.category, s.country) for s in first.signals] == [("epidemic", "RWA")]
    assert sum(1 for d in page.documents if d.signals) == 42
    countries = Counter(s.country for d in page.documents for s in d.signals)
    assert countries["UGA"] == 4 and countries["SAU"] == 3 and countries["RWA"] == 4


def _reliefweb_answer(path: Path) -> tuple[bytes, dict[str, Any]]:
    saved = json.loads(path.read_text(encoding="utf-8"))
    iso3 = saved["country_code"]
    data = [
        {
            "id": r["reliefweb_id"],
            "fields": {
                "title": r["title"],
                "body-html": r["body_text"],
                "url_alias": r["url"],
                "date": r["date"],
                "primary_country": {"iso3": iso3, "name": saved["country"]},
                "country": [{"iso3": iso3, "name": saved["country"]}],
                "source": [{"name": name} for name in r.get("source") or []],
            },
        }
        for r in saved["reports"]
    ]
    answer = {"totalCount": len(data), "count": len(data), "data": data}
    return json.dumps(answer).encode(), saved


@pytest.mark.parametrize(
    ("folder", "reports", "country"),
    [
        ("Hurricane_Melissa_hti_20260212_132549", 31, "HTI"),
        ("Marburg_Disease_Outbreak_eth_20260212_141152", 19, "ETH"),
    ],
)
def test_reliefweb_corpus_reports(folder: str, reports: int, country: str) -> None:
    root = _corpus("reliefweb", "idecost__Scraping_Reliefweb", "reliefweb_data", folder)
    body, saved = _reliefweb_answer(next(root.glob("*_reports.json")))
    page = parse_reliefweb_page(body, _spec("reliefweb_api"), FETCHED)
    assert (page.problem, page.next_url) == (None, None)
    assert len(page.documents) == reports
    for doc, record in zip(page.documents, saved["reports"], strict=True):
        assert doc.url == record["url"]
        assert doc.published == datetime.fromisoformat(record["date"]["original"])
        assert doc.text.endswith(f"countries {country}.")
        assert "<" not in doc.text.partition("ReliefWeb:")[0][:2000] or "<" in record["title"]


def test_reliefweb_corpus_first_report_text() -> None:
    root = _corpus(
        "reliefweb", "idecost__Scraping_Reliefweb", "reliefweb_data",
        "Hurricane_Melissa_hti_20260212_132549",
    )  # fmt: skip
    body, _ = _reliefweb_answer(root / "Hurricane_Melissa_hti_reports.json")
    doc = parse_reliefweb_page(body, _spec("reliefweb_api"), FETCHED).documents[0]
    assert doc.title.startswith("Haiti Key Message Update: Security gains remain limited")
    assert doc.published == datetime(2026, 2, 6, tzinfo=UTC)
    assert doc.text.startswith("Key Messages\n\nDespite some positive developments")
    assert "from Famine Early Warning System Network; countries HTI." in doc.text


CONTENT_API = ("govuk_content_api", "alphagov__govuk-content-schemas", "examples", "travel_advice")


@pytest.mark.parametrize(
    ("name", "country", "level", "areas"),
    [
        ("full-country.json", "ALB", "none", 0),
        ("alt-country.json", "TUR", "some_parts", 6),
        ("no-parts.json", "ATA", "none", 0),
    ],
)
def test_fcdo_corpus_content_api(name: str, country: str, level: str, areas: int) -> None:
    body = _corpus("travel_advice", *CONTENT_API, "frontend", name).read_bytes()
    result = parse_fcdo(body, _spec("fcdo"), FETCHED)
    assert result.problem is None
    (doc,) = result.documents
    assert doc.url.startswith("https://www.gov.uk/foreign-travel-advice/")
    assert doc.published is not None and doc.published.year in (2015, 2017)
    whole, *parts = doc.signals
    assert (whole.country, whole.level, whole.area) == (country, level, None)
    assert len(parts) == areas
    assert all(p.area is not None and p.category == "travel_advice" for p in parts)


def test_fcdo_corpus_turkey_areas() -> None:
    body = _corpus("travel_advice", *CONTENT_API, "frontend", "alt-country.json").read_bytes()
    signals = parse_fcdo(body, _spec("fcdo"), FETCHED).documents[0].signals
    areas = {(s.area.name if s.area else "", s.level) for s in signals}
    assert ("within 10km of the border with Syria", "against_all") in areas
    assert ("the provinces of Siirt, Tunceli and Hakkari", "against_all_but_essential") in areas


# FCDO pages as recorded (markdown): country -> (level, areas against all, all but essential)
UK_LEVELS = {
    "Afghanistan": ("against_all", 0, 0),
    "Burkina Faso": ("against_all", 0, 0),
    "Eritrea": ("some_parts", 1, 0),
    "Haiti": ("against_all", 0, 0),
    "Iraq": ("some_parts", 9, 14),
    "Israel": ("some_parts", 6, 1),
    "Libya": ("some_parts", 1, 3),
    "Myanmar (Burma)": ("some_parts", 11, 5),
    "Nigeria": ("some_parts", 7, 16),
    "Palestine": ("some_parts", 6, 1),
    "Russia": ("against_all", 0, 0),
    "Somalia": ("against_all", 0, 1),
    "Syria": ("against_all", 0, 0),
    "Venezuela": ("some_parts", 6, 1),
}


@pytest.mark.parametrize("country", sorted(UK_LEVELS))
def test_fcdo_corpus_warnings_page_levels_and_areas(country: str) -> None:
    text = _corpus("travel_advice", "uk", country, "Warnings and insurance.md").read_text("utf-8")
    code = country_code(country)
    advice = [a for a in fcdo_advice(text) if country_code(a.area) != code]
    level, against_all, but_essential = UK_LEVELS[country]
    assert fcdo_level(fcdo_advice(text), code, []) == level
    assert (
        Counter(a.level for a in advice)
        == Counter({"against_all": against_all, "against_all_but_essential": but_essential})
        - Counter()
    )


def test_fcdo_corpus_history_shows_syria_unchanged_and_named_areas() -> None:
    folder = _corpus("travel_advice", "uk_history", "Syria")
    levels = {
        p.name[:10]: fcdo_level(fcdo_advice(p.read_text("utf-8")), "SYR", [])
        for p in folder.glob("*Warnings and insurance.md")
    }
    assert len(levels) == 8 and set(levels.values()) == {"against_all"}


def _us_advisory(path: Path) -> tuple[tuple[str, str | None], list[tuple[str, str]]]:
    text = path.read_text("utf-8")
    heading = next(
        line[4:] for line in text.splitlines() if line.startswith("### ") and "Advisory" not in line
    )
    return us_title(heading), [(a.area, a.level) for a in us_areas(text)]


def _us_countries() -> list[str]:
    root = TRAVEL / "us"
    return (
        sorted(p.name for p in root.iterdir() if (p / "Advisory.md").exists())
        if root.exists()
        else []
    )


@pytest.mark.parametrize("country", _us_countries())
def test_us_state_corpus_level_matches_recorded_level(country: str) -> None:
    folder = _corpus("travel_advice", "us", country)
    info = json.loads((folder / "info.json").read_text("utf-8"))
    (name, level), _ = _us_advisory(folder / "Advisory.md")
    expected = info["risk_level_number"]
    assert level == (None if expected is None else f"level_{expected}")
    if level is not None:
        assert country_code(name) is not None


def test_us_state_corpus_areas() -> None:
    _, nigeria = _us_advisory(_corpus("travel_advice", "us", "Nigeria", "Advisory.md"))
    assert nigeria[0] == ("Borno, Yobe, Kogi, and northern Adamawa states", "level_4")
    assert len(nigeria) == 3 and {level for _, level in nigeria} == {"level_4"}
    _, israel = _us_advisory(
        _corpus("travel_advice", "us", "Israel, the West Bank and Gaza", "Advisory.md")
    )
    assert ("Gaza", "level_4") in israel and ("Israel", "level_3") in israel
    assert Counter(level for _, level in israel) == {"level_4": 3, "level_3": 2}


def test_us_state_corpus_history_levels() -> None:
    folder = _corpus("travel_advice", "us_history", "Venezuela")
    levels = [_us_advisory(p)[0][1] for p in sorted(folder.glob("*Advisory.md"))]
    assert len(levels) == 5 and set(levels) == {"level_4"}
