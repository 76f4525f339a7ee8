"""The status banner at the top of a sheet: the status in words and colour, and its meaning.

Pure wording rules, translated through the sheet's language (alerts.i18n).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from alerts.i18n import N_, Language, load_language
from store.records import Place, PlaceStatus

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COLOURS = {
    "suspended": "red",
    "suspension_proposed": "amber",
    "resumption_proposed": "amber",
    "watch": "blue",
    "normal": "green",
}
LABELS = {
    "suspended": N_("Suspended"),
    "suspension_proposed": N_("Suspension proposed"),
    "resumption_proposed": N_("Resumption proposed"),
    "watch": N_("Under watch"),
    "normal": N_("No suspension"),
}
MEANINGS = {
    "suspended": N_(
        "Assisted return to %(place)s is not available while the suspension is "
        "in force. Do not book travel. Explain the reason and the sources below; "
        "the migrant may ask to be told when assistance resumes."
    ),
    "suspension_proposed": N_(
        "Assistance is not suspended yet, but a manager is deciding "
        "whether to suspend it. Do not confirm a departure until the "
        "decision is made; share the recommendations below."
    ),
    "resumption_proposed": N_(
        "Assistance remains suspended until a manager decides on the "
        "proposed resumption. Do not book travel yet."
    ),
    "watch": N_(
        "Assistance continues, but the situation is being monitored. Go through the "
        "signals below with the migrant and check this sheet again before departure."
    ),
    "normal": N_(
        "Assistance continues as usual. Share the information below so that the "
        "migrant's decision is informed."
    ),
}
ACTIVE_AREA_STATES = ("suspended", "suspension_proposed", "resumption_proposed")


@dataclass(frozen=True)
class StatusLine:
    """A place's status in words and colour, with who decided it and why."""

    place: Place
    state: str
    label: str
    colour: str
    headline: str
    since: datetime | None
    decided_by: str | None
    reason: str | None


def status_headline(
    status: PlaceStatus, areas_active: bool = False, lang: Language | None = None
) -> str:
    """The one sentence at the top of the sheet: is assistance suspended, since when, by whom."""
    lang = lang or load_language("en")
    _ = lang.gettext
    where = lang.place(status.place)
    since = lang.day(status.since) if status.since > EPOCH else None
    if status.state == "suspended":
        text = _("Return assistance suspended for %(place)s") % {"place": where}
        text += (_(" since %(date)s") % {"date": since}) if since else ""
        by = status.decided_by
        return text + ((_(", decided by %(name)s") % {"name": by}) if by else "")
    if status.state == "suspension_proposed":
        return _("Suspension proposed for %(place)s — awaiting a manager's decision") % {
            "place": where
        }
    if status.state == "resumption_proposed":
        return _(
            "Return assistance still suspended for %(place)s — resumption proposed, "
            "awaiting a manager's decision"
        ) % {"place": where}
    if status.state == "watch":
        if areas_active:
            return _(
                "No country-wide suspension in force for %(place)s — situation under watch"
            ) % {"place": where}
        return _("No suspension in force for %(place)s — situation under watch") % {"place": where}
    if areas_active:
        return _("No country-wide suspension in force for %(place)s") % {"place": where}
    return _("No suspension in force for %(place)s") % {"place": where}


def counselling_meaning(
    status: StatusLine, areas: Sequence[StatusLine] = (), lang: Language | None = None
) -> str:
    """What the status means for the counselling session, in plain words."""
    lang = lang or load_language("en")
    text = lang.gettext(MEANINGS[status.state]) % {"place": lang.place(status.place)}
    active = [lang.place(a.place) for a in areas if a.state in ACTIVE_AREA_STATES]
    if active:
        text += " " + lang.ngettext(
            "Check where the migrant would return to: %(places)s has its own status (see below).",
            "Check where the migrant would return to: %(places)s have their own status "
            "(see below).",
            len(active),
        ) % {"places": ", ".join(active)}
    return text


def status_line(
    status: PlaceStatus, areas_active: bool = False, lang: Language | None = None
) -> StatusLine:
    lang = lang or load_language("en")
    return StatusLine(
        place=status.place,
        state=status.state,
        label=lang.gettext(LABELS[status.state]),
        colour=COLOURS[status.state],
        headline=status_headline(status, areas_active, lang),
        since=status.since if status.since > EPOCH else None,
        decided_by=status.decided_by,
        reason=status.reason,
    )


def has_active(areas: Iterable[StatusLine]) -> bool:
    return any(a.state in ACTIVE_AREA_STATES for a in areas)
