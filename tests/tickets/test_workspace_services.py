"""The verbs behind the agent workspace: merge, guarded changes, bulk changes,
logging a contact, search columns; and urgency-ordered keyset pages."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer
from tickets import services
from tickets.models import Ticket
from tickets.pagination import decode_urgency_cursor, most_urgent_first

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def test_merge_moves_messages_and_records_both_sides(agent, alice, queue):
    source = make_ticket(alice, queue, subject="Duplicate", body_text="رقم العداد")
    target = make_ticket(alice, queue, subject="Original")

    services.merge_tickets(source, into=target, by=agent)

    assert source.status == "closed"
    assert source.messages.count() == 0
    assert target.messages.count() == 2
    assert target in Ticket.objects.matching("العداد")
    assert source.events.get(action="merged").new_value == target.number


@pytest.mark.parametrize("target_state", ["same", "closed"])
def test_merge_refuses_itself_and_closed_targets(agent, alice, queue, target_state):
    source = make_ticket(alice, queue)
    target = source if target_state == "same" else make_ticket(alice, queue)
    if target_state == "closed":
        services.change_status(target, status="closed", by=agent)

    with pytest.raises(ValidationError):
        services.merge_tickets(source, into=target, by=agent)

    assert source.messages.count() == 1


def test_a_guarded_change_is_refused_after_someone_elses_change(
    agent, supervisor, alice, queue
):
    ticket = make_ticket(alice, queue)
    seen = services.last_seen_event(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)

    with (
        pytest.raises(services.TicketChanged) as refused,
        services.unchanged_since(ticket, seen=seen),
    ):
        services.change_priority(ticket, priority=1, by=agent)

    ticket.refresh_from_db()
    assert ticket.priority == 4
    assert [e.action for e in refused.value.events] == ["priority"]


def test_a_guarded_change_goes_through_when_nothing_changed(agent, alice, queue):
    ticket = make_ticket(alice, queue)

    with services.unchanged_since(ticket, seen=services.last_seen_event(ticket)):
        services.change_priority(ticket, priority=1, by=agent)

    ticket.refresh_from_db()
    assert ticket.priority == 1


def test_bulk_change_applies_what_it_can_and_reports_the_rest(agent, alice, queue):
    first, closed = make_ticket(alice, queue), make_ticket(alice, queue)
    services.change_status(closed, status="closed", by=agent)

    changed, refused = services.bulk_change([first, closed], by=agent, status="pending")

    assert changed == [first]
    assert [t for t, _ in refused] == [closed]
    first.refresh_from_db()
    assert first.status == "pending"


def test_logging_an_answered_call_for_a_new_customer(agent, queue):
    ticket, message = services.log_interaction(
        new_customer={"name": "Khalid", "phone": "0551234567"},
        subject="Opening hours",
        body_text="Asked when the office opens.",
        channel="phone",
        queue=queue,
        answered=True,
        by=agent,
    )

    assert ticket.customer.tier.code == "standard"
    assert message.body_text == "Asked when the office opens."
    assert ticket.first_responded_at == ticket.received_at
    assert ticket.clocks.get(target="first_response").status == "met"
    assert Customer.objects.matching("khal").get() == ticket.customer


def test_every_message_adds_its_words_to_the_ticket_search(agent, alice, queue):
    ticket = make_ticket(alice, queue, subject="Water leak")

    services.add_note(ticket, body_text="تم إرسال الفنّي", by=agent)

    assert Ticket.objects.matching("الفني").get() == ticket
    assert Ticket.objects.matching("leaking water").get() == ticket


def test_reindex_rebuilds_search_columns(alice, queue):
    ticket = make_ticket(alice, queue, subject="Broken meter")
    Ticket.objects.update(search_text="")
    Customer.objects.update(search_text="")

    call_command("reindex_search", batch=1)

    assert Ticket.objects.matching("meter").get() == ticket
    assert Customer.objects.matching("Alic").get() == alice


def test_urgency_pages_cross_from_due_tickets_to_those_without_a_clock(alice, queue):
    now = timezone.now()
    made = [make_ticket(alice, queue) for _ in range(5)]
    dues = [now + timedelta(hours=2), None, now - timedelta(hours=1), None, now]
    for ticket, due in zip(made, dues, strict=True):
        Ticket.objects.filter(pk=ticket.pk).update(due_at=due)
    expected = [made[2].pk, made[4].pk, made[0].pk, made[1].pk, made[3].pk]
    tickets = Ticket.objects.all()

    seen, cursor = [], None
    for _ in range(5):
        page = most_urgent_first(tickets, cursor, 2)
        seen += [t.pk for t in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break

    assert seen == expected


@pytest.mark.parametrize("cursor", ["", "bm90IGEgY3Vyc29y", "MjAyNi0wMS0wMXwx"])
def test_bad_urgency_cursors_are_refused(cursor):
    with pytest.raises(ValueError):
        decode_urgency_cursor(cursor or "%%%")
