"""Settings: one frozen object built from defaults, a TOML file and RETURNWATCH_* variables.

It is loaded once at the entry point (CLI, daemon) and passed down; nothing else reads
the environment.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.records import SOURCE_KINDS, SourceSpec

PROJECT_ROOT = Path(__file__).resolve().parent
TEMPLATES_DIR = PROJECT_ROOT / "templates"
SAMPLE_DATA_DIR = PROJECT_ROOT / "sample_data"
DEFAULT_SOURCES_FILE = PROJECT_ROOT / "sources.toml"
DEFAULT_REGIONS_FILE = PROJECT_ROOT / "alerts" / "regions.toml"
ENV_PREFIX = "RETURNWATCH_"


class ConfigError(Exception):
    """A setting, the settings file or the source list is invalid."""


def default_database_url(workdir: Path) -> str:
    """The database when none is configured: SQLite in the work directory.

    The one place the default is computed, so that the test suite can point every
    Settings(workdir=...) at a PostgreSQL database instead (tests/conftest.py).
    """
    return f"sqlite:///{workdir / 'returnwatch.db'}"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with the embedded defaults of the demo set-up."""

    workdir: Path = Path("var")
    database_url: str = ""
    sources_file: Path = DEFAULT_SOURCES_FILE
    programme_name: str = "Return programme"
    # Mail: with no SMTP host, messages are written as .eml files to outbox_dir.
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_ssl: bool = False
    smtp_timeout: float = 30.0
    mail_from: str = "returnwatch@localhost"
    outbox_dir: Path = Path("")
    briefings_dir: Path = Path("")
    base_url: str = ""
    # Crawling.
    user_agent: str = "returnwatch/0.1 (+https://github.com/returnwatch/returnwatch)"
    fetch_timeout: float = 30.0
    max_document_bytes: int = 25 * 1024 * 1024
    crawl_workers: int = 8
    crawl_per_host: int = 2
    reliefweb_appname: str = ""
    # Alerts.
    four_eyes: bool = False
    review_after_days: int = 90
    proposal_reminder_hours: int = 48
    outbox_max_attempts: int = 12
    digest_time: str = "07:00"
    timezone: str = "UTC"
    # Rule thresholds of the programme (lists are comma-separated, compared loosely).
    watch_disaster_levels: str = "orange,red"
    watch_travel_levels: str = "against_all,level_4"
    watch_outbreaks: bool = True
    urgent_priority: int = 3
    regions_file: Path = DEFAULT_REGIONS_FILE
    log_json: bool = False
    # Daemon.
    pipeline_interval_seconds: int = 60
    briefing_interval_minutes: int = 60
    extra: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Derived paths default to places under the work directory.
        if not self.database_url:
            object.__setattr__(self, "database_url", default_database_url(self.workdir))
        if self.outbox_dir == Path(""):
            object.__setattr__(self, "outbox_dir", self.workdir / "outbox")
        if self.briefings_dir == Path(""):
            object.__setattr__(self, "briefings_dir", self.workdir / "briefings")

    @property
    def mail_is_smtp(self) -> bool:
        return bool(self.smtp_host)


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name != "extra"}


def _coerce(name: str, value: Any) -> Any:
    """Convert a TOML or environment value to the type of the named setting."""
    default = _FIELDS[name].default
    try:
        if isinstance(default, bool):
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in {"1", "true", "yes", "on"}:
                return True
            if text in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(f"not a boolean: {value!r}")
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, Path):
            return Path(str(value)).expanduser()
        if isinstance(value, list):  # a TOML array for a comma-separated setting
            return ",".join(str(item) for item in value)
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name!r}: {exc}") from exc


def load_settings(
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings: defaults, then the TOML file, then the environment, then overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    env_file = env.get(ENV_PREFIX + "CONFIG")
    path = config_file or (Path(env_file) if env_file else None)
    if path is not None:
        data = read_toml(path)
        base = path.resolve().parent
        for key, value in data.items():
            if key in _FIELDS:
                values[key] = _coerce(key, value)
                if isinstance(values[key], Path) and not values[key].is_absolute():
                    values[key] = base / values[key]
            else:
                extra[key] = value
    for key in _FIELDS:
        env_key = ENV_PREFIX + key.upper()
        if env_key in env:
            values[key] = _coerce(key, env[env_key])
    for key, value in overrides.items():
        if key not in _FIELDS:
            raise ConfigError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = _coerce(key, value)
    return Settings(**values, extra=extra)


def read_toml(path: Path) -> dict[str, Any]:
    """Read a TOML file, turning every failure into a ConfigError that names the file."""
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def documented_settings() -> list[str]:
    """Names of all settings, for the documentation check."""
    return sorted(_FIELDS)


_SOURCE_KEYS = {
    "id",
    "kind",
    "url",
    "issuer",
    "issuer_is_un",
    "country",
    "interval_minutes",
    "interval_seconds",
    "enabled",
    "sample",
    "options",
}


def load_sources(path: Path, substitutions: Mapping[str, str] | None = None) -> list[SourceSpec]:
    """Read sources.toml: one [[source]] table per source, no code per source.

    `substitutions` fills `{name}` placeholders in URLs (the demo points them at its local
    server).
    """
    data = read_toml(path)
    entries = data.get("source", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables ([[source]])")
    specs: list[SourceSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        spec = _source_spec(entry, substitutions or {}, where=f"{path}: source #{index}")
        if spec.id in seen:
            raise ConfigError(f"{path}: duplicate source id {spec.id!r}")
        seen.add(spec.id)
        specs.append(spec)
    return specs


def _source_spec(entry: Any, subs: Mapping[str, str], where: str) -> SourceSpec:
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: not a table")
    unknown = set(entry) - _SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "kind", "url"):
        if not isinstance(entry.get(key), str) or not entry[key]:
            raise ConfigError(f"{where}: {key!r} is required and must be a string")
    if entry["kind"] not in SOURCE_KINDS:
        raise ConfigError(
            f"{where} ({entry['id']}): unknown kind {entry['kind']!r}; "
            f"known kinds: {', '.join(SOURCE_KINDS)}"
        )
    country = entry.get("country")
    if country is not None and (not isinstance(country, str) or len(country) != 3):
        raise ConfigError(f"{where} ({entry['id']}): country must be an ISO 3166-1 alpha-3 code")
    try:
        url = entry["url"].format_map(dict(subs)) if subs else entry["url"]
        interval = int(entry.get("interval_minutes", 60))
        seconds = int(entry["interval_seconds"]) if "interval_seconds" in entry else None
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{where} ({entry['id']}): {exc}") from exc
    if interval < 1:
        raise ConfigError(f"{where} ({entry['id']}): interval_minutes must be at least 1")
    if seconds is not None:
        if seconds < 1:
            raise ConfigError(f"{where} ({entry['id']}): interval_seconds must be at least 1")
        interval = max(1, -(-seconds // 60))
    return SourceSpec(
        id=entry["id"],
        kind=entry["kind"],
        url=url,
        issuer=str(entry.get("issuer", "")),
        issuer_is_un=bool(entry.get("issuer_is_un", False)),
        country=country.upper() if country else None,
        interval_minutes=interval,
        interval_seconds=seconds,
        enabled=bool(entry.get("enabled", True)),
        sample=bool(entry.get("sample", False)),
        options=dict(entry.get("options", {})),
    )
