"""Turn outbox rows into MIME messages and hand them to SMTP or to a directory of .eml files.

`build_message` is pure; the mailers only deliver. Every failure to deliver is a MailError,
marked permanent when retrying cannot help (the server refused the recipient).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import smtplib
import ssl
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Protocol

from config import Settings
from store.records import OutboxView

logger = logging.getLogger(__name__)

_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+$")
_HEADER_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


class MailError(Exception):
    """A message could not be built or delivered; `permanent` when a retry cannot help."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    def send(self, msg: EmailMessage) -> None: ...


def build_message(view: OutboxView, sender: str, date: datetime | None = None) -> EmailMessage:
    """A multipart/alternative (text + HTML, UTF-8) message for one outbox row.

    The Message-ID comes from the row, so a re-send is recognisably the same message.
    """
    recipient = view.message.recipient.strip()
    for role, address in (("recipient", recipient), ("sender", sender)):
        if not _ADDRESS.match(address):
            raise MailError(f"invalid {role} address {address!r}", permanent=True)
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = _HEADER_BREAKS.sub(" ", view.message.subject).strip()
    msg["Date"] = format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = view.message_id
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    msg["X-Auto-Response-Suppress"] = "All"
    msg.set_content(view.message.body_text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(
        view.message.body_html, subtype="html", charset="utf-8", cte="quoted-printable"
    )
    return msg


class SmtpMailer:
    """Delivers each message over one SMTP connection (SSL or STARTTLS and login by settings)."""

    def __init__(self, settings: Settings) -> None:
        self.host, self.port = settings.smtp_host, settings.smtp_port
        self.timeout = settings.smtp_timeout
        self.user, self.password = settings.smtp_user, settings.smtp_password
        self.starttls, self.use_ssl = settings.smtp_starttls, settings.smtp_ssl

    def send(self, msg: EmailMessage) -> None:
        try:
            smtp = self._connect()
            try:
                if self.starttls and not self.use_ssl:
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(msg)
            finally:
                _close_quietly(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(
                f"recipient refused: {exc.recipients}", permanent=_all_permanent(exc.recipients)
            ) from exc
        except smtplib.SMTPResponseException as exc:
            # 5xx refuses this message for good; a refused connection or login may heal.
            permanent = exc.smtp_code >= 500 and not isinstance(
                exc, smtplib.SMTPConnectError | smtplib.SMTPAuthenticationError
            )
            raise MailError(
                f"SMTP {exc.smtp_code}: {_text(exc.smtp_error)}",
                permanent=permanent and exc.smtp_code != 530,
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"cannot send via {self.host}:{self.port}: {exc}") from exc
        logger.info("sent %s to %s via %s", msg["Message-ID"], msg["To"], self.host)

    def _connect(self) -> smtplib.SMTP:
        if self.use_ssl:
            return smtplib.SMTP_SSL(
                self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)


def _close_quietly(smtp: smtplib.SMTP) -> None:
    # Once the server has taken the message, a failing QUIT must not make it a failure.
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _all_permanent(recipients: dict[str, tuple[int, bytes]]) -> bool:
    return bool(recipients) and all(code >= 500 for code, _ in recipients.values())


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class EmlDirectoryMailer:
    """Writes each message to `<directory>/<message hash>.eml`, for set-ups without SMTP.

    The file name comes from the Message-ID, so sending the same message again replaces
    the file instead of adding a second one; the write is atomic (temp file + rename).
    """

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path_for(self, msg: EmailMessage) -> Path:
        message_id = str(msg.get("Message-ID", "")).strip().strip("<>")
        local = message_id.split("@", 1)[0]
        stem = _UNSAFE_FILENAME.sub("_", local).strip("._")
        if not stem:
            stem = hashlib.sha256(msg.as_bytes()).hexdigest()[:32]
        return self.directory / f"{stem}.eml"

    def send(self, msg: EmailMessage) -> None:
        target = self.path_for(msg)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".part")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(msg.as_bytes())
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(temp, target)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            raise MailError(f"cannot write {target}: {exc}") from exc
        logger.info("wrote %s for %s", target, msg["To"])


def make_mailer(settings: Settings) -> Mailer:
    """SMTP when an SMTP host is configured, else .eml files in the outbox directory."""
    if settings.mail_is_smtp:
        return SmtpMailer(settings)
    return EmlDirectoryMailer(settings.outbox_dir)
