"""A real SMTP server on 127.0.0.1 for mail tests (aiosmtpd), collecting what it receives.

Usage (ephemeral port, stopped on exit; can be stopped and started again on the same port
to simulate a mail server that goes down and comes back):

    with LocalSmtpServer() as server:
        settings = Settings(smtp_host=server.host, smtp_port=server.port)
        ...
        server.stop(); ...; server.start()
        assert server.messages[0]["Subject"] == "..."
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    data: bytes


@dataclass
class CollectingHandler:
    """aiosmtpd handler that keeps every accepted envelope and refuses listed recipients."""

    envelopes: list[Received] = field(default_factory=list)
    refused: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds to wait before accepting DATA (widens a sender's window)
    # Like an MTA with duplicate suppression: a second copy of a Message-ID is accepted
    # (250) but not delivered again; `suppressed` counts such copies.
    suppress_duplicates: bool = False
    suppressed: int = 0
    seen_ids: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            await asyncio.sleep(self.delay)
        content = envelope.original_content or envelope.content
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        message_id = str(email.message_from_bytes(data, policy=email.policy.default)["Message-ID"])
        with self.lock:
            if self.suppress_duplicates and message_id in self.seen_ids:
                self.suppressed += 1
                return "250 Message accepted (duplicate Message-ID suppressed)"
            self.seen_ids.add(message_id)
            self.envelopes.append(Received(envelope.mail_from, tuple(envelope.rcpt_tos), data))
        return "250 Message accepted for delivery"


class _EphemeralController(Controller):
    """Controller that can bind port 0: it learns the real port before its readiness check."""

    def _trigger_server(self) -> None:
        if self.port == 0 and isinstance(self.server, asyncio.Server):
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]


class LocalSmtpServer:
    def __init__(self) -> None:
        self.handler = CollectingHandler()
        self.host = HOST
        self.port = 0
        self._controller: Controller | None = None

    def start(self) -> None:
        """Start listening (on a new ephemeral port the first time, the same port after)."""
        if self._controller is not None:
            return
        controller = _EphemeralController(self.handler, hostname=self.host, port=self.port)
        controller.start()
        self.port = controller.port
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def envelopes(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.envelopes)

    @property
    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(e.data, policy=email.policy.default) for e in self.envelopes
        ]

    @property
    def delivered(self) -> dict[str, int]:
        """Accepted copies per Message-ID (a re-send after a crash shows as a second copy)."""
        counts: dict[str, int] = {}
        for msg in self.messages:
            key = str(msg["Message-ID"])
            counts[key] = counts.get(key, 0) + 1
        return counts

    def __enter__(self) -> LocalSmtpServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
