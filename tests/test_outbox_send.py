"""alerts.outbox.send_due with an in-memory mailer: failures isolated, crashes re-sent once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

from mail_samples import NOW
from sqlalchemy.orm import Session, sessionmaker

from alerts.mailer import MailError
from alerts.outbox import SendReport, send_due, send_lease
from config import Settings
from store.db import transaction
from store.outbox import claim_due, enqueue, list_messages
from store.records import OutgoingMessage


@dataclass
class FakeMailer:
    """Keeps sent messages; refuses the addresses in `failing` (permanently if listed so)."""

    failing: set[str] = field(default_factory=set)
    permanent: bool = False
    sent: list[EmailMessage] = field(default_factory=list)

    def send(self, msg: EmailMessage) -> None:
        if msg["To"] in self.failing:
            raise MailError("451 try again later", permanent=self.permanent)
        self.sent.append(msg)


def queue(store: sessionmaker[Session], *recipients: str) -> None:
    with transaction(store) as session:
        for address in recipients:
            enqueue(
                session,
                OutgoingMessage(f"alert:1:{address}", address, "Subject", "text", "<p>html</p>"),
                now=NOW,
            )


def test_outbox_send_one_failure_does_not_stop_the_others(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    queue(store, "a@example.org", "b@example.org", "c@example.org")
    mailer = FakeMailer(failing={"b@example.org"})
    report = send_due(store, mailer, Settings(workdir=tmp_path), now=NOW)
    assert (report.sent, report.retrying, report.failed) == (2, 1, 0)
    assert [m["To"] for m in mailer.sent] == ["a@example.org", "c@example.org"]
    assert "451" in report.errors[0]
    with transaction(store) as session:
        states = {m.message.recipient: m for m in list_messages(session)}
    assert states["b@example.org"].state == "pending"
    assert states["b@example.org"].next_attempt == NOW + timedelta(minutes=2)
    assert states["a@example.org"].state == "sent"


def test_outbox_send_twice_sends_nothing_twice(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    queue(store, "a@example.org")
    mailer = FakeMailer()
    settings = Settings(workdir=tmp_path)
    assert send_due(store, mailer, settings, now=NOW).sent == 1
    assert send_due(store, mailer, settings, now=NOW + timedelta(days=2)).attempted == 0
    assert len(mailer.sent) == 1


def test_outbox_send_retries_after_backoff_until_delivered(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    queue(store, "a@example.org")
    mailer = FakeMailer(failing={"a@example.org"})
    settings = Settings(workdir=tmp_path)
    assert send_due(store, mailer, settings, now=NOW).retrying == 1
    assert send_due(store, mailer, settings, now=NOW + timedelta(minutes=1)).attempted == 0
    mailer.failing.clear()
    assert send_due(store, mailer, settings, now=NOW + timedelta(minutes=2)).sent == 1


def test_outbox_send_permanent_refusal_fails_at_once(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    queue(store, "a@example.org")
    mailer = FakeMailer(failing={"a@example.org"}, permanent=True)
    report = send_due(store, mailer, Settings(workdir=tmp_path), now=NOW)
    assert report.failed == 1
    with transaction(store) as session:
        assert [m.state for m in list_messages(session)] == ["failed"]


def test_outbox_send_resends_a_message_left_mid_send_with_the_same_message_id(
    store: sessionmaker[Session], tmp_path: Path
) -> None:
    queue(store, "a@example.org")
    settings = Settings(workdir=tmp_path)
    with transaction(store) as session:  # a sender claims it, then the process is killed
        [crashed] = claim_due(session, now=NOW, lease=send_lease(settings))
    mailer = FakeMailer()
    assert send_due(store, mailer, settings, now=NOW + timedelta(seconds=30)).attempted == 0
    later = NOW + send_lease(settings) + timedelta(seconds=1)
    assert send_due(store, mailer, settings, now=later).sent == 1
    assert send_due(store, mailer, settings, now=later + timedelta(hours=1)).attempted == 0
    [msg] = mailer.sent
    assert msg["Message-ID"] == crashed.message_id


def test_outbox_send_report_reads_well() -> None:
    assert str(SendReport(sent=2, retrying=1)) == "2 sent, 1 to retry, 0 failed"
