"""Smoke tests in a real browser: sign in, see tickets, switch to Arabic.

They run against pytest-django's live server, which serves the front-end
assets (Bootstrap, icons, htmx from node_modules) locally, as production does.
"""

import pytest
from django.core.management import call_command
from django.templatetags.static import static
from django.urls import reverse
from playwright.sync_api import expect

from demo.seed import TICKETS

pytestmark = pytest.mark.browser

PASSWORD = "browser-demo-pass"
TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")

AGENT1_COMPLAINT = "تأخر شحنة الطلب رقم 4471"  # complaints queue, agent1's
AGENT1_SERVICE = "Bulk order discount"  # service queue, open
BILLING_ONLY = "Monthly statement missing for October"  # billing: agent2's queue
BOOTSTRAP_CSS = static("vendor/bootstrap/css/bootstrap.min.css")
BOOTSTRAP_RTL_CSS = static("vendor/bootstrap/css/bootstrap.rtl.min.css")


def subjects_of(customer):
    return [t.subject for t in TICKETS if t.customer == customer]


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback):
    """The live server's URL with the demo data committed.

    Serialized rollback puts back the rows the data migrations made (service
    tiers, role groups) after the flush that follows each live-server test.
    """
    call_command("seed_demo", password=PASSWORD)
    return live_server.url


def sign_in(page, site, username):
    page.goto(site + reverse("login"))
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(site + reverse("login"))


def stylesheets(page):
    """Path and rule count of each linked stylesheet that loaded."""
    return page.evaluate(
        """() => [...document.styleSheets].filter(s => s.href)
                 .map(s => [new URL(s.href).pathname, s.cssRules.length])"""
    )


def test_an_agent_signs_in_and_sees_the_demo_tickets(page, site):
    sign_in(page, site, "agent1")

    expect(page).to_have_url(site + reverse("tickets:list"))
    page.wait_for_load_state("load")  # stylesheets included
    table = page.get_by_test_id("ticket-table")
    expect(table).to_contain_text(AGENT1_COMPLAINT)
    expect(table).to_contain_text(AGENT1_SERVICE)
    expect(table).not_to_contain_text(BILLING_ONLY)
    navbar = page.locator("nav.navbar")
    background = navbar.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in TRANSPARENT  # Bootstrap's bg-primary applied
    loaded = dict(stylesheets(page))
    assert loaded.get(BOOTSTRAP_CSS, 0) > 0


def test_switching_to_arabic_gives_a_right_to_left_page(page, site):
    sign_in(page, site, "agent1")
    expect(page.get_by_test_id("ticket-table")).to_contain_text(AGENT1_SERVICE)

    page.get_by_test_id("switch-language").click()

    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    page.wait_for_load_state("load")  # the new page's stylesheets included
    expect(page.get_by_test_id("switch-language")).to_have_text("English")
    expect(page.get_by_test_id("ticket-table")).to_contain_text(AGENT1_COMPLAINT)
    loaded = dict(stylesheets(page))
    assert loaded.get(BOOTSTRAP_RTL_CSS, 0) > 0
    assert BOOTSTRAP_CSS not in loaded
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # The RTL stylesheet really lays the page out right to left: the brand
    # starts the navbar on the right-hand side.
    brand = page.locator(".navbar-brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    page.screenshot(path="/tmp/browser-arabic.png", full_page=True)


def test_a_customer_sees_only_their_own_requests(page, site):
    sign_in(page, site, "customer1@example.com")

    expect(page).to_have_url(site + reverse("portal:list"))
    main = page.locator("main")
    for subject in subjects_of("customer1"):
        expect(main).to_contain_text(subject)
    for subject in subjects_of("customer2"):
        expect(main).not_to_contain_text(subject)
