"""The `returnwatch` command line: parses options, loads settings, calls stages, prints.

Exit codes: 0 ok, 1 failure, 2 bad usage or bad input (one line on stderr).
"""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from config import ConfigError, Settings, load_settings

logger = logging.getLogger("returnwatch")

F = TypeVar("F", bound=Callable[..., Any])


class BadInput(Exception):
    """Bad usage or bad input: reported in one line, exit code 2."""


def _bad_input_types() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the user gave something wrong (exit 2), from every package."""
    from alerts.decisions import DecisionError
    from crawlers.errors import UnknownSourceError
    from nlp.errors import InputLineError

    return (BadInput, ConfigError, DecisionError, UnknownSourceError, InputLineError)


def handle_errors(func: F) -> F:
    """Turn known errors into a one-line message and the contract's exit codes."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except click.exceptions.Exit:
            raise
        except _bad_input_types() as exc:
            click.echo(f"returnwatch: {exc}", err=True)
            sys.exit(2)
        except Exception as exc:
            logger.debug("command failed", exc_info=True)
            click.echo(f"returnwatch: error: {exc}", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def common_options(func: F) -> F:
    """--config and --verbose on every command, as DESIGN.md promises."""
    func = click.option(
        "--config",
        "config_file",
        type=click.Path(path_type=Path),
        help="Settings file (TOML). Default: RETURNWATCH_CONFIG or none.",
    )(func)
    func = click.option("-v", "--verbose", is_flag=True, help="Log each step (INFO).")(func)
    return func


def settings_from(
    config_file: Path | None, verbose: bool, *, daemon: bool = False, **overrides: Any
) -> Settings:
    """Load settings and set up logging: warnings only, unless -v or the daemon."""
    settings = load_settings(config_file, **overrides)
    _configure_logging(settings, logging.INFO if verbose or daemon else logging.WARNING)
    return settings


def _configure_logging(settings: Settings, level: int) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if settings.log_json:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "weasyprint", "fontTools", "alembic", "scrapy", "twisted"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("job", "seconds", "outcome"):  # the daemon's one line per job run
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry)


def runtime(settings: Settings, progress: bool = True) -> Any:
    """Open the database (migrating it) for a command."""
    from stages import Runtime

    rt = Runtime(settings, progress=(lambda line: click.echo(line, err=True)) if progress else None)
    rt.init_database()
    return rt


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="returnwatch")
def main() -> None:
    """returnwatch: finds UN recommendations against return and proposes suspensions.

    Example: returnwatch demo --workdir var
    """


@main.command()
@common_options
@handle_errors
def init(config_file: Path | None, verbose: bool) -> None:
    """Create or migrate the database (safe to run again).

    Example: returnwatch init
    """
    settings = settings_from(config_file, verbose)
    rt = runtime(settings)
    rt.close()
    click.echo(f"database ready: {settings.database_url}")


@main.command()
@common_options
@click.option(
    "--workdir",
    type=click.Path(path_type=Path),
    default=None,
    help="Where the database, outbox and briefings go (default: ./var).",
)
@handle_errors
def demo(config_file: Path | None, verbose: bool, workdir: Path | None) -> None:
    """Run the whole chain once, offline, on the bundled sample sources.

    Example: returnwatch demo --workdir /tmp/rw-demo
    """
    from demo import run_demo

    settings = settings_from(config_file, verbose, workdir=workdir)
    result = run_demo(settings, progress=lambda line: click.echo(line, err=True))
    click.echo(demo_summary(result))


@main.command()
@common_options
@click.argument("source_ids", nargs=-1)
@handle_errors
def crawl(config_file: Path | None, verbose: bool, source_ids: tuple[str, ...]) -> None:
    """Fetch sources: all enabled ones, or those named.

    Example: returnwatch crawl unhcr-briefings un-news
    """
    from stages import load_source_specs, run_crawl

    settings = settings_from(config_file, verbose)
    rt = runtime(settings)
    try:
        report = run_crawl(rt, load_source_specs(settings), list(source_ids) or None)
    finally:
        rt.close()
    click.echo(crawl_summary(report))


@main.command()
@common_options
@handle_errors
def tag(config_file: Path | None, verbose: bool) -> None:
    """Tag new and changed documents.

    Example: returnwatch tag
    """
    from stages import run_tag

    settings = settings_from(config_file, verbose)
    rt = runtime(settings)
    try:
        report = run_tag(rt)
    finally:
        rt.close()
    click.echo(str(report))


@main.command("tag-text")
@common_options
@click.argument("file", type=click.File("r", encoding="utf-8"))
@handle_errors
def tag_text(config_file: Path | None, verbose: bool, file: Any) -> None:
    """Tag passages from a JSONL file of {"id", "text"}; one JSON line out per line in.

    Example: returnwatch tag-text passages.jsonl > tagged.jsonl
    """
    from nlp.jsonl import tag_jsonl
    from nlp.pipeline import build_pipeline

    settings_from(config_file, verbose)
    tag_jsonl(build_pipeline(), file, sys.stdout)


@main.command("train")
@common_options
@handle_errors
def train(config_file: Path | None, verbose: bool) -> None:
    """Rebuild the shipped stance classifier (nlp/data/stance_model) from data in the repo.

    Example: returnwatch train
    """
    from nlp.train import train as train_classifier

    settings_from(config_file, verbose)
    click.echo(f"wrote {train_classifier()}")


@main.command()
@common_options
@handle_errors
def assess(config_file: Path | None, verbose: bool) -> None:
    """Run the rules over new findings and signals; create proposals.

    Example: returnwatch assess
    """
    from stages import run_assess

    settings = settings_from(config_file, verbose)
    rt = runtime(settings)
    try:
        report = run_assess(rt)
    finally:
        rt.close()
    click.echo(str(report))


@main.command()
@common_options
@handle_errors
def notify(config_file: Path | None, verbose: bool) -> None:
    """Queue alerts for new proposals and decisions, then send what is due.

    Example: returnwatch notify
    """
    from stages import run_notify

    settings = settings_from(config_file, verbose)
    rt = runtime(settings)
    try:
        queued, report = run_notify(rt)
    finally:
        rt.close()
    click.echo(f"queued {queued} message(s); {report}")


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
    from store.db import transaction

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            rows = store_proposals.list_proposals(session, None if show_all else ["pending"])
    finally:
        rt.close()
    if as_json:
        click.echo(json.dumps([_proposal_json(p) for p in rows], indent=2))
        return
    if not rows:
        click.echo("no proposals" if show_all else "no pending proposals")
    for p in rows:
        click.echo(
            f"#{p.id:<4} {p.state:<10} {p.kind:<7} {_place_label(p.place):<32} "
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
    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            outcome = decide_proposal(
                session, proposal_id, verdict == "approve", by, reason, settings
            )
    finally:
        rt.close()
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
    from store.db import transaction
    from store.statuses import list_statuses

    code = _country_code(country) if country else None
    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            rows = list_statuses(session, code)
    finally:
        rt.close()
    if as_json:
        click.echo(json.dumps([_status_json(s) for s in rows], indent=2))
        return
    if not rows:
        click.echo(f"{code}: normal (no status recorded)" if code else "no statuses recorded")
    for s in rows:
        line = f"{_place_label(s.place):<32} {s.state:<20} since {s.since:%Y-%m-%d %H:%M}"
        if s.decided_by:
            line += f"  decided by {s.decided_by}: {s.reason or ''}"
        click.echo(line)


@main.command()
@common_options
@click.argument("country")
@click.option("--area", default=None, help="An area of the country, e.g. Tigray.")
@click.option(
    "--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True
)
@click.option(
    "--language", default="en", show_default=True, help="Language of the sheet: en, fr, ar ..."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output file (default: in the briefings folder).",
)
@handle_errors
def brief(
    config_file: Path | None,
    verbose: bool,
    country: str,
    area: str | None,
    fmt: str,
    language: str,
    out: Path | None,
) -> None:
    """Write the briefing sheet for a country (or one area of it).

    Example: returnwatch brief SDN --format pdf --out sudan.pdf
    """
    from alerts import briefing
    from alerts.templating import make_environment
    from store.db import transaction

    code = _country_code(country)
    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            sheet = briefing.gather_briefing(
                session, code, area, settings, language=language, record_edition=True
            )
    finally:
        rt.close()
    html = briefing.render_briefing_html(sheet, make_environment(language))
    slug = f"{code}-{_slug(area)}" if area else code
    target = out or settings.briefings_dir / f"{slug}.{fmt}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        target.write_text(html, encoding="utf-8")
    else:
        target.write_bytes(briefing.render_pdf(html, base_url=str(target.parent)))
    click.echo(str(target))


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
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            sync_sources(session, specs)
            rows = list_health(session)
    finally:
        rt.close()
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
    from store.db import transaction

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            if requeue_failed:
                click.echo(f"requeued {store_outbox.requeue_failed(session)} failed message(s)")
            rows = store_outbox.list_messages(
                session, None if show_all else ["pending", "sending", "failed"]
            )
    finally:
        rt.close()
    if not rows:
        click.echo("outbox empty")
    for m in rows:
        when = m.sent or m.next_attempt
        stamp = f"{when:%Y-%m-%d %H:%M}" if when else "-"
        line = f"#{m.id:<4} {m.state:<8} {stamp}  {m.message.recipient:<32} {m.message.subject}"
        if m.last_error:
            line += f"  (attempt {m.attempts}: {m.last_error})"
        click.echo(line)


@main.command()
@common_options
@click.option("--limit", default=50, show_default=True, help="How many entries, newest first.")
@handle_errors
def audit(config_file: Path | None, verbose: bool, limit: int) -> None:
    """Print the append-only audit log.

    Example: returnwatch audit --limit 20
    """
    from store import audit as store_audit
    from store.db import transaction

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            rows = store_audit.list_entries(session, limit=limit)
    finally:
        rt.close()
    for e in rows:
        details = json.dumps(e.details, sort_keys=True, default=str) if e.details else ""
        click.echo(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<20} {e.action:<22} {e.subject}  {details}")


@main.command()
@common_options
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The digest of this day (default: the newest one due).",
)
@click.option("--send/--no-send", default=True, show_default=True, help="Send it now.")
@handle_errors
def digest(config_file: Path | None, verbose: bool, day: Any, send: bool) -> None:
    """Queue (and send) the daily digest: one message per subscriber, grouped by country.

    Example: returnwatch digest --date 2026-11-10
    """
    from alerts.digest import DigestError, due_day, queue_digests
    from alerts.mailer import make_mailer
    from alerts.outbox import send_due
    from store.db import transaction
    from store.models import utcnow

    settings = settings_from(config_file, verbose)
    try:
        wanted = day.date() if day is not None else due_day(utcnow(), settings)
    except DigestError as exc:
        raise BadInput(str(exc)) from exc
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            queued = queue_digests(session, settings, wanted)
        report = send_due(rt.factory, make_mailer(settings), settings) if send else None
    finally:
        rt.close()
    sent = f"; {report}" if report else ""
    click.echo(f"digest of {wanted.isoformat()}: queued {queued} message(s){sent}")


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
    from store.db import transaction

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            rows = store_subscribers.list_subscribers(session, active_only=False)
    finally:
        rt.close()
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
    codes = tuple(_country_code(c) for c in countries)
    settings = settings_from(config_file, verbose)
    names = _region_names(settings, regions)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
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
    finally:
        rt.close()
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
    from store.db import transaction

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            removed = store_subscribers.remove_subscriber(session, email)
    finally:
        rt.close()
    if not removed:
        raise BadInput(f"no subscriber with email {email!r}")
    click.echo(f"removed {email}")


@main.command()
@common_options
@handle_errors
def run(config_file: Path | None, verbose: bool) -> None:
    """Run the daemon: crawl each source on its interval, then tag, assess, notify, brief.

    Example: returnwatch run --config /etc/returnwatch/returnwatch.toml
    """
    import scheduler

    settings = settings_from(config_file, verbose, daemon=True)
    scheduler.run_daemon(settings)


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
    from store.db import transaction
    from web.auth import AuthError, hash_password

    if "@" not in email or any(c in email for c in "\r\n <>,"):
        raise BadInput(f"not an email address: {email!r}")
    if not password_stdin:
        raise BadInput("give the password on standard input with --password-stdin")
    try:
        password_hash = hash_password(sys.stdin.readline().rstrip("\r\n"))
    except AuthError as exc:
        raise BadInput(str(exc)) from exc
    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        with transaction(rt.factory) as session:
            store_users.save_user(session, email, role, password_hash)  # type: ignore[arg-type]
    finally:
        rt.close()
    click.echo(f"user {email.strip().lower()} ({role}) saved")


@main.command()
@common_options
@handle_errors
def health(config_file: Path | None, verbose: bool) -> None:
    """Print the daemon's health as JSON; exit code 0 when healthy, 1 with the reasons.

    Example: returnwatch health || alert-the-operator
    """
    import scheduler
    from stages import load_source_specs

    settings = settings_from(config_file, verbose)
    rt = runtime(settings, progress=False)
    try:
        report = scheduler.check_health(rt, load_source_specs(settings))
    finally:
        rt.close()
    click.echo(json.dumps(report.as_json(), indent=2))
    if not report.healthy:
        sys.exit(1)


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


def _country_code(text: str) -> str:
    """Accept ISO alpha-3, alpha-2 or an English name; give the alpha-3 code."""
    import pycountry

    try:
        found = pycountry.countries.lookup(text.strip())
    except LookupError:
        found = None
    if found is None and text.strip().upper() == "XKX":
        return "XKX"
    if found is None:
        raise BadInput(f"unknown country {text!r}: use an ISO 3166-1 code or an English name")
    return str(found.alpha_3)


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def _place_label(place: Any) -> str:
    return f"{place.country} / {place.area}" if place.area else place.country


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


def crawl_summary(report: Any) -> str:
    return str(report)


def demo_summary(result: Any) -> str:
    """What the demo found and proposed, and where it left its files."""
    cycle, settings = result.cycle, result.settings
    lines = [
        "",
        "returnwatch demo: done",
        f"  {cycle.crawl}",
        f"  {cycle.tag}",
        f"  {cycle.assess}",
        f"  messages queued: {cycle.queued}; {cycle.sent}",
        "",
        "Proposals:",
    ]
    for p in result.proposals:
        lines.append(f"  #{p.id} {p.state:<10} {p.kind:<7} {_place_label(p.place):<24} {p.summary}")
    if not result.proposals:
        lines.append("  none")
    lines += [
        "",
        f"Database:  {settings.database_url}",
        f"Mail:      {settings.smtp_host or settings.outbox_dir}",
        f"Briefings: {settings.briefings_dir} ({len(cycle.briefings)} files)",
        "Decide with: returnwatch decide ID --approve|--reject --by NAME --reason TEXT",
    ]
    return "\n".join(lines)
