"""An email ticket in a real browser, in Arabic (right to left): the quoted
history folded away until asked for, and an agent allowing a second address
to write to the ticket."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from mail.intake import ingest
from mail.models import InboundEmail, Mailbox, TicketAddress
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory
from ..mail.builders import raw_email
from .test_agent_journeys import sign_in

pytestmark = pytest.mark.browser

REPLY = """\
شكرًا لكم، وهذه صورة الفاتورة المطلوبة.

في الأحد، ٦ ديسمبر ٢٠٢٦، كتب خدمة العملاء <support@example.org>:
> نرجو إرسال صورة الفاتورة.
> مع التحية
"""


@pytest.fixture
def ticket(live_server, django_db_serialized_rollback):
    agent = UserFactory(username="nadia", first_name="Nadia")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Service", slug="service")
    queue.agents.add(agent)
    mailbox = Mailbox.objects.create(
        name="Support", email_address="support@example.org", queue=queue
    )
    result = ingest(
        raw_email(sender="ليلى <layla@example.com>", subject="الفاتورة", body=REPLY),
        mailbox=mailbox,
        source=InboundEmail.Source.IMAP,
    )
    return result.ticket


def test_an_agent_reads_an_arabic_email_and_allows_a_second_address(
    page, live_server, ticket
):
    sign_in(page, live_server.url)
    page.goto(live_server.url + reverse("tickets:list"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.goto(live_server.url + ticket.get_absolute_url())

    entry = page.locator("article.timeline-entry").first
    expect(entry).to_contain_text("وهذه صورة الفاتورة المطلوبة")
    quoted = page.get_by_test_id("quoted-history")
    expect(quoted.locator(".message-body")).to_be_hidden()
    with translation.override("ar"):
        quoted.get_by_text(gettext("Show quoted text")).click()
        expect(quoted.locator(".message-body")).to_contain_text("نرجو إرسال صورة")

        panel = page.get_by_test_id("ticket-addresses")
        panel.get_by_label(gettext("Email address")).fill("Brother@Example.net")
        panel.get_by_role("button", name=gettext("Allow")).click()
        expect(page.get_by_test_id("ticket-addresses")).to_contain_text(
            "brother@example.net"
        )
    assert TicketAddress.objects.filter(ticket=ticket).get().email == (
        "brother@example.net"
    )
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    page.screenshot(path="/tmp/browser-email-ticket-arabic.png", full_page=True)
