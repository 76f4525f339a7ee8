"""kill -9 at random moments, then a restart: nothing is lost and nothing is duplicated.

Twenty times, a new UN call is published, the daemon is started and killed with SIGKILL at
a random moment (during start-up, a crawl, tagging, assessing or sending). A last daemon
then runs until everything is mailed. Every published call must end as one document, one
proposal and one email to the manager; a message interrupted mid-send may reach the server
twice, but only with the same Message-ID.
"""

from __future__ import annotations

import os
import random
import re
import time
from collections import Counter

import pytest
from daemonworld import COUNTRIES, FEEDS, MANAGER, DaemonWorld, recommendation, stop, wait_for

from config import SAMPLE_DATA_DIR, Settings
from stages import Runtime
from store import outbox as outbox_store
from store import proposals as proposal_store
from store.db import transaction
from store.documents import count_documents

pytestmark = pytest.mark.e2e

KILLS = 20
SEED = int(os.environ.get("RETURNWATCH_KILL_SEED", "6"))


def sample_items() -> int:
    return sum(
        len(re.findall(r"<item>|<entry>", (SAMPLE_DATA_DIR / path.lstrip("/")).read_text()))
        for _kind, path, _issuer, _un in FEEDS.values()
    )


def test_daemon_kill_9_then_restart_loses_and_duplicates_nothing(settings: Settings) -> None:
    rng = random.Random(SEED)
    published = COUNTRIES[:KILLS]
    with DaemonWorld(settings.workdir, settings.database_url) as world:
        world.write_config(poll_seconds=1, pipeline_seconds=1)
        world.seed_manager()
        for day, (_code, country, nationals) in enumerate(published, start=1):
            world.publish(recommendation(country, nationals, day))
            proc = world.start_daemon()
            time.sleep(rng.uniform(0.2, 6.0))
            proc.kill()
            proc.wait()

        def all_mailed() -> bool:
            """Every call mailed, and nothing to the manager left unsent in the outbox."""
            mailed = " ".join(str(m["Subject"]) for m in world.emails_to(MANAGER))
            if not all(country in mailed for _code, country, _n in published):
                return False
            probe = Runtime(settings)
            try:
                with transaction(probe.factory) as session:
                    rows = outbox_store.list_messages(session)
            finally:
                probe.close()
            return all(m.state == outbox_store.SENT for m in rows if m.message.recipient == MANAGER)

        proc = world.start_daemon()
        # A message killed mid-send waits for its lease (2 minutes) before it is sent again,
        # and any message of the sample feeds may be the one that was cut.
        assert wait_for(all_mailed, 300, every=1.0), world.log.read_text()[-5000:]
        time.sleep(3)  # let anything that would be a duplicate happen
        stop(proc)
        received = [str(m["Message-ID"]) for m in world.emails_to(MANAGER)]

    rt = Runtime(settings)
    with transaction(rt.factory) as session:
        documents = count_documents(session)
        proposals = proposal_store.list_proposals(session)
        messages = [
            m for m in outbox_store.list_messages(session) if m.message.recipient == MANAGER
        ]
    rt.close()

    assert documents == sample_items() + KILLS
    per_place = Counter((p.kind, p.place.country, p.place.area) for p in proposals)
    assert [key for key, n in per_place.items() if n > 1] == []
    assert {code for code, _c, _n in published} <= {p.place.country for p in proposals}
    assert all(m.state == outbox_store.SENT for m in messages)
    assert set(received) == {m.message_id for m in messages}
    assert len(set(received)) == len(messages)
