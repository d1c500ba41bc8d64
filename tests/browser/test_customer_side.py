"""The customer's side in a real browser, on a 390 px phone in Arabic: a
double click on Send makes one ticket, and the rating is five stars to tap."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tickets import services
from tickets.models import Queue, Ticket

from ..factories import CustomerFactory, QueueFactory, make_staff, make_ticket
from .test_support import fill_in_arabic

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    QueueFactory(name="Customer Service", slug="service", is_default=True)
    return live_server.url


def phone(browser, *, javascript=True):
    context = browser.new_context(
        locale="ar-SA",
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(15_000)
    return context


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_double_click_on_send_makes_one_ticket(browser, site, javascript):
    # With scripts the button is disabled after the first click; without them
    # the browser really sends twice, and the form's token keeps it to one.
    context = phone(browser, javascript=javascript)
    page = context.new_page()
    page.goto(site + reverse("portal:new"))
    fill_in_arabic(page)

    page.get_by_role("button", name="أرسل الطلب").dblclick()

    expect(page.get_by_test_id("confirmation")).to_be_visible()
    ticket = Ticket.objects.get()
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)
    # The confirmation gives the date, not only the weekday.
    expect(page.get_by_test_id("answer-by")).to_contain_text(
        str(ticket.received_at.year)
    )
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=f"/tmp/browser-double-click-{javascript}.png")
    context.close()
    assert Ticket.objects.count() == 1


def test_the_rating_is_tapped_on_a_phone_and_works_with_the_keyboard(browser, site):
    customer = CustomerFactory(name="ليلى", email="layla@example.com")
    ticket = make_ticket(customer, Queue.objects.get(slug="service"), channel="web")
    agent = make_staff("agent", "Agents")
    services.reply_to_ticket(ticket, body_text="أعدنا المبلغ إلى بطاقتك.", by=agent)
    services.change_status(ticket, status="resolved", by=agent)
    context = phone(browser)
    page = context.new_page()
    page.goto(site + reverse("portal:track", args=[ticket.tracking_token]))

    stars = page.get_by_test_id("rating-stars")
    expect(stars).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # Large enough for a thumb: at least 44 px each way.
    for n in range(1, 6):
        box = page.locator(f"label[for=id_score_{n - 1}]").bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (n, box)
    # In Arabic the stars run from the right: 1 is rightmost.
    one = page.locator("label[for=id_score_0]").bounding_box()
    five = page.locator("label[for=id_score_4]").bounding_box()
    assert one["x"] > five["x"]
    # The customer's words in the timeline and the status.
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("أنت")
    expect(timeline).to_contain_text("خدمة العملاء")
    expect(page.get_by_test_id("status")).to_contain_text("تمت معالجته")

    page.locator("label[for=id_score_2]").tap()
    expect(page.get_by_label("3 مقبولة")).to_be_checked()
    # Arrow keys move between the stars, as in any radio group.
    page.get_by_label("3 مقبولة").focus()
    page.keyboard.press("ArrowLeft")  # towards 5 in a right-to-left row
    expect(page.get_by_label("4 جيدة")).to_be_checked()
    page.screenshot(path="/tmp/browser-rating-arabic.png", full_page=True)
    page.get_by_role("button", name="أرسل التقييم").click()

    expect(page.get_by_test_id("rating")).to_contain_text("4")
    ticket.refresh_from_db()
    assert ticket.rating == 4
    context.close()


def test_support_signed_out_offers_the_emailed_link_on_a_phone(browser, site):
    context = phone(browser)
    page = context.new_page()
    page.goto(site + "/support/")

    expect(
        page.get_by_role("heading", name="تسجيل الدخول بالبريد الإلكتروني")
    ).to_be_visible()
    expect(page.get_by_role("button", name="أرسل لي رابط تسجيل الدخول")).to_be_visible()
    expect(page.get_by_test_id("staff-sign-in")).to_have_text("تسجيل دخول الموظفين")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path="/tmp/browser-support-signed-out.png", full_page=True)
    context.close()
