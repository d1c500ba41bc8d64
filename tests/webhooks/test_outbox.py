"""The relay: ticket history turned into deliveries, once each, set-based."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk import event_relay
from sla.sweep import run_sweep
from tickets import services
from tickets.models import Message, Ticket
from webhooks import outbox
from webhooks.events import EventType
from webhooks.models import Delivery, RelayCursor
from webhooks.outbox import CURSOR, SETTLE, relay_events

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db


def event_types():
    return sorted(Delivery.objects.values_list("event_type", flat=True))


def test_each_ticket_event_kind_becomes_its_webhook_event(
    subscribe, queue, agent, supervisor, policies
):
    subscribe()
    customer = CustomerFactory()
    ticket = make_ticket(customer, queue, subject="Meter reading")
    services.change_status(ticket, status=Ticket.Status.OPEN, by=agent)
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    services.add_message(
        ticket, direction=Message.Direction.INBOUND, body_text="Any news?"
    )
    services.add_message(
        ticket, direction=Message.Direction.OUTBOUND, body_text="Soon.", by=agent
    )
    services.change_kind(ticket, kind=Ticket.Kind.COMPLAINT, by=agent)
    run_sweep(timezone.now() + timedelta(days=30))

    made = relay_events(timezone.now() + timedelta(days=30))

    assert made == len(event_types())
    assert set(event_types()) == set(EventType.values)
    status = Delivery.objects.get(event_type=EventType.STATUS_CHANGED).payload
    assert status["change"] == {"from": "new", "to": "open"}
    assert status["ticket"]["number"] == ticket.number
    assert status["ticket"]["subject"] == "Meter reading"
    assert status["ticket"]["queue"] == "service"
    assert status["ticket"]["url"].endswith(f"/agent/tickets/{ticket.number}/")
    reply = Delivery.objects.get(event_type=EventType.CUSTOMER_REPLIED).payload
    assert reply["message"]["body_text"] == "Any news?"
    breach = Delivery.objects.filter(event_type=EventType.SLA_BREACH).first()
    assert breach.payload["sla"]["percent_used"] == 100
    assert breach.ticket_number == ticket.number


def test_a_complaint_opened_as_one_is_created_and_raised(subscribe, queue):
    subscribe()

    make_ticket(CustomerFactory(), queue, kind=Ticket.Kind.COMPLAINT)
    relay_events(timezone.now())

    assert event_types() == [EventType.COMPLAINT_RAISED, EventType.TICKET_CREATED]


def test_an_event_read_again_is_delivered_once(subscribe, queue):
    subscribe()
    make_ticket(CustomerFactory(), queue)
    now = timezone.now()

    relay_events(now)
    cursor_while_young = RelayCursor.objects.get(name=CURSOR).position
    relay_events(now)
    relay_events(now + SETTLE + timedelta(seconds=1))

    assert event_types() == [EventType.TICKET_CREATED]
    # Young events are read again (a smaller id may still commit); settled
    # ones are passed for good.
    assert RelayCursor.objects.get(name=CURSOR).position > cursor_while_young


def test_a_subscription_hears_only_its_events_about_tickets_its_owner_sees(
    subscribe, queue, other_queue, agent
):
    subscribe(events=[EventType.STATUS_CHANGED])
    mine = make_ticket(CustomerFactory(), queue)
    theirs = make_ticket(CustomerFactory(), other_queue)
    services.change_status(mine, status=Ticket.Status.OPEN, by=agent)
    services.change_status(theirs, status=Ticket.Status.OPEN, by=agent)

    relay_events(timezone.now())

    assert list(Delivery.objects.values_list("ticket_number", "event_type")) == [
        (mine.number, EventType.STATUS_CHANGED)
    ]


def test_events_before_a_subscription_are_not_sent(subscribe, queue):
    make_ticket(CustomerFactory(), queue)
    relay_events(timezone.now())

    subscribe()
    relay_events(timezone.now())

    assert event_types() == []


def test_a_paused_subscription_gets_no_new_deliveries(subscribe, queue):
    subscription = subscribe()
    subscription.is_active = False
    subscription.paused_at = timezone.now()
    subscription.save()

    make_ticket(CustomerFactory(), queue)
    relay_events(timezone.now())

    assert event_types() == []


def _wake_ups(callbacks):
    return [c for c in callbacks if c is event_relay._wake_relay]


def test_without_a_subscription_a_ticket_write_wakes_nothing(
    queue, django_capture_on_commit_callbacks, django_assert_num_queries
):
    customer = CustomerFactory()
    relay_events(timezone.now())  # sets the flag: nobody listens

    with django_capture_on_commit_callbacks() as callbacks:
        make_ticket(customer, queue)

    assert _wake_ups(callbacks) == []


def test_with_a_subscription_a_ticket_write_wakes_the_relay_once(
    subscribe, queue, django_capture_on_commit_callbacks
):
    subscribe()
    customer = CustomerFactory()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_ticket(customer, queue)

    # open_ticket writes several history lines in one transaction.
    assert len(_wake_ups(callbacks)) == 1
    assert event_types() == [EventType.TICKET_CREATED]


def test_the_relay_costs_the_same_queries_for_one_ticket_or_many(
    subscribe, queue, agent, django_assert_num_queries
):
    subscribe()
    subscribe(name="Second", events=[EventType.TICKET_CREATED])
    make_ticket(CustomerFactory(), queue)
    relay_events(timezone.now())
    for _ in range(6):
        make_ticket(CustomerFactory(), queue)

    with django_assert_num_queries(QUERIES):
        made = relay_events(timezone.now())

    assert made == 12


QUERIES = 11


def test_a_backlog_is_worked_off_over_several_runs(subscribe, queue, monkeypatch):
    monkeypatch.setattr(outbox, "BATCH_SIZE", 3)
    monkeypatch.setattr(outbox, "MAX_BATCHES", 1)
    subscribe(events=[EventType.TICKET_CREATED])
    for _ in range(3):
        make_ticket(CustomerFactory(), queue)
    later = timezone.now() + SETTLE + timedelta(seconds=1)

    made = [relay_events(later) for _ in range(10)]

    assert made[0] < 3
    assert sum(made) == 3
    assert event_types() == [EventType.TICKET_CREATED] * 3
