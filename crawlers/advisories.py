"""Travel-advice levels and areas out of advisory text (FCDO and US State Department).

Both publishers write their area lists the same way: a sentence that ends in "to:" and
a bulleted list after it, or one sentence naming the area. The functions here read plain
text in which list items start with "* " (markdown as recorded, or HTML after
marked_text), so the same code reads the live API and the recorded pages. Pure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawlers.countries import country_code
from crawlers.plaintext import html_to_text

AGAINST_ALL = "against_all"
AGAINST_ALL_BUT_ESSENTIAL = "against_all_but_essential"
SOME_PARTS = "some_parts"
NO_ADVICE = "none"
_LIST_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_FCDO = re.compile(
    r"advis\w*\s+against\s+(all\s+but\s+essential|all)\s+travel\s+(to|within)\b\s*(.*)$", re.I
)
_US_LIST = re.compile(r"^(do not travel|reconsider travel)\s+to\s*:?\s*$", re.I)
_US_HEADING = re.compile(r"^(.{2,200}?)\s+[–-]\s+(?:level\s+([34])\s*:\s*)?(do not travel)$", re.I)
_US_TITLE = re.compile(r"^(.*?)\s+-\s+level\s+([1-4])\b", re.I)
_TAIL = re.compile(r"(\s+(due to|because of)\b|,\s+(even|including|unless)\b|\.\s).*$", re.I)
US_LIST_LEVELS = {"do not travel": "level_4", "reconsider travel": "level_3"}


@dataclass(frozen=True)
class AreaAdvice:
    area: str
    level: str


def marked_text(html: str) -> str:
    """Plain text of HTML in which every list item starts with "* "."""
    return html_to_text(_LIST_ITEM.sub(lambda m: m.group(0) + "* ", html))


def fcdo_advice(text: str) -> list[AreaAdvice]:
    """Every "FCDO advises against (all | all but essential) travel to ..." with its area."""
    lines = _lines(text)
    found: dict[tuple[str, str], None] = {}
    for index, line in enumerate(lines):
        match = _FCDO.search(line)
        if match is None:
            continue
        level = AGAINST_ALL if match.group(1).lower() == "all" else AGAINST_ALL_BUT_ESSENTIAL
        rest = match.group(3).strip()
        if match.group(2).lower() == "within":
            areas = [f"within {_clean(rest)}"]
        elif rest in ("", ":"):
            areas = _items_after(lines, index)
        elif rest.endswith(":") and _clean(rest) == rest.rstrip(":").strip():
            areas = _qualified_items(_clean(rest), _items_after(lines, index))
        else:
            areas = [_clean(rest)]
        for area in areas:
            if area:
                found.setdefault((area, level))
    return [AreaAdvice(area, level) for area, level in found]


def fcdo_level(advice: list[AreaAdvice], country: str | None, alert_status: list[str]) -> str:
    """The country's level: the publisher's alert_status first, else what the text says."""
    statuses = " ".join(alert_status)
    if "avoid_all_travel_to_whole_country" in statuses:
        return AGAINST_ALL
    if "avoid_all_but_essential_travel_to_whole_country" in statuses:
        return AGAINST_ALL_BUT_ESSENTIAL
    whole = {a.level for a in advice if country is not None and country_code(a.area) == country}
    if AGAINST_ALL in whole:
        return AGAINST_ALL
    if AGAINST_ALL_BUT_ESSENTIAL in whole:
        return AGAINST_ALL_BUT_ESSENTIAL
    return SOME_PARTS if advice or "to_parts" in statuses else NO_ADVICE


def us_title(title: str) -> tuple[str, str | None]:
    """("Syria", "level_4") from "Syria - Level 4: Do Not Travel"; level None if not given."""
    match = _US_TITLE.match(title.strip())
    if match is None:
        return title.partition(" - ")[0].strip(), None
    return match.group(1).strip(), f"level_{match.group(2)}"


def us_areas(text: str) -> list[AreaAdvice]:
    """Areas under "Do Not Travel To:" / "Reconsider Travel To:", else "<area> – Do Not Travel"."""
    lines = _lines(text)
    found: dict[str, str] = {}
    for index, line in enumerate(lines):
        match = _US_LIST.match(line)
        if match is not None:
            for area in _items_after(lines, index):
                found.setdefault(area, US_LIST_LEVELS[match.group(1).lower()])
    if not found:
        for line in lines:
            heading = _US_HEADING.match(line)
            if heading is not None:
                found.setdefault(_clean(heading.group(1)), "level_4")
    return [AreaAdvice(area, level) for area, level in found.items() if area]


def _lines(text: str) -> list[str]:
    """Non-empty lines without markdown emphasis and heading marks; bullets keep "* "."""
    lines = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith(":"):
            continue  # a markdown definition ("Latest update:") repeats the advice as news
        bullet = line.startswith(("* ", "- ", "• "))
        line = re.sub(r"^#+\s*|\*\*|__", "", line[2:] if bullet else line).strip()
        if line:
            lines.append(f"* {line}" if bullet else line)
    return lines


def _items_after(lines: list[str], index: int) -> list[str]:
    items = []
    for line in lines[index + 1 :]:
        if not line.startswith("* "):
            break
        items.append(_clean(line[2:]))
    return items


def _qualified_items(lead: str, items: list[str]) -> list[str]:
    """ "the cities of:" + items -> one area each; "Libya except for the cities of:" -> one."""
    if not items:
        return [lead]
    if re.search(r"\bexcept\b", lead, re.I):
        return [f"{lead} {', '.join(items)}"]
    return [f"{lead} {item}" for item in items]


def _clean(area: str) -> str:
    return _TAIL.sub("", area).strip().rstrip(".:;,").strip()
