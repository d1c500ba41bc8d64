"""A letter's journey in a real browser, in Arabic: an agent writes a
rejection from the Arabic template and sends it for approval, a supervisor
approves it, and the agent dispatches it by post and gets its PDF."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from helpdesk.channels import Channel
from tickets import services
from tickets.models import Queue
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "pw-for-tests-1"
REASONS = "انقضت مدة الاسترداد المحددة بتسعين يومًا من تاريخ السداد."
APPEAL = "بخطاب إلى لجنة التظلمات خلال ثلاثين يومًا"


def arabic(text: str) -> str:
    with translation.override("ar"):
        return gettext(text)


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """An agent and a supervisor of one queue, and a postal letter from an
    Arabic-speaking customer asking for a refund."""
    agent = UserFactory(username="nadia", first_name="نادية")
    agent.groups.add(Group.objects.get(name=AGENTS))
    supervisor = UserFactory(username="huda", first_name="هدى")
    supervisor.groups.add(Group.objects.get(name=SUPERVISORS))
    queue = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    queue.agents.add(agent)
    queue.supervisors.add(supervisor)
    customer = services.create_customer(
        name="خالد الحربي", phone="0501234567", preferred_language="ar"
    )
    ticket = services.open_ticket(
        customer=customer,
        subject="طلب استرداد رسوم",
        body_text="أرجو استرداد الرسوم المدفوعة.",
        channel=Channel.LETTER,
        queue=queue,
    )
    return live_server.url, ticket


def sign_in_in_arabic(page, url, username):
    page.goto(url + reverse("login"))
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(url + reverse("login"))
    page.get_by_test_id("switch-language").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def test_a_rejection_letter_is_written_approved_and_dispatched_in_arabic(browser, site):
    url, ticket = site
    contexts = [browser.new_context(locale="en-GB") for _ in range(2)]
    try:
        journey(url, ticket, *(context.new_page() for context in contexts))
    finally:
        for context in contexts:
            context.close()


def journey(url, ticket, agent, supervisor):
    sign_in_in_arabic(agent, url, "nadia")

    # The agent writes the rejection from the Arabic template.
    agent.goto(url + ticket.get_absolute_url())
    agent.get_by_test_id("letter-tab").click()
    form = agent.get_by_test_id("new-letter-form")
    form.locator("select[name=letter-kind]").select_option("rejection")
    expect(form.locator("select[name=letter-language]")).to_have_value("ar")
    form.get_by_role("button", name=arabic("Write the letter")).click()
    body = agent.locator("textarea[name=body]")
    expect(body).to_contain_text("{{ reasons }}")
    expect(agent.get_by_test_id("unfilled")).to_contain_text("appeal_route")
    text = body.input_value()
    assert ticket.number in text
    body.fill(
        text.replace("{{ reasons }}", REASONS).replace("{{ appeal_route }}", APPEAL)
    )
    agent.get_by_test_id("submit-for-approval").click()
    expect(agent.get_by_test_id("letter-status")).to_have_attribute(
        "data-status", "awaiting_approval"
    )
    expect(agent.get_by_test_id("dispatch-form")).to_have_count(0)
    agent.screenshot(path="/tmp/browser-letter-editor.png", full_page=True)

    # The supervisor approves it from the list of letters awaiting approval.
    sign_in_in_arabic(supervisor, url, "huda")
    supervisor.get_by_test_id("nav-approvals").click()
    row = supervisor.get_by_test_id("approval-row")
    expect(row).to_contain_text(ticket.number)
    row.get_by_role("button", name=arabic("Approve")).click()
    expect(supervisor.get_by_test_id("no-approvals")).to_be_visible()

    # The agent dispatches it by post and finds its number and PDF.
    agent.reload()
    expect(agent.get_by_test_id("approved-by")).to_contain_text("هدى")
    dispatch = agent.get_by_test_id("dispatch-form")
    dispatch.locator("select[name=method]").select_option("post")
    dispatch.get_by_role("button", name=arabic("Dispatch the letter")).click()
    number = f"OUT-{timezone.localdate().year}-000001"
    expect(agent.get_by_test_id("letter-number")).to_have_text(number)
    expect(agent.get_by_test_id("letter-text")).to_contain_text(REASONS)

    agent.goto(url + ticket.get_absolute_url())
    letters = agent.get_by_test_id("ticket-letters")
    expect(letters.get_by_test_id("letter-number")).to_have_text(number)
    expect(agent.locator(".timeline-entry.outbound")).to_contain_text(REASONS)
    expect(agent.locator(".timeline-entry.outbound")).to_contain_text(f"{number}.pdf")
    pdf = agent.request.get(
        url + letters.get_by_test_id("letter-pdf").get_attribute("href")
    )
    assert pdf.ok
    assert f"{number}.pdf" in pdf.headers["content-disposition"]
    assert pdf.body().startswith(b"%PDF")
    agent.screenshot(path="/tmp/browser-letter-dispatched.png", full_page=True)
