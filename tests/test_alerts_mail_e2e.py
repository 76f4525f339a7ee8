"""From evidence in the store to mail at a real SMTP server on 127.0.0.1 (aiosmtpd).

Proposal -> alert, decision -> confirmation, the daily digest, an outage of the mail server,
header injection in source titles, and HTML in source text.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from alerts_store import add_document, un_call
from mail_samples import body_parts
from smtpserver import LocalSmtpServer
from sqlalchemy.orm import Session, sessionmaker

from alerts.assess import assess
from alerts.decisions import decide
from alerts.mailer import SmtpMailer
from alerts.notify import queue_notifications
from alerts.outbox import send_due
from config import Settings
from store.db import transaction
from store.outbox import list_messages
from store.proposals import list_proposals
from store.records import Area, SignalRecord
from store.subscribers import add_subscriber

pytestmark = pytest.mark.e2e

# The outbox stamps queued mail with the real clock, so the senders run just after it.
NOW = datetime.now(UTC) + timedelta(minutes=1)
QUOTE = (
    "UNHCR calls on all States to suspend forcible returns of Sudanese nationals "
    "until the security situation has improved."
)
FOOTER = "the decision is the programme manager's"


@pytest.fixture
def server() -> Iterator[LocalSmtpServer]:
    with LocalSmtpServer() as smtp:
        yield smtp


@pytest.fixture
def mail_settings(settings: Settings, server: LocalSmtpServer) -> Settings:
    return Settings(
        workdir=settings.workdir,
        smtp_host=server.host,
        smtp_port=server.port,
        smtp_timeout=5,
        mail_from="returnwatch@example.org",
        programme_name="AVRR Test",
    )


def subscribe(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        add_subscriber(session, "Ana Manager", "ana@example.org", "manager", ["SDN"])
        add_subscriber(
            session, "Cleo Counsellor", "cleo@example.org", "counsellor", ["SDN"], mode="digest"
        )
        add_subscriber(
            session, "Eve Elsewhere", "eve@example.org", "manager", regions=["South America"]
        )


def run_notify(
    factory: sessionmaker[Session], settings: Settings, now: datetime = NOW
) -> list[EmailMessage]:
    with transaction(factory) as session:
        queue_notifications(session, settings, now=now)
    send_due(factory, SmtpMailer(settings), settings, now=now)
    return []


def by_subject(server: LocalSmtpServer, words: str) -> list[EmailMessage]:
    return [m for m in server.messages if words in str(m["Subject"])]


def check_every_message(server: LocalSmtpServer) -> None:
    """Plain text + HTML, the footer, no tracking: what every message must have."""
    for msg in server.messages:
        assert msg.get_content_type() == "multipart/alternative"
        parts = body_parts(msg)
        assert set(parts) == {"text/plain", "text/html"}
        for body in parts.values():
            assert FOOTER in body and "machine" in body
            assert "<img" not in body and "utm_" not in body


def test_alerts_mail_proposal_to_alert_and_decision_to_confirmation(
    factory: sessionmaker[Session], mail_settings: Settings, server: LocalSmtpServer
) -> None:
    subscribe(factory)
    with transaction(factory) as session:
        add_document(session, "https://www.unhcr.org/sdn", [un_call("SDN", QUOTE)])
        assess(session, mail_settings)
    run_notify(factory, mail_settings)

    [alert] = by_subject(server, "Proposed")
    assert alert["Subject"] == "[returnwatch] Proposed: suspend return assistance — Sudan"
    assert alert["To"] == "ana@example.org"
    text = body_parts(alert)["text/plain"]
    for expected in (QUOTE, "UNHCR", "10 November 2026", "https://www.unhcr.org/sdn"):
        assert expected in text
    assert "DECISION ASKED FOR" in text and "CURRENT STATUS" in text
    assert "returnwatch decide" in text

    with transaction(factory) as session:
        [proposal] = list_proposals(session, ["pending"])
        decide(session, proposal.id, True, "Ana Manager", "UNHCR advisory", mail_settings)
    later = NOW + timedelta(minutes=5)
    run_notify(factory, mail_settings, later)
    confirmations = by_subject(server, "Approved")
    assert sorted(str(m["To"]) for m in confirmations) == ["ana@example.org", "cleo@example.org"]
    confirmation = body_parts(confirmations[0])["text/plain"]
    assert "UNHCR advisory" in confirmation and "suspended: no return assistance" in confirmation
    assert not [m for m in server.messages if m["To"] == "eve@example.org"]
    check_every_message(server)

    before = len(server.messages)
    run_notify(factory, mail_settings, later + timedelta(minutes=5))
    assert len(server.messages) == before


def test_alerts_mail_daily_digest_grouped_by_country(
    factory: sessionmaker[Session], mail_settings: Settings, server: LocalSmtpServer
) -> None:
    subscribe(factory)
    with transaction(factory) as session:
        add_document(session, "https://www.unhcr.org/sdn", [un_call("SDN", QUOTE)])
        red = SignalRecord(
            "disaster",
            "SDN",
            "Red alert: floods in Sudan",
            level="red",
            url="https://www.gdacs.org/report/1",
        )
        add_document(session, "https://www.gdacs.org/1", [], [red], source_id="hrw")
        assess(session, mail_settings)
    # The records were created just now: a digest due in two minutes covers them.
    digest_at = datetime.now(UTC) + timedelta(minutes=2)
    settings = Settings(**{**mail_settings.__dict__, "digest_time": f"{digest_at:%H:%M}"})
    today = digest_at + timedelta(minutes=1)
    run_notify(factory, settings, today)

    digests = by_subject(server, "Daily digest")
    assert sorted(str(m["To"]) for m in digests) == ["ana@example.org", "cleo@example.org"]
    text = body_parts(digests[0])["text/plain"]
    html = body_parts(digests[0])["text/html"]
    assert "==== SUDAN ====" in text and "<h2" in html and "Sudan" in html
    assert "WAITING FOR A DECISION" in text and "WATCH" in text
    assert "Red alert: floods in Sudan" in text and "Red alert: floods in Sudan" in html
    assert "returnwatch decide" in text
    check_every_message(server)

    before = len(server.messages)
    run_notify(factory, settings, today + timedelta(hours=1))
    assert len(server.messages) == before, "one digest per subscriber and day"


def test_alerts_mail_smtp_down_then_back_delivers_everything_once(
    factory: sessionmaker[Session], mail_settings: Settings, server: LocalSmtpServer
) -> None:
    subscribe(factory)
    with transaction(factory) as session:
        add_document(session, "https://www.unhcr.org/sdn", [un_call("SDN", QUOTE)])
        add_document(
            session,
            "https://www.unhcr.org/ven",
            [un_call("VEN", "UNHCR urges States not to return Venezuelans.")],
        )
        assess(session, mail_settings)
    server.stop()
    moment = NOW
    for _ in range(4):  # down for a while: every try fails and backs off
        run_notify(factory, mail_settings, moment)
        moment += timedelta(minutes=30)
    with transaction(factory) as session:
        waiting = list_messages(session, ["pending"])
    assert waiting and all(m.attempts >= 2 and m.last_error for m in waiting)
    server.start()
    for _ in range(6):
        run_notify(factory, mail_settings, moment)
        moment += timedelta(hours=2)
    with transaction(factory) as session:
        rows = list_messages(session)
    assert {m.state for m in rows} == {"sent"}
    assert sorted(server.delivered.values()) == [1] * len(rows)
    assert {str(m["To"]) for m in server.messages} >= {"ana@example.org", "eve@example.org"}


def test_alerts_mail_header_injection_in_source_titles_adds_no_header(
    factory: sessionmaker[Session], mail_settings: Settings, server: LocalSmtpServer
) -> None:
    subscribe(factory)
    evil_area = Area("Darfur\r\nBcc: thief@evil.example\r\nX-Injected: yes", None)
    with transaction(factory) as session:
        add_document(
            session,
            "https://www.unhcr.org/evil\r\nBcc: thief@evil.example",
            [un_call("SDN", QUOTE, area=evil_area)],
        )
        assess(session, mail_settings)
    run_notify(factory, mail_settings)
    assert server.messages
    for envelope in server.envelopes:
        assert "thief@evil.example" not in envelope.rcpt_tos
    for msg in server.messages:
        assert msg["Bcc"] is None and msg["X-Injected"] is None
        assert "\n" not in str(msg["Subject"]) and "\r" not in str(msg["Subject"])


def test_alerts_mail_html_in_source_text_arrives_escaped(
    factory: sessionmaker[Session], mail_settings: Settings, server: LocalSmtpServer
) -> None:
    subscribe(factory)
    quote = "UNHCR calls for a halt to returns to Sudan <script>alert('x')</script> <b>now</b>."
    with transaction(factory) as session:
        add_document(session, "https://www.unhcr.org/<i>sdn</i>", [un_call("SDN", quote)])
        assess(session, mail_settings)
    run_notify(factory, mail_settings)
    [alert] = by_subject(server, "Proposed")
    html = body_parts(alert)["text/html"]
    assert "<script>" not in html and "<b>now</b>" not in html and "<i>sdn</i>" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;now&lt;/b&gt;" in html
    assert "<script>alert" in body_parts(alert)["text/plain"]  # plain text keeps it as text
