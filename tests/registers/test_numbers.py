"""Register numbers: per year and direction, gap-free, never twice."""

import datetime as dt

import pytest
from django.db import transaction

from registers.models import RegisterEntry, reserve_register_number
from registers.services import register_incoming, register_outgoing

from ..concurrency import reserve_concurrently
from ..factories import make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db


def test_each_register_counts_per_year_from_one(alice, queue):
    ticket = make_ticket(alice, queue)

    first = register_incoming(
        ticket,
        None,
        received_on=dt.date(2026, 12, 30),
        channel="letter",
        sender_name="Alice",
        reference="ABC/17",
    )
    second = register_incoming(
        ticket,
        None,
        received_on=dt.date(2026, 12, 31),
        channel="fax",
        sender_name="Alice",
    )
    out = register_outgoing(
        ticket,
        None,
        dispatched_on=dt.date(2026, 12, 31),
        channel="letter",
        addressee_name="Alice",
    )
    next_year = register_incoming(
        ticket,
        None,
        received_on=dt.date(2027, 1, 1),
        channel="letter",
        sender_name="Alice",
    )

    assert [first.number, second.number] == ["IN-2026-000001", "IN-2026-000002"]
    assert out.number == "OUT-2026-000001"
    assert next_year.number == "IN-2027-000001"
    assert first.subject == ticket.subject
    assert first.their_reference == "ABC/17"


def test_a_rolled_back_registration_leaves_no_gap(alice, queue):
    ticket = make_ticket(alice, queue)

    with pytest.raises(RuntimeError), transaction.atomic():
        register_incoming(
            ticket,
            None,
            received_on=dt.date(2026, 5, 1),
            channel="letter",
            sender_name="Alice",
        )
        raise RuntimeError("the logging failed")
    kept = register_incoming(
        ticket,
        None,
        received_on=dt.date(2026, 5, 1),
        channel="letter",
        sender_name="Alice",
    )

    assert kept.number == "IN-2026-000001"


@requires_postgres("concurrent connections queueing on one row lock")
@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_never_hands_out_a_number_twice():
    numbers = reserve_concurrently(lambda: reserve_register_number("in", 2033))

    assert sorted(numbers) == list(range(1, 201))
    assert reserve_register_number("out", 2033) == 1
    assert not RegisterEntry.objects.exists()
