"""The chain's commands: set up, crawl, tag, assess, notify, digest, the demo and the daemon."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from cli.common import (
    BadInput,
    common_options,
    handle_errors,
    main,
    opened_runtime,
    place_label,
    runtime_for,
    settings_from,
)


@main.command()
@common_options
@handle_errors
def init(config_file: Path | None, verbose: bool) -> None:
    """Create or migrate the database (safe to run again).

    Example: returnwatch init
    """
    with opened_runtime(config_file, verbose) as rt:  # opening it creates or migrates
        pass
    click.echo(f"database ready: {rt.settings.database_url}")


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

    with opened_runtime(config_file, verbose) as rt:
        report = run_crawl(rt, load_source_specs(rt.settings), list(source_ids) or None)
    click.echo(crawl_summary(report))


@main.command()
@common_options
@handle_errors
def tag(config_file: Path | None, verbose: bool) -> None:
    """Tag new and changed documents.

    Example: returnwatch tag
    """
    from stages import run_tag

    with opened_runtime(config_file, verbose) as rt:
        report = run_tag(rt)
    click.echo(str(report))


@main.command("tag-text")
@common_options
@click.argument("file", type=click.File("r", encoding="utf-8"))
@handle_errors
def tag_text(config_file: Path | None, verbose: bool, file: Any) -> None:
    """Tag passages from a JSONL file of {"id", "text"}; one JSON line out per line in.

    Example: returnwatch tag-text passages.jsonl > tagged.jsonl
    """
    from nlp.errors import InputLineError
    from nlp.jsonl import tag_jsonl
    from nlp.pipeline import build_pipeline

    settings_from(config_file, verbose)
    try:
        tag_jsonl(build_pipeline(), file, sys.stdout)
    except InputLineError as exc:
        # The lines before it are already written; name the file as well as the line.
        raise BadInput(f"{file.name}:{exc.line_number}: {exc.reason}") from exc


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

    with opened_runtime(config_file, verbose) as rt:
        report = run_assess(rt)
    click.echo(str(report))


@main.command()
@common_options
@handle_errors
def notify(config_file: Path | None, verbose: bool) -> None:
    """Queue alerts for new proposals and decisions, then send what is due.

    Example: returnwatch notify
    """
    from stages import run_notify

    with opened_runtime(config_file, verbose) as rt:
        queued, report = run_notify(rt)
    click.echo(f"queued {queued} message(s); {report}")


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
    with runtime_for(settings, progress=False) as rt:
        with transaction(rt.factory) as session:
            queued = queue_digests(session, settings, wanted)
        report = send_due(rt.factory, make_mailer(settings), settings) if send else None
    sent = f"; {report}" if report else ""
    click.echo(f"digest of {wanted.isoformat()}: queued {queued} message(s){sent}")


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
@handle_errors
def health(config_file: Path | None, verbose: bool) -> None:
    """Print the daemon's health as JSON; exit code 0 when healthy, 1 with the reasons.

    Example: returnwatch health || alert-the-operator
    """
    import scheduler
    from stages import load_source_specs

    with opened_runtime(config_file, verbose, progress=False) as rt:
        report = scheduler.check_health(rt, load_source_specs(rt.settings))
    click.echo(json.dumps(report.as_json(), indent=2))
    if not report.healthy:
        sys.exit(1)


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
        lines.append(f"  #{p.id} {p.state:<10} {p.kind:<7} {place_label(p.place):<24} {p.summary}")
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
