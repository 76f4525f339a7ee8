"""The rules over a folder of cases: each JSON file holds facts and the drafts they must give."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alerts.assess import policy_of
from alerts.rules import Facts, run_rules, supersessions
from config import Settings
from store.records import (
    Area,
    FindingRecord,
    Place,
    PlaceStatus,
    ProposalView,
    SignalRecord,
    StoredFinding,
    StoredSignal,
)

CASES = sorted((Path(__file__).parent / "cases" / "rules").glob("*.json"))
WHEN = datetime(2026, 11, 10, tzinfo=UTC)


def finding(data: dict[str, Any]) -> StoredFinding:
    area = Area(data["area"]["name"], data["area"]["code"]) if data.get("area") else None
    record = FindingRecord(
        stance=data.get("stance", "against_return"),
        scope=data.get("scope", "forced"),
        issuer=data["issuer"],
        issuer_is_un=data["un"],
        country=data["country"],
        area=area,
        groups=(),
        condition=None,
        evidence=data["evidence"],
        evidence_start=0,
        evidence_end=len(data["evidence"]),
        confidence=0.9,
    )
    return StoredFinding(
        data["id"],
        data["document"],
        record,
        "title",
        f"https://example.org/{data['document']}",
        WHEN,
        "source",
    )


def signal(data: dict[str, Any]) -> StoredSignal:
    record = SignalRecord(
        category=data["category"],
        country=data["country"],
        title=data["title"],
        level=data.get("level"),
        url=data.get("url"),
        area=Area(data["area"]["name"], data["area"].get("code")) if data.get("area") else None,
    )
    return StoredSignal(data["id"], data.get("document"), record, WHEN)


def place(data: dict[str, Any]) -> Place:
    return Place(data["country"], data.get("area", ""), data.get("area_code"))


def facts(case: dict[str, Any]) -> Facts:
    statuses = tuple(PlaceStatus(place(s), s["state"], WHEN) for s in case.get("statuses", []))
    pending = tuple(
        ProposalView(
            id=p["id"],
            kind=p["kind"],
            place=place(p),
            state="pending",
            rule="r",
            summary="s",
            priority=1,
            created=WHEN,
            findings=tuple(finding(f) for f in p.get("findings", [])),
            signals=(),
        )
        for p in case.get("pending", [])
    )
    return Facts(
        findings=tuple(finding(f) for f in case.get("findings", [])),
        signals=tuple(signal(s) for s in case.get("signals", [])),
        statuses=statuses,
        pending=pending,
        policy=policy_of(Settings(**case.get("settings", {}))),
    )


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_rules_case(path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    given = facts(case)
    drafts = run_rules(given)
    got = [
        {
            "kind": d.kind,
            "place": d.place.key,
            "findings": list(d.finding_ids),
            "signals": list(d.signal_ids),
            "priority": d.priority,
        }
        for d in drafts
    ]
    want = [{"signals": [], **e} for e in case["expect"]]
    key = lambda d: (d["kind"], d["place"])  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key), case["description"]
    if "superseded" in case:
        replaced = sorted({s.proposal_id for s in supersessions(given, drafts)})
        assert replaced == case["superseded"], case["description"]


def test_rules_cases_exist() -> None:
    assert len(CASES) >= 10
