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
from mail_samples import NOW, make_factory
from smtpserver import LocalSmtpServer

from store.db import transaction
from store.outbox import enqueue, list_messages
from store.records import OutgoingMessage

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
RUNNER = Path(__file__).resolve().parent / "notify_runner.py"
MESSAGES = 40
KILLED_RUNS = 20
STEP = timedelta(minutes=10)  # more than the sender's lease: a killed run's claims expire


def run_notifier(url: str, port: int, clock_index: int, kill_after: float | None) -> int | None:
    """Run the child; kill it after `kill_after` seconds. Its exit code, or None if killed."""
    env = os.environ | {"PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'tests'}"}
    clock = (NOW + STEP * clock_index).isoformat()
    child = subprocess.Popen(
        [sys.executable, str(RUNNER), url, str(port), clock],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if kill_after is None:
        _, err = child.communicate(timeout=120)
        assert child.returncode == 0, err.decode()
        return child.returncode
    try:
        child.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
        if child.stderr is not None:
            child.stderr.close()
        return None
    if child.stderr is not None:
        child.stderr.close()
    return child.returncode


def test_notify_killed_twenty_times_loses_nothing_and_doubles_nothing(tmp_path: Path) -> None:
    factory = make_factory(tmp_path)
    url = f"sqlite:///{tmp_path / 'mail.db'}"
    expected = set()
    with transaction(factory) as session:
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
            started = time.monotonic()
            outcome = run_notifier(url, server.port, run, kill_after=rng.uniform(0.2, 1.6))
            kills += outcome is None
            assert time.monotonic() - started < 60
        before_last_run = len(server.delivered)
        run_notifier(url, server.port, KILLED_RUNS + 1, kill_after=None)
        delivered = server.delivered
        resent = server.handler.suppressed

    assert kills >= KILLED_RUNS // 2, "most runs must really be killed mid-way"
    assert before_last_run > 0, "the killed runs delivered part of the outbox"
    assert set(delivered) == expected, "every message was delivered, and nothing else"
    assert set(delivered.values()) == {1}, "each Message-ID delivered exactly once"
    assert resent <= kills, "a message is sent again only after a kill in its send window"
    with transaction(factory) as session:
        rows = list_messages(session)
    assert [r.state for r in rows] == ["sent"] * MESSAGES
