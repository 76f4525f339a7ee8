"""An alert through SmtpMailer + send_due to a real SMTP server on 127.0.0.1, down and back."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from mail_samples import NOW, SUDAN_QUOTE, body_parts, manager, proposal, status
from smtpserver import LocalSmtpServer
from sqlalchemy.orm import Session, sessionmaker

from alerts.email import render_proposal_alert
from alerts.mailer import SmtpMailer
from alerts.outbox import send_due
from config import Settings
from store.db import transaction
from store.outbox import enqueue, list_messages

pytestmark = pytest.mark.e2e


def test_mail_smtp_delivers_alert_then_survives_an_outage_exactly_once(
    tmp_path: Path, store: sessionmaker[Session]
) -> None:
    with LocalSmtpServer() as server:
        settings = Settings(
            workdir=tmp_path,
            smtp_host=server.host,
            smtp_port=server.port,
            smtp_timeout=5,
            mail_from="returnwatch@example.org",
        )
        mailer = SmtpMailer(settings)
        first = render_proposal_alert(proposal(), status(), manager(), "AVRR", "")
        with transaction(store) as session:
            enqueue(session, first, now=NOW)

        assert send_due(store, mailer, settings, now=NOW).sent == 1
        [envelope] = server.envelopes
        assert envelope.mail_from == "returnwatch@example.org"
        assert envelope.rcpt_tos == ("ana@example.org",)
        [msg] = server.messages
        assert msg["Subject"] == "[returnwatch] Proposed: suspend return assistance — Sudan"
        assert msg.get_content_type() == "multipart/alternative"
        parts = body_parts(msg)
        assert SUDAN_QUOTE in parts["text/plain"] and SUDAN_QUOTE in parts["text/html"]

        # The mail server goes down: the failure is recorded and retried later.
        server.stop()
        second = render_proposal_alert(proposal(id_=8), status(), manager(), "AVRR", "")
        with transaction(store) as session:
            enqueue(session, second, now=NOW)
        report = send_due(store, mailer, settings, now=NOW)
        assert (report.sent, report.retrying) == (0, 1)
        with transaction(store) as session:
            [waiting] = list_messages(session, ["pending"])
        assert waiting.attempts == 1 and waiting.last_error
        assert waiting.next_attempt == NOW + timedelta(minutes=2)

        # Back up: nothing before the backoff ends, then delivered once.
        server.start()
        assert send_due(store, mailer, settings, now=NOW + timedelta(minutes=1)).attempted == 0
        assert send_due(store, mailer, settings, now=NOW + timedelta(minutes=3)).sent == 1
        assert send_due(store, mailer, settings, now=NOW + timedelta(days=1)).attempted == 0

        ids = Counter(str(m["Message-ID"]) for m in server.messages)
        assert sorted(ids.values()) == [1, 1]
        assert waiting.message_id in ids
        with transaction(store) as session:
            assert [m.state for m in list_messages(session)] == ["sent", "sent"]


def test_mail_smtp_refused_recipient_fails_for_good_without_stopping_others(
    tmp_path: Path, store: sessionmaker[Session]
) -> None:
    with LocalSmtpServer() as server:
        server.handler.refused.add("gone@example.org")
        settings = Settings(
            workdir=tmp_path, smtp_host=server.host, smtp_port=server.port, smtp_timeout=5
        )
        with transaction(store) as session:
            for address in ("gone@example.org", "ana@example.org"):
                enqueue(
                    session,
                    render_proposal_alert(proposal(), status(), manager(address), "AVRR", ""),
                    now=NOW,
                )
        report = send_due(store, SmtpMailer(settings), settings, now=NOW)
        assert (report.sent, report.failed) == (1, 1)
        assert [e.rcpt_tos for e in server.envelopes] == [("ana@example.org",)]
        with transaction(store) as session:
            [failed] = list_messages(session, ["failed"])
        assert failed.message.recipient == "gone@example.org"
        assert failed.last_error and "550" in failed.last_error
