"""Playwright fixtures: one headless Debian Chromium for the session, and a
fresh context (cookies, language, session) for every test.

Playwright is never downloaded here (`playwright install` needs the network):
the tests drive the distribution's Chromium, which .ci/run installs.
"""

import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from sla.models import Holiday

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright(django_db_setup):
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM}: .ci/run installs it")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio event loop running in this thread
    # from start() to stop(), and Django refuses ORM calls from a thread with a
    # running loop (SynchronousOnlyOperation). The tests, pytest-django's flush
    # between them, and any test after them in the session use the ORM from
    # this thread while no coroutine is actually running, so allow it for as
    # long as Playwright runs, and restore the check afterwards.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # The running loop also makes Django's thread-critical connection handler
    # hand this thread a new, context-local set of connections. Give them the
    # test database's serialized contents, as Django's parallel runner does for
    # its workers, so serialized rollback (tests/browser/test_smoke.py) still
    # restores the rows the data migrations made.
    serialized = {
        conn.alias: conn._test_serialized_contents
        for conn in connections.all()
        if hasattr(conn, "_test_serialized_contents")
    }
    driver = sync_playwright().start()
    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents
    try:
        yield driver
    finally:
        # Close the context-local connections while they can still be reached:
        # PostgreSQL will not drop the test database while one is open.
        connections.close_all()
        driver.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright, live_server):
    # Asking for the live server here starts it after Playwright (so it shares
    # the test thread's connection to an in-memory SQLite database) and stops
    # it only after Chromium has closed its keep-alive connections to it.
    chromium = playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture(autouse=True)
def _presence_off(settings):
    """No heartbeats unless a test asks for them (tests/browser/test_collisions.py):
    a page's goodbye beacon, sent as its context closes, could reach the live
    server while the test's database is being emptied, and the two deadlock."""
    settings.PRESENCE_HEARTBEAT_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_login_rate_limits():
    """Sign-ins are rate limited per IP; other tests' attempts from 127.0.0.1
    stay in the (process-wide) local-memory cache, so start from zero."""
    cache.clear()


def demo_noon() -> datetime:
    """Noon on the next working Tuesday. The demo's SLA states depend on when
    it is loaded and looked at (its VIP complaint is not yet breached early on
    a Sunday), and so would the tests; a day near today keeps the cookies the
    server sets unexpired in the browser."""
    day = timezone.localdate()
    day += timedelta(days=(1 - day.weekday()) % 7)
    while Holiday.objects.filter(date=day).exists():
        day += timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(12)))


@pytest.fixture
def demo_clock(transactional_db):
    """Hold the clock, ticking, at `demo_noon`."""
    noon = demo_noon()
    with time_machine.travel(noon, tick=True):
        yield noon
