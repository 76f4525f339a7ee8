"""The notifier killed with SIGKILL at random points in 20 runs: nothing lost, nothing doubled.

A real child process sends the outbox to a real SMTP server on 127.0.0.1 (aiosmtpd) and is
killed at a random moment, 20 times; each restart runs with the clock past the killed run's
lease. At the end every message has been delivered exactly once per Message-ID.

What holds and why (docs/ALERTS.md): the sender commits 'sending' before it talks SMTP and
'sent' after the server's 250, so a kill anywhere loses nothing. A kill in the instant between
the server's 250 and the 'sent' commit makes the next run send the message again with the
SAME Message-ID; the test server, like an MTA with duplicate suppression, accepts that copy
without delivering it twice and counts it, and the test checks that such re-sends happen
only because of kills (at most one per kill).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from mail_samples import NOW
from smtpserver import LocalSmtpServer
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from store.db import transaction
from store.outbox import enqueue, list_messages
from store.records import OutgoingMessage

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "notify_runner.py"
MESSAGES = 60  # more than the 20 killed runs can send, so each is killed mid-way
KILLED_RUNS = 20
STEP = timedelta(minutes=10)  # more than the sender's lease: a killed run's claims expire


def start_notifier(url: str, port: int, clock_index: int) -> subprocess.Popen[bytes]:
    env = os.environ | {"PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    clock = (NOW + STEP * clock_index).isoformat()
    return subprocess.Popen(
        [sys.executable, str(RUNNER), url, str(port), clock],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def received(server: LocalSmtpServer) -> int:
    """Messages the server has taken so far, repeats included."""
    return len(server.delivered) + server.handler.suppressed


def run_and_kill(url: str, server: LocalSmtpServer, clock_index: int, rng: random.Random) -> bool:
    """Run the child until it has sent one or two messages, then SIGKILL it at a random
    instant of its next send. True when it was killed, False when it finished first.

    Waiting for progress instead of a fixed delay keeps the kills mid-send however slow
    the machine is (a child takes a second or more just to start).
    """
    child = start_notifier(url, server.port, clock_index)
    target = received(server) + rng.randint(1, 2)
    deadline = time.monotonic() + 60
    while received(server) < target and child.poll() is None:
        assert time.monotonic() < deadline, "the notifier made no progress"
        time.sleep(0.005)
    time.sleep(rng.uniform(0.0, 0.03))
    killed = child.poll() is None
    if killed:
        os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    if child.stderr is not None:
        child.stderr.close()
    return killed


def run_to_end(url: str, server: LocalSmtpServer, clock_index: int) -> None:
    child = start_notifier(url, server.port, clock_index)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()


def test_notify_killed_twenty_times_loses_nothing_and_doubles_nothing(
    settings: Settings, store: sessionmaker[Session]
) -> None:
    url = settings.database_url
    expected = set()
    with transaction(store) as session:
        for n in range(MESSAGES):
            address = f"manager{n}@example.org"
            msg = OutgoingMessage(
                f"alert:{n}:{address}", address, f"Alert {n}", f"text {n}\n", f"<p>{n}</p>\n"
            )
            enqueue(session, msg, now=NOW)
        expected = {m.message_id for m in list_messages(session)}
    rng = random.Random(20261110)
    kills = 0
    with LocalSmtpServer() as server:
        server.handler.delay = 0.02  # each message takes a moment: kills land mid-send
        server.handler.suppress_duplicates = True
        for run in range(KILLED_RUNS):
            kills += run_and_kill(url, server, run, rng)
        before_last_run = len(server.delivered)
        run_to_end(url, server, KILLED_RUNS + 1)
        delivered = server.delivered
        resent = server.handler.suppressed

    assert kills >= KILLED_RUNS // 2, "most runs must really be killed mid-way"
    assert before_last_run > 0, "the killed runs delivered part of the outbox"
    assert set(delivered) == expected, "every message was delivered, and nothing else"
    assert set(delivered.values()) == {1}, "each Message-ID delivered exactly once"
    assert resent <= kills, "a message is sent again only after a kill in its send window"
    with transaction(store) as session:
        rows = list_messages(session)
    assert [r.state for r in rows] == ["sent"] * MESSAGES
