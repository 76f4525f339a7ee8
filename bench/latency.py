"""Latency: from a new UN recommendation on a source to the manager's email on the SMTP server.

Runs `returnwatch run` as a real process with every source polled each --poll seconds
(60 by default, as a busy operator might set) against the sample feeds on a local HTTP
server and a real SMTP server, both on 127.0.0.1. Once the daemon has settled, it
publishes a new UN call (a new item in the UNHCR feed) at a random moment of the poll
cycle, --runs times, and measures until the alert to the manager is received. The target
is at most the poll interval plus 30 seconds.

    .venv/bin/python bench/latency.py                 # the real 60 s figure (a few minutes)
    .venv/bin/python bench/latency.py --poll 5        # a quick check
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from daemonworld import COUNTRIES, MANAGER, DaemonWorld, recommendation, stop, wait_for  # noqa: E402

SLACK_SECONDS = 30


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poll", type=int, default=60, help="poll interval of every source (s)")
    parser.add_argument("--pipeline", type=int, default=60, help="pipeline_interval_seconds")
    parser.add_argument("--runs", type=int, default=3, help="publications to time")
    parser.add_argument("--database-url", default="", help="default: SQLite in a temp dir")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    limit = args.poll + SLACK_SECONDS
    with tempfile.TemporaryDirectory(prefix="rw-latency-") as tmp:
        workdir = Path(tmp)
        url = args.database_url or f"sqlite:///{workdir / 'returnwatch.db'}"
        with DaemonWorld(workdir, url) as world:
            world.write_config(poll_seconds=args.poll, pipeline_seconds=args.pipeline)
            world.seed_manager()
            proc = world.start_daemon()
            settled = wait_for(lambda: "Sudan" in _subjects(world), 120)
            if not settled:
                sys.exit(f"the daemon never mailed the sample alert; see {world.log}")
            latencies: list[float | None] = []
            for run in range(args.runs):
                time.sleep(rng.uniform(0, args.poll))  # a random moment of the poll cycle
                _code, country, nationals = COUNTRIES[run % len(COUNTRIES)]
                world.publish(recommendation(country, nationals, run + 1))
                published = time.monotonic()
                arrived = wait_for(functools.partial(_mailed, world, country), limit + 60, 0.1)
                seconds = time.monotonic() - published
                latencies.append(round(seconds, 1) if arrived else None)
                print(json.dumps({"run": run + 1, "country": country, "seconds": latencies[-1]}))
            stopped = stop(proc)
    measured = [s for s in latencies if s is not None]
    print(
        json.dumps(
            {
                "poll_seconds": args.poll,
                "database": url.split(":", 1)[0],
                "latencies": latencies,
                "max_seconds": max(measured) if measured else None,
                "limit_seconds": limit,
                "within_limit": len(measured) == len(latencies) and max(measured) <= limit,
                "sigterm_stop_seconds": round(stopped, 1),
            }
        )
    )


def _mailed(world: DaemonWorld, country: str) -> bool:
    return country in _subjects(world)


def _subjects(world: DaemonWorld) -> str:
    return " ".join(str(m["Subject"]) for m in world.emails_to(MANAGER))


if __name__ == "__main__":
    main()
