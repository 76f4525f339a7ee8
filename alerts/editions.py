"""Editions of a sheet: what a printed edition showed, and what changed since the last one.

The previous edition's content is stored as a small summary (store.editions) rather than
rebuilt from the store's history: findings are replaced when a document is re-tagged and
signals age out of the window, so only a snapshot says what the counsellor last printed.
Pure functions; alerts.briefing reads and writes the snapshots.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from alerts.banner import LABELS
from alerts.i18n import Language
from alerts.sheet import Briefing
from alerts.situation import ADVICE_ISSUERS, advice_issuer


def edition_summary(b: Briefing) -> dict[str, Any]:
    """The language-independent facts a counsellor would notice changing on the sheet."""
    return {
        "state": b.status.state,
        "areas": {line.place.area: line.state for line in b.area_statuses if line.place.area},
        "recommendations": sorted(
            {
                f"{r.issuer}|{r.date.date().isoformat() if r.date else ''}|{r.url}"
                for r in b.recommendations
            }
        ),
        "advice": {
            f"{advice_issuer(a.level, None)}|{a.area or ''}": a.level for a in b.travel_advice
        },
        "sources": sorted(s.url for s in b.sources),
    }


def summary_digest(summary: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode()).hexdigest()


def describe_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], lang: Language
) -> tuple[str, ...]:
    """Plain sentences, most important first: status, areas, UN calls, travel advice, sources."""
    _ = lang.gettext
    lines: list[str] = []
    if before.get("state") != after.get("state"):
        lines.append(
            _("Status changed from %(old)s to %(new)s.")
            % {"old": _state(before.get("state"), lang), "new": _state(after.get("state"), lang)}
        )
    old_areas, new_areas = before.get("areas", {}), after.get("areas", {})
    for area in sorted(set(old_areas) | set(new_areas)):
        if old_areas.get(area, "normal") != new_areas.get(area, "normal"):
            lines.append(
                _("%(area)s: status changed from %(old)s to %(new)s.")
                % {
                    "area": area,
                    "old": _state(old_areas.get(area, "normal"), lang),
                    "new": _state(new_areas.get(area, "normal"), lang),
                }
            )
    old_recs, new_recs = (
        set(before.get("recommendations", [])),
        set(after.get("recommendations", [])),
    )
    for key in sorted(new_recs - old_recs):
        lines.append(_("New UN recommendation: %(call)s.") % {"call": _call(key, lang)})
    for key in sorted(old_recs - new_recs):
        lines.append(_("No longer in force: %(call)s.") % {"call": _call(key, lang)})
    old_advice, new_advice = before.get("advice", {}), after.get("advice", {})
    for key in sorted(k for k in new_advice if old_advice.get(k) != new_advice[k]):
        code, _sep, area = key.partition("|")
        issuer = lang.gettext(ADVICE_ISSUERS[code]) if code in ADVICE_ISSUERS else code
        lines.append(
            _("Travel advice of %(issuer)s changed to %(level)s.")
            % {
                "issuer": f"{issuer} ({area})" if area else issuer,
                "level": new_advice[key].replace("_", " "),
            }
        )
    added = len(set(after.get("sources", [])) - set(before.get("sources", [])))
    if added:
        lines.append(lang.ngettext("%(n)s new source.", "%(n)s new sources.", added) % {"n": added})
    return tuple(lines)


def _state(state: object, lang: Language) -> str:
    key = str(state or "normal")
    return lang.gettext(LABELS[key]) if key in LABELS else key


def _call(key: str, lang: Language) -> str:
    issuer, day, _url = [*key.split("|", 2), "", ""][:3]
    return f"{issuer}, {lang.day(date.fromisoformat(day))}" if day else issuer
