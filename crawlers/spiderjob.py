"""One crawl of an html source as plain values, and the Scrapy settings it implies.

The crawl stage (crawlers.htmlsource) builds a SpiderJob and sends it as JSON to the
spider's child process (crawlers.spiderrun); this module imports no Scrapy, so the
parent never loads Twisted.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any

RUNNER = "crawlers.spiderrun"  # Scrapy components are named by import path
MEMORY_LIMIT_MB = 1024
REDIRECT_LIMIT = 5


@dataclass(frozen=True)
class SpiderJob:
    """Everything the child needs; plain values so that it travels as JSON."""

    source_id: str
    start_url: str
    options: dict[str, Any]
    pdf_dir: str
    user_agent: str
    download_timeout: float
    max_bytes: int
    deadline: float
    download_delay: float = 1.0
    per_host: int = 2
    retry_times: int = 2
    backoff: float = 1.0
    cache_dir: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    extra_settings: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SpiderJob:
        return cls(**json.loads(text))


def spider_settings(job: SpiderJob) -> dict[str, Any]:
    """Scrapy settings for one polite, bounded crawl: robots.txt, throttling, limits."""
    settings: dict[str, Any] = {
        "BOT_NAME": "returnwatch",
        "USER_AGENT": job.user_agent,
        "ROBOTSTXT_OBEY": True,
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": job.download_delay,
        "AUTOTHROTTLE_MAX_DELAY": max(job.download_delay, 30.0),
        "DOWNLOAD_DELAY": job.download_delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": job.per_host,
        "DOWNLOAD_TIMEOUT": job.download_timeout,
        "DNS_TIMEOUT": job.download_timeout,
        "DOWNLOAD_MAXSIZE": job.max_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_ENABLED": job.retry_times > 0,
        "RETRY_TIMES": job.retry_times,
        "RETRY_BACKOFF_BASE": job.backoff,
        "REDIRECT_MAX_TIMES": REDIRECT_LIMIT,
        # Stop scheduling shortly before the parent's kill, so the items so far are written.
        "CLOSESPIDER_TIMEOUT": max(1.0, job.deadline * 0.8),
        "MEMUSAGE_ENABLED": True,
        "MEMUSAGE_LIMIT_MB": MEMORY_LIMIT_MB,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "PDF_STORE_DIR": job.pdf_dir,
        "DOWNLOADER_MIDDLEWARES": {f"{RUNNER}.BackoffMiddleware": 549},  # just before retry
        "ITEM_PIPELINES": {f"{RUNNER}.PdfStorePipeline": 100, f"{RUNNER}.JsonLinesPipeline": 900},
    }
    if job.cache_dir:
        settings |= {
            "HTTPCACHE_ENABLED": True,
            "HTTPCACHE_DIR": job.cache_dir,
            "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
            "HTTPCACHE_STORAGE": "scrapy.extensions.httpcache.FilesystemCacheStorage",
            "HTTPCACHE_GZIP": True,
        }
    return settings | job.extra_settings
