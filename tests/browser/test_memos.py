"""A memo answered by another department, in Arabic: the agent of Service
sends a memo to Billing, Billing's agent finds it in the memo list and answers
it, and the answer appears in the ticket's timeline for the first agent."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from playwright.sync_api import expect

from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
SUBJECT = "استرداد رسوم الطلب رقم 5520"
MEMO = "يرجى إفادتنا بحالة استرداد الرسوم للعميل."
ANSWER = "تمت إعادة المبلغ إلى حساب العميل يوم الأحد."


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """Two departments, an agent in each, and a ticket in Service."""
    service = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    billing = Queue.objects.create(name="Billing", name_ar="الفوترة", slug="bill")
    for username, queue in (("nadia", service), ("samir", billing)):
        agent = UserFactory(username=username)
        agent.groups.add(Group.objects.get(name=AGENTS))
        queue.agents.add(agent)
    customer = services.create_customer(name="Layla", email="layla@example.com")
    ticket = services.open_ticket(
        customer=customer,
        subject=SUBJECT,
        body_text="أرجو استرداد الرسوم.",
        channel="email",
        queue=service,
    )
    return live_server.url, ticket


def signed_in(browser, site, username):
    """A page of a new Arabic browser, signed in as `username`."""
    context = browser.new_context(
        locale="ar-SA", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(site + reverse("login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    expect(page).not_to_have_url(site + reverse("login"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    return context, page


def test_a_memo_is_answered_by_another_department_in_arabic(browser, site):
    url, ticket = site
    sender_context, sender = signed_in(browser, url, "nadia")
    sender.goto(url + ticket.get_absolute_url())
    sender.locator('[data-bs-target="#tab-memo"]').click()
    form = sender.get_by_test_id("memo-form")
    form.locator("select").select_option(label="الفوترة")
    form.locator("textarea").fill(MEMO)
    form.locator("button[type=submit]").click()
    memos = sender.get_by_test_id("ticket-memos")
    expect(memos).to_contain_text("MEMO-")
    expect(memos).to_contain_text("بانتظار الرد")
    number = memos.locator("[data-memo]").first.get_attribute("data-memo")

    answer_context, billing = signed_in(browser, url, "samir")
    expect(billing.get_by_test_id("memo-count")).to_have_text("1")
    billing.get_by_test_id("nav-memos").click()
    row = billing.get_by_test_id("memo-table").locator(f'tr[data-memo="{number}"]')
    expect(row).to_contain_text(SUBJECT)
    row.get_by_role("link", name=number).click()
    expect(billing.get_by_test_id("ticket-header")).to_contain_text(SUBJECT)
    answer = billing.get_by_test_id("memo-answer-form")
    answer.locator("textarea").fill(ANSWER)
    answer.get_by_role("button", name="الرد على المذكرة").click()
    expect(billing.locator(".alert")).to_contain_text(f"تم الرد على المذكرة {number}")
    billing.screenshot(path="/tmp/browser-memo-answered-arabic.png", full_page=True)
    answer_context.close()

    sender.reload()
    reply = sender.locator(".timeline-entry.internal").filter(has_text=ANSWER)
    expect(reply).to_contain_text(f"رد على المذكرة {number}")
    expect(sender.get_by_test_id("ticket-memos")).to_contain_text("تم الرد")
    sender_context.close()
