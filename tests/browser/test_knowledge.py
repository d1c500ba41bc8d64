"""The knowledge base in a real browser, in Arabic: a customer finds the
answer on the web form and does not send a request (a deflection), and an
agent puts an article into a reply."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from helpdesk.channels import Channel
from knowledge import services as knowledge
from knowledge.models import ArticleCategory, Deflection
from tickets import services
from tickets.models import Queue, Ticket
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import UserFactory
from .test_composer import sign_in_in_arabic

pytestmark = pytest.mark.browser

SUBJECT = "لم يصلني المبلغ"
MESSAGE = "ألغيت طلبي الأسبوع الماضي ولم يصلني استرداد المبلغ إلى بطاقتي حتى الآن."
REFUND = "استرداد المبلغ بعد إلغاء الطلب"


@pytest.fixture
def site(live_server, django_db_serialized_rollback):
    """A default queue, an agent, a supervisor, and a published Arabic article
    about refunds."""
    agent = UserFactory(username="nadia", first_name="نادية")
    agent.groups.add(Group.objects.get(name=AGENTS))
    supervisor = UserFactory(username="salma")
    supervisor.groups.add(Group.objects.get(name=SUPERVISORS))
    queue = Queue.objects.create(
        name="Service", name_ar="خدمة العملاء", slug="svc", is_default=True
    )
    queue.agents.add(agent)
    category = ArticleCategory.objects.create(
        name="Billing", name_ar="الفواتير", slug="billing"
    )
    article = knowledge.write_article(
        title=REFUND,
        summary="متى يعود المبلغ إلى بطاقتك",
        body="يعاد المبلغ إلى بطاقتك خلال خمسة أيام عمل من تاريخ الإلغاء.",
        language="ar",
        category=category,
        by=agent,
    )
    knowledge.publish_article(
        article, by=supervisor, today=timezone.localdate(article.created_at)
    )
    return live_server.url, queue


@pytest.fixture
def arabic_page(browser):
    context = browser.new_context(
        locale="ar-SA", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_a_customer_finds_the_answer_on_the_web_form_and_does_not_send(
    arabic_page, site
):
    url, _ = site
    page = arabic_page
    page.goto(url + reverse("portal:new"))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    page.locator("#id_subject").fill(SUBJECT)
    page.get_by_label("رسالتك").fill(MESSAGE)

    suggestion = page.get_by_test_id("suggestion")
    expect(suggestion).to_contain_text(REFUND)
    expect(page.get_by_test_id("suggestions")).to_contain_text(
        "قد تجيب هذه المقالات عن سؤالك"
    )
    suggestion.get_by_role("button", name="أجاب هذا عن سؤالي").click()

    expect(page.get_by_test_id("deflected")).to_contain_text(
        "يسعدنا أن هذه المقالة أجابت عن سؤالك"
    )
    assert Deflection.objects.get().article.title == REFUND
    assert not Ticket.objects.exists()
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Leaving and coming back, what was typed is still there.
    page.goto(url + reverse("articles:list"))
    page.goto(url + reverse("portal:new"))
    expect(page.locator("#id_subject")).to_have_value(SUBJECT)
    expect(page.get_by_label("رسالتك")).to_have_value(MESSAGE)
    assert not Ticket.objects.exists()


def test_an_agent_inserts_an_article_into_a_reply(page, site):
    url, queue = site
    customer = services.create_customer(
        name="ليلى", email="layla@example.com", preferred_language="ar"
    )
    ticket = services.open_ticket(
        customer=customer,
        subject=SUBJECT,
        body_text=MESSAGE,
        channel=Channel.EMAIL,
        queue=queue,
    )
    sign_in_in_arabic(page, url)
    page.goto(url + ticket.get_absolute_url())

    page.get_by_text("أدرج من قاعدة المعرفة").click()
    page.get_by_test_id("article-lookup-q").fill("استرداد")
    result = page.get_by_test_id("lookup-result")
    expect(result).to_contain_text(REFUND)
    result.get_by_role("button", name="أدرج النص").click()

    expect(page.locator("#reply-body")).to_have_value(
        f"{REFUND}\n\nيعاد المبلغ إلى بطاقتك خلال خمسة أيام عمل من تاريخ الإلغاء."
    )
    result.get_by_role("button", name="أدرج الرابط").click()
    expect(page.locator("#reply-body")).to_have_value(re.compile("/support/articles/"))
