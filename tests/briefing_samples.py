"""Hand-built records for briefing tests: a suspended Tigray in an otherwise watched Ethiopia."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from alerts.sheet import Briefing, build_briefing
from store.records import (
    Area,
    DecisionView,
    FindingRecord,
    Place,
    PlaceState,
    PlaceStatus,
    ProposalView,
    SignalRecord,
    StoredFinding,
    StoredSignal,
)

NOW = datetime(2026, 11, 10, 10, 30, tzinfo=UTC)
SUSPENDED_AT = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)
ETHIOPIA = Place("ETH")
TIGRAY = Place("ETH", "Tigray", "ET-TI")


def status(place: Place, state: PlaceState, **extra: object) -> PlaceStatus:
    fields: dict[str, object] = {"since": SUSPENDED_AT}
    if state in ("suspended", "resumption_proposed"):
        fields.update(decided_by="Amina Diallo", reason="UNHCR advisory against returns to Tigray")
    fields.update(extra)
    return PlaceStatus(place=place, state=state, **fields)  # type: ignore[arg-type]


def finding(
    id_: int,
    evidence: str,
    *,
    issuer: str = "UNHCR",
    un: bool = True,
    area: str | None = "Tigray",
    stance: str = "against_return",
    title: str = "UNHCR position on returns to Ethiopia",
    published: datetime = datetime(2025, 11, 20, tzinfo=UTC),
    document_id: int | None = None,
) -> StoredFinding:
    record = FindingRecord(
        stance=stance,  # type: ignore[arg-type]
        scope="forced",
        issuer=issuer,
        issuer_is_un=un,
        country="ETH",
        area=Area(area, "ET-TI" if area == "Tigray" else None) if area else None,
        groups=("rejected_asylum_seekers",),
        condition="until the security situation improves",
        evidence=evidence,
        evidence_start=0,
        evidence_end=len(evidence),
        confidence=0.9,
    )
    doc = document_id if document_id is not None else id_
    return StoredFinding(
        id_,
        doc,
        record,
        title,
        f"https://example.org/doc/{doc}",
        published,
        "sample-unhcr-briefings",
    )


def signal(
    id_: int, title: str, category: str = "conflict", level: str | None = None
) -> StoredSignal:
    record = SignalRecord(
        category=category,  # type: ignore[arg-type]
        country="ETH",
        title=title,
        level=level,
        date=datetime(2026, 11, 1, tzinfo=UTC),
        url=f"https://example.org/signal/{id_}",
    )
    return StoredSignal(id_, None, record, NOW)


def decision(place: Place = TIGRAY) -> tuple[DecisionView, ProposalView]:
    proposal = ProposalView(
        id=1,
        kind="suspend",
        place=place,
        state="approved",
        rule="un_advisory",
        summary="UNHCR advisory",
        priority=1,
        created=SUSPENDED_AT,
        findings=(),
        signals=(),
    )
    view = DecisionView(
        id=1,
        proposal_id=1,
        approve=True,
        by="Amina Diallo",
        reason="UNHCR advisory against returns to Tigray",
        at=SUSPENDED_AT,
    )
    return view, proposal


def sample_briefing(
    place: Place = ETHIOPIA,
    own: PlaceStatus | None = None,
    areas: Sequence[PlaceStatus] = (),
    findings: Sequence[StoredFinding] | None = None,
    signals: Sequence[StoredSignal] | None = None,
) -> Briefing:
    if findings is None:
        findings = [
            finding(1, "UNHCR calls on States to suspend forcible returns to Tigray."),
            finding(
                2,
                "Human Rights Watch urges a halt to deportations to Ethiopia.",
                issuer="Human Rights Watch",
                un=False,
                area=None,
                title="HRW statement",
            ),
        ]
    if signals is None:
        signals = [
            signal(1, "Clashes reported near Mekelle"),
            signal(2, "Cholera outbreak in Amhara", "epidemic"),
        ]
    return build_briefing(
        place=place,
        status=own or status(place, "normal"),
        area_statuses=areas,
        findings=findings,
        signals=signals,
        decisions=[decision()],
        last_checked=datetime(2026, 11, 10, 8, 0, tzinfo=UTC),
        programme="Return programme",
        now=NOW,
    )
