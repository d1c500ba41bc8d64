"""A service policy's journey in a real browser, in Arabic: a supervisor
publishes a new version while an agent works, and the agent's next page is
the acknowledgement, which leads back to where they were going."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from policies import services
from policies.models import PolicyAcknowledgement
from tickets.models import Queue
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import UserFactory
from .test_letters import sign_in_in_arabic

pytestmark = pytest.mark.browser

CHANGE = "أصبح الرد الأول على كبار العملاء خلال 4 ساعات عمل."
BODY_AR = (
    "تحصل الطلبات المكتوبة على رد أول خلال 48 ساعة عمل، ولكبار العملاء خلال 4 ساعات."
)


def arabic(text: str) -> str:
    with translation.override("ar"):
        return gettext(text)


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """An agent who acknowledged version 1 of the response-times policy, and
    the supervisor who wrote it."""
    agent = UserFactory(username="nadia", first_name="نادية")
    agent.groups.add(Group.objects.get(name=AGENTS))
    supervisor = UserFactory(username="huda", first_name="هدى")
    supervisor.groups.add(Group.objects.get(name=SUPERVISORS))
    queue = Queue.objects.create(name="Service", name_ar="خدمة العملاء", slug="svc")
    queue.agents.add(agent)
    queue.supervisors.add(supervisor)
    first = services.create_policy(
        slug="response-times",
        title="Response times",
        title_ar="مواعيد الرد",
        body="Written requests are answered within 48 working hours.",
        body_ar="تحصل الطلبات المكتوبة على رد أول خلال 48 ساعة عمل.",
        by=supervisor,
    )
    services.publish_version(first, now=timezone.now())
    services.acknowledge(agent, [first], now=timezone.now())
    return live_server.url, agent, supervisor, first.policy


def test_an_agent_acknowledges_a_new_version_on_the_next_page(page, site):
    url, agent, supervisor, policy = site
    sign_in_in_arabic(page, url, "nadia")
    page.goto(url + reverse("tickets:list"))
    expect(page).to_have_url(url + reverse("tickets:list"))

    # Meanwhile the supervisor publishes version 2.
    draft = services.write_version(
        policy,
        title="Response times",
        title_ar="مواعيد الرد",
        body="Written requests within 48 working hours; VIP customers within 4.",
        body_ar=BODY_AR,
        change_summary="VIP customers: first answer within 4 working hours.",
        change_summary_ar=CHANGE,
        by=supervisor,
    )
    services.publish_version(draft, now=timezone.now())

    page.goto(url + reverse("tickets:list") + "?view=open")
    expect(page).to_have_url(
        url + reverse("policies:acknowledge") + "?next=%2Fagent%2F%3Fview%3Dopen"
    )
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        arabic("Policies to acknowledge")
    )
    expect(page.get_by_test_id("change-summary")).to_contain_text(CHANGE)
    expect(page.get_by_test_id("policy-text")).to_contain_text(BODY_AR)

    # Not without the box ticked: the browser keeps the form.
    page.get_by_role("button", name=arabic("Continue")).click()
    expect(page.get_by_test_id("acknowledge-form")).to_be_visible()
    assert not PolicyAcknowledgement.objects.filter(version=draft).exists()

    page.get_by_label(arabic("I have read and understood these policies.")).check()
    page.get_by_role("button", name=arabic("Continue")).click()

    expect(page).to_have_url(url + reverse("tickets:list") + "?view=open")
    expect(
        page.get_by_text(arabic("Thank you: your acknowledgement is recorded."))
    ).to_be_visible()
    assert PolicyAcknowledgement.objects.filter(version=draft, user=agent).exists()
    page.goto(url + reverse("policies:list"))
    expect(page.get_by_test_id("policy-row")).to_contain_text("مواعيد الرد")
