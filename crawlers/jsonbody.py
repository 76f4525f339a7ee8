"""JSON bodies from APIs, read without ever raising: a value or a reason why not.

APIs answer errors with HTML pages, proxies truncate bodies, and a wrong charset turns
text into bytes that are not UTF-8; each becomes a problem text for the source's health.
"""

from __future__ import annotations

import json
import re
from typing import Any

_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)


def load_json(body: bytes) -> tuple[Any, str | None]:
    """(value, None) for a JSON body, else (None, what is wrong with it)."""
    if not body.strip():
        return None, "not JSON: the response body is empty"
    if _HTML_START.match(body[:4096]):
        return None, "not JSON: got an HTML page"
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not JSON: invalid UTF-8 at byte {exc.start}"
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    except RecursionError:
        return None, "malformed JSON: nested too deeply"


def as_dict(value: Any) -> dict[str, Any]:
    """The value if it is a JSON object, else an empty one (missing fields read as absent)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
