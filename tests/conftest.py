"""Fixtures of the repository-level tests: a live Odoo server started by
scripts/test.sh (ODOO_URL, ODOO_DB) and Debian's headless Chromium."""
import os
import shutil
import tempfile

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCREENSHOT_DIR = os.path.join(REPO_ROOT, "var", "screenshots")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "standalone: needs neither the live server nor its database; scripts/test.sh "
        "runs these (pytest -m standalone) beside the Odoo tests, the others "
        "(-m 'not standalone') against the live server")


@pytest.fixture(scope="session")
def odoo_url():
    url = os.environ.get("ODOO_URL")
    if not url:
        pytest.fail("ODOO_URL is not set: run these tests through scripts/test.sh")
    return url.rstrip("/")


@pytest.fixture(scope="session")
def odoo_db():
    return os.environ.get("ODOO_DB", "ambassador_test")


@pytest.fixture(scope="session")
def screenshot_dir():
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    return SCREENSHOT_DIR


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
        "--user-data-dir=%s" % profile,
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(
        service=Service("/usr/bin/chromedriver"), options=options
    )
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
