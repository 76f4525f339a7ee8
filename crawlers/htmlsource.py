"""Kind `html`: a news listing -> its articles -> their PDFs, crawled by Scrapy in a child.

collect_html runs the listing spider (crawlers.listing) in a fresh process per crawl
(crawlers.spiderrun), because Twisted's reactor cannot be restarted, and kills it at the
source's deadline. What comes back (JSON lines) becomes spider items again and then, in
the pure function `documents_from_items`, documents and one problem text for the source's
health. Attached PDFs are read by crawlers.pdftext under its memory and time limits.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from config import PROJECT_ROOT
from crawlers.collectors import CollectContext, Collected
from crawlers.dates import parse_date
from crawlers.errors import SourceOptionError, SpiderError
from crawlers.items import ParseResult
from crawlers.pageitems import DetailPage, ListingPage, ListingRules, PdfFile, Problem, SpiderItem
from crawlers.pdfsource import read_pdf
from crawlers.pdftext import PdfLimits
from crawlers.spiderjob import RUNNER, SpiderJob
from crawlers.urls import canonicalize_url
from store.records import FetchedDocument, SourceSpec

logger = logging.getLogger(__name__)

DEFAULT_DELAY = 1.0
DEFAULT_PER_HOST = 2
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF = 1.0
DEFAULT_DEADLINE = 600.0
MAX_PROBLEMS_SHOWN = 5
ITEM_TYPES: Mapping[str, type[SpiderItem]] = {
    cls.__name__: cls for cls in (ListingPage, DetailPage, PdfFile, Problem)
}

PdfReader = Callable[[PdfFile], ParseResult]


@dataclass(frozen=True)
class SpiderRun:
    """The items a spider child wrote, and why it ended early if it did."""

    items: tuple[SpiderItem, ...]
    problem: str | None = None


def collect_html(spec: SourceSpec, context: CollectContext) -> Collected:
    """Crawl the listing, its articles and their PDFs once; unchanged listing: one 304."""
    rules = ListingRules.from_options(spec.options)  # a bad selector set fails before any I/O
    limits = PdfLimits.from_options(context.settings, spec.options)
    with tempfile.TemporaryDirectory(prefix="returnwatch-pdf-") as pdf_dir:
        job = build_job(spec, context, pdf_dir)
        run = run_spider(job)

        def read(item: PdfFile) -> ParseResult:
            body = Path(item.path).read_bytes() if item.path else b""
            published = parse_date(item.date)
            return read_pdf(body, item.url, spec, context.fetched, limits, item.title, published)

        collected = documents_from_items(run.items, spec, rules, context.fetched, read)
    if run.problem is None:
        return collected
    problem = "; ".join(p for p in (run.problem, collected.problem) if p)
    return Collected(collected.documents, problem, False, collected.etag, collected.last_modified)


def build_job(spec: SourceSpec, context: CollectContext, pdf_dir: str) -> SpiderJob:
    """The child's job from the settings and the source's options."""
    options = spec.options
    cache = None
    if _option(options, "http_cache", bool, True):
        cache_path = Path(context.settings.workdir).resolve() / "httpcache" / spec.id
        cache_path.mkdir(parents=True, exist_ok=True)
        cache = str(cache_path)
    validators = context.validators
    return SpiderJob(
        source_id=spec.id,
        start_url=spec.url,
        options=dict(options),
        pdf_dir=pdf_dir,
        user_agent=context.limits.user_agent,
        download_timeout=float(_option(options, "timeout", float, context.limits.timeout)),
        max_bytes=context.limits.max_bytes,
        deadline=float(_option(options, "max_seconds", float, DEFAULT_DEADLINE)),
        download_delay=float(_option(options, "download_delay", float, DEFAULT_DELAY)),
        per_host=int(_option(options, "per_host", int, DEFAULT_PER_HOST)),
        retry_times=int(_option(options, "retry_times", int, DEFAULT_RETRIES)),
        backoff=float(_option(options, "retry_backoff", float, DEFAULT_BACKOFF)),
        cache_dir=cache,
        etag=validators.etag if validators else None,
        last_modified=validators.last_modified if validators else None,
    )


def _option(options: Mapping[str, Any], name: str, kind: type, default: Any) -> Any:
    value = options.get(name, default)
    valid = isinstance(value, kind) or (kind is float and isinstance(value, int))
    if not valid or isinstance(value, bool) != (kind is bool) or (kind is not bool and value < 0):
        raise SourceOptionError(f"options.{name} must be a non-negative {kind.__name__}")
    return value


def run_spider(job: SpiderJob) -> SpiderRun:
    """Run the spider child for one job; it is killed at job.deadline.

    The child closes its spider itself a little earlier (CLOSESPIDER_TIMEOUT), so that it
    usually ends cleanly with all items written; the kill is for when it cannot.
    """
    command = [sys.executable, "-m", RUNNER]
    limit = job.deadline
    try:
        done = subprocess.run(
            command,
            input=job.to_json().encode(),
            capture_output=True,
            timeout=limit,
            cwd=PROJECT_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        items = tuple(decode_items(_lines(exc.stdout)))
        return SpiderRun(items, f"crawl stopped after {limit:g} s (deadline)")
    items = tuple(decode_items(_lines(done.stdout)))
    if done.returncode != 0:
        reason = _last_line(done.stderr)
        logger.debug("spider for %s exited with %d: %s", job.source_id, done.returncode, reason)
        if not items:
            raise SpiderError(f"the crawler process failed (exit {done.returncode}): {reason}")
        return SpiderRun(items, f"the crawler process failed (exit {done.returncode})")
    return SpiderRun(items)


def _lines(output: bytes | str | None) -> list[str]:
    if output is None:
        return []
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    return text.splitlines()


def _last_line(stderr: bytes) -> str:
    lines = stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1][:300] if lines else "no message"


def decode_items(lines: Iterable[str]) -> Iterable[SpiderItem]:
    """Items from the child's JSON lines; anything else on stdout is skipped."""
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not isinstance(record, dict):
            continue
        cls = ITEM_TYPES.get(str(record.pop("type", "")))
        if cls is None:
            continue
        names = {f.name for f in fields(cls)}
        yield cls(**{key: value for key, value in record.items() if key in names})


def documents_from_items(
    items: Iterable[SpiderItem],
    spec: SourceSpec,
    rules: ListingRules,
    fetched: datetime,
    read: PdfReader,
) -> Collected:
    """Documents and the source's problem from what the spider found (pure but for `read`)."""
    items = list(items)
    listings = [item for item in items if isinstance(item, ListingPage)]
    first = next((page for page in listings if page.number == 1), None)
    problems = [f"{item.url}: {item.reason}" for item in items if isinstance(item, Problem)]
    if first is not None and first.status == 304:
        return Collected((), None, True, first.etag, first.last_modified)
    if first is None and not problems:
        problems.append(f"{spec.url}: the listing page gave no answer")
    elif first is not None and sum(page.entries for page in listings) == 0:
        problems.append(
            f"{first.url}: no entries match options.list_item {rules.list_item!r} "
            "(has the page layout changed?)"
        )
    documents: dict[str, FetchedDocument] = {}
    for item in items:
        for document in _documents(item, spec, fetched, read, problems):
            documents.setdefault(document.url, document)
    etag, modified = (first.etag, first.last_modified) if first else (None, None)
    return Collected(tuple(documents.values()), _join(problems), False, etag, modified)


def _documents(
    item: SpiderItem, spec: SourceSpec, fetched: datetime, read: PdfReader, problems: list[str]
) -> tuple[FetchedDocument, ...]:
    if isinstance(item, DetailPage) and item.text:
        return (
            FetchedDocument(
                source_id=spec.id,
                url=canonicalize_url(item.url),
                title=item.title,
                text=item.text,
                published=parse_date(item.date),
                language=str(spec.options.get("language", "en")),
                fetched=fetched,
            ),
        )
    if isinstance(item, PdfFile):
        result = read(item)
        if result.problem is not None:
            problems.append(result.problem)
        return result.documents
    return ()


def _join(problems: list[str]) -> str | None:
    if not problems:
        return None
    shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
    hidden = len(problems) - MAX_PROBLEMS_SHOWN
    return f"{shown}; and {hidden} more" if hidden > 0 else shown
