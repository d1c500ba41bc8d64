import pytest
from django.db import IntegrityError, connection, transaction

from tickets.models import Ticket, format_ticket_number, reserve_ticket_numbers

from ..concurrency import reserve_concurrently
from ..factories import make_ticket
from ..markers import requires_postgres


@pytest.mark.django_db
def test_reserving_a_block_returns_consecutive_numbers():
    first = reserve_ticket_numbers(2031, 3)
    second = reserve_ticket_numbers(2031)

    assert list(first) == [1, 2, 3]
    assert list(second) == [4]
    assert format_ticket_number(2031, 7) == "HD-2031-000007"


@requires_postgres("concurrent connections queueing on one row lock")
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_never_hands_out_a_number_twice():
    numbers = reserve_concurrently(lambda: reserve_ticket_numbers(2032))

    assert sorted(numbers) == list(range(1, 201))


@pytest.mark.django_db
def test_tracking_tokens_are_long_random_and_distinct(alice, queue):
    tokens = {make_ticket(alice, queue).tracking_token for _ in range(20)}

    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)


@pytest.mark.django_db
def test_database_refuses_a_resolved_ticket_without_its_resolution_time(alice, queue):
    ticket = make_ticket(alice, queue)

    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.filter(pk=ticket.pk).update(status="resolved")


@requires_postgres("reads the index definitions from pg_indexes")
@pytest.mark.django_db
def test_hot_ticket_filters_have_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'tickets_ticket'"
        )
        definitions = " ".join(row[0] for row in cursor.fetchall())

    for columns in (
        "(queue_id, status)",
        "(customer_id, received_at DESC)",
        "(assignee_id, status)",
        "(received_at DESC, id DESC)",
    ):
        assert columns in definitions
    assert "ticket_open_received_idx" in definitions
    assert "WHERE ((status)::text = ANY" in definitions
