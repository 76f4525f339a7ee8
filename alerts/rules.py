"""The policy as pure rules: facts in, proposal drafts out.

Each rule's docstring (first paragraph) states the policy; `rule_catalogue()` prints them for
`returnwatch rules`. Nothing here touches the store: `alerts.assess` gathers the facts
and carries the drafts out.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from urllib.parse import urlsplit

from alerts.places import describe_place, own_state, resolve_place, same_place
from alerts.places import suspended_in_effect as _suspended
from store.records import (
    Place,
    PlaceStatus,
    ProposalDraft,
    ProposalKind,
    ProposalView,
    StoredFinding,
    StoredSignal,
)

logger = logging.getLogger(__name__)

EVIDENCE_PREVIEW = 240
_NEVER = datetime(1, 1, 1, tzinfo=UTC)
OUTBREAK_REPORT_HOSTS = ("who.int",)


def level_key(level: str | None) -> str:
    """A level compared loosely: "Level 4", "level_4" and "level4" are one level."""
    return "".join(ch for ch in (level or "").casefold() if ch.isalnum())


def level_set(text: str) -> frozenset[str]:
    """Levels from a comma-separated setting such as "orange,red"."""
    return frozenset(key for key in (level_key(item) for item in text.split(",")) if key)


@dataclass(frozen=True)
class Policy:
    """The thresholds a programme sets (settings.watch_*); the defaults follow the issue."""

    disaster_levels: frozenset[str] = frozenset({"orange", "red"})
    travel_levels: frozenset[str] = frozenset(
        {"againstall", "againstalltravel", "level4", "donottravel"}
    )
    outbreaks: bool = True


@dataclass(frozen=True)
class Facts:
    """What the rules look at: new evidence, the state it lands on, and the programme's policy."""

    findings: tuple[StoredFinding, ...] = ()
    signals: tuple[StoredSignal, ...] = ()
    statuses: tuple[PlaceStatus, ...] = ()
    pending: tuple[ProposalView, ...] = ()
    policy: Policy = Policy()

    def known_places(self) -> list[Place]:
        return [s.place for s in self.statuses] + [p.place for p in self.pending]

    def place_of(self, finding: StoredFinding) -> Place:
        record = finding.record
        return resolve_place(record.country, record.area, self.known_places())

    def pending_for(self, place: Place, kind: ProposalKind) -> ProposalView | None:
        """The newest pending proposal of this kind for exactly this place."""
        matches = [p for p in self.pending if p.kind == kind and same_place(p.place, place)]
        return max(matches, key=lambda p: p.id) if matches else None


@dataclass(frozen=True)
class Supersession:
    """An older pending proposal that a newer statement replaces."""

    proposal_id: int
    kind: ProposalKind
    place: Place
    replaced_by: ProposalDraft | None
    reason: str


Rule = Callable[[Facts], list[ProposalDraft]]


def propose_suspensions(facts: Facts) -> list[ProposalDraft]:
    """A UN entity's recommendation against return to a country or area proposes suspending
    assistance there, unless it is suspended already.
    """
    groups = _by_place(facts, _un_calls(facts.findings))
    countries = {place.country for place in groups if not place.area}
    evidence: dict[Place, list[StoredFinding]] = {}
    for place, found in groups.items():
        if _suspended(facts.statuses, place):
            continue
        # A call for the whole country in the same batch covers its areas' calls.
        target = Place(place.country) if place.country in countries else place
        support = [f for f in _non_un_calls(facts.findings) if same_place(facts.place_of(f), place)]
        evidence.setdefault(target, []).extend(found + support)
    return [
        _draft("suspend", place, "propose_suspensions", found) for place, found in evidence.items()
    ]


def propose_resumptions(facts: Facts) -> list[ProposalDraft]:
    """A UN entity's lifting proposes resuming assistance to a suspended place; a country's
    lifting also covers its suspended areas.
    """
    evidence: dict[Place, list[StoredFinding]] = {}
    for place, found in _by_place(facts, _un_liftings(facts.findings)).items():
        for target in _resumption_targets(facts, place):
            evidence.setdefault(target, []).extend(found)
    return [
        _draft("resume", place, "propose_resumptions", found) for place, found in evidence.items()
    ]


def watch_unmatched_liftings(facts: Facts) -> list[ProposalDraft]:
    """A UN entity's lifting for a place that is not suspended is a watch item."""
    return [
        _draft("watch", place, "watch_unmatched_liftings", found)
        for place, found in _by_place(facts, _un_liftings(facts.findings)).items()
        if not _resumption_targets(facts, place)
    ]


def watch_non_un_calls(facts: Facts) -> list[ProposalDraft]:
    """A non-UN call (NGO, government) against return is a watch item, unless a UN call about the
    place comes with it or the place is suspended.
    """
    un_places = list(_by_place(facts, _un_calls(facts.findings)))
    drafts = []
    for place, found in _by_place(facts, _non_un_calls(facts.findings)).items():
        if _suspended(facts.statuses, place) or any(same_place(place, p) for p in un_places):
            continue
        drafts.append(_draft("watch", place, "watch_non_un_calls", found))
    return drafts


def watch_non_un_liftings(facts: Facts) -> list[ProposalDraft]:
    """A non-UN lifting (a government ending a moratorium, say) is a watch item."""
    non_un = [f for f in facts.findings if f.record.stance == "lifts" and not f.record.issuer_is_un]
    return [
        _draft("watch", place, "watch_non_un_liftings", found)
        for place, found in _by_place(facts, non_un).items()
    ]


def watch_disaster_alerts(facts: Facts) -> list[ProposalDraft]:
    """A GDACS orange or red disaster alert (settings.watch_disaster_levels) is a watch item for
    the digest, for a place that is not suspended.
    """
    policy = facts.policy
    alerts = [
        s
        for s in facts.signals
        if s.record.category == "disaster" and level_key(s.record.level) in policy.disaster_levels
    ]
    return _watch_signals(facts, alerts, "watch_disaster_alerts")


def watch_travel_advice(facts: Facts) -> list[ProposalDraft]:
    """Travel advice raised to "against all travel" to a whole country
    (settings.watch_travel_levels) is a watch item for the digest.
    """
    policy = facts.policy
    advice = [
        s
        for s in facts.signals
        if s.record.category == "travel_advice"
        and s.record.area is None
        and level_key(s.record.level) in policy.travel_levels
    ]
    return _watch_signals(facts, advice, "watch_travel_advice")


def watch_outbreak_reports(facts: Facts) -> list[ProposalDraft]:
    """A WHO outbreak report (Disease Outbreak News) is a watch item for the digest
    (settings.watch_outbreaks).
    """
    if not facts.policy.outbreaks:
        return []
    reports = [s for s in facts.signals if _is_outbreak_report(s)]
    return _watch_signals(facts, reports, "watch_outbreak_reports")


RULES: tuple[Rule, ...] = (
    propose_suspensions,
    propose_resumptions,
    watch_unmatched_liftings,
    watch_non_un_calls,
    watch_non_un_liftings,
    watch_disaster_alerts,
    watch_travel_advice,
    watch_outbreak_reports,
)


def supersede_pending(facts: Facts, drafts: Sequence[ProposalDraft]) -> list[ProposalDraft]:
    """A newer statement supersedes the older pending proposal of the same kind for the place,
    carrying its evidence on; nothing is proposed when the older one already holds the same
    evidence.
    """
    merged = []
    for draft in drafts:
        older = facts.pending_for(draft.place, draft.kind)
        if older is None:
            merged.append(draft)
            continue
        new_findings = _findings_of(facts, draft)
        new_signals = [s for s in facts.signals if s.id in draft.signal_ids]
        if _covered(new_findings, new_signals, older):
            logger.debug("no new evidence for pending proposal %s", older.id)
            continue
        merged.append(
            _draft(
                draft.kind,
                older.place,
                draft.rule,
                list(older.findings) + new_findings,
                list(older.signals) + new_signals,
            )
        )
    return merged


def run_rules(facts: Facts) -> list[ProposalDraft]:
    """All drafts for the facts: one per kind and place, merged with pending proposals."""
    drafts = [draft for rule in RULES for draft in rule(facts)]
    return supersede_pending(facts, _combine(facts, drafts))


def supersessions(facts: Facts, drafts: Iterable[ProposalDraft]) -> list[Supersession]:
    """The pending proposals that the drafts, or new UN calls against return, replace."""
    result = []
    for draft in drafts:
        older = facts.pending_for(draft.place, draft.kind)
        if older is not None:
            result.append(
                Supersession(
                    older.id,
                    older.kind,
                    older.place,
                    draft,
                    f"superseded by a newer {draft.kind} proposal",
                )
            )
    for place in _by_place(facts, _un_calls(facts.findings)):
        resume = facts.pending_for(place, "resume")
        if resume is not None:
            result.append(
                Supersession(
                    resume.id,
                    "resume",
                    resume.place,
                    None,
                    "a newer UN statement recommends against return",
                )
            )
    return result


def rule_catalogue() -> list[tuple[str, str]]:
    """(name, policy) for every rule, in the order they run."""
    rules: list[Callable[..., object]] = [*RULES, supersede_pending, source_priority]
    return [(rule.__name__, _policy(rule)) for rule in rules]


def _policy(rule: Callable[..., object]) -> str:
    """A rule's policy: the first paragraph of its docstring, on one line."""
    return " ".join((rule.__doc__ or "").strip().split("\n\n")[0].split())


def _un_calls(findings: Iterable[StoredFinding]) -> list[StoredFinding]:
    return [f for f in findings if f.record.stance == "against_return" and f.record.issuer_is_un]


def _non_un_calls(findings: Iterable[StoredFinding]) -> list[StoredFinding]:
    return [
        f for f in findings if f.record.stance == "against_return" and not f.record.issuer_is_un
    ]


def _un_liftings(findings: Iterable[StoredFinding]) -> list[StoredFinding]:
    return [f for f in findings if f.record.stance == "lifts" and f.record.issuer_is_un]


def _by_place(facts: Facts, findings: Iterable[StoredFinding]) -> dict[Place, list[StoredFinding]]:
    """Findings grouped per place, so one document's sentences about a place count once."""
    grouped: dict[Place, list[StoredFinding]] = {}
    for finding in findings:
        place = facts.place_of(finding)
        key = next((p for p in grouped if same_place(p, place)), place)
        grouped.setdefault(key, []).append(finding)
    return grouped


def _resumption_targets(facts: Facts, place: Place) -> list[Place]:
    """Places a lifting for `place` can resume: itself if suspended, and a country's areas."""
    targets = (
        [place] if own_state(facts.statuses, place) in ("suspended", "resumption_proposed") else []
    )
    if not place.area:
        targets += [
            s.place
            for s in facts.statuses
            if s.place.country == place.country
            and s.place.area
            and s.state in ("suspended", "resumption_proposed")
        ]
    return targets


def _watch_signals(facts: Facts, signals: Iterable[StoredSignal], rule: str) -> list[ProposalDraft]:
    """One watch draft per place that is not suspended, holding the signals about it."""
    by_place: dict[Place, list[StoredSignal]] = {}
    for signal in signals:
        place = resolve_place(signal.record.country, signal.record.area, facts.known_places())
        if not _suspended(facts.statuses, place):
            by_place.setdefault(place, []).append(signal)
    return [_draft("watch", place, rule, [], found) for place, found in by_place.items()]


def _is_outbreak_report(signal: StoredSignal) -> bool:
    """An epidemic signal published by WHO itself (its link is on who.int)."""
    if signal.record.category != "epidemic" or not signal.record.url:
        return False
    host = (urlsplit(signal.record.url).hostname or "").casefold()
    return any(host == h or host.endswith("." + h) for h in OUTBREAK_REPORT_HOSTS)


def _combine(facts: Facts, drafts: Sequence[ProposalDraft]) -> list[ProposalDraft]:
    """One draft per kind and place: drafts of several rules pool their evidence."""
    combined = []
    ordered = sorted(drafts, key=lambda d: (d.kind, d.place.key))
    for _, group in groupby(ordered, key=lambda d: (d.kind, d.place.key)):
        same = list(group)
        if len(same) == 1:
            combined.append(same[0])
            continue
        ids = {i for d in same for i in d.finding_ids}
        signal_ids = {i for d in same for i in d.signal_ids}
        rule = "+".join(dict.fromkeys(d.rule for d in same))
        combined.append(
            _draft(
                same[0].kind,
                same[0].place,
                rule,
                [f for f in facts.findings if f.id in ids],
                [s for s in facts.signals if s.id in signal_ids],
            )
        )
    return combined


def _findings_of(facts: Facts, draft: ProposalDraft) -> list[StoredFinding]:
    return [f for f in facts.findings if f.id in draft.finding_ids]


def _evidence_key(finding: StoredFinding) -> tuple[str, str, str]:
    record = finding.record
    return (record.stance, record.issuer.casefold(), " ".join(record.evidence.split()).casefold())


def _covered(
    findings: Sequence[StoredFinding], signals: Sequence[StoredSignal], older: ProposalView
) -> bool:
    """True when the older proposal already holds the same statements and signals."""
    known = {_evidence_key(f) for f in older.findings}
    known_signals = {(s.record.category, s.record.title) for s in older.signals}
    return all(_evidence_key(f) in known for f in findings) and all(
        (s.record.category, s.record.title) in known_signals for s in signals
    )


def _draft(
    kind: ProposalKind,
    place: Place,
    rule: str,
    findings: Sequence[StoredFinding],
    signals: Sequence[StoredSignal] = (),
) -> ProposalDraft:
    findings = list({f.id: f for f in findings}.values())
    signals = list({s.id: s for s in signals}.values())
    return ProposalDraft(
        kind=kind,
        place=place,
        rule=rule,
        summary=_summary(kind, place, findings, signals),
        finding_ids=tuple(sorted(f.id for f in findings)),
        signal_ids=tuple(sorted(s.id for s in signals)),
        priority=source_priority(findings, signals),
    )


def source_priority(findings: Sequence[StoredFinding], signals: Sequence[StoredSignal]) -> int:
    """Several sources about the same place raise its priority: the priority is the number of
    distinct documents or issuers behind a proposal, whichever is larger; a watch item at
    settings.urgent_priority or above is mailed to managers at once.
    """
    documents = {("d", f.document_id) for f in findings}
    documents |= {("d", s.document_id) if s.document_id else ("s", s.id) for s in signals}
    issuers = {f.record.issuer.casefold() for f in findings if f.record.issuer}
    return max(1, len(documents), len(issuers))


def _summary(
    kind: ProposalKind,
    place: Place,
    findings: Sequence[StoredFinding],
    signals: Sequence[StoredSignal],
) -> str:
    where = describe_place(place)
    names = list(dict.fromkeys(f.record.issuer or "an unnamed issuer" for f in findings))
    issuers = " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)
    single = len(names) == 1
    head = {
        "suspend": f"Suspend assistance for return to {where}: {issuers} "
        f"{'recommends' if single else 'recommend'} against return",
        "resume": f"Resume assistance for return to {where}: {issuers} "
        f"{'has' if single else 'have'} lifted a recommendation against return",
        "watch": f"Watch {where}",
    }[kind]
    if kind == "watch" and findings:
        head += f": {'statement' if len(findings) == 1 else 'statements'} by {issuers}"
    if signals:
        head += "; " + "; ".join(dict.fromkeys(s.record.title for s in signals))
    if findings:
        quoted = max(findings, key=_quote_rank)
        evidence = " ".join(quoted.record.evidence.split())
        if len(evidence) > EVIDENCE_PREVIEW:
            evidence = evidence[: EVIDENCE_PREVIEW - 1].rstrip() + "…"
        head += f". “{evidence}”"
    return head + f" ({_sources(findings, signals)})"


def _quote_rank(finding: StoredFinding) -> tuple[bool, bool, datetime, int]:
    """The sentence to quote: a UN one, about the whole place, the newest."""
    record = finding.record
    return (record.issuer_is_un, record.area is None, finding.published or _NEVER, finding.id)


def _sources(findings: Sequence[StoredFinding], signals: Sequence[StoredSignal]) -> str:
    count = source_priority(findings, signals)
    return "1 source" if count == 1 else f"{count} sources"
