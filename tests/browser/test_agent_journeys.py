"""Agent journeys in a real browser: work the most urgent ticket, log a call
from a new caller, find a ticket by Arabic text, and the same in Arabic (RTL)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from customers.models import Customer
from sla.display import STATE_LABELS, State
from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
URGENT = "تأخّر شحنة الطلب رقم 4471"
LATER = "Question about opening hours"


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """An agent with two new tickets in their queue, the older one more urgent."""
    agent = UserFactory(username="nadia", first_name="Nadia")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Service", slug="service")
    queue.agents.add(agent)
    customer = services.create_customer(
        name="Layla", email="layla@example.com", phone="0501234567"
    )
    now = timezone.now()
    for subject, age in ((URGENT, timedelta(hours=1)), (LATER, timedelta(0))):
        services.open_ticket(
            customer=customer,
            subject=subject,
            body_text="Please help.",
            channel="email",
            queue=queue,
            received_at=now - age,
        )
    return live_server.url


def sign_in(page, site):
    page.goto(site + reverse("login"))
    page.get_by_label("Username or email").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(site + reverse("login"))


def reply_to_most_urgent(page, site, reply, button="send-reply"):
    page.goto(site + reverse("tickets:list") + "?view=open")
    first_row = page.get_by_test_id("ticket-table").locator("tbody tr").first
    expect(first_row).to_contain_text(URGENT)
    first_row.locator("a.ticket-number").click()
    expect(page.get_by_test_id("ticket-header")).to_contain_text(URGENT)
    first_response = page.locator('[data-clock="first_response"]')
    expect(first_response).to_have_attribute("data-state", "on_track")
    page.locator("#reply-body").fill(reply)
    page.get_by_test_id(button).click()
    expect(page.locator(".timeline-entry.outbound")).to_contain_text(reply)
    expect(first_response).to_have_attribute("data-state", "met")
    return first_response


def test_an_agent_replies_to_the_most_urgent_ticket_and_meets_the_clock(page, site):
    sign_in(page, site)

    clock = reply_to_most_urgent(page, site, "Your parcel ships today.")

    expect(clock).to_contain_text(str(STATE_LABELS[State.MET]))
    page.screenshot(path="/tmp/browser-ticket-page.png", full_page=True)
    page.goto(site + reverse("tickets:list"))
    expect(page.get_by_test_id("count-open")).to_have_text("2")
    page.screenshot(path="/tmp/browser-queue-page.png", full_page=True)


def test_an_agent_replies_and_sets_the_ticket_pending_in_one_click(page, site):
    sign_in(page, site)

    reply_to_most_urgent(
        page, site, "Could you send the tracking number?", button="send-pending"
    )

    expect(page.get_by_test_id("ticket-header")).to_contain_text("Pending")
    expect(page.locator('[data-clock="resolution"]')).to_have_attribute(
        "data-state", "paused"
    )


def test_an_agent_logs_a_call_from_a_new_customer(page, site):
    sign_in(page, site)
    page.goto(site + reverse("tickets:list"))

    page.get_by_role("link", name="Log a contact").first.click()
    page.locator("#customer-search").fill("0559876543")
    expect(page.get_by_test_id("customer-results")).to_contain_text("No customer found")
    page.get_by_label("Name", exact=True).fill("Yousef")
    page.get_by_label("Phone", exact=True).fill("0559876543")
    page.get_by_label("Subject").fill("Meter reading")
    page.get_by_label("What the customer said").fill("How do I send my reading?")
    page.get_by_role("button", name="Open the ticket").click()

    expect(page.get_by_test_id("ticket-header")).to_contain_text("Meter reading")
    expect(page.get_by_test_id("customer-panel")).to_contain_text("Yousef")
    expect(page.locator('[data-clock="first_response"]')).to_have_attribute(
        "data-state", "met"
    )
    assert Customer.objects.get(name="Yousef").phone == "0559876543"


def test_an_agent_finds_a_caller_as_they_type(page, site):
    sign_in(page, site)
    page.goto(site + reverse("tickets:log"))

    page.locator("#customer-search").fill("050123")
    page.get_by_test_id("customer-results").get_by_role("button").first.click()

    expect(page.get_by_test_id("chosen-customer")).to_have_text("Layla")
    expect(page.locator("#new-customer")).to_be_hidden()


def test_an_agent_finds_a_ticket_by_arabic_text_typed_loosely(page, site):
    sign_in(page, site)
    page.goto(site + reverse("tickets:list"))

    page.locator("#queue-search").fill("تاخر الشحنه")
    page.locator("#queue-search").press("Enter")

    results = page.get_by_test_id("search-results")
    expect(results).to_contain_text(URGENT)
    expect(results).not_to_contain_text(LATER)


def test_the_same_journey_in_arabic_right_to_left(page, site):
    sign_in(page, site)
    page.goto(site + reverse("tickets:list"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    clock = reply_to_most_urgent(page, site, "سيتم شحن طلبك اليوم.")

    with translation.override("ar"):
        expect(clock).to_contain_text(str(STATE_LABELS[State.MET]))
    page.goto(site + reverse("tickets:list"))
    page.locator("#queue-search").fill("شحنه")
    page.locator("#queue-search").press("Enter")
    expect(page.get_by_test_id("search-results")).to_contain_text(URGENT)
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path="/tmp/browser-agent-arabic.png", full_page=True)
