"""The ticket page's composer in a real browser, in Arabic (RTL): a draft
survives a reload, a reply sent with "Send and set pending" updates the
timeline and the status without leaving the page, and a refused contact
keeps what was typed."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from helpdesk.channels import Channel
from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
REPLY = "نعتذر عن التأخير، سيصلك رقم التتبع خلال ساعة."
CALL = "اتصل العميل يسأل عن موعد التسليم."


def arabic(text: str) -> str:
    with translation.override("ar"):
        return gettext(text)


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """An agent, and an email from a customer waiting for a parcel."""
    agent = UserFactory(username="nadia", first_name="نادية")
    agent.groups.add(Group.objects.get(name=AGENTS))
    queue = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    queue.agents.add(agent)
    customer = services.create_customer(
        name="ليلى", email="layla@example.com", preferred_language="ar"
    )
    ticket = services.open_ticket(
        customer=customer,
        subject="تأخر الشحنة",
        body_text="لم تصل الشحنة بعد.",
        channel=Channel.EMAIL,
        queue=queue,
    )
    return live_server.url, ticket


def sign_in_in_arabic(page, url):
    page.goto(url + reverse("login"))
    page.get_by_label("Username or email").fill("nadia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(url + reverse("login"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_draft_survives_a_reload_and_the_reply_updates_the_page_in_place(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    key = f"helpdesk.draft:{ticket.number}:reply"

    page.locator("#reply-body").fill(REPLY)
    page.wait_for_function(f"localStorage.getItem({key!r}) !== null")
    page.reload()

    expect(page.locator("#reply-body")).to_have_value(REPLY)
    expect(page.get_by_test_id("draft-notice").first).to_be_visible()
    expect(page.get_by_test_id("draft-notice").first).to_contain_text(
        arabic("Draft restored")
    )

    page.evaluate("window.__marker = 1")
    page.get_by_test_id("send-pending").click()

    expect(page.locator(".timeline-entry.outbound")).to_contain_text(REPLY)
    expect(page.locator("#ticket-badges")).to_contain_text(arabic("Pending"))
    expect(page.locator("#messages")).to_contain_text(arabic("Reply recorded."))
    expect(page.locator('[data-clock="resolution"]')).to_have_attribute(
        "data-state", "paused"
    )
    expect(page.locator("#reply-body")).to_have_value("")
    expect(page.get_by_test_id("draft-notice").first).to_be_hidden()
    assert page.evaluate("window.__marker") == 1  # no navigation happened
    assert page.evaluate(f"localStorage.getItem({key!r})") is None
    page.screenshot(path="/tmp/browser-composer-arabic.png", full_page=True)

    page.reload()
    expect(page.locator("#reply-body")).to_have_value("")
    expect(page.get_by_test_id("draft-notice").first).to_be_hidden()


def test_a_refused_contact_keeps_what_was_typed(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    page.evaluate("window.__marker = 1")

    page.get_by_test_id("mode-log").click()
    form = page.get_by_test_id("log-form")
    form.get_by_label(arabic("Contact by")).select_option("fax")
    form.get_by_label(arabic("What was said")).fill(CALL)
    form.get_by_label(arabic("Call outcome")).select_option("answered")
    form.get_by_role("button", name=arabic("Log contact")).click()

    form = page.get_by_test_id("log-form")
    expect(form.locator(".invalid-feedback")).to_contain_text(
        arabic("Only a call has an outcome: choose “Phone call”.")
    )
    expect(form.get_by_label(arabic("What was said"))).to_have_value(CALL)
    expect(page.locator("#tab-log")).to_be_visible()
    assert page.evaluate("window.__marker") == 1
    assert not ticket.messages.filter(channel="fax").exists()


def test_a_draft_can_be_discarded(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    key = f"helpdesk.draft:{ticket.number}:note"

    page.get_by_test_id("mode-note").click()
    page.locator("#tab-note textarea").fill("ملاحظة لم تكتمل")
    page.wait_for_function(f"localStorage.getItem({key!r}) !== null")
    page.reload()
    page.get_by_test_id("mode-note").click()
    notice = page.locator("#tab-note").get_by_test_id("draft-notice")
    expect(notice).to_be_visible()
    notice.get_by_test_id("draft-discard").click()

    expect(page.locator("#tab-note textarea")).to_have_value("")
    expect(notice).to_be_hidden()
    assert page.evaluate(f"localStorage.getItem({key!r})") is None


def test_files_are_uploaded_without_leaving_the_page(page, site, tmp_path):
    url, ticket = site
    scan = tmp_path / "receipt.txt"
    scan.write_text("إيصال الشحن")
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    page.evaluate("window.__marker = 1")

    page.get_by_test_id("mode-upload").click()
    form = page.get_by_test_id("upload-form")
    form.locator("input[type=file]").set_input_files(str(scan))
    form.get_by_role("button", name=arabic("Upload")).click()

    expect(page.locator("#timeline")).to_contain_text("receipt.txt")
    expect(page.locator("#messages")).to_contain_text(arabic("Files added."))
    expect(page.locator("#tab-upload")).to_be_visible()
    assert page.evaluate("window.__marker") == 1
    assert ticket.messages.get(direction="internal").attachments.count() == 1


def test_a_reply_typed_while_the_priority_changes_is_kept_and_sent(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    page.evaluate("window.__marker = 1")

    page.locator("#reply-body").fill(REPLY)
    properties = page.get_by_test_id("properties-form")
    properties.get_by_label(arabic("Priority")).select_option("4")
    properties.get_by_role("button", name=arabic("Save changes")).click()

    expect(page.locator("#ticket-badges")).to_contain_text(arabic("Urgent"))
    expect(page.locator("#reply-body")).to_have_value(REPLY)
    # The composer learnt of its own agent's change: no conflict on sending.
    page.get_by_test_id("send-reply").click()
    expect(page.locator(".timeline-entry.outbound")).to_contain_text(REPLY)
    expect(page.get_by_test_id("conflict")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1


def test_the_modes_follow_the_arrows_right_to_left(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())

    page.get_by_test_id("mode-reply").focus()
    page.keyboard.press("ArrowLeft")

    expect(page.get_by_test_id("mode-note")).to_be_focused()
    expect(page.locator("#tab-note")).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("mode-reply")).to_be_focused()
    expect(page.locator("#reply-body")).to_be_visible()


def test_a_reply_lost_on_the_way_is_kept_and_the_agent_told(page, site):
    url, ticket = site
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())
    reply_url = reverse("tickets:reply", args=[ticket.number])
    page.route(f"**{reply_url}", lambda route: route.abort())

    page.locator("#reply-body").fill(REPLY)
    page.get_by_test_id("send-reply").click()

    expect(page.get_by_test_id("send-failed")).to_be_visible()
    expect(page.locator("#reply-body")).to_have_value(REPLY)
    assert not ticket.messages.filter(direction="outbound").exists()
