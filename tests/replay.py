"""A replay server on 127.0.0.1: recorded responses served the way real servers serve them.

Each recording can carry an ETag and a Last-Modified date (a matching conditional
request gets 304), be gzip-encoded when the client accepts it, redirect, answer slowly,
fail with a status, end early (truncated body) or claim a wrong content type. Every
request is logged with its headers and the status it got, for assertions.

    with ReplayServer() as server:
        server.record("/feed.xml", body, etag='"v1"', gzip=True)
        url = server.url("/feed.xml")
"""

from __future__ import annotations

import gzip as gzip_module
import sys
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Recording:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    gzip: bool = False  # encode when the request accepts gzip
    delay: float = 0.0  # seconds before the answer
    redirect_to: str | None = None  # answer 302 to this path
    truncate_at: int | None = None  # send this many body bytes, then close
    corrupt_gzip: bool = False  # gzip stream cut in the middle


@dataclass(frozen=True)
class LoggedRequest:
    path: str
    headers: dict[str, str]
    status: int

    @property
    def conditional(self) -> bool:
        return "If-None-Match" in self.headers or "If-Modified-Since" in self.headers


class ReplayServer:
    """Serves recordings by path (query included when recorded with one)."""

    def __init__(self) -> None:
        self.recordings: dict[str, Recording] = {}
        self.log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def record(self, path: str, body: bytes = b"", **options: Any) -> Recording:
        self.recordings[path] = Recording(body=body, **options)
        return self.recordings[path]

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def clear_log(self) -> None:
        with self._lock:
            self.log.clear()

    def logged(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.log.append(entry)

    def find(self, path: str) -> Recording | None:
        return self.recordings.get(path) or self.recordings.get(path.partition("?")[0])

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    request_queue_size = 256
    owner: ReplayServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        owner = self.server.owner
        rec = owner.find(self.path)
        status = self._status(rec)
        owner.logged(LoggedRequest(self.path, dict(self.headers.items()), status))
        if rec is not None and rec.delay and owner.stopping.wait(rec.delay):
            return
        if rec is None:
            self._answer(404, b"not found", "text/plain", {})
        elif status == 302:
            self._answer(302, b"", "text/plain", {"Location": str(rec.redirect_to)})
        elif status == 304:
            self._answer(304, None, None, self._validators(rec))
        else:
            self._send_body(rec, status)

    def _status(self, rec: Recording | None) -> int:
        if rec is None:
            return 404
        if rec.redirect_to:
            return 302
        if rec.status == 200 and self._not_modified(rec):
            return 304
        return rec.status

    def _not_modified(self, rec: Recording) -> bool:
        match = self.headers.get("If-None-Match")
        if rec.etag is not None and match is not None:
            return match == rec.etag
        since = self.headers.get("If-Modified-Since")
        return rec.last_modified is not None and since == rec.last_modified

    def _validators(self, rec: Recording) -> dict[str, str]:
        headers = {}
        if rec.etag:
            headers["ETag"] = rec.etag
        if rec.last_modified:
            headers["Last-Modified"] = rec.last_modified
        return headers

    def _send_body(self, rec: Recording, status: int) -> None:
        headers = self._validators(rec)
        body = rec.body
        if rec.gzip and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip_module.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
            if rec.corrupt_gzip:
                body = body[: len(body) // 2]
        length = len(body)
        if rec.truncate_at is not None:
            body = body[: rec.truncate_at]
            headers["Connection"] = "close"
        self._answer(status, body, rec.content_type, headers, length)

    def _answer(
        self,
        status: int,
        body: bytes | None,
        content_type: str | None,
        headers: dict[str, str],
        length: int | None = None,
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if body is not None:
            self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        if body:
            self.wfile.write(body)
        if headers.get("Connection") == "close":
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass
