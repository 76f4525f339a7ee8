"""The child process that reads a PDF's text under hard limits; crawlers.pdftext runs it.

A PDF can be a memory or CPU bomb (a huge compressed stream, thousands of pages, a
malicious xref). So the extraction runs in its own interpreter, started by path with only
the standard library and pypdf, which first caps its own address space and CPU time and
only then reads the PDF. Whatever happens in here, the crawler only sees a JSON answer
on stdout or a dead child.

Usage: python pdfworker.py MEMORY_BYTES CPU_SECONDS MAX_PAGES MAX_CHARS < file.pdf
Answer: {"pages": [text, ...], "truncated": bool, "title": str} or {"error": reason}
"""

from __future__ import annotations

import json
import resource
import sys
from io import BytesIO
from typing import Any


def limit_resources(memory_bytes: int, cpu_seconds: int) -> None:
    """Cap this process: an allocation beyond the cap fails, a runaway loop is killed."""
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))


def extract_pages(data: bytes, max_pages: int, max_chars: int) -> dict[str, Any]:
    """Text of each page, stopping once max_chars have been read; refuses too many pages."""
    from pypdf import PdfReader  # imported under the limits, as it allocates at import

    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted and not _decrypted(reader):
        return {"error": "the PDF is encrypted with a password"}
    count = len(reader.pages)
    if count > max_pages:
        return {"error": f"the PDF has {count} pages, more than the limit of {max_pages}"}
    title = _title(reader)
    pages: list[str] = []
    total = 0
    for page in reader.pages:
        text = page.extract_text() or ""
        pages.append(text[: max_chars - total])
        total += len(pages[-1])
        if total >= max_chars:
            truncated = len(pages) < count or len(text) > len(pages[-1])
            return {"pages": pages, "truncated": truncated, "title": title}
    return {"pages": pages, "truncated": False, "title": title}


def _title(reader: Any) -> str:
    """The title in the document information, when there is one."""
    try:
        title = reader.metadata.title if reader.metadata is not None else None
    except Exception:  # a broken info dictionary must not stop the text
        return ""
    return str(title or "").strip()


def _decrypted(reader: Any) -> bool:
    """Many public PDFs are "encrypted" with an empty user password only."""
    try:
        return bool(reader.decrypt(""))
    except Exception:  # pypdf raises several types for unsupported encryption
        return False


def _describe(exc: Exception) -> str:
    if type(exc).__name__ == "LimitReachedError":  # pypdf's decompression-bomb guard
        return f"the PDF looks like a decompression bomb ({exc})"
    return f"unreadable PDF ({type(exc).__name__}: {exc})"


def main(argv: list[str]) -> int:
    memory_bytes, cpu_seconds, max_pages, max_chars = (int(arg) for arg in argv[1:5])
    limit_resources(memory_bytes, cpu_seconds)
    data = sys.stdin.buffer.read()
    try:
        answer = extract_pages(data, max_pages, max_chars)
    except MemoryError:
        answer = {"error": f"the PDF needs more than the memory limit of {memory_bytes} bytes"}
    except RecursionError:
        answer = {"error": "the PDF's structure is nested too deeply"}
    except Exception as exc:  # any pypdf failure is an answer about this PDF, not a crash
        answer = {"error": _describe(exc)}
    sys.stdout.write(json.dumps(answer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
