"""The operator's commands: sources, the outbox, subscribers, web users and the web server."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.common import (
    BadInput,
    common_options,
    country_code,
    handle_errors,
    main,
    opened_session,
    runtime_for,
    settings_from,
)
from config import Settings


@main.command()
@common_options
@handle_errors
def sources(config_file: Path | None, verbose: bool) -> None:
    """List sources with their health: last success, last error, consecutive failures.

    Example: returnwatch sources
    """
    from stages import load_source_specs
    from store.db import transaction
    from store.sources import list_health, sync_sources

    settings = settings_from(config_file, verbose)
    specs = load_source_specs(settings)
    with runtime_for(settings, progress=False) as rt, transaction(rt.factory) as session:
        sync_sources(session, specs)
        rows = list_health(session)
    for h in rows:
        state = "disabled" if not h.enabled else ("failing" if h.consecutive_failures else "ok")
        ok = f"{h.last_ok:%Y-%m-%d %H:%M}" if h.last_ok else "never"
        line = f"{h.id:<32} {h.kind:<8} {state:<8} last ok {ok}"
        if h.consecutive_failures:
            line += f"  failures {h.consecutive_failures}: {h.last_error}"
        click.echo(line)


@main.command("outbox")
@common_options
@click.option("--all", "show_all", is_flag=True, help="Include sent messages.")
@click.option(
    "--requeue-failed", is_flag=True, help="Give failed messages a fresh set of attempts."
)
@handle_errors
def outbox_cmd(
    config_file: Path | None, verbose: bool, show_all: bool, requeue_failed: bool
) -> None:
    """Show messages waiting to be sent, or failed (all with --all).

    Example: returnwatch outbox --requeue-failed
    """
    from store import outbox as store_outbox

    with opened_session(config_file, verbose) as session:
        if requeue_failed:
            click.echo(f"requeued {store_outbox.requeue_failed(session)} failed message(s)")
        rows = store_outbox.list_messages(
            session, None if show_all else ["pending", "sending", "failed"]
        )
    if not rows:
        click.echo("outbox empty")
    for m in rows:
        when = m.sent or m.next_attempt
        stamp = f"{when:%Y-%m-%d %H:%M}" if when else "-"
        line = f"#{m.id:<4} {m.state:<8} {stamp}  {m.message.recipient:<32} {m.message.subject}"
        if m.last_error:
            line += f"  (attempt {m.attempts}: {m.last_error})"
        click.echo(line)


@main.group()
def subscribers() -> None:
    """Manage the staff who receive alerts, digests and confirmations."""


@subscribers.command("list")
@common_options
@handle_errors
def subscribers_list(config_file: Path | None, verbose: bool) -> None:
    """List subscribers.

    Example: returnwatch subscribers list
    """
    from store import subscribers as store_subscribers

    with opened_session(config_file, verbose) as session:
        rows = store_subscribers.list_subscribers(session, active_only=False)
    if not rows:
        click.echo("no subscribers")
    for s in rows:
        where = ",".join([*s.countries, *(f'"{r}"' for r in s.regions)]) or "all countries"
        click.echo(f"{s.email:<36} {s.name:<24} {s.role:<10} {s.mode:<9} {s.language}  {where}")


@subscribers.command("add")
@common_options
@click.argument("email")
@click.option("--name", required=True, help="The person's name.")
@click.option("--role", type=click.Choice(["manager", "counsellor"]), required=True)
@click.option(
    "--country", "countries", multiple=True, help="A country to follow (repeat; none means all)."
)
@click.option(
    "--region", "regions", multiple=True, help='A region to follow, e.g. "East Africa" (repeat).'
)
@click.option(
    "--mode", type=click.Choice(["immediate", "digest"]), default="immediate", show_default=True
)
@click.option("--language", default="en", show_default=True, help="Language of the mail: en, fr.")
@handle_errors
def subscribers_add(
    config_file: Path | None,
    verbose: bool,
    email: str,
    name: str,
    role: str,
    countries: tuple[str, ...],
    regions: tuple[str, ...],
    mode: str,
    language: str,
) -> None:
    """Add a subscriber, or update the one with this email.

    Example: returnwatch subscribers add a.diallo@example.org --name "A. Diallo" --role manager
    """
    from store import subscribers as store_subscribers
    from store.db import transaction

    if "@" not in email or any(c in email for c in "\r\n <>,"):
        raise BadInput(f"not an email address: {email!r}")
    codes = tuple(country_code(c) for c in countries)
    settings = settings_from(config_file, verbose)
    names = _region_names(settings, regions)
    with runtime_for(settings, progress=False) as rt, transaction(rt.factory) as session:
        store_subscribers.add_subscriber(
            session,
            name,
            email,
            role,
            countries=codes,
            mode=mode,
            language=language,
            regions=names,
        )
    click.echo(f"subscribed {email}")


@subscribers.command("remove")
@common_options
@click.argument("email")
@handle_errors
def subscribers_remove(config_file: Path | None, verbose: bool, email: str) -> None:
    """Remove a subscriber.

    Example: returnwatch subscribers remove a.diallo@example.org
    """
    from store import subscribers as store_subscribers

    with opened_session(config_file, verbose) as session:
        removed = store_subscribers.remove_subscriber(session, email)
    if not removed:
        raise BadInput(f"no subscriber with email {email!r}")
    click.echo(f"removed {email}")


@main.command()
@common_options
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, help="Port to listen on.")
@handle_errors
def serve(config_file: Path | None, verbose: bool, host: str, port: int) -> None:
    """Serve the web UI: countries, briefings, proposals to decide, the audit log, feeds.

    Example: returnwatch serve --port 8080
    """
    from web.server import serve as serve_web

    settings = settings_from(config_file, verbose, daemon=True)
    serve_web(settings, host, port)


@main.group()
def users() -> None:
    """Manage who can sign in to the web UI (managers decide, counsellors read)."""


@users.command("add")
@common_options
@click.argument("email")
@click.option("--role", type=click.Choice(["manager", "counsellor"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@handle_errors
def users_add(
    config_file: Path | None, verbose: bool, email: str, role: str, password_stdin: bool
) -> None:
    """Add a web user, or set the role and password of an existing one.

    Example: returnwatch users add a.diallo@example.org --role manager --password-stdin < pw
    """
    from store import users as store_users
    from web.auth import AuthError, hash_password

    if "@" not in email or any(c in email for c in "\r\n <>,"):
        raise BadInput(f"not an email address: {email!r}")
    if not password_stdin:
        raise BadInput("give the password on standard input with --password-stdin")
    try:
        password_hash = hash_password(sys.stdin.readline().rstrip("\r\n"))
    except AuthError as exc:
        raise BadInput(str(exc)) from exc
    with opened_session(config_file, verbose) as session:
        store_users.save_user(session, email, role, password_hash)  # type: ignore[arg-type]
    click.echo(f"user {email.strip().lower()} ({role}) saved")


def _region_names(settings: Settings, given: tuple[str, ...]) -> list[str]:
    """Region names as the regions file spells them; an unknown one is bad input."""
    from alerts.regions import RegionError, find_region, load_regions

    if not given:
        return []
    try:
        known = load_regions(settings.regions_file)
        return [find_region(known, name) for name in given]
    except RegionError as exc:
        raise BadInput(str(exc)) from exc
