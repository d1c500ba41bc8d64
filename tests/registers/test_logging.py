"""Logging a letter or fax registers it in the incoming register."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from registers.models import RegisterEntry
from tickets import services
from tickets.models import Ticket

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def letter(queue, **extra):
    return {
        "channel": "letter",
        "queue": queue.pk,
        "subject": "Objection to the bill",
        "body_text": "The letter objects to the November bill.",
        "kind": "complaint",
        "priority": "2",
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_a_logged_letter_opens_a_ticket_and_is_registered(agent_client, alice, queue):
    response = agent_client.post(
        reverse("tickets:log"),
        letter(queue, customer=alice.pk, received_at="2026-12-03T09:00"),
        follow=True,
    )

    ticket = Ticket.objects.get(subject="Objection to the bill")
    entry = RegisterEntry.objects.get()
    assert entry.number == "IN-2026-000001"
    assert entry.dated == dt.date(2026, 12, 3)  # the received stamp
    assert entry.ticket == ticket
    assert entry.message == ticket.messages.get()
    assert entry.party_name == "Alice"
    assert "Registered as incoming IN-2026-000001." in response.text
    assert 'data-testid="register-number"' in response.text


@time_machine.travel(NOW, tick=False)
def test_a_fax_on_an_existing_ticket_is_registered_with_its_reference(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            "seen": services.last_seen_event(ticket),
            "channel": "fax",
            "direction": "inbound",
            "body_text": "Fax with the receipt",
            "reference": "MIN/2026/77",
        },
        follow=True,
    )

    entry = RegisterEntry.objects.get()
    assert entry.channel == "fax"
    assert entry.their_reference == "MIN/2026/77"
    assert entry.dated == dt.date(2026, 12, 7)
    assert "Registered as incoming IN-2026-000001." in response.text


def test_calls_and_outgoing_letters_are_not_registered_as_incoming(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)
    agent_client.post(
        reverse("tickets:log"), letter(queue, customer=alice.pk, channel="phone")
    )
    agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            "seen": services.last_seen_event(ticket),
            "channel": "letter",
            "direction": "outbound",
            "body_text": "Posted the answer",
        },
    )

    assert not RegisterEntry.objects.exists()
