"""alerts.mailer: MIME built from outbox rows, .eml files written atomically and once."""

from __future__ import annotations

from pathlib import Path

import pytest
from mail_samples import NOW, body_parts, manager, outgoing, parse, proposal, status

from alerts.email import render_proposal_alert
from alerts.mailer import (
    EmlDirectoryMailer,
    MailError,
    SmtpMailer,
    build_message,
    make_mailer,
)
from config import Settings
from store.outbox import message_id_for
from store.records import OutboxView, OutgoingMessage, Place

SENDER = "returnwatch@example.org"


def view(msg: OutgoingMessage, id_: int = 1) -> OutboxView:
    return OutboxView(
        id=id_,
        message=msg,
        state="sending",
        attempts=1,
        next_attempt=None,
        sent=None,
        last_error=None,
        message_id=message_id_for(msg.dedup_key),
    )


def test_mailer_builds_multipart_alternative_with_row_headers() -> None:
    row = view(outgoing("alert:1:ana@example.org", subject="Proposed — Sudan"))
    msg = parse(build_message(row, SENDER, date=NOW).as_bytes())
    assert msg.get_content_type() == "multipart/alternative"
    assert msg["From"] == SENDER
    assert msg["To"] == "ana@example.org"
    assert msg["Subject"] == "Proposed — Sudan"
    assert msg["Message-ID"] == row.message_id
    assert msg["Date"] == "Tue, 10 Nov 2026 10:30:00 +0000"
    assert msg["Auto-Submitted"] == "auto-generated"
    parts = body_parts(msg)
    assert parts == {"text/plain": "Plain body — ünïcode\n", "text/html": "<p>HTML body</p>\n"}
    assert all(p.get_content_charset() == "utf-8" for p in msg.iter_parts())


def test_mailer_header_injection_in_title_adds_no_header() -> None:
    place = Place("SDN", "Sudan\r\nBcc: evil@x")
    rendered = render_proposal_alert(proposal(place), status(place), manager(), "AVRR", "")
    raw = build_message(view(rendered), SENDER, date=NOW).as_bytes()
    msg = parse(raw)
    assert msg["Bcc"] is None
    headers = raw.split(b"\n\n", 1)[0]
    assert b"\nBcc:" not in headers and b"\r" not in headers
    assert "Bcc: evil@x" in str(msg["Subject"])  # harmless text inside the one Subject line
    assert len(msg.get_all("Subject") or []) == 1


def test_mailer_refuses_a_malformed_recipient_for_good() -> None:
    bad = OutgoingMessage("k", "ana@example.org\r\nBcc: evil@x", "s", "t", "<p>h</p>")
    with pytest.raises(MailError) as info:
        build_message(view(bad), SENDER)
    assert info.value.permanent


def test_mailer_eml_directory_writes_valid_mime(tmp_path: Path) -> None:
    mailer = EmlDirectoryMailer(tmp_path / "outbox")
    row = view(outgoing("alert:1:ana@example.org"))
    mailer.send(build_message(row, SENDER, date=NOW))
    [path] = list((tmp_path / "outbox").iterdir())
    assert path.name == message_id_for(row.message.dedup_key)[1:33] + ".eml"
    msg = parse(path.read_bytes())
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
    assert msg["Message-ID"] == row.message_id


def test_mailer_eml_resend_overwrites_instead_of_duplicating(tmp_path: Path) -> None:
    mailer = EmlDirectoryMailer(tmp_path)
    row = view(outgoing("alert:1:ana@example.org"))
    mailer.send(build_message(row, SENDER, date=NOW))
    mailer.send(build_message(row, SENDER))
    mailer.send(build_message(view(outgoing("alert:2:ana@example.org"), 2), SENDER))
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 2 and all(n.endswith(".eml") for n in names)


def test_mailer_eml_unwritable_directory_is_a_mail_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(MailError):
        EmlDirectoryMailer(blocker).send(build_message(view(outgoing()), SENDER))


def test_mailer_make_mailer_picks_smtp_only_when_a_host_is_set(tmp_path: Path) -> None:
    eml = make_mailer(Settings(workdir=tmp_path))
    assert isinstance(eml, EmlDirectoryMailer) and eml.directory == tmp_path / "outbox"
    assert isinstance(make_mailer(Settings(workdir=tmp_path, smtp_host="127.0.0.1")), SmtpMailer)
