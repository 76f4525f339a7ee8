"""A small world for the daemon on 127.0.0.1: the sample feeds on a local HTTP server, a real
SMTP server, a work directory with its config, and `returnwatch run` as a real process.

Used by the daemon tests and by bench/latency.py:

    with DaemonWorld(workdir, database_url) as world:
        world.write_config(poll_seconds=2, pipeline_seconds=1)
        world.seed_manager()
        proc = world.start_daemon()
        ...
        world.publish(NEW_RECOMMENDATION)   # a new item in the UNHCR feed
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType

from httpserver import LocalServer
from smtpserver import LocalSmtpServer

from config import SAMPLE_DATA_DIR, Settings
from stages import Runtime
from store import subscribers as subscriber_store
from store.db import transaction

ROOT = Path(__file__).resolve().parents[1]
RETURNWATCH = Path(sys.executable).parent / "returnwatch"
MANAGER = "amina.diallo@programme.example"

FEEDS = {
    "sample-unhcr-briefings": ("rss", "/feeds/unhcr_briefings.xml", "UNHCR", True),
    "sample-un-news": ("atom", "/feeds/un_news.atom", "UN News", True),
    "sample-ngo-statements": ("rss", "/feeds/ngo_statements.xml", "Human Rights Watch", False),
    "sample-humanitarian-news": ("rss", "/feeds/humanitarian_news.xml", "", False),
}

# Countries the sample feeds do not call for, with their nationals: new UN calls to publish.
COUNTRIES = (
    ("HTI", "Haiti", "Haitian"), ("AFG", "Afghanistan", "Afghan"), ("YEM", "Yemen", "Yemeni"),
    ("LBY", "Libya", "Libyan"), ("MLI", "Mali", "Malian"), ("MMR", "Myanmar", "Myanmar"),
    ("UKR", "Ukraine", "Ukrainian"), ("BFA", "Burkina Faso", "Burkinabe"),
    ("NER", "Niger", "Nigerien"), ("IRQ", "Iraq", "Iraqi"), ("ERI", "Eritrea", "Eritrean"),
    ("SSD", "South Sudan", "South Sudanese"), ("LBN", "Lebanon", "Lebanese"),
    ("MOZ", "Mozambique", "Mozambican"), ("VEN", "Venezuela", "Venezuelan"),
    ("NIC", "Nicaragua", "Nicaraguan"), ("CAF", "Central African Republic", "Central African"),
    ("BDI", "Burundi", "Burundian"), ("CMR", "Cameroon", "Cameroonian"),
    ("COD", "Democratic Republic of the Congo", "Congolese"),
)  # fmt: skip


def recommendation(country: str, nationals: str, day: int = 1) -> str:
    """SAMPLE DATA written for the tests: an RSS item with a UN call against returns."""
    slug = country.lower().replace(" ", "-")
    return f"""
    <item>
      <title>UNHCR urges States to halt forced returns to {country}</title>
      <link>http://sample.returnwatch.invalid/unhcr/briefings/2026-12-{day:02d}-{slug}</link>
      <guid>sample-unhcr-2026-12-{day:02d}-{slug}</guid>
      <pubDate>Tue, {day:02d} Dec 2026 10:30:00 +0000</pubDate>
      <description><![CDATA[<p>UNHCR calls on all States to suspend forcible returns of
{nationals} nationals, including rejected asylum-seekers, to {country} until the security
and human rights situation has improved significantly.</p>]]></description>
    </item>
"""


NEW_RECOMMENDATION = recommendation("Haiti", "Haitian")


class DaemonWorld:
    """Servers and files for one daemon; stops everything it started on exit."""

    def __init__(self, workdir: Path, database_url: str) -> None:
        self.workdir = workdir
        self.database_url = database_url
        self.http = LocalServer()
        self.smtp = LocalSmtpServer()
        self.config = workdir / "returnwatch.toml"
        self.log = workdir / "daemon.log"
        self._version = 0
        self._procs: list[subprocess.Popen[bytes]] = []
        for kind, path, _issuer, _un in FEEDS.values():
            body = (SAMPLE_DATA_DIR / path.lstrip("/")).read_bytes()
            content_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
            self.http.route(path, body, etag='"v0"', content_type=content_type)

    def __enter__(self) -> DaemonWorld:
        self.http.start()
        self.smtp.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for proc in self._procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.smtp.stop()
        self.http.stop()

    @property
    def settings(self) -> Settings:
        return Settings(workdir=self.workdir, database_url=self.database_url)

    def write_config(
        self,
        poll_seconds: int,
        pipeline_seconds: int,
        fetch_timeout: int = 5,
        hanging: bool = False,
    ) -> None:
        """sources.toml with the sample feeds on the local server, and the settings file.

        `hanging` adds a source whose server never answers.
        """
        sources = []
        if hanging:
            self.http.route("/hang.xml", hang=600.0)
            sources.append(
                f'[[source]]\nid = "hanging"\nkind = "rss"\nurl = "{self.http.url("/hang.xml")}"\n'
                f"interval_seconds = {poll_seconds}\n"
            )
        for source_id, (kind, path, issuer, un) in FEEDS.items():
            sources.append(
                f'[[source]]\nid = "{source_id}"\nkind = "{kind}"\nurl = "{self.http.url(path)}"\n'
                f'issuer = "{issuer}"\nissuer_is_un = {str(un).lower()}\n'
                f"interval_seconds = {poll_seconds}\nsample = true\n"
            )
        (self.workdir / "sources.toml").write_text("\n".join(sources), encoding="utf-8")
        self.config.write_text(
            f'workdir = "{self.workdir}"\n'
            f'database_url = "{self.database_url}"\n'
            f'sources_file = "{self.workdir / "sources.toml"}"\n'
            f'smtp_host = "{self.smtp.host}"\nsmtp_port = {self.smtp.port}\n'
            f"smtp_timeout = 5\nfetch_timeout = {fetch_timeout}\n"
            f"pipeline_interval_seconds = {pipeline_seconds}\n"
            "briefing_interval_minutes = 600\n",
            encoding="utf-8",
        )

    def seed_manager(self) -> None:
        """Migrate the store and subscribe one manager to every country."""
        rt = Runtime(self.settings)
        try:
            rt.init_database()
            with transaction(rt.factory) as session:
                subscriber_store.add_subscriber(session, "Amina Diallo", MANAGER, "manager")
        finally:
            rt.close()

    def start_daemon(self) -> subprocess.Popen[bytes]:
        """`returnwatch run` in its own process, logging to daemon.log."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("RETURNWATCH_")}
        with self.log.open("ab") as log:
            proc = subprocess.Popen(
                [str(RETURNWATCH), "run", "--config", str(self.config)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        self._procs.append(proc)
        return proc

    def publish(self, item: str, path: str = "/feeds/unhcr_briefings.xml") -> None:
        """Add an item at the top of a feed, with a new ETag."""
        route = self.http.routes[path]
        body = route.body.decode("utf-8").replace("<item>", item.strip() + "\n    <item>", 1)
        self._version += 1
        self.http.route(
            path, body.encode("utf-8"), etag=f'"v{self._version}"', content_type=route.content_type
        )

    def emails_to(self, recipient: str) -> list[EmailMessage]:
        return [m for m in self.smtp.messages if recipient in str(m["To"])]


def stop(proc: subprocess.Popen[bytes], timeout: float = 20.0) -> float:
    """SIGTERM the daemon; seconds until it exited."""
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=timeout)
    return time.monotonic() - started


def wait_for(check: Callable[[], bool], timeout: float, every: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return check()
