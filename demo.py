"""The offline demo: the whole chain once on the bundled sample sources.

The sample feeds are served over real HTTP from 127.0.0.1, so the demo exercises the same
crawler code as production without any network.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from alerts.decisions import record_past_suspension
from config import SAMPLE_DATA_DIR, ConfigError, Settings, load_sources, read_toml
from stages import CycleReport, Runtime, run_cycle
from store import proposals as proposal_store
from store import subscribers as subscriber_store
from store.db import transaction
from store.records import Place, ProposalView
from store.statuses import list_statuses

logger = logging.getLogger(__name__)

SAMPLE_SOURCES = SAMPLE_DATA_DIR / "sources.toml"
SAMPLE_SEED = SAMPLE_DATA_DIR / "seed.toml"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("sample server: " + format, *args)


@contextmanager
def serve_sample_data(directory: Path = SAMPLE_DATA_DIR) -> Iterator[str]:
    """Serve the sample folder on 127.0.0.1 (an ephemeral port) and yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="sample-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def seed_demo(rt: Runtime, seed_file: Path = SAMPLE_SEED) -> None:
    """Add the sample subscribers and the earlier decision; does nothing the second time."""
    data = read_toml(seed_file)
    with transaction(rt.factory) as session:
        for sub in data.get("subscriber", []):
            subscriber_store.add_subscriber(
                session,
                sub["name"],
                sub["email"],
                sub["role"],
                countries=tuple(sub.get("countries", ())),
                mode=sub.get("mode", "immediate"),
            )
        known = {(s.place.country, s.place.area) for s in list_statuses(session)}
        for past in data.get("past_suspension", []):
            place = Place(past["country"], past.get("area", ""), past.get("area_code"))
            if (place.country, place.area) in known:
                continue
            decided_at = past["decided_at"]
            if not isinstance(decided_at, datetime):
                raise ConfigError(f"{seed_file}: decided_at must be a TOML date-time")
            record_past_suspension(session, place, past["decided_by"], past["reason"], decided_at)


@dataclass(frozen=True)
class DemoResult:
    cycle: CycleReport
    proposals: list[ProposalView]
    settings: Settings


def run_demo(settings: Settings, progress: Any = None) -> DemoResult:
    """Migrate, seed, then crawl, tag, assess, notify and brief on the sample sources."""
    rt = Runtime(settings, progress=progress)
    try:
        rt.init_database()
        seed_demo(rt)
        with serve_sample_data() as base:
            specs = load_sources(SAMPLE_SOURCES, {"base": base})
            cycle = run_cycle(rt, specs)
        with transaction(rt.factory) as session:
            proposals = proposal_store.list_proposals(session)
        return DemoResult(cycle, proposals, settings)
    finally:
        rt.close()
