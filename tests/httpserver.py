"""A tiny HTTP server on 127.0.0.1 for crawl tests: canned routes, hangs, trickles, ETags.

Usage (ephemeral port, stopped on exit):

    with LocalServer() as server:
        server.route("/feed.xml", body=b"<rss ...>", etag='"v1"')
        url = server.url("/feed.xml")

Hanging and trickling handlers wake up as soon as the server stops, so a test never
waits for them.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    etag: str | None = None  # when set, a matching If-None-Match gets 304
    headers: dict[str, str] = field(default_factory=dict)
    hang: float = 0.0  # seconds to wait before answering at all
    trickle: float = 0.0  # seconds between body bytes; no Content-Length then
    content_length: bool = True  # False: body until the connection closes


@dataclass(frozen=True)
class SeenRequest:
    path: str
    headers: dict[str, str]


class LocalServer:
    """Serves registered routes; records every request it saw."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[SeenRequest] = []
        self.stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def route(self, path: str, body: bytes = b"", **options: Any) -> Route:
        self.routes[path] = Route(body=body, **options)
        return self.routes[path]

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def requests_to(self, path: str) -> list[SeenRequest]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()  # joins the handler threads, which the event has woken
        self._thread.join()

    def __enter__(self) -> LocalServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    owner: LocalServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that gave up (timeout, size limit) closes its socket: that is expected.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        owner = self.server.owner
        owner.requests.append(SeenRequest(self.path, dict(self.headers.items())))
        route = owner.routes.get(self.path)
        if route is None:
            self._send(Route(status=404, body=b"not found", content_type="text/plain"))
        elif route.hang and owner.stopping.wait(route.hang):
            return  # stopped while hanging: drop the connection without an answer
        elif route.etag is not None and self.headers.get("If-None-Match") == route.etag:
            self._send(Route(status=304, etag=route.etag, content_length=False))
        else:
            self._send(route)

    def _send(self, route: Route) -> None:
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        if route.etag is not None:
            self.send_header("ETag", route.etag)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.content_length and not route.trickle:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        if not route.trickle:
            self.wfile.write(route.body)
            return
        for index in range(len(route.body)):
            self.wfile.write(route.body[index : index + 1])
            self.wfile.flush()
            if self.server.owner.stopping.wait(route.trickle):
                return

    def log_message(self, format: str, *args: Any) -> None:
        pass
