"""Plain dataclasses that the stages exchange through the store.

crawlers, nlp and alerts never import each other; they read and write these records
with the repository functions in store.repo.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

Stance = Literal["against_return", "lifts"]
Scope = Literal["forced", "all", "voluntary"]
ProposalKind = Literal["suspend", "resume", "watch"]
ProposalState = Literal["pending", "approved", "rejected", "superseded"]
PlaceState = Literal["normal", "watch", "suspension_proposed", "suspended", "resumption_proposed"]
SignalCategory = Literal["conflict", "disaster", "epidemic", "human_rights", "travel_advice"]

SOURCE_KINDS = (
    "rss", "atom", "html", "pdf", "reliefweb_api", "gdacs", "who_don_api", "fcdo", "us_state",
)  # fmt: skip


@dataclass(frozen=True)
class SourceSpec:
    """One entry of sources.toml: what to fetch and who publishes it."""

    id: str
    kind: str
    url: str
    issuer: str = ""
    issuer_is_un: bool = False
    country: str | None = None
    interval_minutes: int = 60
    enabled: bool = True
    sample: bool = False
    options: dict[str, Any] = field(default_factory=dict)
    interval_seconds: int | None = None  # overrides interval_minutes (tests, benchmarks)

    @property
    def poll_seconds(self) -> int:
        """How often the daemon polls the source."""
        return self.interval_seconds or self.interval_minutes * 60


@dataclass(frozen=True)
class FetchedDocument:
    """A document as a crawler found it, before the store gives it a revision."""

    source_id: str
    url: str
    title: str
    text: str
    published: datetime | None = None
    language: str = "en"
    fetched: datetime | None = None
    # Structured facts the source published with the document (alert or advisory level).
    signals: tuple[SignalRecord, ...] = ()


@dataclass(frozen=True)
class DocumentView:
    """A stored document revision handed to the tagger and to templates."""

    id: int
    source_id: str
    url: str
    title: str
    text: str
    published: datetime | None
    fetched: datetime
    revision: int
    issuer: str
    issuer_is_un: bool
    source_country: str | None


@dataclass(frozen=True)
class Area:
    name: str
    code: str | None = None


@dataclass(frozen=True)
class FindingRecord:
    """One recommendation about one country or area in one document revision."""

    stance: Stance
    scope: Scope
    issuer: str
    issuer_is_un: bool
    country: str
    area: Area | None
    groups: tuple[str, ...]
    condition: str | None
    evidence: str
    evidence_start: int
    evidence_end: int
    confidence: float
    method: str = "rules"


@dataclass(frozen=True)
class SignalRecord:
    """Situation information about a country or area, for briefings and the digest."""

    category: SignalCategory
    country: str
    title: str
    area: Area | None = None
    level: str | None = None
    date: datetime | None = None
    url: str | None = None
    evidence: str | None = None


@dataclass(frozen=True)
class StoredFinding:
    """A finding as read back from the store, with where it came from."""

    id: int
    document_id: int
    record: FindingRecord
    title: str
    url: str
    published: datetime | None
    source_id: str


@dataclass(frozen=True)
class StoredSignal:
    id: int
    document_id: int | None
    record: SignalRecord
    created: datetime


@dataclass(frozen=True)
class Place:
    """A country (area None) or an area of it; the unit that statuses and proposals cover."""

    country: str
    area: str = ""
    area_code: str | None = None

    @property
    def key(self) -> str:
        return f"{self.country}/{self.area}" if self.area else self.country


@dataclass(frozen=True)
class PlaceStatus:
    place: Place
    state: PlaceState
    since: datetime
    decided_by: str | None = None
    reason: str | None = None
    proposal_id: int | None = None


@dataclass(frozen=True)
class ProposalDraft:
    """What a rule proposes; the store turns it into a pending proposal once."""

    kind: ProposalKind
    place: Place
    rule: str
    summary: str
    finding_ids: tuple[int, ...] = ()
    signal_ids: tuple[int, ...] = ()
    priority: int = 1

    @property
    def dedup_key(self) -> str:
        evidence = ",".join(str(i) for i in sorted(self.finding_ids))
        signals = ",".join(str(i) for i in sorted(self.signal_ids))
        return f"{self.kind}:{self.place.key}:f{evidence}:s{signals}"


@dataclass(frozen=True)
class ProposalView:
    id: int
    kind: ProposalKind
    place: Place
    state: ProposalState
    rule: str
    summary: str
    priority: int
    created: datetime
    findings: tuple[StoredFinding, ...]
    signals: tuple[StoredSignal, ...]
    approvals: int = 0


@dataclass(frozen=True)
class DecisionView:
    id: int
    proposal_id: int
    approve: bool
    by: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class SubscriberView:
    id: int
    name: str
    email: str
    role: Literal["manager", "counsellor"]
    countries: tuple[str, ...]
    mode: Literal["immediate", "digest"]
    language: str = "en"
    regions: tuple[str, ...] = ()

    def follows(self, country: str, regions: Mapping[str, Collection[str]] | None = None) -> bool:
        """True when the subscriber follows the country, itself or through a region.

        No countries and no regions means every country; `regions` maps region names to
        their countries (alerts.regions.load_regions).
        """
        if not self.countries and not self.regions:
            return True
        if country in self.countries:
            return True
        known = regions or {}
        return any(country in known.get(name, ()) for name in self.regions)


@dataclass(frozen=True)
class OutgoingMessage:
    """A rendered message waiting in the outbox; dedup_key makes it unique."""

    dedup_key: str
    recipient: str
    subject: str
    body_text: str
    body_html: str


@dataclass(frozen=True)
class OutboxView:
    id: int
    message: OutgoingMessage
    state: str
    attempts: int
    next_attempt: datetime | None
    sent: datetime | None
    last_error: str | None
    message_id: str
