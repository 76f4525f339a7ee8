"""Crawl throughput: documents per second for a fresh crawl, and an unchanged re-crawl.

Sources are served by the replay server (tests/replay.py) on 127.0.0.1 with generated,
realistic bodies (tests/replay_sources.py): RSS, Atom, GDACS, GOV.UK travel advice and
WHO DON pages, gzip and validators mixed. Each run uses a fresh SQLite file.

    .venv/bin/python bench/bench_crawl.py            # 200 sources x 20 items, 3 settings
    .venv/bin/python bench/bench_crawl.py --quick    # 50 sources x 5 items
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from replay import ReplayServer  # noqa: E402
from replay_sources import populate  # noqa: E402

from config import Settings  # noqa: E402
from crawlers.crawl import crawl_sources  # noqa: E402
from store.db import make_engine, make_sessionmaker, migrate  # noqa: E402


@dataclass(frozen=True)
class Row:
    label: str
    sources: int
    documents: int
    fresh_seconds: float
    recrawl_seconds: float
    conditional_304: int

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.fresh_seconds


def run(label: str, sources: int, items: int, workers: int, per_host: int, delay: float) -> Row:
    with tempfile.TemporaryDirectory() as tmp, ReplayServer() as server:
        settings = Settings(
            workdir=Path(tmp), fetch_timeout=30.0, crawl_workers=workers, crawl_per_host=per_host
        )
        engine = make_engine(settings.database_url)
        migrate(engine)
        factory = make_sessionmaker(engine)
        specs = populate(server, sources, items, delay)
        start = time.perf_counter()
        fresh = crawl_sources(factory, settings, specs)
        fresh_seconds = time.perf_counter() - start
        server.clear_log()
        start = time.perf_counter()
        again = crawl_sources(factory, settings, specs)
        recrawl_seconds = time.perf_counter() - start
        not_modified = sum(1 for r in server.log if r.status == 304)
        engine.dispose()
    if fresh.failed or again.new or again.revised:
        raise SystemExit(f"unexpected crawl result: {fresh} / {again}")
    return Row(label, sources, fresh.new, fresh_seconds, recrawl_seconds, not_modified)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 sources x 5 items")
    args = parser.parse_args()
    sources, items = (50, 5) if args.quick else (200, 20)
    settings = [
        ("sequential (1 worker)", 1, 1, 0.0),
        ("default (8 workers, 2 per host)", 8, 2, 0.0),
        ("8 workers, 8 per host", 8, 8, 0.0),
        ("sequential, 100 ms server latency", 1, 1, 0.1),
        ("8 workers, 8/host, 100 ms latency", 8, 8, 0.1),
    ]
    rows = [run(label, sources, items, w, h, d) for label, w, h, d in settings]
    print(f"{'setting':34} {'sources':>7} {'docs':>6} {'fresh s':>8} {'docs/s':>7} "
          f"{'re-crawl s':>10} {'304s':>5}")  # fmt: skip
    for r in rows:
        print(
            f"{r.label:34} {r.sources:7d} {r.documents:6d} {r.fresh_seconds:8.2f} "
            f"{r.docs_per_second:7.0f} {r.recrawl_seconds:10.2f} {r.conditional_304:5d}"
        )


if __name__ == "__main__":
    main()
