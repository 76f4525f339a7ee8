"""Country codes and names as sources write them -> ISO 3166-1 alpha-3, the store's key."""

from __future__ import annotations

import re
from collections.abc import Iterable

import countrynames

_SEPARATORS = re.compile(r"\s*[,;/]\s*")


def country_code(value: str) -> str | None:
    """ISO3 of an alpha-2/alpha-3 code or an English country name; None when unknown."""
    text = value.strip()
    if not text:
        return None
    code = countrynames.to_code_3(text)
    if not code and "(" in text:  # "Burma (Myanmar)": either name may be the known one
        outer, _, inner = text.partition("(")
        return country_code(outer) or country_code(inner.rstrip(") "))
    return str(code) if code else None


def country_codes(values: Iterable[str]) -> tuple[str, ...]:
    """ISO3 codes of several values, each possibly a list ("Chile, Argentina"), deduplicated."""
    codes: dict[str, None] = {}
    for value in values:
        for part in _SEPARATORS.split(value or ""):
            code = country_code(part)
            if code is not None:
                codes.setdefault(code)
    return tuple(codes)
