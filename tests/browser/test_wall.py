"""The wall screen on a 1080p TV, in Arabic and English: it fits without
scrolling, the next tickets to breach are in view, states are coloured, and a
failed refresh keeps the figures and says they may be stale."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from .test_smoke import PASSWORD, sign_in

pytestmark = pytest.mark.browser
LIVE = reverse("supervisor:wall_live")


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback):
    from customers.models import Customer
    from tickets import services
    from tickets.models import Queue

    call_command("seed_demo", password=PASSWORD)
    # Emails from a standard customer, 47 hours old: due within the hour; more
    # of them than the screen lists.
    for n in range(8):
        services.open_ticket(
            customer=Customer.objects.get(email="customer2@example.com"),
            queue=Queue.objects.get(slug="service"),
            subject=f"Due within the hour ({n + 1})",
            body_text="Still waiting.",
            channel="email",
            received_at=timezone.now() - timedelta(hours=47, minutes=n),
        )
    return live_server.url


def tv(browser, width, height):
    context = browser.new_context(
        locale="en-GB", viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    return context


def in_viewport(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= size["width"]
    )


def no_scroll(page) -> bool:
    return page.evaluate(
        """() => document.scrollingElement.scrollHeight <= innerHeight
                 && document.scrollingElement.scrollWidth <= innerWidth"""
    )


@pytest.mark.parametrize(
    "language, heading, due_word",
    [("en", "Service levels now", "minutes"), ("ar", "مستويات الخدمة الآن", "دقيقة")],
)
def test_the_wall_fits_a_1080p_screen(browser, site, language, heading, due_word):
    context = tv(browser, 1920, 1080)
    page = context.new_page()
    sign_in(page, site, "supervisor")
    if language == "ar":
        page.get_by_test_id("switch-language").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.goto(site + reverse("supervisor:wall"))

    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(page.locator("nav.navbar")).to_have_count(0)
    assert no_scroll(page)
    due = page.get_by_test_id("wall-due")
    rows = page.get_by_test_id("wall-due-row")
    expect(rows.first).to_contain_text(due_word)
    assert in_viewport(page, due)
    expect(rows).to_have_count(6)
    assert in_viewport(page, rows.last)
    assert in_viewport(page, due.locator(".wall-more"))
    assert in_viewport(page, page.get_by_test_id("wall-queues"))
    # Read from across the room: big figures, states in their own colours.
    number = page.get_by_test_id("wall-breached").locator(".wall-number")
    assert number.evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 80
    colours = {
        state: page.get_by_test_id(f"wall-{state}")
        .locator(".wall-number")
        .evaluate("e => getComputedStyle(e).color")
        for state in ("on_track", "at_risk", "breached")
    }
    assert colours == {
        "on_track": "rgb(61, 220, 132)",
        "at_risk": "rgb(255, 194, 51)",
        "breached": "rgb(255, 107, 107)",
    }
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 14, 19)"
    if language == "ar":
        tiles = page.locator(".wall-tile")
        assert tiles.first.bounding_box()["x"] > tiles.last.bounding_box()["x"]
    page.screenshot(path=f"/tmp/wall-{language}.png")

    # Smaller screens keep everything in view, in proportion.
    page.set_viewport_size({"width": 1280, "height": 720})
    assert no_scroll(page)
    assert in_viewport(page, due)
    assert in_viewport(page, due.locator(".wall-more"))
    page.screenshot(path=f"/tmp/wall-{language}-720.png")
    context.close()


def test_the_wall_refreshes_in_place_and_marks_stale_figures(browser, site):
    context = tv(browser, 1920, 1080)
    page = context.new_page()
    sign_in(page, site, "supervisor")
    page.goto(site + reverse("supervisor:wall"))
    page.evaluate("window.notReloaded = true")
    stale = page.get_by_test_id("wall-stale")
    expect(stale).to_be_hidden()
    refresh = (
        f"htmx.ajax('GET', '{LIVE}', {{source: '#wall-live', target: '#wall-live'}})"
    )

    # The server fails: the figures stay, marked as possibly out of date.
    page.route(f"**{LIVE}*", lambda route: route.fulfill(status=500, body="down"))
    page.evaluate(refresh)
    expect(stale).to_be_visible()
    expect(page.get_by_test_id("wall-due-row").first).to_be_visible()
    # Signed out meanwhile: the sign-in page does not replace the figures.
    page.unroute(f"**{LIVE}*")
    page.route(
        f"**{LIVE}*",
        lambda route: route.fulfill(status=200, body="<form>Sign in</form>"),
    )
    page.evaluate(refresh)
    expect(page.get_by_test_id("wall-live")).to_be_visible()
    expect(stale).to_be_visible()

    # Back again: fresh figures, no marker, and never a full reload.
    page.unroute(f"**{LIVE}*")
    with page.expect_response(lambda r: LIVE in r.url and r.status == 200):
        page.evaluate(refresh)
    expect(stale).to_be_hidden()
    expect(page.get_by_test_id("as-of")).to_be_visible()
    assert page.evaluate("window.notReloaded === true")
    context.close()
