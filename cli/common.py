"""What every command shares: the `main` group, options, error handling, logging, runtime."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from config import ConfigError, Settings, load_settings

if TYPE_CHECKING:  # stages pulls in spaCy: imported only when a command opens the database
    from sqlalchemy.orm import Session

    from stages import Runtime

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
    """Turn known errors into a one-line message and the contract's exit codes.

    Exit codes: 0 ok, 1 failure, 2 bad usage or bad input (one line on stderr).
    """

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


@contextmanager
def runtime_for(settings: Settings, *, progress: bool = True) -> Iterator[Runtime]:
    """The database of a command, migrated, and closed however the command ends."""
    from stages import Runtime

    rt = Runtime(settings, progress=(lambda line: click.echo(line, err=True)) if progress else None)
    try:
        rt.init_database()
        yield rt
    finally:
        rt.close()


@contextmanager
def opened_runtime(
    config_file: Path | None, verbose: bool, *, progress: bool = True
) -> Iterator[Runtime]:
    """Settings, logging and the database: what most commands open first (see rt.settings)."""
    with runtime_for(settings_from(config_file, verbose), progress=progress) as rt:
        yield rt


@contextmanager
def opened_session(config_file: Path | None, verbose: bool) -> Iterator[Session]:
    """One transaction on the store, for a command that only reads or writes rows."""
    from store.db import transaction

    with (
        opened_runtime(config_file, verbose, progress=False) as rt,
        transaction(rt.factory) as session,
    ):
        yield session


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="returnwatch")
def main() -> None:
    """returnwatch: finds UN recommendations against return and proposes suspensions.

    Example: returnwatch demo --workdir var
    """


def country_code(text: str) -> str:
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


def place_label(place: Any) -> str:
    return f"{place.country} / {place.area}" if place.area else place.country
