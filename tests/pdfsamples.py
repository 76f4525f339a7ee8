"""Hand-built PDFs for the tests: plain text pages, a decompression bomb, thousands of pages.

Written here byte by byte (objects, xref, trailer) so the tests need no PDF writer and
the bad ones can be exactly as bad as wanted.
"""

from __future__ import annotations

import zlib


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def page_stream(lines: list[str]) -> bytes:
    """A content stream that shows each line in Helvetica, one under the other."""
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        ops.append(f"({_escape(line)}) Tj T*")
    ops.append("ET")
    return "\n".join(ops).encode("latin-1")


def build_pdf(streams: list[bytes], compressed: bool = False) -> bytes:
    """A PDF with one page per content stream (FlateDecode when `compressed`)."""
    count = len(streams)
    font_id = 3
    first_page = 4
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        font_id: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    kids = " ".join(f"{first_page + 2 * i} 0 R" for i in range(count))
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode()
    for index, stream in enumerate(streams):
        page_id = first_page + 2 * index
        objects[page_id] = (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 {font_id} 0 R >> >> /Contents {page_id + 1} 0 R >>"
        ).encode()
        objects[page_id + 1] = _stream_object(stream, compressed)
    return _assemble(objects)


def bomb_pdf(decompressed_mb: int) -> bytes:
    """One page whose Flate content stream inflates to `decompressed_mb` MB of operators."""
    compressor = zlib.compressobj(9)
    line = b"BT /F1 1 Tf (x) Tj ET\n"
    chunk = line * (1024 * 1024 // len(line))
    parts = [compressor.compress(chunk) for _ in range(decompressed_mb)]
    data = b"".join(parts) + compressor.flush()
    header = f"<< /Length {len(data)} /Filter /FlateDecode >>\nstream\n".encode()
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
        ),
        4: header + data + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    return _assemble(objects)


def _stream_object(stream: bytes, compressed: bool) -> bytes:
    data = zlib.compress(stream) if compressed else stream
    extra = " /Filter /FlateDecode" if compressed else ""
    return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"


def _assemble(objects: dict[int, bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    size = max(objects) + 1
    out += f"xref\n0 {size}\n0000000000 65535 f \n".encode()
    for number in range(1, size):
        out += f"{offsets.get(number, 0):010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def text_pdf(pages: list[list[str]], compressed: bool = True) -> bytes:
    """A PDF whose pages show the given lines."""
    return build_pdf([page_stream(lines) for lines in pages], compressed)
