"""The read pages (country list, briefing, print view, PDF, proposals, audit) and deciding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, abort, g, redirect, request

from alerts import briefing
from alerts.banner import COLOURS, LABELS
from store import audit as audit_store
from store import proposals as proposals_store
from store import statuses as statuses_store
from store.db import transaction
from store.records import Place, PlaceStatus
from web.app import STATES, WebContext, briefing_for, decide_from_form, render

AUDIT_LIMIT = 200


@dataclass(frozen=True)
class CountryRow:
    """One line of the country list: the country's status and its areas with their own."""

    code: str
    state: str
    label: str
    colour: str
    since: PlaceStatus
    areas: tuple[PlaceStatus, ...]
    pending: int

    @property
    def worst(self) -> str:
        states = [self.state, *(a.state for a in self.areas)]
        return min(states, key=STATES.index)


def install(app: Flask, ctx: WebContext, login_required: Callable[..., Any]) -> None:
    """Register the pages on the app; all need a signed-in user."""

    @app.get("/")
    @login_required
    def countries() -> str:
        wanted, query = request.args.get("state", ""), request.args.get("q", "").strip().lower()
        rows = _country_rows(ctx)
        shown = [
            r
            for r in rows
            if (not wanted or wanted in (r.state, r.worst, *(a.state for a in r.areas)))
            and (not query or query in r.code.lower() or query in _name(r.code).lower())
        ]
        return render(
            ctx,
            "web/countries.html.j2",
            rows=shown,
            total=len(rows),
            state=wanted,
            q=query,
            states=STATES,
            labels=LABELS,
            colours=COLOURS,
        )

    @app.get("/countries/<code>")
    @login_required
    def country(code: str) -> str:
        sheet = briefing_for(ctx, code, request.args.get("area"))
        return render(ctx, "web/country.html.j2", b=sheet, area=request.args.get("area") or "")

    @app.get("/countries/<code>/print")
    @login_required
    def print_view(code: str) -> str:
        sheet = briefing_for(ctx, code, request.args.get("area"))
        return render(ctx, "web/print.html.j2", b=sheet, area=request.args.get("area") or "")

    @app.get("/countries/<code>/briefing.pdf")
    @login_required
    def pdf(code: str) -> Response:
        area = request.args.get("area")
        sheet = briefing_for(ctx, code, area)
        html = briefing.render_briefing_html(sheet, ctx.env(g.lang))
        name = f"{sheet.place.country}-{briefing.slugify(area)}" if area else sheet.place.country
        return Response(
            briefing.render_pdf(html),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{name}.pdf"'},
        )

    @app.get("/proposals")
    @login_required
    def proposals() -> str:
        show_all = request.args.get("all") == "1"
        with transaction(ctx.factory) as s:
            rows = proposals_store.list_proposals(s, None if show_all else ["pending"])
        return render(ctx, "web/proposals.html.j2", proposals=rows, show_all=show_all)

    @app.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
    @login_required
    def proposal(proposal_id: int) -> Any:
        error, status = None, 200
        if request.method == "POST":
            error, status = decide_from_form(ctx, proposal_id)
            if error is None:
                return redirect(f"/proposals/{proposal_id}", code=303)
        with transaction(ctx.factory) as s:
            view = proposals_store.get_proposal(s, proposal_id)
            if view is None:
                abort(404)
            decisions = proposals_store.list_decisions(s, proposal_id)
            current = statuses_store.effective_status(s, view.place)
        body = render(
            ctx,
            "web/proposal.html.j2",
            p=view,
            decisions=decisions,
            error=error,
            current=current,
            labels=LABELS,
            colours=COLOURS,
            reason=request.form.get("reason", "") if error else "",
        )
        return Response(body, status=status, mimetype="text/html")

    @app.get("/audit")
    @login_required
    def audit() -> str:
        with transaction(ctx.factory) as s:
            entries = audit_store.list_entries(s, limit=AUDIT_LIMIT)
        return render(ctx, "web/audit.html.j2", entries=entries)


def _country_rows(ctx: WebContext) -> list[CountryRow]:
    with transaction(ctx.factory) as s:
        codes = briefing.briefing_countries(s)
        statuses = statuses_store.list_statuses(s)
        pending = proposals_store.list_proposals(s, ["pending"])
    rows = []
    for code in codes:
        own = next((x for x in statuses if x.place.country == code and not x.place.area), None)
        own = own or PlaceStatus(Place(code), "normal", statuses_store.EPOCH)
        areas = tuple(x for x in statuses if x.place.country == code and x.place.area)
        count = sum(1 for p in pending if p.place.country == code)
        rows.append(
            CountryRow(code, own.state, LABELS[own.state], COLOURS[own.state], own, areas, count)
        )
    rows.sort(key=lambda r: (STATES.index(r.worst), _name(r.code)))
    return rows


def _name(code: str) -> str:
    from alerts.templating import country_name

    return country_name(code)
