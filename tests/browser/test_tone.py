"""The tone assistant in a real browser, in Arabic (RTL): an agent's blaming
sentence in the reply box is marked and explained as it is typed, one click
on a suggestion from the phrase bank replaces it, and the reply still sends."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from helpdesk.channels import Channel
from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS
from tone import kinds

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
BLAMING = "لم تقم بإرسال الفاتورة، لذلك تأخر الطلب."
FIXED = "نحتاج منك الفاتورة، لذلك تأخر الطلب."


def arabic(text) -> str:
    with translation.override("ar"):
        return str(text)


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    agent = UserFactory(username="nadia", first_name="نادية")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    queue.agents.add(agent)
    customer = services.create_customer(
        name="ليلى", email="layla@example.com", preferred_language="ar"
    )
    ticket = services.open_ticket(
        customer=customer,
        subject="تأخر الطلب",
        body_text="أين طلبي؟",
        channel=Channel.EMAIL,
        queue=queue,
    )
    return live_server.url, ticket


def test_a_blaming_arabic_sentence_is_flagged_and_replaced_by_a_suggestion(page, site):
    url, ticket = site
    page.goto(url + reverse("login"))
    page.get_by_label("Username or email").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(url + reverse("login"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(url + ticket.get_absolute_url())

    page.locator("#reply-body").press_sequentially(BLAMING, delay=5)

    finding = page.get_by_test_id("tone-finding")
    expect(finding).to_have_count(1)
    expect(finding).to_have_attribute("data-kind", kinds.NEGATIVE)
    expect(finding.get_by_test_id("tone-why")).to_have_text(
        arabic(kinds.MESSAGES[kinds.NEGATIVE])
    )
    # The flagged words are marked under the box, right to left.
    mark = page.locator("#tab-reply .tone-mirror mark")
    expect(mark).to_have_text("لم تقم بإرسال")
    mirror = page.locator("#tab-reply .tone-mirror")
    assert mirror.evaluate("m => getComputedStyle(m).direction") == "rtl"
    page.screenshot(path="/tmp/browser-tone-arabic.png", full_page=True)

    finding.get_by_role("button", name="نحتاج منك").click()

    expect(page.locator("#reply-body")).to_have_value(FIXED)
    expect(page.get_by_test_id("tone-finding")).to_have_count(0)
    expect(page.locator("#tab-reply .tone-mirror mark")).to_have_count(0)

    page.get_by_test_id("send-reply").click()
    expect(page.locator(".timeline-entry.outbound")).to_contain_text(FIXED)
