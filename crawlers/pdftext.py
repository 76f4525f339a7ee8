"""PDF -> plain text with page numbers, extracted in a child process under hard limits.

UNHCR's positions on returns are PDFs, and the evidence for a finding must say on which
page it stands. The text keeps one form feed ("\\f") between pages, so an evidence offset
maps back to its page with `page_at`; nothing else needs to store page numbers.

Extraction runs in `crawlers/pdfworker.py` as a separate interpreter with an address
space cap (RLIMIT_AS), a CPU cap and a wall-clock deadline: a PDF bomb, a huge or a broken
PDF ends as a PdfError that names the reason, and the crawler's own memory stays bounded.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from config import Settings
from crawlers.errors import PdfError
from crawlers.plaintext import normalize_text

logger = logging.getLogger(__name__)

PAGE_BREAK = "\f"
WORKER = Path(__file__).resolve().with_name("pdfworker.py")
PDF_SIGNATURE = b"%PDF-"
DEFAULT_MEMORY_MB = 768
DEFAULT_PDF_SECONDS = 60.0
DEFAULT_MAX_PAGES = 1500
DEFAULT_MAX_CHARS = 5_000_000


@dataclass(frozen=True)
class PdfLimits:
    """How much memory, time, pages and text one PDF may take."""

    memory_bytes: int = DEFAULT_MEMORY_MB * 1024 * 1024
    seconds: float = DEFAULT_PDF_SECONDS
    max_pages: int = DEFAULT_MAX_PAGES
    max_chars: int = DEFAULT_MAX_CHARS

    @classmethod
    def from_options(cls, settings: Settings, options: Mapping[str, Any]) -> PdfLimits:
        """Defaults, with text capped like a fetched body; a source may set pdf_* options."""
        return cls(
            memory_bytes=int(options.get("pdf_memory_mb", DEFAULT_MEMORY_MB)) * 1024 * 1024,
            seconds=float(
                options.get("pdf_timeout", max(DEFAULT_PDF_SECONDS, settings.fetch_timeout))
            ),
            max_pages=int(options.get("pdf_max_pages", DEFAULT_MAX_PAGES)),
            max_chars=min(DEFAULT_MAX_CHARS, settings.max_document_bytes),
        )


@dataclass(frozen=True)
class PdfText:
    """A PDF's text, pages separated by PAGE_BREAK; `truncated` when max_chars cut it."""

    text: str
    page_count: int
    truncated: bool = False
    title: str = ""

    def page_at(self, offset: int) -> int:
        return page_at(self.text, offset)


def page_at(text: str, offset: int) -> int:
    """The 1-based page on which a character offset of a PDF's text lies."""
    return text.count(PAGE_BREAK, 0, max(0, offset)) + 1


def page_starts(text: str) -> tuple[int, ...]:
    """The offset at which each page begins."""
    starts = [0]
    index = text.find(PAGE_BREAK)
    while index != -1:
        starts.append(index + 1)
        index = text.find(PAGE_BREAK, index + 1)
    return tuple(starts)


def join_pages(pages: Sequence[str], truncated: bool = False, title: str = "") -> PdfText:
    """Normalise each page (paragraphs kept, lines joined) and join them with PAGE_BREAK."""
    texts = [normalize_text(page) for page in pages]  # normalize_text drops any "\f" inside
    return PdfText(PAGE_BREAK.join(texts), len(texts), truncated, normalize_text(title))


def is_pdf(body: bytes) -> bool:
    """PDF readers accept the signature within the first KiB, after junk bytes."""
    return PDF_SIGNATURE in body[:1024]


def extract_pdf_text(data: bytes, limits: PdfLimits) -> PdfText:
    """The text of a PDF, or PdfError saying why not (not a PDF, bomb, too many pages ...)."""
    if not is_pdf(data):
        raise PdfError("not a PDF: the body does not start with %PDF-")
    answer = _run_worker(data, limits)
    if "error" in answer:
        raise PdfError(str(answer["error"]))
    pages = answer.get("pages")
    if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
        raise PdfError("PDF extraction gave an answer without pages")
    result = join_pages(pages, bool(answer.get("truncated")), str(answer.get("title") or ""))
    if not result.text.replace(PAGE_BREAK, "").strip():
        raise PdfError(f"the PDF has no text layer ({result.page_count} pages, scanned?)")
    return result


def _run_worker(data: bytes, limits: PdfLimits) -> dict[str, Any]:
    command = [
        sys.executable,
        "-I",  # isolated: no user site, no PYTHON* variables, no cwd on sys.path
        str(WORKER),
        str(limits.memory_bytes),
        str(max(1, round(limits.seconds))),
        str(limits.max_pages),
        str(limits.max_chars),
    ]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=limits.seconds, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise PdfError(f"PDF extraction took longer than {limits.seconds:g} s; stopped") from exc
    if done.returncode != 0:
        raise PdfError(_crash_reason(done.returncode, done.stderr, limits))
    try:
        answer = json.loads(done.stdout)
    except ValueError as exc:
        raise PdfError("PDF extraction gave no readable answer") from exc
    if not isinstance(answer, dict):
        raise PdfError("PDF extraction gave no readable answer")
    return answer


def _crash_reason(returncode: int, stderr: bytes, limits: PdfLimits) -> str:
    """A child killed by a signal or dying in C code most likely hit the memory cap."""
    last = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    logger.debug("PDF worker exited with %d: %s", returncode, last[0])
    if returncode < 0:
        return (
            f"PDF extraction was killed (signal {-returncode}); the PDF probably exceeds "
            f"the memory limit of {limits.memory_bytes // (1024 * 1024)} MB or the time limit"
        )
    return f"PDF extraction failed (exit {returncode}): {last[0][:300]}"
