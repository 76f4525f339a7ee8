"""Reading the bundled JSONL data files that the components load at initialize."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from nlp.errors import NlpDataError

DATA_DIR = Path(__file__).resolve().parent / "data"

TokenPattern = list[dict[str, Any]]

# A gap that may cross commas but not a sentence or clause end.
_GAP_STOPS = [".", ";", "!", "?", ":"]


def data_path(name: str, data_dir: str = "") -> Path:
    """A data file in the configured directory, or the bundled one by default."""
    return (Path(data_dir) if data_dir else DATA_DIR) / name


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """All records of a JSONL file; a bad line raises NlpDataError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NlpDataError(f"{path}: cannot read: {exc}") from exc
    records = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NlpDataError(f"{path}:{number}: invalid JSON: {exc}") from exc
        if not isinstance(record, dict):
            raise NlpDataError(f"{path}:{number}: expected an object")
        records.append(record)
    return records


def expand_pattern(pattern: TokenPattern, lexicons: dict[str, list[str]]) -> TokenPattern:
    """Turn the data file's shorthands into Matcher token specs.

    {"LEX": NAME} becomes {"LOWER": {"IN": terms}}; {"GAP": n} becomes any number of tokens
    that are not a sentence or clause end (bounded quantifiers make the Matcher very slow;
    the caller enforces the bound with pattern_limit), nor one of its "EXCEPT" words
    ({"GAP": 5, "EXCEPT": ["not"]}: "now had not promoted" is no "now ... promoted").
    Other keys (OP) are kept.
    """
    expanded = []
    for spec in pattern:
        spec = dict(spec)
        if "GAP" in spec:
            barred = _GAP_STOPS + [str(w) for w in spec.get("EXCEPT", [])]
            expanded.append({"LOWER": {"NOT_IN": barred}, "OP": "*"})
            continue
        if "LEX" in spec:
            name = spec.pop("LEX")
            if name not in lexicons:
                raise NlpDataError(f"unknown lexicon {name!r} in pattern")
            spec["LOWER"] = {"IN": lexicons[name]}
        expanded.append(spec)
    return expanded


def pattern_limit(pattern: TokenPattern) -> int:
    """The longest match a pattern with {"GAP": n} shorthands may make, in tokens."""
    return sum(int(spec["GAP"]) if "GAP" in spec else 1 for spec in pattern)
