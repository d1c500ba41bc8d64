"""Customers in a real browser: the web form in Arabic, the tracking link,
the throttle and the size limit, on a phone-sized screen too."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tickets import services
from tickets.models import Ticket

from ..factories import QueueFactory, make_staff

pytestmark = pytest.mark.browser

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
    b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
    b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    QueueFactory(name="Customer Service", slug="service", is_default=True)
    return live_server.url


@pytest.fixture
def arabic_page(browser):
    context = browser.new_context(
        locale="ar-SA", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def fill_in_arabic(page, email="layla@example.com", subject="الفاتورة مكررة"):
    page.get_by_label("اسمك").fill("ليلى حسن")
    page.get_by_label("عنوان البريد الإلكتروني").fill(email)
    page.get_by_label("لغة ردودنا").select_option("ar")
    page.get_by_label("نوع الطلب").select_option("complaint")
    page.locator("#id_subject").fill(subject)
    page.get_by_label("رسالتك").fill("تم خصم المبلغ مرتين من بطاقتي هذا الشهر.")


def test_an_arabic_customer_submits_follows_replies_and_rates(arabic_page, site):
    page = arabic_page
    page.goto(site + reverse("portal:new"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    fill_in_arabic(page)
    page.get_by_label("المرفقات").set_input_files(
        [{"name": "إيصال.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="أرسل الطلب").click()

    ticket = Ticket.objects.get()
    expect(page.get_by_test_id("ticket-number")).to_have_text(ticket.number)
    expect(page.get_by_test_id("answer-by")).to_contain_text("سنرد عليك قبل")
    expect(page.get_by_label("رابطك الخاص")).to_have_value(
        re.compile(f"/support/t/{ticket.tracking_token}/$")
    )

    page.get_by_test_id("tracking-link").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("تم خصم المبلغ مرتين")
    expect(timeline).to_contain_text("إيصال.png")
    expect(page.get_by_test_id("next-step")).to_contain_text("سنرد عليك قبل")

    page.get_by_label("ردك").fill("أرفقت صورة الإيصال.")
    page.get_by_role("button", name="أرسل الرد").click()
    expect(page.get_by_role("alert")).to_contain_text("أضيف ردك")
    expect(timeline).to_contain_text("أرفقت صورة الإيصال.")

    agent = make_staff("agent", "Agents")
    services.reply_to_ticket(ticket, body_text="أعدنا المبلغ إلى بطاقتك.", by=agent)
    services.change_status(ticket, status="resolved", by=agent)
    page.reload()
    expect(timeline).to_contain_text("أعدنا المبلغ إلى بطاقتك.")
    page.locator("label[for=id_score_3]").click()  # the fourth star, "جيدة"
    expect(page.get_by_label("4 جيدة")).to_be_checked()
    page.get_by_label("تعليق (اختياري)").fill("خدمة سريعة")
    page.get_by_role("button", name="أرسل التقييم").click()

    expect(page.get_by_test_id("rating")).to_contain_text("4")
    ticket.refresh_from_db()
    assert (ticket.rating, ticket.rating_comment) == (4, "خدمة سريعة")
    page.screenshot(path="/tmp/browser-support-arabic.png", full_page=True)


def test_twenty_quick_submissions_are_throttled_kindly(page, site, settings):
    # Ten a day rather than the default ten per ten minutes: the same limit,
    # and no window can roll over in the middle of the test.
    settings.SUPPORT_RATE_IP = "10/d"
    answers = []
    for n in range(20):
        page.goto(site + reverse("portal:new"))
        page.get_by_label("Your name").fill("Sam")
        page.get_by_label("Email address").fill(f"sam{n}@example.com")
        page.get_by_label("Subject").fill(f"Question {n}")
        page.get_by_label("Your message").fill("How do I change my address?")
        page.get_by_role("button", name="Send request").click()
        confirmation = page.get_by_test_id("confirmation")
        expect(confirmation.or_(page.get_by_test_id("form-errors"))).to_be_visible()
        answers.append(confirmation.count() == 1)

    assert answers == [True] * 10 + [False] * 10
    expect(page.get_by_test_id("form-errors")).to_contain_text(
        "Please wait a few minutes"
    )
    expect(page.get_by_label("Subject")).to_have_value("Question 19")
    assert Ticket.objects.count() == 10


def test_a_30_mb_file_is_refused_and_the_form_kept(page, site, tmp_path):
    page.goto(site + reverse("portal:new"))
    page.get_by_label("Your name").fill("Sam")
    page.get_by_label("Email address").fill("sam@example.com")
    page.get_by_label("Subject").fill("Scanned contract")
    page.get_by_label("Your message").fill("Please find the contract attached.")
    big = tmp_path / "contract.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024))
    page.get_by_label("Attachments").set_input_files(big)

    page.get_by_role("button", name="Send request").click()

    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("“contract.pdf” is too large")
    expect(errors).to_contain_text("the limit is 10")
    expect(page.get_by_label("Subject")).to_have_value("Scanned contract")
    expect(page.get_by_label("Your message")).to_have_value(
        "Please find the contract attached."
    )
    assert Ticket.objects.count() == 0


def test_the_form_is_usable_with_the_keyboard_alone(page, site):
    page.goto(site + reverse("portal:new"))

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Enter")
    focused = []
    for _ in range(30):
        page.keyboard.press("Tab")
        focused.append(
            page.evaluate(
                "document.activeElement.id || document.activeElement.textContent.trim()"
            )
        )
        if focused[-1] == "Send request":
            break

    assert "id_name" in focused
    assert "id_attachments" in focused
    assert "id_website" not in focused  # the honeypot is never reached
    assert focused[-1] == "Send request"
