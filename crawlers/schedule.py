"""Run many sources at once without hammering one host: a worker pool with a per-host cap.

A plain pool with a per-host lock would let workers sit blocked behind one busy host;
here a source is only started when its host has a free slot, so the workers stay busy
with other hosts meanwhile.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TypeVar
from urllib.parse import urlsplit

from store.records import SourceSpec

T = TypeVar("T")


def run_by_host(
    specs: Sequence[SourceSpec],
    work: Callable[[SourceSpec], T],
    workers: int,
    per_host: int,
) -> Iterator[tuple[int, T]]:
    """Yield (index in specs, result) as each source finishes; `work` must not raise."""
    if workers <= 1 or len(specs) <= 1:
        yield from ((index, work(spec)) for index, spec in enumerate(specs))
        return
    waiting = list(enumerate(specs))
    running: dict[Future[T], tuple[int, str]] = {}
    busy: Counter[str] = Counter()
    with ThreadPoolExecutor(min(workers, len(specs)), thread_name_prefix="crawl") as pool:
        while waiting or running:
            for item in list(waiting):
                host = host_of(item[1].url)
                if len(running) >= workers:
                    break
                if busy[host] < max(1, per_host):
                    waiting.remove(item)
                    busy[host] += 1
                    running[pool.submit(work, item[1])] = (item[0], host)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                index, host = running.pop(future)
                busy[host] -= 1
                yield index, future.result()


def host_of(url: str) -> str:
    """The host a politeness limit applies to (lower case, port included)."""
    return urlsplit(url).netloc.lower()
