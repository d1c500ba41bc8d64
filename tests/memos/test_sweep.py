"""The SLA sweep reminds and escalates memo clocks to the addressed queue."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sla.sweep import run_sweep
from tickets import services
from tickets.models import Notification, Ticket, TicketEvent
from tickets.tasks import sla_sweep

from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for
from .conftest import answer_at, open_at, riyadh, send_at

MONDAY_9 = riyadh("2026-11-30 09:00")


def told(kind=None):
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", "kind"))


@pytest.fixture
def memo(bob, queue, billing, agent, supervisor, billing_supervisor):
    """A memo from the agent's assigned ticket to Billing, sent Monday 09:00:
    16 working hours are Monday 09:00-16:00, Tuesday 08:00-16:00 and Wednesday
    08:00-09:00; the warning at 75 % is Tuesday 13:00."""
    ticket = open_at(MONDAY_9, bob, queue)
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    with time_machine.travel(MONDAY_9, tick=False):
        # Answered at once: the customer's next clock is Friday's resolution.
        services.reply_to_ticket(ticket, body_text="We asked Billing", by=agent)
    return send_at(MONDAY_9, ticket, billing, agent)


@pytest.mark.django_db
def test_a_memo_warning_tells_the_addressed_queues_supervisors_only(memo):
    assert memo.due_at == riyadh("2026-12-02 09:00")
    Notification.objects.all().delete()

    result = run_sweep(riyadh("2026-12-01 13:00"))

    assert (result.warnings, result.breaches) == (1, 0)
    warning = TicketEvent.objects.get(action="sla_warning")
    assert (warning.sla_target, warning.new_value) == ("memo", "75")
    # Not the ticket's assignee: the memo is Billing's to answer.
    assert told() == [("billing-supervisor", "warning")]


@pytest.mark.django_db
def test_a_memo_breach_tells_the_queue_and_the_sender_and_escalates_nothing(
    memo, agent
):
    ticket = memo.ticket
    Notification.objects.all().delete()

    result = run_sweep(riyadh("2026-12-02 09:30"))

    assert result.breaches == 1
    assert result.escalated == []
    breach = TicketEvent.objects.get(action="sla_breach")
    assert (breach.sla_target, breach.details["reference"]) == ("memo", memo.number)
    # The warning this late sweep also found is folded into the breach.
    assert told() == [("agent", "memo"), ("billing-supervisor", "breach")]
    overdue = TicketEvent.objects.get(action="memo", details__event="overdue")
    assert overdue.details["number"] == memo.number
    assert overdue.details["queue"] == "Billing"
    ticket.refresh_from_db()
    assert not ticket.events.filter(action="escalated").exists()
    assert ticket.priority == Ticket.Priority.NORMAL
    # A second sweep records nothing more.
    assert run_sweep(riyadh("2026-12-02 10:00")).breaches == 0
    assert TicketEvent.objects.filter(details__event="overdue").count() == 1


@pytest.mark.django_db
def test_a_breached_memo_on_a_vip_complaint_does_not_escalate_it(
    alice, queue, billing, agent, supervisor, billing_supervisor
):
    billing.calendar = None
    billing.memo_answer_within = timedelta(hours=1)
    billing.save()
    ticket = open_at(MONDAY_9, alice, queue, kind="complaint")
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    send_at(MONDAY_9, ticket, billing, agent)

    # The complaint's own first response (4 working hours) is not due yet.
    result = run_sweep(MONDAY_9 + timedelta(hours=2))

    assert result.breaches == 1
    assert result.escalated == []
    ticket.refresh_from_db()
    assert not ticket.events.filter(action="escalated").exists()
    assert ticket.priority == Ticket.Priority.NORMAL


@pytest.mark.django_db
def test_an_answered_memo_is_never_reminded(memo, other_agent):
    answer_at(MONDAY_9 + timedelta(hours=1), memo, other_agent)

    run_sweep(riyadh("2026-12-03 09:00"))

    assert not TicketEvent.objects.filter(
        sla_target="memo", action__in=["sla_warning", "sla_breach"]
    ).exists()
    assert not TicketEvent.objects.filter(details__event="overdue").exists()


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_reminds_the_addressed_queue_of_an_overdue_memo(
    bob, queue, billing, agent, supervisor, billing_supervisor
):
    billing.calendar = None
    billing.memo_answer_within = timedelta(hours=1)
    billing.save()
    sent = timezone.now() - timedelta(hours=2)
    ticket = open_at(sent, bob, queue, subject="Refund")
    memo = send_at(sent, ticket, billing, agent)

    with running_worker() as queue_name:
        sla_sweep.apply_async(queue=queue_name)
        overdue = wait_for(
            lambda: TicketEvent.objects.filter(
                ticket=ticket, action="memo", details__event="overdue"
            ).exists()
        )

    assert overdue
    breach = TicketEvent.objects.get(ticket=ticket, action="sla_breach")
    assert breach.sla_target == "memo"
    assert Notification.objects.filter(
        recipient=billing_supervisor, event=breach, kind="breach"
    ).exists()
    assert Notification.objects.filter(
        recipient=agent, event=breach, kind="memo"
    ).exists()
    ticket.refresh_from_db()
    assert ticket.due_at > timezone.now()  # the customer's 48 hours still run
    assert memo.number in breach.details["reference"]
