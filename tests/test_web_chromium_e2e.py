"""The web UI in a real headless Chromium (Debian's chromium + chromium-driver, selenium).

Sign in as a manager, approve a proposal, see the status change on the country page and
open the print view. Screenshots of each step are saved to tests/artifacts/web/ (git-ignored),
replaced on every run.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_samples import MANAGER, PASSWORD, demo_store

from web.server import running_server

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts" / "web"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not (shutil.which(CHROMIUM) and shutil.which(DRIVER)),
        reason="needs Debian's chromium and chromium-driver",
    ),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings, factory = demo_store(tmp_path_factory.mktemp("web-e2e"))
    with running_server(settings, factory) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        "--window-size=1200,1400",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.implicitly_wait(15)  # a shared machine can be slow to render a page
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = ARTIFACTS
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def test_web_chromium_manager_approves_and_prints(
    base_url: str, browser: object, shots: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.remote.webdriver import WebDriver
    from selenium.webdriver.support.ui import WebDriverWait

    assert isinstance(browser, WebDriver)
    driver = browser
    driver.get(f"{base_url}/proposals/3")  # the link an alert email carries
    assert "/login" in driver.current_url
    driver.find_element(By.ID, "email").send_keys(MANAGER)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.save_screenshot(str(shots / "1-sign-in.png"))
    driver.find_element(By.ID, "sign-in").click()
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: d.current_url.endswith("/proposals/3"))
    assert "Sudan" in driver.find_element(By.TAG_NAME, "h1").text
    driver.find_element(By.ID, "reason").send_keys("UNHCR advisory against returns to Sudan")
    driver.save_screenshot(str(shots / "2-proposal.png"))
    driver.find_element(By.ID, "approve").click()
    wait.until(lambda d: d.find_element(By.ID, "proposal-state").text == "approved")
    assert driver.find_element(By.ID, "current-status").text == "Suspended"

    driver.get(f"{base_url}/?state=suspended")
    assert "Sudan" in driver.find_element(By.ID, "countries").text
    driver.save_screenshot(str(shots / "3-countries.png"))

    driver.get(f"{base_url}/countries/SDN")
    headline = driver.find_element(By.CSS_SELECTOR, ".banner .headline").text
    assert headline.startswith("Return assistance suspended for Sudan since")
    assert MANAGER in headline
    assert driver.find_elements(By.CSS_SELECTOR, "svg.timeline-svg")
    driver.save_screenshot(str(shots / "4-country.png"))

    driver.find_element(By.ID, "print-link").click()
    wait.until(lambda d: d.current_url.endswith("/countries/SDN/print"))
    assert driver.find_element(By.ID, "print-button").is_displayed()
    assert "Return assistance suspended for Sudan" in driver.page_source
    driver.save_screenshot(str(shots / "5-print-view.png"))

    assert sorted(p.name for p in shots.iterdir()) == [
        "1-sign-in.png",
        "2-proposal.png",
        "3-countries.png",
        "4-country.png",
        "5-print-view.png",
    ]
