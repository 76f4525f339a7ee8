"""alerts.email renders alert and decision messages from hand-built records (no database)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from mail_samples import (
    SUDAN_QUOTE,
    SUDAN_URL,
    TIGRAY,
    decision,
    finding,
    manager,
    proposal,
    signal,
    status,
)

from alerts.email import (
    SUBJECT_MAX_CHARS,
    clean_header,
    render_decision_confirmation,
    render_proposal_alert,
)
from store.records import Area, Place

CASES = tomllib.loads(
    (Path(__file__).parent / "cases" / "email_subjects.toml").read_text(encoding="utf-8")
)["case"]
FOOTER = "the decision is the programme manager's"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_email_subject_says_what_and_where(case: dict[str, Any]) -> None:
    place = Place(case["country"], case.get("area", ""), case.get("area_code"))
    prop = proposal(place, case["kind"])
    if case["message"] == "alert":
        msg = render_proposal_alert(prop, status(place), manager(), "AVRR", "")
    else:
        msg = render_decision_confirmation(
            decision(case["message"] == "approved"), prop, status(place), manager(), "AVRR"
        )
    assert msg.subject == case["expect"]
    assert "\r" not in msg.subject and "\n" not in msg.subject


def test_email_alert_gives_decision_evidence_status_and_how_to_decide() -> None:
    msg = render_proposal_alert(
        proposal(signals=(signal(),)),
        status(),
        manager(),
        "AVRR Programme",
        "https://returnwatch.example.org/",
    )
    assert msg.dedup_key == "alert:7:ana@example.org"
    assert msg.recipient == "ana@example.org"
    for body in (msg.body_text, msg.body_html):
        assert "suspend return assistance" in body
        assert "AVRR Programme" in body
        assert SUDAN_QUOTE in body
        assert "UNHCR" in body
        assert "10 November 2026" in body
        assert "rejected asylum seekers" in body
        assert "until the security situation has improved" in body
        assert "suspension proposed, awaiting a decision" in body
        assert "Fighting spreads in Darfur" in body
        assert "returnwatch decide 7 --approve --by NAME --reason TEXT" in body
        assert "returnwatch decide 7 --reject --by NAME --reason TEXT" in body
        assert "https://returnwatch.example.org/proposals/7" in body
        assert "machine" in body and FOOTER in body
    assert SUDAN_URL in msg.body_text
    assert f'href="{SUDAN_URL.replace("&", "&amp;")}"' in msg.body_html


def test_email_alert_without_base_url_has_no_web_link_and_no_tracking() -> None:
    msg = render_proposal_alert(proposal(), status(), manager(), "AVRR", "")
    assert "/proposals/" not in msg.body_text + msg.body_html
    assert "<img" not in msg.body_html
    hrefs = msg.body_html.count("href=")
    assert hrefs == 1  # the source link only


def test_email_area_alert_says_the_rest_of_the_country_is_not_covered() -> None:
    tigray = finding(
        "UNHCR calls for a halt to forced returns to Tigray.",
        country="ETH",
        area=Area("Tigray", "ET-TI"),
    )
    msg = render_proposal_alert(
        proposal(TIGRAY, findings=(tigray,)), status(TIGRAY), manager(), "AVRR", ""
    )
    for body in (msg.body_text, msg.body_html):
        assert "Tigray (Ethiopia)" in body
        assert "ET-TI" in body
        assert "the rest of Ethiopia is not covered" in body


def test_email_script_in_source_title_is_escaped_in_html_and_verbatim_in_text() -> None:
    evil = finding(
        title="Sudan <script>alert('x')</script> update",
        evidence="Halt returns <b>now</b> & always.",
    )
    msg = render_proposal_alert(proposal(findings=(evil,)), status(), manager(), "AVRR", "")
    assert "<script>" not in msg.body_html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in msg.body_html
    assert "Halt returns &lt;b&gt;now&lt;/b&gt; &amp; always." in msg.body_html
    assert "Sudan <script>alert('x')</script> update" in msg.body_text
    assert "Halt returns <b>now</b> & always." in msg.body_text
    assert "&lt;" not in msg.body_text and "&amp;" not in msg.body_text


def test_email_javascript_links_are_not_clickable() -> None:
    bad = finding(url="javascript:alert(1)")
    msg = render_proposal_alert(
        proposal(findings=(bad,), signals=(signal(url="data:x"),)),
        status(),
        manager(),
        "AVRR",
        "javascript:alert(2)",
    )
    assert "href=" not in msg.body_html
    assert "/proposals/" not in msg.body_html


def test_email_decision_confirmation_names_who_when_why_and_status() -> None:
    msg = render_decision_confirmation(
        decision(approve=False), proposal(), status(state="normal"), manager(), "AVRR"
    )
    assert msg.dedup_key == "decision:4:ana@example.org"
    for body in (msg.body_text, msg.body_html):
        assert "Rejected" in body
        assert "Ana Manager" in body
        assert "UNHCR advisory; no safe route" in body
        assert "10 November 2026, 10:30 UTC" in body
        assert "normal: assistance is available" in body
        assert FOOTER in body


def test_email_clean_header_caps_length() -> None:
    long = clean_header("x" * 500)
    assert len(long) == SUBJECT_MAX_CHARS
    assert long.endswith("…")
    assert clean_header("  a \t b\r\n c  ") == "a b c"
