"""A supervisor subscribes a webhook in Arabic, is refused a private address,
sends a test event to a real local receiver and sees it in the log."""

import os

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tickets.permissions import SUPERVISORS
from webhooks.signing import verify

from ..factories import QueueFactory, make_staff
from ..webhooks.receiver import running_receiver

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"


@pytest.fixture
def site(transactional_db, live_server, django_db_serialized_rollback):
    supervisor = make_staff("huda", SUPERVISORS, first_name="Huda", is_staff=True)
    QueueFactory(slug="service").supervisors.add(supervisor)
    return live_server.url


def test_a_supervisor_subscribes_in_arabic_and_sends_a_test_event(page, site, settings):
    page.goto(site + reverse("login"))
    page.get_by_test_id("switch-language").click()
    page.locator("input[name=username]").fill("huda")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.get_by_role("button", name="Huda").click()
    page.get_by_test_id("nav-webhooks").click()
    expect(page.locator("h1")).to_have_text("خطافات الويب")
    page.get_by_test_id("new-webhook").click()

    with running_receiver() as (url, received):
        # Refused while private networks are not allowed, with the reason.
        page.get_by_label("الاسم").fill("نظام العملاء")
        page.get_by_label("العنوان (URL)").fill(url)
        page.get_by_label("أُنشئت تذكرة").check()
        page.get_by_role("button", name="إنشاء خطاف الويب").click()
        expect(page.get_by_test_id("webhook-form")).to_contain_text(
            "عنوان على الجهاز نفسه أو على شبكة خاصة"
        )

        settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS = True
        page.get_by_role("button", name="إنشاء خطاف الويب").click()
        secret = page.get_by_test_id("secret").locator("code").inner_text().strip()
        page.get_by_test_id("send-test").click()

        expect(page.get_by_test_id("delivery-row")).to_contain_text("ping")
        expect(page.get_by_test_id("delivery-row")).to_contain_text("200")
        expect(page.get_by_test_id("delivery-row")).to_contain_text("سُلّم")
        if os.environ.get("SCREENSHOTS"):
            page.screenshot(path=os.environ["SCREENSHOTS"] + "/webhook-ar.png")

    assert page.locator("html").get_attribute("dir") == "rtl"
    _, headers, body = received[0]
    assert verify(
        secret,
        headers["X-Helpdesk-Signature"],
        body,
        now=int(headers["X-Helpdesk-Signature"].split(",")[0][2:]),
    )
    page.reload()
    expect(page.get_by_test_id("secret")).to_have_count(0)
