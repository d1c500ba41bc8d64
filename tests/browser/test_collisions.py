"""Two agents on one demo ticket in two browsers: each sees the other, typing
shows as typing, leaving takes the agent off; a reply is held back when the
other agent answered the customer first, and "Send anyway" sends it."""

import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from playwright.sync_api import expect

from tickets import presence
from tickets.models import Ticket

from .test_smoke import AGENT1_COMPLAINT, PASSWORD, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def site(demo_clock, live_server, django_db_serialized_rollback, settings):
    # A beat a second keeps the test quick; the rules are the same.
    settings.PRESENCE_HEARTBEAT_SECONDS = 1
    call_command("seed_demo", password=PASSWORD)
    return live_server.url


def leave(ticket, *pages):
    """Take the pages off the ticket and wait until the server has had their
    goodbyes: one still on its way when the test's database is emptied would
    deadlock with it."""
    for page in pages:
        page.goto("about:blank")
    deadline = time.monotonic() + 10
    while presence.others(ticket, AnonymousUser()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert presence.others(ticket, AnonymousUser()) == []


@pytest.fixture
def second_page(browser):
    context = browser.new_context(
        locale="en-GB", viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_two_agents_on_one_ticket_see_each_other_and_who_is_typing(
    page, second_page, site
):
    ticket = Ticket.objects.get(subject=AGENT1_COMPLAINT)
    omar, salma = page, second_page
    sign_in(omar, site, "agent1")
    sign_in(salma, site, "supervisor")

    omar.goto(site + ticket.get_absolute_url())
    salma.goto(site + ticket.get_absolute_url())

    expect(omar.get_by_test_id("presence")).to_have_text("Salma Al-Otaibi is viewing")
    expect(salma.get_by_test_id("presence")).to_have_text("Omar Haddad is viewing")

    omar.locator("#reply-body").press_sequentially("We are on it", delay=50)

    expect(salma.get_by_test_id("presence")).to_have_text(
        "Omar Haddad is typing a reply…"
    )
    # Without keystrokes the typing fades back to viewing.
    expect(salma.get_by_test_id("presence")).to_have_text(
        "Omar Haddad is viewing", timeout=20_000
    )

    omar.goto(site + "/agent/")

    expect(salma.get_by_test_id("presence")).to_be_empty()
    leave(ticket, omar, salma)


def test_a_reply_is_held_back_after_a_colleague_answered_and_sent_anyway(
    page, second_page, site
):
    ticket = Ticket.objects.get(subject=AGENT1_COMPLAINT)
    omar, salma = page, second_page
    sign_in(omar, site, "agent1")
    sign_in(salma, site, "supervisor")
    omar.goto(site + ticket.get_absolute_url())
    salma.goto(site + ticket.get_absolute_url())
    # Priority changed by the supervisor: no reason to hold a reply back.
    salma.get_by_test_id("properties-form").get_by_label("Priority").select_option("1")
    salma.get_by_test_id("properties-form").get_by_role(
        "button", name="Save changes"
    ).click()
    salma.locator("#reply-body").fill("Your refund was approved today.")
    salma.get_by_test_id("send-reply").click()
    expect(salma.locator(".timeline-entry.outbound").last).to_contain_text(
        "Your refund was approved today."
    )

    omar.locator("#reply-body").fill("We will refund you this week.")
    omar.get_by_test_id("send-pending").click()

    warning = omar.get_by_test_id("held-back")
    expect(warning).to_contain_text("Your reply was not sent")
    expect(warning).to_contain_text("Your refund was approved today.")
    expect(warning).to_contain_text("Salma Al-Otaibi")
    expect(omar.locator("#reply-body")).to_have_value("We will refund you this week.")

    omar.get_by_test_id("send-anyway").click()

    expect(omar.get_by_test_id("held-back")).to_have_count(0)
    expect(omar.locator(".timeline-entry.outbound").last).to_contain_text(
        "We will refund you this week."
    )
    ticket.refresh_from_db()
    assert ticket.status == "pending"
    leave(ticket, omar, salma)
