"""Printing a typical briefing with WeasyPrint: the status sentence is there, it fits 2 pages."""

from __future__ import annotations

import io
import re

from briefing_samples import ETHIOPIA, TIGRAY, decision, finding, sample_briefing, signal, status
from pypdf import PdfReader

from alerts.briefing import render_briefing_html, render_pdf
from alerts.templating import make_environment


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), re.sub(r"\s+", " ", text)


def test_briefing_pdf_typical_country_fits_two_pages() -> None:
    quote = (
        "UNHCR calls on States to suspend forcible returns of nationals to {}, including of "
        "people whose asylum claims have been rejected, until the security and human rights "
        "situation has improved considerably."
    )
    findings = [
        finding(i, quote.format(area), area=area, document_id=i)
        for i, area in enumerate(["Tigray", "Amhara", "Afar", "Oromia"], start=1)
    ]
    findings += [
        finding(
            10 + i,
            "Human Rights Watch urges governments to halt deportations "
            "to Ethiopia given the abuses documented.",
            issuer="Human Rights Watch",
            un=False,
            area=None,
            title=f"HRW statement {i}",
        )
        for i in range(3)
    ]
    signals = [
        signal(i, f"Armed clashes reported near town number {i}, thousands displaced")
        for i in range(1, 9)
    ]
    briefing = sample_briefing(
        own=status(ETHIOPIA, "watch"),
        areas=[status(TIGRAY, "suspended")],
        findings=findings,
        signals=signals,
    )
    briefing = briefing.__class__(**{**briefing.__dict__, "decisions": briefing.decisions * 4})

    pages, text = _text(render_pdf(render_briefing_html(briefing, make_environment())))

    assert pages <= 2
    assert "No country-wide suspension in force for Ethiopia" in text
    assert (
        "Return assistance suspended for Tigray (Ethiopia) since 1 December 2025, "
        "decided by Amina Diallo"
    ) in text
    assert "Page 1 of" in text
    assert "Generated 10 November 2026, 10:30 UTC" in text


def test_briefing_pdf_area_sheet_states_suspension() -> None:
    briefing = sample_briefing(
        place=TIGRAY, own=status(TIGRAY, "suspended"), areas=[status(ETHIOPIA, "normal")]
    )

    pages, text = _text(render_pdf(render_briefing_html(briefing, make_environment())))

    assert pages == 1 or pages == 2
    assert text.count("Return assistance suspended for Tigray (Ethiopia)") >= 1
    assert decision()[0].reason in text
