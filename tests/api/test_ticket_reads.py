"""Reading tickets through the API: filters, search, order, pages, and a
number of queries that does not grow with the page."""

import pytest
from django.urls import reverse

from api.views.tickets import visible_messages
from tickets import services

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

LIST = reverse("api:ticket-list")


def _numbers(response):
    return [t["number"] for t in response.json()["results"]]


def test_filters_by_priority_kind_channel_and_assignee(agent_api, agent, alice, queue):
    wanted = make_ticket(alice, queue, priority=4, kind="complaint", channel="phone")
    services.assign_ticket(wanted, agent=agent, by=agent)
    make_ticket(alice, queue, priority=4, kind="complaint", channel="email")
    make_ticket(alice, queue)

    response = agent_api.get(
        LIST,
        {"priority": 4, "kind": "complaint", "channel": "phone", "assignee": "agent"},
    )

    assert _numbers(response) == [wanted.number]


def test_searches_arabic_and_english_words_through_the_search_index(
    agent_api, alice, queue
):
    meter = make_ticket(alice, queue, subject="عداد الكهرباء", body_text="Broken meter")
    make_ticket(alice, queue, subject="Invoice", body_text="Wrong amount")

    arabic = agent_api.get(LIST, {"q": "العداد"})
    english = agent_api.get(LIST, {"q": "mete"})

    assert _numbers(arabic) == _numbers(english) == [meter.number]


def test_orders_oldest_first_when_asked_and_pages_by_cursor(agent_api, alice, queue):
    tickets = [make_ticket(alice, queue) for _ in range(3)]

    first = agent_api.get(LIST, {"ordering": "received_at", "page_size": 2})
    second = agent_api.get(first.json()["next"])

    assert _numbers(first) + _numbers(second) == [t.number for t in tickets]
    assert second.json()["next"] is None


def test_an_unknown_filter_value_is_a_400_naming_the_field(agent_api):
    response = agent_api.get(LIST, {"status": "lost", "priority": "high"})

    assert response.status_code == 400
    assert {e["attr"] for e in response.json()["errors"]} == {"status", "priority"}


def test_a_bad_cursor_is_a_404_in_json(agent_api):
    response = agent_api.get(LIST, {"cursor": "not-a-cursor"})

    assert response.status_code == 404
    assert response.json()["errors"][0]["detail"] == "Invalid cursor"


def test_internal_notes_are_never_read_by_a_customer(agent, alice, queue):
    ticket = make_ticket(alice, queue)
    services.add_note(ticket, body_text="Internal only", by=agent)

    seen_by_customer = visible_messages(alice.user).filter(ticket=ticket)
    seen_by_agent = visible_messages(agent).filter(ticket=ticket)

    assert [m.direction for m in seen_by_customer] == ["inbound"]
    assert [m.direction for m in seen_by_agent] == ["inbound", "internal"]


def test_a_customers_token_reads_nothing(alice_api, alice, queue):
    ticket = make_ticket(alice, queue)

    listing = alice_api.get(LIST)
    detail = alice_api.get(reverse("api:ticket-detail", args=[ticket.number]))

    assert listing.status_code == detail.status_code == 403


def test_list_rows_name_their_queue_category_and_assignee(
    agent_api, agent, other_agent, alice, queue, production_caches
):
    from tickets.models import Category

    billing = Category.objects.create(name="Billing", slug="billing")
    kept = make_ticket(alice, queue, category=billing)
    services.assign_ticket(kept, agent=agent, by=agent)
    left = make_ticket(alice, queue)
    services.assign_ticket(left, agent=agent, by=agent)
    unassigned = make_ticket(alice, queue)
    agent_api.get(LIST)  # the caches hold the agent as assignable
    queue.agents.add(other_agent)
    left.assignee = other_agent  # since gone from every queue of theirs
    left.save(update_fields=["assignee"])
    other_agent.agent_queues.clear()

    rows = {row["number"]: row for row in agent_api.get(LIST).json()["results"]}

    def shown(number):
        row = rows[number]
        return row["queue"], row["category"], row["assignee"]

    assert shown(kept.number) == (queue.slug, "billing", agent.username)
    assert shown(left.number) == (queue.slug, None, other_agent.username)
    assert shown(unassigned.number) == (queue.slug, None, None)


@pytest.mark.parametrize("rows", [2, 8])
def test_list_queries_stay_the_same_whatever_the_page_holds(
    agent_api,
    agent,
    alice,
    bob,
    queue,
    rows,
    production_caches,
    django_assert_num_queries,
):
    for n in range(rows):
        ticket = make_ticket(alice if n % 2 else bob, queue)
        services.assign_ticket(ticket, agent=agent, by=agent)
        services.reply_to_ticket(ticket, body_text="On it", by=agent)

    # The token with its user's groups (its last use was noted by the first
    # request, a moment ago), the ticket page; queues, categories and
    # assignees from the reference caches the first request filled.
    agent_api.get(LIST)
    with django_assert_num_queries(2):
        response = agent_api.get(LIST)

    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("replies", [1, 6])
def test_detail_queries_stay_the_same_whatever_the_correspondence(
    agent_api, agent, alice, queue, replies, django_assert_num_queries
):
    ticket = make_ticket(alice, queue)
    for _ in range(replies):
        services.reply_to_ticket(ticket, body_text="More", by=agent)
    url = reverse("api:ticket-detail", args=[ticket.number])

    agent_api.get(url)
    # The token with its user's groups, the ticket, its messages, its ETag.
    with django_assert_num_queries(4):
        response = agent_api.get(url)

    assert len(response.json()["messages"]) == replies + 1
