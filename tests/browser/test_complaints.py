"""A complaint in a real browser, in Arabic: the agent records the root
cause and the corrective action and resolves it; the customer appeals
from the tracking link with a reason; the supervisor is told, is given the
complaint, and sees its appeal clock running."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext
from playwright.sync_api import expect

from sla.display import STATE_LABELS, State
from tickets import services
from tickets.models import Queue, Ticket
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
SUBJECT = "تعامل غير لائق في فرع العليا"
SUMMARY = "اعتذرنا للعميل وأعدنا إليه رسوم الخدمة كاملة."
REASON = "لم تصلني الرسوم المستردة حتى الآن رغم مرور أسبوع."


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """A complaint in the service queue, assigned to agent Nadia; Maha
    supervises the queue. The shipped complaint policy applies."""
    nadia = UserFactory(username="nadia", first_name="Nadia")
    nadia.groups.add(Group.objects.get(name=AGENTS))
    maha = UserFactory(username="maha", first_name="Maha")
    maha.groups.add(Group.objects.get(name=SUPERVISORS))
    queue = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    queue.agents.add(nadia)
    queue.supervisors.add(maha)
    customer = services.create_customer(
        name="سلمى العتيبي", email="salma@example.com", phone="0501112233"
    )
    ticket = services.open_ticket(
        customer=customer,
        subject=SUBJECT,
        body_text="تعامل الموظف معي بأسلوب غير لائق عند الشباك.",
        channel="walk_in",
        queue=queue,
        kind="complaint",
    )
    services.assign_ticket(ticket, agent=nadia, by=nadia)
    return live_server.url, ticket


def sign_in_in_arabic(page, url, username):
    page.goto(url + reverse("login"))
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(url + reverse("login"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_customer_appeals_a_resolved_complaint_in_arabic(browser, page, site):
    url, ticket = site

    # The agent records the findings and resolves the complaint.
    sign_in_in_arabic(page, url, "nadia")
    page.goto(url + ticket.get_absolute_url())
    card = page.get_by_test_id("complaint-card")
    card.get_by_label("درجة الخطورة").select_option(label="كبيرة")
    card.get_by_label("السبب الجذري", exact=True).select_option(label="سلوك الموظفين")
    card.get_by_label("تفاصيل السبب الجذري").fill("الموظف لم يلتزم بدليل التعامل.")
    card.get_by_label("الإجراء التصحيحي").fill("دورة تدريبية في خدمة العملاء.")
    card.get_by_role("button", name="بدء التحقيق").click()
    card = page.get_by_test_id("complaint-card")
    expect(card.get_by_test_id("complaint-stage")).to_have_text("قيد التحقيق")
    card.get_by_label("ملخص الحل").fill(SUMMARY)
    card.get_by_role("button", name="حل الشكوى").click()
    with translation.override("ar"):
        resolved = pgettext("complaint stage", "Resolved")
    expect(page.get_by_test_id("complaint-stage")).to_have_text(resolved)
    expect(page.locator("body")).to_contain_text("المرحلة قيد التحقيق ← " + resolved)

    # The customer appeals from the tracking link, in Arabic.
    customer = browser.new_context(
        locale="ar-SA", viewport={"width": 390, "height": 844}
    )
    phone = customer.new_page()
    phone.goto(url + reverse("portal:track", args=[ticket.tracking_token]))
    expect(phone.locator("html")).to_have_attribute("dir", "rtl")
    complaint = phone.get_by_test_id("complaint")
    expect(complaint.get_by_test_id("resolution-summary")).to_have_text(SUMMARY)
    expect(complaint.get_by_role("button", name="قبول الحل")).to_be_visible()
    complaint.locator("summary").click()
    complaint.get_by_label("ما سبب عدم قبولك للحل؟").fill(REASON)
    complaint.get_by_role("button", name="إرسال التظلم").click()
    expect(phone.locator("body")).to_contain_text("تم استلام تظلمك")
    expect(phone.get_by_test_id("complaint-stage")).to_contain_text("تظلّمت من الحل")
    phone.screenshot(path="/tmp/browser-complaint-appeal.png", full_page=True)
    customer.close()

    # The supervisor is told, has the complaint, and sees the appeal clock.
    supervisor = browser.new_context(locale="en-GB")
    desk = supervisor.new_page()
    sign_in_in_arabic(desk, url, "maha")
    desk.goto(url + reverse("tickets:notifications"))
    notices = desk.get_by_test_id("notifications")
    expect(notices).to_contain_text("تظلّم سلمى العتيبي من حل الشكوى")
    notices.get_by_role("button", name="فتح التذكرة").first.click()
    expect(desk.get_by_test_id("ticket-header")).to_contain_text(SUBJECT)
    expect(desk.get_by_test_id("assignee")).to_have_text("Maha")
    appeal = desk.get_by_test_id("complaint-appeal")
    expect(appeal).to_contain_text(REASON)
    clock = desk.locator('[data-clock="appeal"]')
    expect(clock).to_have_attribute("data-state", "on_track")
    with translation.override("ar"):
        expect(clock).to_contain_text(str(STATE_LABELS[State.ON_TRACK]))
    desk.screenshot(path="/tmp/browser-complaint-supervisor.png", full_page=True)
    supervisor.close()
    ticket.refresh_from_db()
    assert ticket.complaint_stage == Ticket.ComplaintStage.APPEALED
