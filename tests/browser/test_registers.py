"""The records office in a real browser, in Arabic: a hand-delivered letter
is logged with its received stamp, the sender's reference and a scanned
page, gets its incoming number, and is found in the register."""

from datetime import time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from registers.models import RegisterEntry
from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory
from .test_agent_journeys import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    agent = UserFactory(username="nadia", first_name="Nadia")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Records", name_ar="الصادر والوارد", slug="rec")
    queue.agents.add(agent)
    services.create_customer(name="ليلى", email="layla@example.com", phone="0501234567")
    return live_server.url


def test_a_hand_delivered_letter_is_logged_and_registered_in_arabic(
    page, site, tmp_path
):
    scan = tmp_path / "letter-page-1.pdf"
    scan.write_bytes(b"%PDF-1.4 scanned page")
    stamp = timezone.localdate() - timedelta(days=1)
    their_date = stamp - timedelta(days=5)
    sign_in(page, site)
    page.goto(site + reverse("tickets:log"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    with translation.override("ar"):
        page.locator("#customer-search").fill("050123")
        page.get_by_test_id("customer-results").get_by_role("button").first.click()
        page.get_by_label(gettext("Contact by")).select_option("letter")
        page.get_by_label(gettext("Subject")).fill("اعتراض على فاتورة نوفمبر")
        page.get_by_label(gettext("What the customer said")).fill(
            "يعترض الخطاب على قيمة الفاتورة ويطلب مراجعتها."
        )
        page.get_by_label(gettext("Received"), exact=True).fill(
            f"{stamp.isoformat()}T{time(10, 15):%H:%M}"
        )
        page.get_by_label(gettext("Delivered by hand")).check()
        page.get_by_label(gettext("Sender's organisation")).fill("شركة المياه الوطنية")
        page.get_by_label(gettext("Their reference")).fill("ش م/1448/210")
        page.get_by_label(gettext("Their date")).fill(their_date.isoformat())
        page.get_by_label(gettext("Scanned pages")).set_input_files(str(scan))
        page.get_by_role("button", name=gettext("Open the ticket")).click()

        number = f"IN-{stamp.year}-000001"
        expect(page.get_by_test_id("ticket-header")).to_contain_text("اعتراض")
        expect(page.get_by_test_id("register-number")).to_have_text(number)
        details = page.get_by_test_id("paper-details")
        expect(details).to_contain_text(gettext("Delivered by hand"))
        expect(details).to_contain_text("ش م/1448/210")
        expect(page.get_by_role("link", name="letter-page-1.pdf")).to_be_visible()

        page.goto(site + reverse("registers:list") + "?q=1448/210")
        row = page.get_by_test_id("register-row")
        expect(row).to_have_count(1)
        expect(row).to_contain_text(number)
        expect(row).to_contain_text(gettext("Hand delivery"))
        expect(row).to_contain_text("شركة المياه الوطنية")
    entry = RegisterEntry.objects.get()
    assert (entry.dated, entry.their_date) == (stamp, their_date)
    page.screenshot(path="/tmp/browser-register-arabic.png", full_page=True)
