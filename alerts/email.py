"""Render alert and decision emails (plain text + HTML) from plain records; no I/O but templates.

Building a message is kept apart from sending it (alerts.mailer): these functions return
store.records.OutgoingMessage values that the outbox stores and the sender delivers later.
Text from sources (titles, area names, quotes) is untrusted: HTML parts are autoescaped,
links are shown only for http(s) URLs, and subjects lose control characters so no source can
add a mail header.
"""

from __future__ import annotations

import functools
import gettext
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import jinja2
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from alerts.i18n import N_, TRANSLATIONS_DIR, load_language
from alerts.templating import make_environment
from store.records import (
    DecisionView,
    OutgoingMessage,
    PlaceStatus,
    ProposalKind,
    ProposalView,
    StoredFinding,
    StoredSignal,
    SubscriberView,
)

EMAIL_DOMAIN = "email"
SUBJECT_PREFIX = "[returnwatch]"
SUBJECT_MAX_CHARS = 160
ACTIONS: dict[ProposalKind, str] = {
    "suspend": N_("suspend return assistance"),
    "resume": N_("resume return assistance"),
    "watch": N_("place on watch"),
}
STATE_LABELS = {
    "normal": N_("normal: assistance is available"),
    "watch": N_("under watch: assistance is available"),
    "suspension_proposed": N_("suspension proposed, awaiting a decision"),
    "suspended": N_("suspended: no return assistance"),
    "resumption_proposed": N_("resumption proposed, awaiting a decision (still suspended)"),
}
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class EvidenceLine:
    """One quoted recommendation as the templates show it."""

    quote: str
    issuer: str
    issuer_is_un: bool
    published: datetime | None
    title: str
    url: str
    link: str | None
    area: str
    groups: tuple[str, ...]
    condition: str | None


@dataclass(frozen=True)
class SignalLine:
    title: str
    category: str
    level: str | None
    date: datetime | None
    link: str | None


def render_proposal_alert(
    proposal: ProposalView,
    status: PlaceStatus,
    recipient: SubscriberView,
    programme: str,
    base_url: str,
    *,
    env: jinja2.Environment | None = None,
) -> OutgoingMessage:
    """The email asking a manager to decide a proposal; dedup key `alert:{id}:{email}`."""
    lang = recipient.language
    action = _(lang, ACTIONS[proposal.kind])
    context = {
        **_common(proposal, status, recipient, programme),
        "web_url": proposal_url(base_url, proposal.id),
        "evidence": [evidence_line(f) for f in proposal.findings],
        "signals": [signal_line(s) for s in proposal.signals],
    }
    return _render(
        env or _environment(recipient.language),
        "alert",
        dedup_key=alert_key(proposal.id, recipient.email),
        recipient=recipient.email,
        subject=make_subject(
            _(lang, "Proposed: %(action)s") % {"action": action}, _place(lang, proposal)
        ),
        context=context,
    )


def render_decision_confirmation(
    decision: DecisionView,
    proposal: ProposalView,
    status: PlaceStatus,
    recipient: SubscriberView,
    programme: str,
    *,
    env: jinja2.Environment | None = None,
) -> OutgoingMessage:
    """The email telling managers and counsellors what was decided; key `decision:{id}:{email}`."""
    lang = recipient.language
    verdict = _(lang, "Approved") if decision.approve else _(lang, "Rejected")
    context = {
        **_common(proposal, status, recipient, programme),
        "decision": decision,
        "verdict": verdict,
    }
    return _render(
        env or _environment(recipient.language),
        "decision",
        dedup_key=decision_key(decision.id, recipient.email),
        recipient=recipient.email,
        subject=make_subject(
            f"{verdict}: {_(lang, ACTIONS[proposal.kind])}", _place(lang, proposal)
        ),
        context=context,
    )


def alert_key(proposal_id: int, email: str) -> str:
    """The outbox dedup key of a proposal alert: one per proposal and recipient."""
    return f"alert:{proposal_id}:{email}"


def decision_key(decision_id: int, email: str) -> str:
    """The outbox dedup key of a decision confirmation: one per decision and recipient."""
    return f"decision:{decision_id}:{email}"


def make_subject(what: str, where: str) -> str:
    """'[returnwatch] Proposed: suspend return assistance — Sudan', safe as a header value."""
    return clean_header(f"{SUBJECT_PREFIX} {what} — {where}")


def clean_header(value: str, limit: int = SUBJECT_MAX_CHARS) -> str:
    """One line without control characters, at most `limit` characters (ellipsis if cut)."""
    visible = "".join(" " if _is_control(ch) else ch for ch in value)
    line = _WHITESPACE.sub(" ", visible).strip()
    if len(line) <= limit:
        return line
    return line[: limit - 1].rstrip() + "…"


def _is_control(ch: str) -> bool:
    # Cc covers CR, LF, NUL, NEL; Zl/Zp are the Unicode line and paragraph separators.
    return unicodedata.category(ch) in {"Cc", "Zl", "Zp"}


def safe_link(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) link, else None (no javascript: or data: links)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url.strip()


def proposal_url(base_url: str, proposal_id: int) -> str | None:
    """The web page where a manager decides, when the web UI has a public address."""
    link = safe_link(base_url)
    return f"{link.rstrip('/')}/proposals/{proposal_id}" if link else None


def evidence_line(finding: StoredFinding) -> EvidenceLine:
    record = finding.record
    area = ""
    if record.area is not None:
        area = record.area.name + (f" ({record.area.code})" if record.area.code else "")
    return EvidenceLine(
        quote=record.evidence,
        issuer=record.issuer,
        issuer_is_un=record.issuer_is_un,
        published=finding.published,
        title=finding.title,
        url=finding.url,
        link=safe_link(finding.url),
        area=area,
        groups=tuple(g.replace("_", " ") for g in record.groups),
        condition=record.condition,
    )


def signal_line(signal: StoredSignal) -> SignalLine:
    record = signal.record
    return SignalLine(
        title=record.title,
        category=record.category.replace("_", " "),
        level=record.level,
        date=record.date,
        link=safe_link(record.url),
    )


def status_label(status: PlaceStatus, language: str = "en") -> str:
    """The state in words a manager or counsellor reads, in their language."""
    label = STATE_LABELS.get(status.state)
    return status.state if label is None else _(language, label)


def _place(language: str, proposal: ProposalView) -> str:
    return load_language(language).place(proposal.place)


def _common(
    proposal: ProposalView, status: PlaceStatus, recipient: SubscriberView, programme: str
) -> dict[str, Any]:
    return {
        "programme": programme,
        "recipient": recipient,
        "proposal": proposal,
        "action": _(recipient.language, ACTIONS[proposal.kind]),
        "status": status,
        "status_label": status_label(status, recipient.language),
        "status_inherited": status.place != proposal.place,
    }


def _render(
    env: jinja2.Environment,
    name: str,
    *,
    dedup_key: str,
    recipient: str,
    subject: str,
    context: dict[str, Any],
) -> OutgoingMessage:
    context = {**context, "subject": subject}
    return OutgoingMessage(
        dedup_key=dedup_key,
        recipient=recipient,
        subject=subject,
        body_text=env.get_template(f"email/{name}.txt.j2").render(context),
        body_html=env.get_template(f"email/{name}.html.j2").render(context),
    )


@functools.lru_cache(maxsize=8)
def environment(language: str) -> jinja2.Environment:
    """The email environment of a language, built once (Jinja caches compiled templates).

    It is the product's environment with the email catalogue (translations/<lang>/
    LC_MESSAGES/email.po) in front of the shared one.
    """
    env = make_environment(language)
    env.install_gettext_translations(translator(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["status_label"] = lambda status: status_label(status, language)
    return env


_environment = environment


@functools.lru_cache(maxsize=8)
def translator(language: str) -> gettext.NullTranslations:
    """The email catalogue of a language, falling back to the shared one, then to English."""
    lang = load_language(language)
    shared = lang.translations
    for name in dict.fromkeys((lang.code, lang.locale.language)):
        path = TRANSLATIONS_DIR / name / "LC_MESSAGES" / f"{EMAIL_DOMAIN}.po"
        if path.is_file():
            catalog = read_po(io.BytesIO(path.read_bytes()), locale=name, domain=EMAIL_DOMAIN)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            buffer.seek(0)
            email_catalogue = gettext.GNUTranslations(buffer)
            email_catalogue.add_fallback(shared)
            return email_catalogue
    return shared


def _(language: str, message: str) -> str:
    return translator(language).gettext(message)
