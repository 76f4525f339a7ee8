"""`returnwatch tag-text FILE.jsonl`: tag {"id", "text"} lines, write one JSON line each."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from spacy.language import Language

from nlp.errors import InputLineError
from nlp.tagger import tag_text
from store.records import FindingRecord


def tag_jsonl(nlp: Language, lines: Iterable[str], out: TextIO) -> int:
    """Tag each input line and write its result; returns the number of passages tagged.

    Blank lines are skipped. A line that is not a JSON object with an "id" and a string
    "text" raises InputLineError naming the line; earlier results are already written.
    """
    count = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        passage_id, text = parse_line(number, line)
        result = tag_text(nlp, text)
        record = {
            "id": passage_id,
            "findings": [finding_json(f) for f in result.findings],
            "mentions": result.mentions,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def parse_line(number: int, line: str) -> tuple[Any, str]:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputLineError(number, f"invalid JSON: {exc.msg}") from exc
    if not isinstance(record, dict):
        raise InputLineError(number, 'expected a JSON object with "id" and "text"')
    if "id" not in record:
        raise InputLineError(number, 'missing "id"')
    if not isinstance(record["id"], (str, int)) or isinstance(record["id"], bool):
        raise InputLineError(number, '"id" must be a string or an integer')
    if not isinstance(record.get("text"), str):
        raise InputLineError(number, 'missing "text" or it is not a string')
    return record["id"], record["text"]


def finding_json(finding: FindingRecord) -> dict[str, Any]:
    """The tag-text output shape of DESIGN.md."""
    return {
        "stance": finding.stance,
        "scope": finding.scope,
        "issuer": finding.issuer or None,
        "issuer_is_un": finding.issuer_is_un,
        "country": finding.country,
        "area": {"name": finding.area.name, "code": finding.area.code} if finding.area else None,
        "groups": list(finding.groups),
        "condition": finding.condition,
        "evidence": finding.evidence,
        "confidence": finding.confidence,
    }
