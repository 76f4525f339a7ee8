"""The daily digest: one readable message per subscriber, grouped by country.

`gather_digest` reads one day's period from the store, `digest_for` keeps the countries a
subscriber follows (pure), `render_digest` fills the templates (pure) and `queue_digests`
puts one message per subscriber in the outbox with the key `digest:{day}:{email}`, so a
day's digest goes out once however often `returnwatch notify` runs.

The period of day D ends at settings.digest_time on D in settings.timezone and starts 24 hours
earlier. A digest never lists raw data: each country shows its status, the day's decisions,
what waits for a decision, the watch items and at most a few signals per category.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import jinja2
from sqlalchemy.orm import Session

from alerts.email import (
    SUBJECT_PREFIX,
    EvidenceLine,
    SignalLine,
    clean_header,
    environment,
    evidence_line,
    proposal_url,
    signal_line,
    translator,
)
from alerts.i18n import load_language
from alerts.regions import Regions, load_regions
from config import Settings
from store import audit
from store.findings import countries_with_findings, signals_for_country
from store.outbox import enqueue, queued_keys
from store.proposals import get_proposal, list_decisions, list_proposals
from store.records import (
    DecisionView,
    OutgoingMessage,
    PlaceStatus,
    ProposalView,
    StoredSignal,
    SubscriberView,
)
from store.statuses import list_statuses
from store.subscribers import list_subscribers

logger = logging.getLogger(__name__)

SIGNALS_PER_CATEGORY = 3
ACTOR = "returnwatch"


class DigestError(ValueError):
    """The digest time or time zone in the settings is invalid."""


@dataclass(frozen=True)
class DigestPeriod:
    """The 24 hours a day's digest covers, as UTC instants."""

    day: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ProposalLine:
    """A proposal as the digest shows it: what, where, why, and how long it has waited."""

    proposal: ProposalView
    waiting_days: int
    link: str | None
    evidence: tuple[EvidenceLine, ...]


@dataclass(frozen=True)
class DecisionLine:
    decision: DecisionView
    proposal: ProposalView


@dataclass(frozen=True)
class SignalGroup:
    """Signals of one category: a count and the newest few, never the whole list."""

    category: str
    count: int
    shown: tuple[SignalLine, ...]

    @property
    def hidden(self) -> int:
        return self.count - len(self.shown)


@dataclass(frozen=True)
class CountryDigest:
    country: str
    statuses: tuple[PlaceStatus, ...]  # places of the country that are not normal
    decisions: tuple[DecisionLine, ...]
    pending: tuple[ProposalLine, ...]
    watch: tuple[ProposalLine, ...]
    signals: tuple[SignalGroup, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.decisions or self.pending or self.watch or self.signals)


@dataclass(frozen=True)
class Digest:
    period: DigestPeriod
    countries: tuple[CountryDigest, ...]

    @property
    def is_empty(self) -> bool:
        return all(c.is_empty for c in self.countries)


def digest_period(day: date, settings: Settings) -> DigestPeriod:
    """The period of `day`: 24 hours ending at the digest time in the programme's zone."""
    end = datetime.combine(day, _digest_time(settings), tzinfo=_zone(settings))
    return DigestPeriod(day, end - timedelta(days=1), end)


def due_day(now: datetime, settings: Settings) -> date:
    """The newest day whose digest time has passed at `now` (today or yesterday)."""
    local = now.astimezone(_zone(settings))
    today = local.date()
    return today if local.time() >= _digest_time(settings) else today - timedelta(days=1)


def _zone(settings: Settings) -> ZoneInfo:
    try:
        return ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DigestError(f"unknown time zone {settings.timezone!r}") from exc


def _digest_time(settings: Settings) -> time:
    try:
        return time.fromisoformat(settings.digest_time)
    except ValueError as exc:
        raise DigestError(f"digest_time must be HH:MM, not {settings.digest_time!r}") from exc


def gather_digest(session: Session, period: DigestPeriod, base_url: str = "") -> Digest:
    """Everything of the period, for every country, read from the store."""
    pending = list_proposals(session, states=["pending"])
    decided = [
        (d, p)
        for d in list_decisions(session)
        if period.start <= d.at < period.end and (p := get_proposal(session, d.proposal_id))
    ]
    signals = {
        code: [s for s in signals_for_country(session, code, since=period.start)]
        for code in countries_with_findings(session)
    }
    statuses = list_statuses(session)
    countries = sorted(
        {p.place.country for p in pending}
        | {p.place.country for _, p in decided}
        | {code for code, found in signals.items() if _within(found, period)}
    )
    return Digest(
        period,
        tuple(
            _country(code, period, base_url, pending, decided, signals.get(code, []), statuses)
            for code in countries
        ),
    )


def _within(signals: Iterable[StoredSignal], period: DigestPeriod) -> list[StoredSignal]:
    return [s for s in signals if period.start <= s.created < period.end]


def _country(
    code: str,
    period: DigestPeriod,
    base_url: str,
    pending: Sequence[ProposalView],
    decided: Sequence[tuple[DecisionView, ProposalView]],
    signals: Sequence[StoredSignal],
    statuses: Sequence[PlaceStatus],
) -> CountryDigest:
    mine = [p for p in pending if p.place.country == code]
    watch = [p for p in mine if p.kind == "watch" and period.start <= p.created < period.end]
    in_watch = {s.id for p in watch for s in p.signals}
    fresh = [s for s in _within(signals, period) if s.id not in in_watch]
    return CountryDigest(
        country=code,
        statuses=tuple(s for s in statuses if s.place.country == code and s.state != "normal"),
        decisions=tuple(DecisionLine(d, p) for d, p in decided if p.place.country == code),
        pending=tuple(
            _proposal_line(p, period, base_url) for p in mine if p.kind in ("suspend", "resume")
        ),
        watch=tuple(_proposal_line(p, period, base_url) for p in watch),
        signals=_signal_groups(fresh),
    )


def _proposal_line(proposal: ProposalView, period: DigestPeriod, base_url: str) -> ProposalLine:
    return ProposalLine(
        proposal=proposal,
        waiting_days=max(0, (period.end - proposal.created).days),
        link=proposal_url(base_url, proposal.id),
        evidence=tuple(evidence_line(f) for f in proposal.findings[:2]),
    )


def _signal_groups(signals: Sequence[StoredSignal]) -> tuple[SignalGroup, ...]:
    groups = []
    for category in sorted({s.record.category for s in signals}):
        same = sorted(
            (s for s in signals if s.record.category == category),
            key=lambda s: (s.record.date or s.created, s.id),
            reverse=True,
        )
        shown = tuple(signal_line(s) for s in same[:SIGNALS_PER_CATEGORY])
        groups.append(SignalGroup(category.replace("_", " "), len(same), shown))
    return tuple(groups)


def digest_for(digest: Digest, subscriber: SubscriberView, regions: Regions) -> Digest:
    """The part of the digest about the countries the subscriber follows."""
    countries = tuple(
        c for c in digest.countries if subscriber.follows(c.country, regions) and not c.is_empty
    )
    return replace(digest, countries=countries)


def digest_key(day: date, email: str) -> str:
    """The outbox dedup key of a day's digest for one subscriber."""
    return f"digest:{day.isoformat()}:{email}"


def render_digest(
    digest: Digest,
    recipient: SubscriberView,
    programme: str,
    *,
    env: jinja2.Environment | None = None,
) -> OutgoingMessage:
    """The digest email (text + HTML) for one subscriber."""
    env = env or environment(recipient.language)
    lang = load_language(recipient.language)
    words = translator(recipient.language).ngettext(
        "Daily digest — %(day)s: %(count)d country",
        "Daily digest — %(day)s: %(count)d countries",
        len(digest.countries),
    )
    subject = clean_header(
        f"{SUBJECT_PREFIX} "
        + words % {"day": lang.day(digest.period.day), "count": len(digest.countries)}
    )
    context = {
        "digest": digest,
        "recipient": recipient,
        "programme": programme,
        "subject": subject,
    }
    return OutgoingMessage(
        dedup_key=digest_key(digest.period.day, recipient.email),
        recipient=recipient.email,
        subject=subject,
        body_text=env.get_template("email/digest.txt.j2").render(context),
        body_html=env.get_template("email/digest.html.j2").render(context),
    )


def queue_digests(session: Session, settings: Settings, day: date) -> int:
    """Queue the digest of `day` for every subscriber who has something in it; once each."""
    subscribers = list_subscribers(session)
    done = queued_keys(session, [digest_key(day, s.email) for s in subscribers])
    todo = [s for s in subscribers if digest_key(day, s.email) not in done]
    if not todo:
        return 0
    digest = gather_digest(session, digest_period(day, settings), settings.base_url)
    regions = load_regions(settings.regions_file)
    queued = 0
    for subscriber in todo:
        mine = digest_for(digest, subscriber, regions)
        if mine.is_empty:
            continue
        queued += enqueue(session, render_digest(mine, subscriber, settings.programme_name))
    if queued:
        audit.record(
            session,
            ACTOR,
            "digest.queued",
            f"digest {day.isoformat()}",
            recipients=queued,
            countries=[c.country for c in digest.countries if not c.is_empty],
        )
        logger.info("queued the digest of %s for %d subscriber(s)", day, queued)
    return queued
