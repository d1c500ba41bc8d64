"""SLA clocks, ledger and notifications in a real browser, in both languages."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from tickets.models import Ticket

from .test_smoke import AGENT1_COMPLAINT, PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback):
    """The demo, swept: its VIP complaint is breached and escalated."""
    call_command("seed_demo", password=PASSWORD)
    return live_server.url


def test_a_supervisor_sees_why_a_breached_ticket_was_due_in_arabic(page, site):
    ticket = Ticket.objects.get(subject=AGENT1_COMPLAINT)
    sign_in(page, site, "supervisor")
    page.get_by_test_id("switch-language").click()

    page.goto(site + ticket.get_absolute_url())

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    first = page.locator('[data-clock="first_response"]')
    expect(first).to_have_attribute("data-state", "breached")
    expect(first).to_contain_text("متجاوزة")
    ledger = page.get_by_test_id("sla-ledger")
    expect(ledger).to_contain_text("لماذا موعدها كذا؟")
    expect(ledger).to_contain_text("شكاوى كبار العملاء")  # the policy's Arabic name
    # The clock panel sits at the reading start of the sidebar, left of the
    # correspondence in a right-to-left page.
    panel = page.get_by_test_id("sla-clocks").bounding_box()
    timeline = page.locator("#timeline-heading").bounding_box()
    assert panel["x"] < timeline["x"]


def test_an_agent_follows_a_breach_notification_to_its_ticket(page, site):
    sign_in(page, site, "agent1")  # their VIP complaint breached

    bell = page.get_by_role("link", name="Notifications")
    expect(bell.get_by_test_id("unread-count")).to_be_visible()
    bell.click()
    notice = (
        page.get_by_test_id("notifications")
        .locator("li")
        .filter(has_text="is breached")
        .first
    )
    number = notice.locator(".ticket-number").inner_text()
    notice.get_by_role("button").click()

    expect(page.get_by_test_id("sla-clocks")).to_be_visible()
    assert page.url.endswith(f"/agent/tickets/{number}/")


def test_supervisors_read_the_policies_on_the_service_levels_page(page, site):
    sign_in(page, site, "supervisor")

    page.get_by_role("link", name="SLA policies").click()

    expect(page).to_have_url(site + reverse("sla_settings"))
    expect(page.get_by_test_id("policies")).to_contain_text(
        "First response within 2 days."
    )
