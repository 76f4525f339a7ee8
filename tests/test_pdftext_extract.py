"""PDF text extraction: pages kept apart, and every bad PDF a clear PdfError, never a crash.

The PDFs are built byte by byte in tests/pdfsamples.py; the real ones are read from
../shared/corpus when it is there.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from pdfsamples import bomb_pdf, text_pdf

from crawlers.errors import PdfError
from crawlers.pdftext import PAGE_BREAK, PdfLimits, extract_pdf_text, page_at, page_starts

CORPUS_PDFS = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "corpus"
    / "reliefweb"
    / "idecost__Scraping_Reliefweb"
    / "reliefweb_data"
)
SMALL = PdfLimits(memory_bytes=256 * 1024 * 1024, seconds=20.0, max_pages=100, max_chars=100_000)


def test_pdftext_pages_are_kept_apart_and_offsets_map_to_pages() -> None:
    pdf = text_pdf(
        [
            ["UNHCR Position on Returns (sample)", "Page one (first) line."],
            ["UNHCR calls on States not to forcibly return", "nationals to the country."],
            ["Annex."],
        ]
    )
    result = extract_pdf_text(pdf, SMALL)
    assert result.page_count == 3
    assert result.text.count(PAGE_BREAK) == 2
    offset = result.text.index("UNHCR calls on States")
    assert result.page_at(offset) == 2
    assert page_at(result.text, 0) == 1
    assert page_at(result.text, len(result.text)) == 3
    starts = page_starts(result.text)
    assert len(starts) == 3 and result.text[starts[2] :] == "Annex."
    assert "Page one (first) line." in result.text.split(PAGE_BREAK)[0]
    assert not result.truncated


def test_pdftext_long_text_is_cut_and_says_so() -> None:
    pdf = text_pdf([["x" * 80] * 40] * 5)
    result = extract_pdf_text(pdf, PdfLimits(max_chars=5000))
    assert result.truncated
    assert len(result.text.replace(PAGE_BREAK, "")) <= 5000


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"<html><body>Not found</body></html>", "not a PDF"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "unreadable PDF"),
        (b"%PDF-1.7\n" + b"\x00" * 4000, "unreadable PDF"),
    ],
    ids=["html", "truncated", "garbage"],
)
def test_pdftext_broken_pdf_is_a_clear_error(body: bytes, reason: str) -> None:
    with pytest.raises(PdfError, match=reason):
        extract_pdf_text(body, SMALL)


def test_pdftext_page_without_text_is_reported() -> None:
    with pytest.raises(PdfError, match="no text layer"):
        extract_pdf_text(text_pdf([[]]), SMALL)


def test_pdftext_too_many_pages_are_refused() -> None:
    pdf = text_pdf([[f"page {n}"] for n in range(2500)])
    with pytest.raises(PdfError, match="2500 pages, more than the limit of 100"):
        extract_pdf_text(pdf, SMALL)


def test_pdftext_decompression_bomb_is_refused_within_the_memory_cap() -> None:
    bomb = bomb_pdf(120)  # ~300 KB on the wire, 120 MB once inflated
    with pytest.raises(PdfError, match=r"memory limit|decompression bomb"):
        extract_pdf_text(bomb, PdfLimits(memory_bytes=96 * 1024 * 1024, seconds=20.0))
    with pytest.raises(PdfError, match=r"memory limit|decompression bomb"):
        extract_pdf_text(bomb, PdfLimits(seconds=20.0))


def test_pdftext_slow_extraction_is_stopped_at_the_deadline() -> None:
    bomb = bomb_pdf(60)  # under pypdf's own inflate limit: parsing it takes long
    started = time.monotonic()
    with pytest.raises(PdfError, match=r"longer than 0\.5 s|memory limit"):
        extract_pdf_text(bomb, PdfLimits(seconds=0.5))
    assert time.monotonic() - started < 5


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("name", "pages", "page_of_phrase"),
    [
        ("4183047_Flashupdate1TSMelissaENG_20251023.pdf", 3, ("Melissa", 1)),
        (
            "4184052_Flash_update_Melissa_number_3_English_version_29_0ctober_2025.pdf",
            4,
            ("Haiti", 1),
        ),
        ("4191212_IntlMedCorps-EthiopiaMarburgOutbreak-SitRep01.pdf", 2, ("Marburg", 1)),
    ],
)
def test_pdftext_reads_real_reports(name: str, pages: int, page_of_phrase: tuple[str, int]) -> None:
    found = list(CORPUS_PDFS.glob(f"*/pdfs/{name}"))
    if not found:
        pytest.skip("../shared/corpus is not available")
    result = extract_pdf_text(found[0].read_bytes(), PdfLimits())
    assert result.page_count == pages
    phrase, page = page_of_phrase
    assert result.page_at(result.text.index(phrase)) == page
    assert all(len(p) > 1000 for p in result.text.split(PAGE_BREAK))
