"""Every country of the demo prints: its PDF says the right status and fits two pages."""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session, sessionmaker

from alerts.briefing import briefing_countries, gather_briefing, render_briefing_html, render_pdf
from alerts.templating import make_environment
from config import Settings
from demo import run_demo
from store.db import make_engine, make_sessionmaker, transaction

# What the demo's status banner must say (sample_data/seed.toml and the sample feeds).
EXPECTED = {
    "SDN": "Suspension proposed for Sudan — awaiting a manager's decision",
    "ETH": "No country-wide suspension in force for Ethiopia",
    "AFG": "No suspension in force for Afghanistan — situation under watch",
    "TCD": "No suspension in force for Chad",
}
TIGRAY_HEADLINE = "Return assistance still suspended for Tigray (Ethiopia) — resumption proposed"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, sessionmaker[Session]]:
    settings = Settings(workdir=tmp_path_factory.mktemp("demo"), programme_name="Test programme")
    run_demo(settings)
    return settings, make_sessionmaker(make_engine(settings.database_url))


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def _print(
    demo: tuple[Settings, sessionmaker[Session]],
    code: str,
    area: str | None = None,
    language: str = "en",
) -> tuple[int, str]:
    settings, factory = demo
    with transaction(factory) as s:
        sheet = gather_briefing(s, code, area, settings, language=language)
    return _pdf_text(render_pdf(render_briefing_html(sheet, make_environment(language))))


def test_briefing_demo_every_country_prints_its_status(
    demo: tuple[Settings, sessionmaker[Session]],
) -> None:
    settings, factory = demo
    with transaction(factory) as s:
        countries = briefing_countries(s)
        headlines = {c: gather_briefing(s, c, None, settings).status.headline for c in countries}
    assert set(EXPECTED) <= set(countries)

    for code in countries:
        pages, text = _print(demo, code)
        assert headlines[code] in text, code
        assert pages <= 2, f"{code} takes {pages} pages"
        assert "Page 1 of" in text and "Edition" in text and "Generated" in text
        if code in EXPECTED:
            assert EXPECTED[code] in text


def test_briefing_demo_area_sheet_and_sections(
    demo: tuple[Settings, sessionmaker[Session]],
) -> None:
    pages, text = _print(demo, "ETH", "Tigray")
    _, sudan = _print(demo, "SDN")

    assert TIGRAY_HEADLINE in text and pages <= 2
    for heading in (
        "UN RECOMMENDATIONS IN FORCE",
        "WHAT CHANGED",
        "THE WIDER SITUATION",
        "PEOPLE IN VULNERABLE SITUATIONS",
        "SOURCES",
    ):
        assert heading in sudan.upper()
    assert "Rejected asylum-seekers: UN calls in force also cover them" in sudan


def test_briefing_demo_prints_in_french_and_arabic(
    demo: tuple[Settings, sessionmaker[Session]],
) -> None:
    _, french = _print(demo, "SDN", language="fr")
    pages, arabic = _print(demo, "SDN", language="ar")

    assert "Suspension proposée pour Soudan" in french
    assert "Recommandations de l'ONU en vigueur".upper() in french.upper()
    assert "Page 1 sur" in french
    assert "توصيات الأمم المتحدة السارية" in arabic
    assert "السودان" in arabic
    assert pages <= 2


def test_briefing_demo_arabic_html_is_right_to_left(
    demo: tuple[Settings, sessionmaker[Session]],
) -> None:
    settings, factory = demo
    with transaction(factory) as s:
        sheet = gather_briefing(s, "SDN", None, settings, language="ar")
    html = render_briefing_html(sheet, make_environment("ar"))

    assert '<html lang="ar" dir="rtl">' in html
    assert sheet.direction == "rtl"
    assert '[dir="rtl"] .banner' in html


def test_briefing_demo_written_files_are_numbered_editions(
    demo: tuple[Settings, sessionmaker[Session]],
) -> None:
    settings, factory = demo
    html = Path(settings.briefings_dir / "SDN.html").read_text(encoding="utf-8")
    assert "Edition 1 (" in html and "First edition of this sheet." in html
    with transaction(factory) as s:
        again = gather_briefing(s, "SDN", None, settings, record_edition=True)
    assert again.edition_number == 1 and again.changes is None
