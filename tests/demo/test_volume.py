"""seed_volume: the bulk loader behind `make bench`."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from customers.models import Customer
from sla.models import SLAClock, SLAMilestone
from sla.sweep import run_sweep
from tickets import services
from tickets.models import Message, Queue, Ticket, TicketEvent

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


@pytest.mark.django_db
def test_seeded_tickets_carry_consistent_sla_state():
    before = timezone.now()
    call_command("seed_volume", tickets=400, seed=2, stdout=StringIO())
    after = timezone.now()

    # The sweep tells queue supervisors of breaches: the volume has some.
    assert all(queue.supervisors.exists() for queue in Queue.objects.all())
    tickets = {t.pk: t for t in Ticket.objects.select_related("sla_policy")}
    clocks = list(SLAClock.objects.all())
    assert all(ticket.sla_policy_id for ticket in tickets.values())
    assert {c.status for c in clocks} == set(SLAClock.Status.values)
    # The volume is customers' requests: no memos or appeals among them.
    Target = SLAClock.Target
    customer_targets = {Target.FIRST_RESPONSE, Target.NEXT_RESPONSE, Target.RESOLUTION}
    assert {c.target for c in clocks} == customer_targets
    running = [c for c in clocks if c.status == SLAClock.Status.RUNNING]
    for ticket in tickets.values():
        mine = [c for c in running if c.ticket_id == ticket.pk]
        assert ticket.due_at == min((c.due_at for c in mine), default=None)
        assert ticket.at_risk_at == min((c.warn_at for c in mine), default=None)
        if not ticket.is_open:
            assert not mine
        if ticket.status == Ticket.Status.PENDING:
            assert {
                c.status for c in ticket.clocks.all() if c.target == "resolution"
            } == {SLAClock.Status.PAUSED}

    milestones = list(SLAMilestone.objects.all())
    by_clock = {}
    for milestone in milestones:
        by_clock.setdefault(milestone.clock_id, []).append(milestone)
    assert set(by_clock) == {c.pk for c in running}
    for clock in running:
        assert clock.running_since == clock.started_at
        assert clock.due_at > clock.warn_at > clock.started_at
        policy = tickets[clock.ticket_id].sla_policy
        mine = sorted(by_clock[clock.pk], key=lambda m: m.percent)
        assert [m.percent for m in mine] == [*policy.thresholds, 100]
        assert mine[0].at == clock.warn_at
        assert mine[-1].at == clock.due_at
    # What had fallen due before the seeding finished is recorded, once, as
    # a sweep would have; what had not is left to the sweep.
    reached = [m for m in milestones if m.reached_at is not None]
    assert reached and len(reached) < len(milestones)
    for milestone in milestones:
        if milestone.reached_at is None:
            assert milestone.at > before
        else:
            assert milestone.at <= after
    events = TicketEvent.objects.filter(milestone__isnull=False)
    assert sorted(events.values_list("milestone_id", flat=True)) == sorted(
        m.pk for m in reached
    )
    assert not run_sweep(after).breaches

    outcomes = {
        (e.ticket_id, e.sla_target): e
        for e in TicketEvent.objects.filter(action__in=["sla_met", "sla_missed"])
    }
    stopped = [c for c in clocks if c.status in ("met", "missed")]
    assert len(outcomes) == len(stopped)
    for clock in stopped:
        event = outcomes[clock.ticket_id, clock.target]
        assert clock.status == ("met" if clock.stopped_at <= clock.due_at else "missed")
        assert event.action == f"sla_{clock.status}"
        assert event.created_at == clock.stopped_at
        assert event.details["used_minutes"] == int(clock.used.total_seconds() // 60)
        assert event.details["limit_minutes"] == int(clock.limit.total_seconds() // 60)


@pytest.mark.django_db
def test_seeded_tickets_and_customers_are_found_by_search():
    call_command("seed_volume", tickets=150, seed=3, stdout=StringIO())
    seeded = {
        "tickets": dict(Ticket.objects.values_list("pk", "search_text")),
        "customers": dict(Customer.objects.values_list("pk", "search_text")),
    }

    # What the app writes when it indexes the same text itself.
    services.reindex_search()

    assert seeded == {
        "tickets": dict(Ticket.objects.values_list("pk", "search_text")),
        "customers": dict(Customer.objects.values_list("pk", "search_text")),
    }
    assert all(seeded["tickets"].values())
    assert all(seeded["customers"].values())
    # The agent's search box finds an Arabic word of a seeded message, typed
    # with a different hamza and ending, and a customer by local phone number.
    assert Ticket.objects.matching("الفاتوره").exists()
    customer = Customer.objects.exclude(phone="").first()
    assert customer in Customer.objects.matching("0" + customer.phone[-9:])
