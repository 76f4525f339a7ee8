"""Subscribers follow countries or regions (kept as data), in a language."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from alerts.regions import RegionError, find_region, load_regions
from cli import main
from config import Settings
from store.db import transaction
from store.subscribers import SubscriberError, add_subscriber, list_subscribers


def test_subscribers_region_follows_its_countries(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    regions = load_regions(settings.regions_file)
    with transaction(factory) as session:
        add_subscriber(
            session, "Ana", "ana@example.org", "manager", regions=["East Africa"], language="fr"
        )
        [ana] = list_subscribers(session)
    assert ana.regions == ("East Africa",) and ana.language == "fr"
    assert ana.follows("ETH", regions) and ana.follows("SSD", regions)
    assert not ana.follows("AFG", regions)
    assert not ana.follows("ETH")  # without the region table a region matches nothing


def test_subscribers_region_names_are_checked() -> None:
    regions = load_regions(Settings().regions_file)
    assert find_region(regions, "  horn of   AFRICA ") == "Horn of Africa"
    with pytest.raises(RegionError, match="Atlantis"):
        find_region(regions, "Atlantis")


def test_subscribers_bad_language_is_refused(factory: sessionmaker[Session]) -> None:
    with pytest.raises(SubscriberError), transaction(factory) as session:
        add_subscriber(session, "Ana", "ana@example.org", "manager", language="f r!")


def test_subscribers_cli_region_and_language(tmp_path: Path) -> None:
    env = {"RETURNWATCH_WORKDIR": str(tmp_path), "RETURNWATCH_DATABASE_URL": ""}
    runner = CliRunner()
    add = ["subscribers", "add", "ana@example.org", "--name", "Ana", "--role", "manager"]
    ok = runner.invoke(main, [*add, "--region", "west africa", "--language", "fr"], env=env)
    assert ok.exit_code == 0, ok.output
    listed = runner.invoke(main, ["subscribers", "list"], env=env)
    assert '"West Africa"' in listed.output and " fr " in listed.output
    bad = runner.invoke(main, [*add, "--region", "Atlantis"], env=env)
    assert bad.exit_code == 2 and "Atlantis" in bad.output
