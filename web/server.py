"""Running the web UI: a threaded werkzeug server (put a TLS proxy in front in production)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server

from config import Settings
from web.app import create_app

logger = logging.getLogger(__name__)


def make_web_server(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8080,
    factory: sessionmaker[Session] | None = None,
) -> BaseWSGIServer:
    """A server for the app, bound but not yet serving (port 0 picks a free port)."""
    return make_server(host, port, create_app(settings, factory), threaded=True)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve until interrupted."""
    server = make_web_server(settings, host, port)
    logger.info("web UI on http://%s:%d/", host, server.server_port)
    try:
        server.serve_forever()
    finally:
        server.server_close()


@contextmanager
def running_server(
    settings: Settings, factory: sessionmaker[Session] | None = None
) -> Iterator[str]:
    """Serve on 127.0.0.1 (an ephemeral port) in a thread; yield the base URL; stop after."""
    server = make_web_server(settings, "127.0.0.1", 0, factory)
    thread = threading.Thread(target=server.serve_forever, name="web-ui", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
