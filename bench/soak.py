"""Soak: run the daemon's jobs for many cycles in one process and watch resident memory.

Each cycle runs every job of the daemon's table once, through the daemon's own job runner
(so runs are recorded as in production), against the sample feeds on a local HTTP server
on 127.0.0.1: each cycle one feed gains a new item (a rolling window of the newest five),
every 50th cycle a new UN call, so crawl, tag, assess and notify do real work; briefings
and maintenance run in the first and every 100th cycle. Mail goes to .eml files. Resident
memory (RSS) is read from /proc after a garbage collection, first after cycle 1 (all
imports and caches warm).

    .venv/bin/python bench/soak.py --cycles 1000
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from daemonworld import COUNTRIES, DaemonWorld, recommendation  # noqa: E402

from config import load_settings  # noqa: E402
from scheduler import JobRunner, job_table  # noqa: E402
from stages import Runtime, load_source_specs  # noqa: E402

FEED = "/feeds/humanitarian_news.xml"
WINDOW = 5
SLOW_JOBS_EVERY = 100
UN_CALL_EVERY = 50


def rss_mib() -> float:
    gc.collect()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def news_item(n: int) -> str:
    """SAMPLE DATA: an ordinary news item that triggers nothing."""
    return f"""
    <item>
      <title>Soak item {n}: food distribution continues in the region</title>
      <link>http://sample.returnwatch.invalid/news/soak-{n}</link>
      <guid>soak-{n}</guid>
      <description>Partners distributed food and water to families (item {n}).</description>
    </item>
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp dir")
    parser.add_argument("--every", type=int, default=100, help="print RSS every N cycles")
    parser.add_argument(
        "--slow-every", type=int, default=SLOW_JOBS_EVERY, help="briefings, maintenance (0: once)"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="rw-soak-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'returnwatch.db'}"
        with DaemonWorld(workdir, url) as world:
            world.write_config(poll_seconds=1, pipeline_seconds=1)
            world.seed_manager()
            base = world.http.routes[FEED].body.decode("utf-8")
            settings = load_settings(world.config, environ={}, smtp_host="")
            rt = Runtime(settings)
            rt.init_database()
            table = job_table(rt, load_source_specs(settings))
            runner = JobRunner(rt, threading.Event())
            samples: list[dict[str, float]] = []
            started = time.monotonic()
            for cycle in range(1, args.cycles + 1):
                items = "".join(news_item(n) for n in range(max(1, cycle - WINDOW + 1), cycle + 1))
                world.http.route(
                    FEED, base.replace("<item>", items + "<item>", 1).encode(), etag=f'"s{cycle}"'
                )
                if cycle % UN_CALL_EVERY == 0:
                    _code, country, nationals = COUNTRIES[(cycle // UN_CALL_EVERY) % len(COUNTRIES)]
                    world.publish(recommendation(country, nationals, 1 + cycle % 28))
                for job in table:
                    slow = job.name in ("briefings", "maintenance")
                    if not slow or cycle == 1 or (args.slow_every and cycle % args.slow_every == 0):
                        runner.run(job)
                world.http.requests.clear()
                if cycle == 1 or cycle % args.every == 0:
                    sample = {"cycle": cycle, "rss_mib": round(rss_mib(), 1),
                              "seconds": round(time.monotonic() - started, 1)}  # fmt: skip
                    samples.append(sample)
                    print(json.dumps(sample), flush=True)
            rt.close()
    first, last = samples[0], samples[-1]
    print(
        json.dumps(
            {
                "cycles": args.cycles,
                "database": url.split(":", 1)[0],
                "rss_start_mib": first["rss_mib"],
                "rss_end_mib": last["rss_mib"],
                "growth_mib": round(last["rss_mib"] - first["rss_mib"], 1),
                "seconds": last["seconds"],
            }
        )
    )


if __name__ == "__main__":
    main()
