"""Sending and answering memos: numbers, the addressed queue's clock, and the
customer's clocks that a memo never moves."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from memos.models import Memo, reserve_memo_number
from sla.models import SLAClock, SLAMilestone
from tickets import services
from tickets.models import Notification, Ticket, TicketEvent

from ..concurrency import reserve_concurrently
from ..markers import requires_postgres
from .conftest import answer_at, open_at, riyadh, send_at

pytestmark = pytest.mark.django_db

THURSDAY_3PM = riyadh("2026-12-10 15:00")


def memo_clock(memo: Memo) -> SLAClock:
    return SLAClock.objects.get(pk=memo.clock_id)


def test_memos_are_numbered_per_year_from_one(bob, queue, billing, agent):
    ticket = open_at(riyadh("2026-12-30 09:00"), bob, queue)

    first = send_at(riyadh("2026-12-30 10:00"), ticket, billing, agent)
    second = send_at(riyadh("2026-12-31 10:00"), ticket, billing, agent)
    next_year = send_at(riyadh("2027-01-03 10:00"), ticket, billing, agent)

    assert [first.number, second.number] == ["MEMO-2026-000001", "MEMO-2026-000002"]
    assert next_year.number == "MEMO-2027-000001"


def test_a_rolled_back_memo_leaves_no_gap(bob, queue, billing, agent):
    ticket = open_at(THURSDAY_3PM, bob, queue)

    with pytest.raises(RuntimeError), transaction.atomic():
        send_at(THURSDAY_3PM, ticket, billing, agent)
        raise RuntimeError("the memo failed")
    kept = send_at(THURSDAY_3PM, ticket, billing, agent)

    assert kept.number == "MEMO-2026-000001"
    assert Memo.objects.count() == 1


@requires_postgres("concurrent connections queueing on one row lock")
@pytest.mark.django_db(transaction=True)
def test_concurrent_memos_never_share_a_number():
    numbers = reserve_concurrently(lambda: reserve_memo_number(2034))

    assert sorted(numbers) == list(range(1, 201))


def test_a_memo_sent_thursday_afternoon_is_due_on_the_queues_working_hours(
    bob, queue, billing, agent
):
    # Billing works Sunday to Thursday 08:00-16:00: one hour on Thursday, eight
    # on Sunday and seven on Monday make its 16 hours.
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)

    memo = send_at(THURSDAY_3PM, ticket, billing, agent)

    clock = memo_clock(memo)
    assert memo.due_at == clock.due_at == riyadh("2026-12-14 15:00")
    assert (clock.target, clock.queue, clock.requested_by) == ("memo", billing, agent)
    assert clock.reference == memo.number
    # The warning at 75 % (12 working hours): Monday 11:00.
    assert list(
        SLAMilestone.objects.filter(clock=clock).values_list("percent", "at")
    ) == [(75, riyadh("2026-12-14 11:00")), (100, riyadh("2026-12-14 15:00"))]


def test_a_queue_without_a_calendar_answers_round_the_clock(
    bob, queue, other_queue, agent, policies
):
    other_queue.memo_answer_within = timedelta(hours=16)
    other_queue.save()
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)

    memo = send_at(THURSDAY_3PM, ticket, other_queue, agent)

    assert memo.due_at == riyadh("2026-12-11 07:00")


def test_a_memo_never_moves_the_customers_due_time(bob, queue, billing, agent):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)
    due, at_risk = ticket.due_at, ticket.at_risk_at

    send_at(riyadh("2026-12-10 09:30"), ticket, billing, agent)
    ticket.refresh_from_db()

    # The memo is due long before the customer's 48-hour first response.
    assert (ticket.due_at, ticket.at_risk_at) == (due, at_risk)
    assert ticket.due_at == riyadh("2026-12-12 09:00")


def test_the_customers_clocks_move_on_around_an_open_memo(bob, queue, billing, agent):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)
    memo = send_at(riyadh("2026-12-10 09:30"), ticket, billing, agent)

    services.reply_to_ticket(ticket, body_text="We are on it", by=agent)
    services.change_priority(ticket, priority=Ticket.Priority.URGENT, by=agent)
    services.change_status(ticket, status=Ticket.Status.RESOLVED, by=agent)
    ticket.refresh_from_db()

    # Resolving the ticket leaves the memo open: the other department still
    # owes its answer, and its clock keeps running.
    clock = memo_clock(memo)
    assert clock.status == "running"
    assert clock.due_at == memo.due_at
    assert Memo.objects.get().status == "open"
    assert ticket.due_at is None
    customer = SLAClock.objects.filter(ticket=ticket).exclude(target="memo")
    assert set(customer.values_list("target", "status")) == {
        ("first_response", "met"),
        ("resolution", "met"),
    }


def test_a_memo_to_the_tickets_own_queue_is_refused(bob, queue, billing, agent):
    ticket = open_at(THURSDAY_3PM, bob, queue)

    with pytest.raises(ValidationError, match="already in"):
        send_at(THURSDAY_3PM, ticket, queue, agent)


def test_sending_tells_the_addressed_queue_and_records_history(
    bob, queue, billing, agent, other_agent, billing_supervisor
):
    ticket = open_at(THURSDAY_3PM, bob, queue)

    memo = send_at(THURSDAY_3PM, ticket, billing, agent)

    told = Notification.objects.filter(kind="memo").values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == ["billing-supervisor", "other-agent"]
    event = TicketEvent.objects.get(ticket=ticket, action="memo")
    assert event.details == {
        "event": "sent",
        "number": memo.number,
        "queue": "Billing",
        "queue_ar": "",
    }
    assert memo.message.to_queue == billing
    assert memo.message.direction == "internal"


def test_answering_stops_the_memo_clock_and_tells_the_sender(
    bob, queue, billing, agent, other_agent
):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)
    memo = send_at(THURSDAY_3PM, ticket, billing, agent)

    answered = answer_at(riyadh("2026-12-13 10:00"), memo, other_agent)

    assert answered.status == "answered"
    assert answered.answered_at == riyadh("2026-12-13 10:00")
    assert answered.answer.body_text == "Refunded on Sunday"
    assert answered.answer.direction == "internal"
    clock = memo_clock(memo)
    # Thursday 15:00-16:00 and Sunday 08:00-10:00: three working hours.
    assert (clock.status, clock.used) == ("met", timedelta(hours=3))
    met = TicketEvent.objects.get(ticket=ticket, action="sla_met", sla_target="memo")
    assert met.details["owed_by"] == "Billing"
    history = TicketEvent.objects.filter(ticket=ticket, action="memo")
    assert [e.details["event"] for e in history.order_by("id")] == ["sent", "answered"]
    assert Notification.objects.filter(
        recipient=agent, kind="memo", event__details__event="answered"
    ).exists()


def test_an_answer_after_the_due_time_misses_the_target(
    bob, queue, billing, agent, other_agent
):
    ticket = open_at(riyadh("2026-12-10 09:00"), bob, queue)
    memo = send_at(THURSDAY_3PM, ticket, billing, agent)

    answer_at(riyadh("2026-12-15 09:00"), memo, other_agent)

    assert memo_clock(memo).status == "missed"


def test_only_the_addressed_queue_answers_and_only_once(
    bob, queue, billing, agent, other_agent, outsider
):
    ticket = open_at(THURSDAY_3PM, bob, queue)
    memo = send_at(THURSDAY_3PM, ticket, billing, agent)

    with pytest.raises(PermissionDenied):
        answer_at(THURSDAY_3PM, memo, agent)
    with pytest.raises(PermissionDenied):
        answer_at(THURSDAY_3PM, memo, outsider)
    answer_at(THURSDAY_3PM, memo, other_agent)
    with pytest.raises(ValidationError, match="already answered"):
        answer_at(THURSDAY_3PM, memo, other_agent)

    assert ticket.messages.filter(direction="internal").count() == 2


def test_the_addressed_queue_sees_the_ticket_a_third_queue_does_not(
    bob, queue, billing, agent, other_agent, outsider
):
    ticket = open_at(THURSDAY_3PM, bob, queue)
    assert not Ticket.objects.visible_to(other_agent).filter(pk=ticket.pk).exists()

    send_at(THURSDAY_3PM, ticket, billing, agent)

    assert Ticket.objects.visible_to(other_agent).filter(pk=ticket.pk).exists()
    assert not Ticket.objects.visible_to(outsider).filter(pk=ticket.pk).exists()
    assert Ticket.objects.visible_to(bob.user).filter(pk=ticket.pk).exists()
    assert Ticket.objects.visible_to(agent).filter(pk=ticket.pk).count() == 1
