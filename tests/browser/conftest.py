"""Playwright driving Debian's Chromium, with axe-core from npm for accessibility checks.

On a machine without Chromium or without `npm ci` having run, these tests skip
and say how to enable them; with REQUIRE_BROWSER=1 (as in CI) they fail instead.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connections
from wagtail.users.models import UserProfile

CHROMIUM = Path("/usr/bin/chromium")
AXE_SCRIPT = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (REQUIRE_BROWSER=1 forbids skipping browser tests)")
    pytest.skip(reason)


@pytest.fixture
def browser():
    """Function-scoped, so it starts after pytest-django has prepared the database:
    with Playwright's event loop already running, restoring a transactional test's
    data fails."""
    if not CHROMIUM.exists():
        unavailable(
            "Chromium not found at /usr/bin/chromium: install Debian's package "
            "(sudo apt-get install chromium) to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # The test's database calls inside Playwright's loop ran on connections of this
        # context: closed here, or they outlive the test and hold the test database open
        # (but not one a module's fixture still holds in a transaction).
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.exists():
        unavailable("axe-core not installed: run `npm ci` (make test does) to run browser tests")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source):
    """Run axe-core on the current page; fail on any serious or critical violation."""

    def check(page) -> None:
        page.add_script_tag(content=axe_source)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        blocking = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in results["violations"]
            if violation["impact"] in {"serious", "critical"}
        ]
        assert not blocking, f"{page.url}: {json.dumps(blocking, ensure_ascii=False, indent=2)}"

    return check


def sign_in_to_admin(page, server_url: str, user, password: str) -> list[str]:
    """Signs `user` in through the admin's sign-in form; returns the list that collects the
    page's uncaught JavaScript errors (a test asserts it stays empty)."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server_url}/admin/login/")
    page.locator("input[name=username]").fill(user.get_username())
    page.locator("input[name=password]").fill(password)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"/admin/$"))
    return errors


def make_reviewer(django_user_model, username: str, password: str):
    """A user of the Reviewers group (quiz and training reports) whose admin speaks
    English, so that assertions read the strings as written in the code."""
    user = django_user_model.objects.create_user(username, password=password)
    user.groups.add(Group.objects.get(name="Reviewers"))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user
