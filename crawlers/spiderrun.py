"""Run the listing spider once in a child process: a job as JSON on stdin, items on stdout.

Twisted's reactor cannot be restarted, so a long-running process (the daemon, the test
suite) cannot run Scrapy twice; one short child process per source crawl can. The parent
(crawlers.htmlsource) writes a SpiderJob, reads one JSON object per line back and kills
the child at the job's deadline. Scrapy's own log goes to stderr.

Usage: python -m crawlers.spiderrun < job.json > items.jsonl
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler, CrawlerProcess

from crawlers.listing import ListingSpider
from crawlers.pageitems import ListingRules, PdfFile
from crawlers.spiderjob import SpiderJob, spider_settings

MAX_BACKOFF_SECONDS = 30.0


class BackoffMiddleware:
    """Wait before each retry, twice as long each time: a struggling server gets air."""

    def __init__(self, base: float) -> None:
        self.base = base

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffMiddleware:
        return cls(crawler.settings.getfloat("RETRY_BACKOFF_BASE", 1.0))

    async def process_request(self, request: Request) -> None:
        retries = int(request.meta.get("retry_times", 0))
        if retries and self.base > 0:
            await asyncio.sleep(min(MAX_BACKOFF_SECONDS, self.base * 2 ** (retries - 1)))


class PdfStorePipeline:
    """Write each PDF body to the job's directory, so that only its path goes to stdout."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PdfStorePipeline:
        return cls(Path(crawler.settings["PDF_STORE_DIR"]))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PdfFile) or not item.body:
            return item
        path = self.directory / (hashlib.sha256(item.url.encode()).hexdigest()[:32] + ".pdf")
        path.write_bytes(item.body)
        return dataclasses.replace(item, body=b"", path=str(path))


class JsonLinesPipeline:
    """One JSON object per item on stdout, tagged with the item's type."""

    def process_item(self, item: Any) -> Any:
        record = {"type": type(item).__name__, **dataclasses.asdict(item)}
        record.pop("body", None)
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()
        return item


def run(job: SpiderJob) -> None:
    """Crawl once; returns when the spider has closed."""
    process = CrawlerProcess(spider_settings(job), install_root_handler=True)
    process.crawl(
        ListingSpider,
        start_url=job.start_url,
        rules=ListingRules.from_options(job.options),
        etag=job.etag,
        last_modified=job.last_modified,
    )
    process.start()


def main() -> int:
    run(SpiderJob.from_json(sys.stdin.read()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
