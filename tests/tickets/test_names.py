"""People by their display name and records by their name in the reader's
language, on every agent screen: the queue, the ticket page, its history and
forms, the filters, the log-contact form and the memos."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from memos import services as memo_services
from tickets import services

from ..factories import CategoryFactory, make_ticket

pytestmark = pytest.mark.django_db
ARABIC = {"HTTP_ACCEPT_LANGUAGE": "ar"}


@pytest.fixture(autouse=True)
def _fresh_counts():
    cache.clear()


@pytest.fixture
def named(agent, bob, queue, other_queue):
    """Omar Haddad (login `agent`) holds a ticket of a queue with an Arabic
    name, filed under a category with one."""
    agent.last_name = "Haddad"
    agent.save()
    queue.name_ar = "خدمة العملاء"
    queue.save()
    other_queue.name_ar = "الفوترة"
    other_queue.save()
    category = CategoryFactory(name="Water", name_ar="المياه")
    ticket = make_ticket(bob, queue, subject="Leaking meter", category=category)
    services.assign_ticket(ticket, agent=agent, by=agent)
    return ticket


def options(html: str, name: str) -> list[str]:
    """The labels of the options of the select called `name`."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select {name}"
    return [
        label.strip()
        for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)
    ]


def test_the_queue_shows_the_assignee_by_name(agent_client, named):
    html = agent_client.get(reverse("tickets:list")).text

    assert "<td>Omar Haddad</td>" in html
    assert "<td>agent</td>" not in html


def test_the_ticket_page_names_the_assignee_and_the_history_actor(agent_client, named):
    html = agent_client.get(reverse("tickets:detail", args=[named.number])).text

    assignee = re.search(r'data-testid="assignee">([^<]*)<', html)[1]
    assert assignee == "Omar Haddad"
    # The assignment in the history: who was given it and who did it.
    assert "Omar Haddad · <time" in html
    assert "agent · <time" not in html


def test_the_properties_form_offers_people_by_name_and_records_in_arabic(
    agent_client, named
):
    english = agent_client.get(reverse("tickets:detail", args=[named.number])).text
    arabic = agent_client.get(
        reverse("tickets:detail", args=[named.number]), **ARABIC
    ).text

    assert options(english, "assignee") == ["Nobody", "Omar Haddad"]
    assert "Customer Service" in options(english, "queue")
    assert options(english, "category") == ["No category", "Water"]
    assert options(arabic, "assignee")[1:] == ["Omar Haddad"]
    assert "خدمة العملاء" in options(arabic, "queue")
    assert options(arabic, "category")[1:] == ["المياه"]
    assert "---------" not in english + arabic
    # The memo's addressee: the other queue, in Arabic on an Arabic page.
    assert "الفوترة" in options(arabic, "to_queue")


def test_the_filters_and_bulk_assign_use_names_and_the_readers_language(
    agent_client, named
):
    filters = agent_client.get(reverse("tickets:filters"), **ARABIC).text
    bulk = agent_client.get(reverse("tickets:bulk")).text

    assert "خدمة العملاء" in options(filters, "queue")
    assert "المياه" in options(filters, "category")
    assert "Omar Haddad" in options(filters, "assignee")
    assert "---------" not in filters
    assert options(bulk, "assignee") == ["No change", "Omar Haddad"]


def test_the_log_contact_form_lists_queues_in_arabic(agent_client, named):
    html = agent_client.get(reverse("tickets:log"), **ARABIC).text

    queues = options(html, "queue")
    assert "خدمة العملاء" in queues
    assert "Customer Service" not in queues
    assert "المياه" in options(html, "category")


def test_memos_name_their_sender(agent, agent_client, named, other_queue):
    memo_services.send_memo(
        named, to_queue=other_queue, body_text="Please check", by=agent
    )
    other_queue.agents.add(agent)

    html = agent_client.get(reverse("memos:list"), {"tab": "sent"}).text

    assert "Omar Haddad" in html
    assert (
        "الفوترة"
        in agent_client.get(reverse("memos:list"), {"tab": "sent"}, **ARABIC).text
    )


def test_the_customer_form_names_tiers_in_arabic(agent_client, bob):
    html = agent_client.get(
        reverse("tickets:customer_edit", args=[bob.pk]),
        HTTP_HX_REQUEST="true",
        **ARABIC,
    ).text

    tiers = options(html, "tier")
    assert "عادي" in tiers and "كبار العملاء" in tiers
    assert "---------" not in tiers


def test_the_history_names_a_queue_move_in_the_readers_language(
    agent, agent_client, named, other_queue
):
    other_queue.agents.add(agent)
    services.move_to_queue(named, queue=other_queue, by=agent)

    english = agent_client.get(reverse("tickets:detail", args=[named.number])).text
    arabic = agent_client.get(
        reverse("tickets:detail", args=[named.number]), **ARABIC
    ).text

    assert "Customer Service → Billing" in english
    assert "خدمة العملاء ← الفوترة" in arabic
