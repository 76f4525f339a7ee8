"""Rendering the briefing sheet from hand-built records: status words, escaping, areas."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from briefing_samples import ETHIOPIA, TIGRAY, finding, sample_briefing, signal, status
from markupsafe import escape

from alerts.briefing import render_briefing_html, slugify
from alerts.templating import make_environment

CASES = tomllib.loads(
    (Path(__file__).parent / "cases" / "briefing_status.toml").read_text(encoding="utf-8")
)["case"]


def _render(**kwargs: Any) -> str:
    return render_briefing_html(sample_briefing(**kwargs), make_environment())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_briefing_status_words(case: dict[str, Any]) -> None:
    country = status(ETHIOPIA, case["country_state"])
    areas = [status(TIGRAY, case["area_state"])] if "area_state" in case else []
    if case["area"]:
        own, place, areas = areas[0], TIGRAY, [country]
    else:
        own, place = country, ETHIOPIA
    briefing = sample_briefing(place=place, own=own, areas=areas)
    html = render_briefing_html(briefing, make_environment())

    assert briefing.status.colour == case["colour"]
    assert briefing.status.label == case["label"]
    assert briefing.status.headline == case["headline"]
    assert case["meaning"] in briefing.meaning
    assert f"banner-{case['colour']}" in html
    assert str(escape(case["headline"])) in html
    if "area_row" in case:
        assert str(escape(case["area_row"])) in html


def test_briefing_escapes_script_in_titles_and_quotes() -> None:
    evil = finding(
        1,
        "UNHCR <script>alert('quote')</script> calls for a halt to returns.",
        title="<script>alert('title')</script> position",
    )
    html = _render(findings=[evil], signals=[signal(1, "<img src=x onerror=alert(1)>")])

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in html


def test_briefing_links_only_http_sources() -> None:
    bad = finding(1, "UNHCR calls for a halt to returns to Tigray.")
    bad = bad.__class__(
        bad.id,
        bad.document_id,
        bad.record,
        bad.title,
        "javascript:alert(1)",
        bad.published,
        bad.source_id,
    )
    html = _render(findings=[bad], signals=[])

    assert 'href="javascript:' not in html
    assert "javascript:alert(1)" in html  # shown as text, not as a link


def test_briefing_country_sheet_shows_suspended_area_prominently() -> None:
    html = _render(own=status(ETHIOPIA, "normal"), areas=[status(TIGRAY, "suspended")])

    banner_at = html.index('<section class="banner')
    areas_at = html.index('<section class="areas"')
    assert areas_at > banner_at
    assert html.index("UN recommendations in force") > areas_at
    assert "status-red" in html


def test_briefing_area_sheet_keeps_country_wide_and_own_area_only() -> None:
    findings = [
        finding(1, "UNHCR calls for a halt to returns to Tigray."),
        finding(2, "UNHCR calls for a halt to returns to Amhara.", area="Amhara"),
        finding(3, "UNHCR calls for a halt to returns to all of Ethiopia.", area=None),
    ]
    briefing = sample_briefing(place=TIGRAY, own=status(TIGRAY, "suspended"), findings=findings)

    quotes = [r.quote for r in briefing.recommendations]
    assert quotes == [
        "UNHCR calls for a halt to returns to all of Ethiopia.",
        "UNHCR calls for a halt to returns to Tigray.",
    ]


def test_briefing_lifted_call_is_not_in_force() -> None:
    findings = [
        finding(1, "UNHCR calls for a halt to returns to Tigray."),
        finding(
            2,
            "UNHCR says returns to Tigray may resume.",
            stance="lifts",
            published=status(TIGRAY, "normal").since.replace(year=2026),
        ),
    ]
    briefing = sample_briefing(findings=findings)

    assert briefing.recommendations == ()
    assert [r.quote for r in briefing.lifting] == ["UNHCR says returns to Tigray may resume."]


def test_briefing_merges_areas_of_one_statement() -> None:
    findings = [
        finding(1, "UNHCR calls for a halt to returns to Tigray and Afar.", document_id=7),
        finding(
            2, "UNHCR calls for a halt to returns to Tigray and Afar.", area="Afar", document_id=7
        ),
    ]
    briefing = sample_briefing(findings=findings)

    assert len(briefing.recommendations) == 1
    assert briefing.recommendations[0].areas == ("Tigray", "Afar")
    assert len(briefing.sources) == 3  # one document, two signals


def test_briefing_is_dated_and_sourced() -> None:
    html = _render()

    assert "Generated 10 November 2026, 10:30 UTC" in html
    assert "Sources last checked 10 November 2026, 08:00 UTC" in html
    assert 'href="https://example.org/doc/1"' in html
    assert "rejected asylum-seekers" in html


def test_briefing_edition_changes_with_content_only() -> None:
    first = sample_briefing(own=status(ETHIOPIA, "watch"))
    again = sample_briefing(own=status(ETHIOPIA, "watch"))
    changed = sample_briefing(own=status(ETHIOPIA, "suspended"))

    assert first.edition == again.edition
    assert first.edition != changed.edition
    assert first.edition.startswith("20261110-")


@pytest.mark.parametrize(
    ("area", "slug"),
    [
        ("Tigray", "tigray"),
        ("Nord-Kivu", "nord-kivu"),
        ("Gaza Strip", "gaza-strip"),
        ("Ninewa (Nīnawā)", "ninewa-ninawa"),
        ("???", "area"),
    ],
)
def test_briefing_slugify_area_names(area: str, slug: str) -> None:
    assert slugify(area) == slug
