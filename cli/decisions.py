"""The managers' commands: proposals, decisions, statuses, the audit log and the rules."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from cli.common import (
    BadInput,
    common_options,
    country_code,
    handle_errors,
    main,
    opened_runtime,
    opened_session,
    place_label,
    settings_from,
)


@main.command("proposals")
@common_options
@click.option("--all", "show_all", is_flag=True, help="Include decided and superseded ones.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def proposals_cmd(config_file: Path | None, verbose: bool, show_all: bool, as_json: bool) -> None:
    """List proposals (pending ones unless --all).

    Example: returnwatch proposals --all
    """
    from store import proposals as store_proposals

    with opened_session(config_file, verbose) as session:
        rows = store_proposals.list_proposals(session, None if show_all else ["pending"])
    if as_json:
        click.echo(json.dumps([_proposal_json(p) for p in rows], indent=2))
        return
    if not rows:
        click.echo("no proposals" if show_all else "no pending proposals")
    for p in rows:
        click.echo(
            f"#{p.id:<4} {p.state:<10} {p.kind:<7} {place_label(p.place):<32} "
            f"{p.created:%Y-%m-%d}  {p.summary}"
        )


@main.command()
@common_options
@click.argument("proposal_id", type=int)
@click.option("--approve", "verdict", flag_value="approve", help="Approve the proposal.")
@click.option("--reject", "verdict", flag_value="reject", help="Reject the proposal.")
@click.option("--by", "by", required=True, help="Name of the deciding manager.")
@click.option("--reason", required=True, help="Why: kept in the audit log.")
@handle_errors
def decide(
    config_file: Path | None,
    verbose: bool,
    proposal_id: int,
    verdict: str | None,
    by: str,
    reason: str,
) -> None:
    """Approve or reject a proposal, with a reason that is kept.

    Example: returnwatch decide 3 --approve --by "A. Diallo" --reason "UNHCR advisory"
    """
    from alerts.decisions import decide as decide_proposal
    from store.db import transaction

    if verdict is None:
        raise BadInput("say --approve or --reject")
    with (
        opened_runtime(config_file, verbose, progress=False) as rt,
        transaction(rt.factory) as session,
    ):
        outcome = decide_proposal(
            session, proposal_id, verdict == "approve", by, reason, rt.settings
        )
    click.echo(str(outcome))


@main.command()
@common_options
@click.argument("country", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@handle_errors
def status(config_file: Path | None, verbose: bool, country: str | None, as_json: bool) -> None:
    """Current status per country and area (all places with a status, or one country).

    Example: returnwatch status ETH
    """
    from store.statuses import list_statuses

    code = country_code(country) if country else None
    with opened_session(config_file, verbose) as session:
        rows = list_statuses(session, code)
    if as_json:
        click.echo(json.dumps([_status_json(s) for s in rows], indent=2))
        return
    if not rows:
        click.echo(f"{code}: normal (no status recorded)" if code else "no statuses recorded")
    for s in rows:
        line = f"{place_label(s.place):<32} {s.state:<20} since {s.since:%Y-%m-%d %H:%M}"
        if s.decided_by:
            line += f"  decided by {s.decided_by}: {s.reason or ''}"
        click.echo(line)


@main.command()
@common_options
@handle_errors
def rules(config_file: Path | None, verbose: bool) -> None:
    """Print the rule catalogue: each rule and the policy it applies.

    Example: returnwatch rules
    """
    from alerts.rules import rule_catalogue

    settings_from(config_file, verbose)
    for name, policy in rule_catalogue():
        click.echo(f"{name}\n    {policy}")


@main.command()
@common_options
@click.option("--limit", default=50, show_default=True, help="How many entries, newest first.")
@handle_errors
def audit(config_file: Path | None, verbose: bool, limit: int) -> None:
    """Print the append-only audit log.

    Example: returnwatch audit --limit 20
    """
    from store import audit as store_audit

    with opened_session(config_file, verbose) as session:
        rows = store_audit.list_entries(session, limit=limit)
    for e in rows:
        details = json.dumps(e.details, sort_keys=True, default=str) if e.details else ""
        click.echo(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<20} {e.action:<22} {e.subject}  {details}")


def _proposal_json(p: Any) -> dict[str, Any]:
    return {
        "id": p.id,
        "kind": p.kind,
        "state": p.state,
        "country": p.place.country,
        "area": p.place.area or None,
        "area_code": p.place.area_code,
        "rule": p.rule,
        "summary": p.summary,
        "priority": p.priority,
        "created": p.created.isoformat(),
        "findings": [
            {"issuer": f.record.issuer, "evidence": f.record.evidence, "url": f.url}
            for f in p.findings
        ],
    }


def _status_json(s: Any) -> dict[str, Any]:
    return {
        "country": s.place.country,
        "area": s.place.area or None,
        "state": s.state,
        "since": s.since.isoformat(),
        "decided_by": s.decided_by,
        "reason": s.reason,
    }
