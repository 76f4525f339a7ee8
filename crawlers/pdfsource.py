"""Kind `pdf`: one PDF at a fixed URL (a UNHCR position paper), read into one document.

The fetch is the ordinary conditional GET with its deadline and size cap; the text comes
from crawlers.pdftext, in a child process with memory and time limits. A PDF that cannot
be read is the source's problem, never an exception out of the crawl.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from crawlers.collectors import CollectContext, Collected, collect_url
from crawlers.dates import parse_date
from crawlers.errors import PdfError
from crawlers.items import ParseResult
from crawlers.pdftext import PdfLimits, extract_pdf_text
from crawlers.urls import canonicalize_url
from store.records import FetchedDocument, SourceSpec


def collect_pdf(spec: SourceSpec, context: CollectContext) -> Collected:
    """Fetch the source URL (conditionally) and read it as a PDF."""
    limits = PdfLimits.from_options(context.settings, spec.options)
    return collect_url(
        spec.url,
        context,
        lambda body: read_pdf(body, spec.url, spec, context.fetched, limits),
    )


def read_pdf(
    body: bytes,
    url: str,
    spec: SourceSpec,
    fetched: datetime,
    limits: PdfLimits,
    title: str = "",
    published: datetime | None = None,
) -> ParseResult:
    """A PDF body -> one document (pages separated by "\\f"), or the reason it has none.

    The title is, in order: the one given (the linking page's), options.title, the PDF's
    own title, the file name.
    """
    try:
        pdf = extract_pdf_text(body, limits)
    except PdfError as exc:
        return ParseResult((), f"{url}: {exc}")
    document = FetchedDocument(
        source_id=spec.id,
        url=canonicalize_url(url),
        title=title or str(spec.options.get("title", "")) or pdf.title or file_title(url),
        text=pdf.text,
        published=published or parse_date(str(spec.options.get("published", ""))),
        language=str(spec.options.get("language", "en")),
        fetched=fetched,
    )
    problem = f"{url}: text cut at {limits.max_chars} characters" if pdf.truncated else None
    return ParseResult((document,), problem)


def file_title(url: str) -> str:
    """A title from the file name: "UNHCR-Position_Haiti.pdf" -> "UNHCR Position Haiti"."""
    name = PurePosixPath(unquote(urlsplit(url).path)).stem
    return " ".join(name.replace("_", " ").replace("-", " ").split()) or url
