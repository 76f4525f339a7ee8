"""Regions: named groups of countries that subscribers follow, kept as data (regions.toml).

A subscription stores region names; the countries are looked up when mail is queued, so a
change to the file reaches everyone who follows the region.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from pathlib import Path

Regions = Mapping[str, tuple[str, ...]]


class RegionError(ValueError):
    """The regions file is unreadable or invalid, or a region name is unknown."""


def load_regions(path: Path) -> dict[str, tuple[str, ...]]:
    """Region name -> ISO 3166-1 alpha-3 codes, from a TOML file with a [regions] table."""
    return dict(_load(Path(path).resolve()))


@functools.lru_cache(maxsize=4)
def _load(path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    try:
        with path.open("rb") as fh:
            table = tomllib.load(fh).get("regions", {})
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise RegionError(f"{path}: {exc}") from exc
    if not isinstance(table, dict):
        raise RegionError(f"{path}: [regions] must be a table of name = [codes]")
    regions = []
    for name, codes in table.items():
        if not isinstance(codes, list) or not all(_is_code(c) for c in codes):
            raise RegionError(f"{path}: region {name!r} must list ISO 3166-1 alpha-3 codes")
        regions.append((str(name), tuple(sorted({c.upper() for c in codes}))))
    return tuple(regions)


def _is_code(value: object) -> bool:
    return isinstance(value, str) and len(value) == 3 and value.isalpha()


def find_region(regions: Regions, name: str) -> str:
    """The region's name as the file spells it, whatever the case and spacing given."""
    wanted = " ".join(name.split()).casefold()
    for known in regions:
        if known.casefold() == wanted:
            return known
    raise RegionError(f"unknown region {name!r}; known regions: {', '.join(sorted(regions))}")
