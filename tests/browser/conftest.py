"""A real Chromium (Debian's), driven by Playwright, against pytest-django's live server.

Without Chromium these tests are skipped, unless REQUIRE_BROWSER=1 (as in CI),
where a missing browser is a failure.
"""

import os
import shutil

import pytest

from portal.roles import ensure_roles

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="da-DK")
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def no_js_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    context.set_default_timeout(15_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture(autouse=True)
def roles(transactional_db):
    """The role groups and their permissions, made again by the migrations' own code.

    A live-server test empties every table afterwards, the groups the data
    migrations made included. (serialized_rollback cannot restore them here:
    Playwright's event loop makes Django hand this thread a fresh connection
    object, without the snapshot.)
    """
    ensure_roles()


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, loaded as `make run` loads it."""
    from django.core.management import call_command

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
