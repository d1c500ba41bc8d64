"""seed_volume: the bulk loader behind `make bench`."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from tickets.models import Message, Ticket

ARABIC = re.compile(r"[\u0600-\u06ff]")
NUMBER = re.compile(r"HD-\d{4}-\d{6}")


@pytest.mark.django_db
def test_seed_volume_adds_realistic_tickets_with_conversations():
    before = Ticket.objects.count()

    call_command("seed_volume", tickets=200, seed=1, stdout=StringIO())

    tickets = list(
        Ticket.objects.values(
            "id", "number", "subject", "status", "resolved_at", "closed_at"
        )
    )
    assert len(tickets) == before + 200
    numbers = [ticket["number"] for ticket in tickets]
    assert len(set(numbers)) == len(numbers)
    assert all(NUMBER.fullmatch(number) for number in numbers)
    first_direction = {}
    for ticket_id, direction in Message.objects.order_by(
        "ticket_id", "created_at", "id"
    ).values_list("ticket_id", "direction"):
        first_direction.setdefault(ticket_id, direction)
    assert all(
        first_direction.get(ticket["id"]) == Message.Direction.INBOUND
        for ticket in tickets
    )
    for ticket in tickets:
        if ticket["status"] == Ticket.Status.RESOLVED:
            assert ticket["resolved_at"] is not None
        elif ticket["status"] == Ticket.Status.CLOSED:
            assert ticket["closed_at"] is not None
        else:
            assert ticket["resolved_at"] is None
            assert ticket["closed_at"] is None
    assert {ticket["status"] for ticket in tickets} == set(Ticket.Status.values)
    subjects = [ticket["subject"] for ticket in tickets]
    assert any(ARABIC.search(subject) for subject in subjects)
    assert any(subject.isascii() for subject in subjects)
