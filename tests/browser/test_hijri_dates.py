"""Hijri dates in a real browser, in Arabic: a visitor on a tracking link sees
the Umm al-Qura date beside the Gregorian one, in order on a right-to-left
page, and hides it for the rest of the visit."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.hijri import hijri_label

from ..factories import CustomerFactory, QueueFactory, make_ticket

pytestmark = pytest.mark.browser


@pytest.fixture
def arabic_page(browser):
    context = browser.new_context(
        locale="ar-SA", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_visitor_reads_and_hides_hijri_dates_on_the_tracking_page_in_arabic(
    arabic_page, live_server, django_db_serialized_rollback, tmp_path
):
    queue = QueueFactory(name="Customer Service", slug="service", is_default=True)
    ticket = make_ticket(CustomerFactory(name="ليلى حسن"), queue, subject="فاتورة")
    page = arabic_page
    # The day the page shows: in the site's time zone, not UTC's (from 21:00
    # UTC, Riyadh is already on the next day).
    hijri = hijri_label(timezone.localdate(ticket.received_at), "ar")

    page.goto(live_server.url + reverse("portal:track", args=[ticket.tracking_token]))

    dates = page.get_by_test_id("dates")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(dates).to_contain_text(hijri)
    # The Gregorian date comes first in reading order, the Hijri one after it.
    first = dates.locator("bdi.dual-date").first
    box_time = first.locator("time").bounding_box()
    box_hijri = first.get_by_test_id("hijri").bounding_box()
    assert box_hijri["x"] + box_hijri["width"] <= box_time["x"] + 1
    page.screenshot(path=str(tmp_path / "tracking-ar.png"))

    page.get_by_role("button", name="إخفاء التواريخ الهجرية").click()

    expect(dates).not_to_contain_text(hijri)
    expect(page.get_by_role("button", name="إظهار التواريخ الهجرية")).to_be_visible()
