"""Hand-built records and a scratch database for the mail tests."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage

from store.records import (
    Area,
    DecisionView,
    FindingRecord,
    OutgoingMessage,
    Place,
    PlaceState,
    PlaceStatus,
    ProposalKind,
    ProposalView,
    SignalRecord,
    StoredFinding,
    StoredSignal,
    SubscriberView,
)

NOW = datetime(2026, 11, 10, 10, 30, tzinfo=UTC)
PUBLISHED = datetime(2026, 11, 10, 8, 0, tzinfo=UTC)
SUDAN = Place("SDN")
TIGRAY = Place("ETH", "Tigray", "ET-TI")
SUDAN_QUOTE = (
    "UNHCR calls on all States to suspend forcible returns of Sudanese nationals, "
    "including those whose asylum claims have been rejected."
)
SUDAN_URL = "https://www.unhcr.org/news/briefing-notes/2026-11-10-sudan?lang=en&x=1"


def finding(
    evidence: str = SUDAN_QUOTE,
    *,
    id_: int = 11,
    country: str = "SDN",
    area: Area | None = None,
    title: str = "UNHCR urges halt to returns to Sudan",
    url: str = SUDAN_URL,
    issuer: str = "UNHCR",
    groups: tuple[str, ...] = ("rejected_asylum_seekers",),
    condition: str | None = "until the security situation has improved",
) -> StoredFinding:
    record = FindingRecord(
        stance="against_return",
        scope="forced",
        issuer=issuer,
        issuer_is_un=True,
        country=country,
        area=area,
        groups=groups,
        condition=condition,
        evidence=evidence,
        evidence_start=0,
        evidence_end=len(evidence),
        confidence=0.93,
    )
    return StoredFinding(
        id=id_,
        document_id=5,
        record=record,
        title=title,
        url=url,
        published=PUBLISHED,
        source_id="unhcr-briefings",
    )


def signal(title: str = "Fighting spreads in Darfur", url: str | None = None) -> StoredSignal:
    record = SignalRecord(
        category="conflict", country="SDN", title=title, level="high", date=PUBLISHED, url=url
    )
    return StoredSignal(id=3, document_id=None, record=record, created=PUBLISHED)


def proposal(
    place: Place = SUDAN,
    kind: ProposalKind = "suspend",
    *,
    id_: int = 7,
    findings: tuple[StoredFinding, ...] | None = None,
    signals: tuple[StoredSignal, ...] = (),
    summary: str = "UNHCR recommends against forced return to Sudan.",
) -> ProposalView:
    return ProposalView(
        id=id_,
        kind=kind,
        place=place,
        state="pending",
        rule="un_recommends_against_return",
        summary=summary,
        priority=2,
        created=NOW,
        findings=(finding(),) if findings is None else findings,
        signals=signals,
    )


def status(place: Place = SUDAN, state: PlaceState = "suspension_proposed") -> PlaceStatus:
    return PlaceStatus(place=place, state=state, since=NOW)


def manager(email_: str = "ana@example.org", countries: tuple[str, ...] = ()) -> SubscriberView:
    return SubscriberView(
        id=1,
        name="Ana Manager",
        email=email_,
        role="manager",
        countries=countries,
        mode="immediate",
    )


def decision(approve: bool = True) -> DecisionView:
    return DecisionView(
        id=4,
        proposal_id=7,
        approve=approve,
        by="Ana Manager",
        reason="UNHCR advisory; no safe route",
        at=NOW,
    )


def outgoing(key: str = "alert:1:ana@example.org", subject: str = "Hello") -> OutgoingMessage:
    return OutgoingMessage(
        dedup_key=key,
        recipient="ana@example.org",
        subject=subject,
        body_text="Plain body — ünïcode\n",
        body_html="<p>HTML body</p>\n",
    )


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def body_parts(msg: EmailMessage) -> dict[str, str]:
    """Decoded text parts by content type."""
    return {
        part.get_content_type(): str(part.get_content())
        for part in msg.walk()
        if part.get_content_maintype() == "text"
    }
