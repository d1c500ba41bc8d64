"""Merging, canned responses, SLA state, history and logged letters through
the API: the web's verbs, the web's guard, the web's access path."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from api.views.tickets import etag
from registers.models import RegisterEntry
from tickets import services
from tickets.models import CannedResponse, Ticket, TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

RIYADH = ZoneInfo("Asia/Riyadh")


def _merge(client, ticket, into, **headers):
    return client.post(
        reverse("api:ticket-merge", args=[ticket.number]),
        {"into": into},
        content_type="application/json",
        **headers,
    )


def test_merging_moves_the_correspondence_and_closes_the_duplicate(
    agent_api, agent, alice, queue
):
    duplicate = make_ticket(alice, queue, body_text="Asked again by email.")
    kept = make_ticket(alice, queue)

    response = _merge(
        agent_api, duplicate, kept.number.lower(), HTTP_IF_MATCH=etag(duplicate)
    )

    duplicate.refresh_from_db()
    assert response.status_code == 200
    assert response.json()["number"] == kept.number
    assert "Asked again by email." in [
        m["body_text"] for m in response.json()["messages"]
    ]
    assert response["ETag"] == etag(kept)
    assert duplicate.status == Ticket.Status.CLOSED
    assert duplicate.events.filter(
        action=TicketEvent.Action.MERGED, actor=agent
    ).exists()


def test_a_merge_needs_the_etag_and_is_refused_after_someone_elses_change(
    agent_api, supervisor, alice, queue
):
    duplicate = make_ticket(alice, queue)
    kept = make_ticket(alice, queue)
    seen = etag(duplicate)
    services.change_priority(duplicate, priority=4, by=supervisor)

    without = _merge(agent_api, duplicate, kept.number)
    stale = _merge(agent_api, duplicate, kept.number, HTTP_IF_MATCH=seen)

    assert without.status_code == 428
    assert stale.status_code == 412
    assert Ticket.objects.get(pk=duplicate.pk).status != Ticket.Status.CLOSED


def test_a_merge_into_another_customers_or_an_unseen_ticket_is_a_400(
    agent_api, alice, bob, queue, other_queue
):
    ticket = make_ticket(alice, queue)
    bobs = make_ticket(bob, queue)
    elsewhere = make_ticket(alice, other_queue)

    other_customer = _merge(agent_api, ticket, bobs.number, HTTP_IF_MATCH=etag(ticket))
    unseen = _merge(agent_api, ticket, elsewhere.number, HTTP_IF_MATCH=etag(ticket))
    itself = _merge(agent_api, ticket, ticket.number, HTTP_IF_MATCH=etag(ticket))

    assert other_customer.status_code == unseen.status_code == itself.status_code == 400
    assert "another customer's ticket" in other_customer.json()["errors"][0]["detail"]
    assert unseen.json()["errors"][0] == {
        "code": "not_found",
        "detail": "No ticket with this number in your queues.",
        "attr": "into",
    }
    assert itself.json()["errors"][0]["attr"] == "into"


def test_canned_responses_are_those_of_the_callers_queues_in_the_language_asked(
    agent_api, queue, other_queue
):
    shared = CannedResponse.objects.create(language="en", title="Hello", body="Hi")
    ours = CannedResponse.objects.create(
        queue=queue, language="ar", title="شكرًا", body="شكرًا لتواصلك"
    )
    CannedResponse.objects.create(queue=other_queue, language="en", title="Billing")
    CannedResponse.objects.create(language="en", title="Old", is_active=False)
    url = reverse("api:canned-response-list")

    everything = agent_api.get(url).json()
    arabic = agent_api.get(url, {"language": "ar"}).json()
    bad = agent_api.get(url, {"language": "fr"})

    assert [r["id"] for r in everything] == [ours.pk, shared.pk]
    assert arabic == [
        {
            "id": ours.pk,
            "title": "شكرًا",
            "language": "ar",
            "queue": "service",
            "body": "شكرًا لتواصلك",
        }
    ]
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["attr"] == "language"


def test_a_tickets_canned_responses_come_filled_as_the_reply_box_fills_them(
    policies, agent_api, bob, queue
):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=RIYADH), tick=False):
        ticket = make_ticket(bob, queue, subject="Rude clerk", kind="complaint")
    CannedResponse.objects.create(
        queue=queue,
        language="en",
        title="Soon",
        body="Dear {customer_name}, {ticket_number} is answered by {due_date}.",
    )
    CannedResponse.objects.create(language="ar", title="قريبًا", body="{agent}")

    with time_machine.travel(datetime(2026, 11, 30, 10, 0, tzinfo=RIYADH)):
        response = agent_api.get(
            reverse("api:ticket-canned-responses", args=[ticket.number]),
            {"language": "en"},
        )

    [filled] = response.json()
    assert filled["text"] == (
        f"Dear Bob, {ticket.number} is answered by 1 Dec 2026, 09:00."
    )


def test_the_sla_state_shows_each_clock_and_the_ledger(policies, agent_api, bob, queue):
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=RIYADH), tick=False):
        ticket = make_ticket(bob, queue, subject="Rude clerk", kind="complaint")
    url = reverse("api:ticket-sla", args=[ticket.number])

    with time_machine.travel(datetime(2026, 11, 30, 15, 0, tzinfo=RIYADH), tick=False):
        body = agent_api.get(url).json()

    assert body["policy"]["name"] == "T complaints"
    assert body["state"] == "at_risk"
    clocks = {c["target"]: c for c in body["clocks"]}
    first = clocks["first_response"]
    assert first["status"] == "running"
    assert first["limit_minutes"] == 8 * 60
    assert first["due_at"] == "2026-12-01T09:00:00+03:00"
    # Office hours: an hour left today, another tomorrow morning.
    assert first["left_minutes"] == 120
    assert first["at_risk_at"] is not None
    assert clocks["resolution"]["limit_minutes"] == 40 * 60
    actions = [event["action"] for event in body["ledger"]]
    assert actions[0] == "sla_policy"
    assert "sla_started" in actions
    assert all(action in TicketEvent.Action.sla() for action in actions)


@pytest.mark.parametrize("replies", [1, 5])
def test_the_sla_state_costs_the_same_queries_whatever_the_ledger_holds(
    policies,
    agent_api,
    agent,
    bob,
    queue,
    replies,
    production_caches,
    django_assert_num_queries,
):
    ticket = make_ticket(bob, queue, subject="Rude clerk", kind="complaint")
    for _ in range(replies):
        services.reply_to_ticket(ticket, body_text="On it", by=agent)
        services.add_message(
            ticket, direction="inbound", body_text="Still waiting", by=None
        )
    url = reverse("api:ticket-sla", args=[ticket.number])
    agent_api.get(url)

    # The token with its user's groups, the ticket with its policy, its clocks, its
    # ledger; the calendar is the process's copy, as in production.
    with django_assert_num_queries(4):
        response = agent_api.get(url)

    assert response.status_code == 200


def test_the_history_filters_by_kind_of_change_ledger_and_time(
    agent_api, agent, alice, queue
):
    ticket = make_ticket(alice, queue)
    services.change_priority(ticket, priority=4, by=agent)
    later = ticket.events.order_by("-id").first().created_at
    services.change_status(ticket, status="pending", by=agent)
    url = reverse("api:ticket-events", args=[ticket.number])

    priority = agent_api.get(url, {"action": "priority"}).json()["results"]
    ledger = agent_api.get(url, {"sla": "true"}).json()["results"]
    no_ledger = agent_api.get(url, {"sla": "false"}).json()["results"]
    since = agent_api.get(url, {"after": later.isoformat()}).json()["results"]
    bad = agent_api.get(url, {"action": "exploded", "after": "yesterday"})

    assert [e["new_value"] for e in priority] == ["4"]
    assert all(e["action"] in TicketEvent.Action.sla() for e in ledger)
    assert not any(e["action"] in TicketEvent.Action.sla() for e in no_ledger)
    assert [e["action"] for e in since][0] == "priority"
    assert bad.status_code == 400
    assert {e["attr"] for e in bad.json()["errors"]} == {"action", "after"}


def test_a_letter_from_the_customer_is_entered_in_the_incoming_register(
    agent_api, agent, alice, queue
):
    ticket = make_ticket(alice, queue)
    stamp = (datetime.now(RIYADH) - timedelta(days=1)).replace(microsecond=0)

    response = agent_api.post(
        reverse("api:ticket-contact", args=[ticket.number]),
        {
            "channel": "letter",
            "body_text": "Their letter asks for a copy.",
            "received_at": stamp.isoformat(),
            "hand_delivered": True,
            "sender_organisation": "Ministry",
            "reference": "M/123",
            "reference_date": (stamp.date() - timedelta(days=2)).isoformat(),
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    entry = RegisterEntry.objects.get(number=response.json()["register_number"])
    assert entry.ticket == ticket
    assert entry.channel == "hand"
    assert entry.their_reference == "M/123"
    assert entry.party_organisation == "Ministry"
    assert response.json()["details"]["delivery"] == "hand"


def test_a_call_is_not_registered_and_only_a_letter_comes_by_hand(
    agent_api, alice, queue
):
    ticket = make_ticket(alice, queue)
    url = reverse("api:ticket-contact", args=[ticket.number])

    call = agent_api.post(
        url, {"body_text": "Called."}, content_type="application/json"
    )
    by_hand = agent_api.post(
        url,
        {"channel": "fax", "body_text": "Fax.", "hand_delivered": True},
        content_type="application/json",
    )
    future = agent_api.post(
        url,
        {"channel": "fax", "body_text": "Fax.", "reference_date": "2999-01-01"},
        content_type="application/json",
    )

    assert call.json()["register_number"] is None
    assert by_hand.status_code == future.status_code == 400
    assert by_hand.json()["errors"][0]["attr"] == "hand_delivered"
    assert future.json()["errors"][0]["attr"] == "reference_date"


def test_a_fax_opening_a_ticket_is_registered_as_from_the_web(agent_api, alice):
    response = agent_api.post(
        reverse("api:ticket-list"),
        {
            "customer": alice.pk,
            "channel": "fax",
            "queue": "service",
            "subject": "Faxed request",
            "body_text": "A request by fax.",
            "reference": "F-9",
        },
        content_type="application/json",
    )

    assert response.status_code == 201
    entry = RegisterEntry.objects.get(ticket__number=response.json()["number"])
    assert (entry.channel, entry.their_reference) == ("fax", "F-9")


@pytest.mark.parametrize("responses", [1, 6])
def test_canned_lists_cost_the_same_queries_whatever_they_hold(
    agent_api, alice, queue, responses, django_assert_num_queries
):
    ticket = make_ticket(alice, queue)
    for n in range(responses):
        CannedResponse.objects.create(
            queue=queue if n % 2 else None, language="en", title=f"R{n}", body="Hi"
        )
    everything = reverse("api:canned-response-list")
    for_ticket = reverse("api:ticket-canned-responses", args=[ticket.number])
    agent_api.get(everything)

    # The token with its user's groups, the responses with their queues.
    with django_assert_num_queries(2):
        listed = agent_api.get(everything)
    # The token with its user's groups, the ticket, its queue, its clocks (the
    # time promised), the queues and the responses (reference data, read
    # afresh in tests).
    with django_assert_num_queries(6):
        filled = agent_api.get(for_ticket)

    assert len(listed.json()) == len(filled.json()) == responses


@pytest.mark.parametrize("changes", [1, 6])
def test_the_history_costs_the_same_queries_whatever_its_length(
    agent_api, agent, alice, queue, changes, django_assert_num_queries
):
    ticket = make_ticket(alice, queue)
    for n in range(changes):
        services.change_priority(ticket, priority=1 + n % 4, by=agent)
    url = reverse("api:ticket-events", args=[ticket.number])
    agent_api.get(url)

    # The token with its user's groups, the ticket, the page of events.
    with django_assert_num_queries(3):
        response = agent_api.get(url, {"action": "priority"})

    assert len(response.json()["results"]) == changes
