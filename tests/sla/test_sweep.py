"""The SLA sweep: each warning and breach recorded once, notified, escalated."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from customers.models import ServiceTier
from helpdesk.channels import Channel
from sla import ledger, sweep
from sla.ledger import LedgerEntry
from sla.models import SLAMilestone
from sla.sweep import run_sweep
from tickets import services
from tickets.models import Notification, Ticket, TicketEvent
from tickets.permissions import AGENTS, SUPERVISORS

from ..factories import CustomerFactory, QueueFactory, make_staff, make_ticket
from ..markers import requires_postgres

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday 09:00


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


def open_at(when, customer, queue, **fields) -> Ticket:
    with time_machine.travel(when, tick=False):
        return make_ticket(customer, queue, **fields)


def sla_events(ticket, action=None):
    events = ticket.events.filter(action__in=["sla_warning", "sla_breach"])
    if action:
        events = events.filter(action=action)
    return list(events.values_list("action", "sla_target", "new_value"))


@pytest.fixture
def assigned(policies, bob, queue, agent, supervisor):
    """An email ticket (48 h first response round the clock) given to the agent."""
    ticket = open_at(T0, bob, queue)
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    return ticket


@pytest.mark.django_db
def test_a_warning_is_recorded_at_75_percent_and_only_once(assigned):
    first = run_sweep(T0 + hours(36))
    again = run_sweep(T0 + hours(37))

    assert (first.warnings, first.breaches) == (1, 0)
    assert (again.warnings, again.breaches) == (0, 0)
    assert sla_events(assigned) == [("sla_warning", "first_response", "75")]


@pytest.mark.django_db
def test_a_breach_is_recorded_once_at_the_due_time(assigned):
    run_sweep(T0 + hours(47))
    breached = run_sweep(T0 + hours(48))
    run_sweep(T0 + hours(50))

    assert breached.breaches == 1
    assert sla_events(assigned, "sla_breach") == [
        ("sla_breach", "first_response", "100")
    ]


@pytest.mark.django_db
def test_a_breach_is_written_in_the_ledgers_declared_shape(assigned):
    run_sweep(T0 + hours(48))

    event = TicketEvent.objects.get(action="sla_breach")
    entry = LedgerEntry.from_details(event.details)
    assert entry.version == ledger.VERSION
    assert (entry.cycle, entry.percent) == (1, 100)
    assert entry.due_at == entry.milestone_at == T0 + hours(48)


@pytest.mark.django_db
def test_nothing_is_recorded_before_the_first_warning(assigned):
    result = run_sweep(T0 + hours(35))

    assert (result.warnings, result.breaches, result.notifications) == (0, 0, 0)
    assert sla_events(assigned) == []


@pytest.mark.django_db
def test_a_late_sweep_records_every_milestone_it_missed_once(assigned):
    result = run_sweep(T0 + hours(100))

    # First response warned and breached, resolution (96 h) warned and breached.
    assert (result.warnings, result.breaches) == (2, 2)
    assert len(sla_events(assigned)) == 4


@pytest.mark.django_db
def test_the_assignee_hears_of_warnings_and_supervisors_of_breaches(
    assigned, agent, supervisor
):
    run_sweep(T0 + hours(36))
    warned = sorted(Notification.objects.values_list("recipient__username", "kind"))
    run_sweep(T0 + hours(48))

    received = sorted(Notification.objects.values_list("recipient__username", "kind"))
    assert warned == [("agent", "assigned"), ("agent", "warning")]
    # The agent's warning became the breach: one line per clock, not two.
    assert received == [
        ("agent", "assigned"),
        ("agent", "breach"),
        ("supervisor", "breach"),
    ]


@pytest.mark.django_db
def test_supervisors_hear_of_warnings_on_unassigned_tickets(
    policies, bob, queue, supervisor
):
    open_at(T0, bob, queue)

    run_sweep(T0 + hours(36))

    assert list(Notification.objects.values_list("recipient__username", "kind")) == [
        ("supervisor", "warning")
    ]


@pytest.mark.django_db
def test_a_paused_clock_never_warns(policies, bob, queue, agent):
    ticket = open_at(T0, bob, queue, channel=Channel.PHONE, by=agent, answered=True)
    with time_machine.travel(T0 + hours(1), tick=False):
        services.change_status(ticket, status="pending", by=agent)

    result = run_sweep(T0 + hours(24 * 30))

    assert (result.warnings, result.breaches) == (0, 0)


@pytest.mark.django_db
def test_a_breached_vip_complaint_escalates_to_the_queue_supervisor(
    policies, queue, agent, supervisor
):
    queue.escalate_to_supervisor = True
    queue.save()
    vip = CustomerFactory(tier=ServiceTier.objects.get(code="vip"))
    complaint = open_at(T0, vip, queue, kind="complaint")
    services.assign_ticket(complaint, agent=agent, by=supervisor)
    inquiry = open_at(T0, CustomerFactory(), queue, channel=Channel.PHONE)

    result = run_sweep(T0 + hours(30))
    run_sweep(T0 + hours(60))

    complaint.refresh_from_db()
    inquiry.refresh_from_db()
    assert result.escalated == [complaint.pk]
    assert complaint.is_escalated
    assert complaint.priority == Ticket.Priority.HIGH
    assert complaint.assignee == supervisor
    escalation = complaint.events.get(action=TicketEvent.Action.ESCALATED)
    assert (escalation.old_value, escalation.new_value) == ("2", "3")
    assert Notification.objects.filter(
        recipient=supervisor, kind="escalation", ticket=complaint
    ).exists()
    assert not inquiry.is_escalated and inquiry.assignee is None


@pytest.mark.django_db
def test_a_breached_complaint_keeps_its_agent_unless_the_queue_reassigns(
    policies, bob, queue, agent, supervisor
):
    complaint = open_at(T0, bob, queue, kind="complaint")
    services.assign_ticket(complaint, agent=agent, by=supervisor)

    run_sweep(T0 + hours(30))

    complaint.refresh_from_db()
    assert complaint.is_escalated and complaint.priority == Ticket.Priority.HIGH
    assert complaint.assignee == agent


@pytest.mark.django_db
def test_a_sweep_that_dies_midway_leaves_no_trace(assigned, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(sweep, "_tickets_to_escalate", crash)
    with pytest.raises(RuntimeError):
        run_sweep(T0 + hours(48))
    monkeypatch.undo()

    assert sla_events(assigned) == []
    assert not SLAMilestone.objects.filter(reached_at__isnull=False).exists()
    assert run_sweep(T0 + hours(49)).breaches == 1


@pytest.mark.django_db
def test_the_sweep_runs_the_same_statements_for_one_or_many_tickets(
    policies, queue, agent, supervisor
):
    def statements(count: int, start: datetime) -> int:
        for _ in range(count):
            ticket = open_at(start, CustomerFactory(), queue, kind="complaint")
            services.assign_ticket(ticket, agent=agent, by=supervisor)
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(start + hours(30))
        assert result.breaches == count
        return len(queries)

    assert statements(1, T0) == statements(6, T0 + hours(24))


@requires_postgres("two sweeps in separate connections, one waiting on the other")
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_record_each_breach_once(policies, bob, queue):
    for _ in range(5):
        open_at(T0, bob, queue)
    now = T0 + hours(48)
    claimed = threading.Event()
    results = {}

    def first():
        # Holds its claim open while the second sweep starts.
        with transaction.atomic():
            results["first"] = run_sweep(now)
            claimed.set()
            threading.Event().wait(0.5)
        connection.close()

    def second():
        claimed.wait(5)
        results["second"] = run_sweep(now)
        connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results["first"].breaches == 5
    assert results["second"].breaches == 0
    assert TicketEvent.objects.filter(action="sla_breach").count() == 5


@pytest.mark.django_db
def test_the_database_refuses_a_second_event_for_one_milestone(assigned):
    from django.db import IntegrityError

    run_sweep(T0 + hours(48))
    event = TicketEvent.objects.get(action="sla_breach")

    with pytest.raises(IntegrityError), transaction.atomic():
        TicketEvent.objects.create(
            ticket=assigned, action="sla_breach", milestone=event.milestone
        )


@pytest.mark.django_db
def test_the_command_sweeps_as_if_at_a_given_time(assigned, capsys):
    call_command("sla_sweep", "--at", (T0 + hours(48)).isoformat())

    output = capsys.readouterr().out
    assert "1 warning(s), 1 breach(es)" in output
    assert sla_events(assigned, "sla_breach")


@pytest.mark.django_db
def test_the_command_explains_a_time_it_cannot_read(assigned):
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("sla_sweep", "--at", "next tuesday")


# Escalation: breached VIP tickets and complaints, once each, through one
# write path.


@pytest.fixture
def reassigning(queue):
    """The queue hands breached VIP tickets and complaints to a supervisor."""
    queue.escalate_to_supervisor = True
    queue.save()
    return queue


def supervise(queue, username, *, open_tickets=0, group=SUPERVISORS, **fields):
    """A supervisor of `queue` with that many open tickets assigned."""
    user = make_staff(username, group, **fields)
    queue.supervisors.add(user)
    for _ in range(open_tickets):
        ticket = open_at(T0, CustomerFactory(), queue, channel=Channel.PHONE)
        services.assign_ticket(ticket, agent=user, by=user)
    return user


def history(ticket, *actions):
    return list(
        ticket.events.filter(action__in=actions)
        .order_by("id")
        .values_list("action", "actor", "old_value", "new_value")
    )


@pytest.mark.django_db
def test_an_escalation_records_each_change_as_the_verbs_do(
    policies, reassigning, agent, supervisor
):
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")
    services.assign_ticket(complaint, agent=agent, by=supervisor)

    result = run_sweep(T0 + hours(30))

    assert result.escalated == [complaint.pk]
    assert history(complaint, "escalated", "priority") == [
        ("escalated", None, "2", "3"),
        ("priority", None, "2", "3"),
    ]
    # By name as the verbs record it: the agent's full name, the supervisor's
    # login as they have no name.
    assert history(complaint, "assigned")[-1] == (
        "assigned",
        None,
        "Omar",
        "supervisor",
    )
    escalation = complaint.events.get(action="escalated")
    told = Notification.objects.get(kind="escalation")
    assert (told.recipient, told.event) == (supervisor, escalation)


@pytest.mark.django_db
def test_the_least_loaded_supervisor_is_chosen_then_by_name(policies, reassigning):
    supervise(reassigning, "aa-busy", first_name="Aaron", open_tickets=2)
    zed = supervise(reassigning, "aa-zed", first_name="Zed")
    amal = supervise(reassigning, "zz-amal", first_name="Amal")
    first = open_at(T0, CustomerFactory(), reassigning, kind="complaint")
    second = open_at(T0, CustomerFactory(), reassigning, kind="complaint")

    run_sweep(T0 + hours(30))

    first.refresh_from_db()
    second.refresh_from_db()
    # Amal and Zed have no open tickets; Amal comes first by name, and once
    # she has one, Zed is the least loaded.
    assert (first.assignee, second.assignee) == (amal, zed)


@pytest.mark.django_db
def test_only_an_active_supervisor_of_the_queue_is_ever_chosen(
    policies, reassigning, other_queue
):
    supervise(reassigning, "aa-agent", group=AGENTS)
    supervise(reassigning, "ab-gone", is_active=False)
    supervise(other_queue, "ac-elsewhere")
    boss = supervise(reassigning, "zz-boss", open_tickets=3)
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")

    run_sweep(T0 + hours(30))

    complaint.refresh_from_db()
    assert complaint.assignee == boss
    assert list(
        Notification.objects.filter(kind="escalation").values_list(
            "recipient__username", flat=True
        )
    ) == ["zz-boss"]


@pytest.mark.django_db
def test_without_a_supervisor_to_take_it_an_escalated_ticket_keeps_its_agent(
    policies, reassigning, agent
):
    supervise(reassigning, "aa-agent", group=AGENTS)
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")
    services.assign_ticket(complaint, agent=agent, by=agent)

    run_sweep(T0 + hours(30))

    complaint.refresh_from_db()
    assert complaint.is_escalated and complaint.assignee == agent
    assert history(complaint, "assigned") == [("assigned", agent.pk, "", "Omar")]
    assert not Notification.objects.filter(kind="escalation").exists()


@pytest.mark.django_db
def test_a_ticket_already_with_a_supervisor_of_the_queue_stays_with_them(
    policies, reassigning, supervisor
):
    supervise(reassigning, "aa-idle", first_name="Aaron")
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")
    services.assign_ticket(complaint, agent=supervisor, by=supervisor)

    run_sweep(T0 + hours(30))

    complaint.refresh_from_db()
    assert complaint.assignee == supervisor
    assert len(history(complaint, "assigned")) == 1
    assert Notification.objects.get(kind="escalation").recipient == supervisor


@pytest.mark.django_db
def test_an_escalation_rechooses_the_sla_policy_in_the_same_sweep(policies, alice):
    queue = QueueFactory()
    ticket = open_at(T0, alice, queue, priority=Ticket.Priority.HIGH)
    assert ticket.sla_policy == policies["written"]

    result = run_sweep(T0 + hours(48))

    ticket.refresh_from_db()
    assert result.escalated == [ticket.pk]
    assert ticket.priority == Ticket.Priority.URGENT
    assert ticket.sla_policy == policies["urgent"]
    assert ticket.clocks.get(target="resolution").limit == hours(8)
    chosen = ticket.events.filter(action="sla_policy").latest("id")
    assert (chosen.old_value, chosen.new_value, chosen.actor) == (
        "T written",
        "T urgent",
        None,
    )


@pytest.mark.django_db
def test_an_escalation_that_fails_midway_leaves_no_trace(
    policies, reassigning, supervisor, monkeypatch
):
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(sweep.clocks, "reselect_policies", crash)
    with pytest.raises(RuntimeError):
        run_sweep(T0 + hours(30))
    monkeypatch.undo()

    complaint.refresh_from_db()
    assert complaint.priority == Ticket.Priority.NORMAL
    assert complaint.assignee is None
    assert not complaint.events.filter(action="escalated").exists()
    assert run_sweep(T0 + hours(31)).escalated == [complaint.pk]


@pytest.mark.django_db
def test_a_ticket_escalates_once_however_often_it_breaches(
    policies, reassigning, supervisor
):
    complaint = open_at(T0, CustomerFactory(), reassigning, kind="complaint")

    first = run_sweep(T0 + hours(30))
    again = run_sweep(T0 + hours(30))
    later = run_sweep(T0 + hours(24 * 9))  # the resolution target breaches too

    complaint.refresh_from_db()
    assert (first.escalated, again.escalated, later.escalated) == (
        [complaint.pk],
        [],
        [],
    )
    assert later.breaches == 1
    assert complaint.priority == Ticket.Priority.HIGH
    assert complaint.events.filter(action="escalated").count() == 1
    assert complaint.events.filter(action="priority").count() == 1
    assert Notification.objects.filter(kind="escalation").count() == 1


@pytest.mark.django_db
def test_the_sweep_runs_a_fixed_number_of_statements_when_nothing_escalates(
    policies, queue, agent, supervisor
):
    def statements(count: int, start: datetime) -> int:
        for _ in range(count):
            ticket = open_at(start, CustomerFactory(), queue)
            services.assign_ticket(ticket, agent=agent, by=supervisor)
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(start + hours(48))
        assert (result.breaches, result.escalated) == (count, [])
        return len(queries)

    assert statements(1, T0) == statements(6, T0 + hours(24)) == 10


@pytest.mark.django_db
def test_escalating_to_supervisors_runs_the_same_statements_for_one_or_many(
    policies, reassigning, agent, supervisor
):
    supervise(reassigning, "second-supervisor")

    def statements(count: int, start: datetime) -> int:
        for _ in range(count):
            ticket = open_at(start, CustomerFactory(), reassigning, kind="complaint")
            services.assign_ticket(ticket, agent=agent, by=supervisor)
        with CaptureQueriesContext(connection) as queries:
            result = run_sweep(start + hours(30))
        assert len(result.escalated) == count
        return len(queries)

    assert statements(1, T0) == statements(6, T0 + hours(24))


@pytest.mark.parametrize(
    ("loads", "assignee", "chosen"),
    [
        ({"zed": 0, "amal": 0, "omar": 1}, None, "amal"),
        ({"zed": 0, "amal": 2, "omar": 1}, None, "zed"),
        ({"zed": 0, "amal": 2, "omar": 1}, "omar", "omar"),
        ({}, None, None),
    ],
)
def test_choose_supervisor_prefers_the_assignee_then_the_least_loaded_then_name(
    loads, assignee, chosen
):
    ids = {"zed": 1, "amal": 2, "omar": 3}
    candidates = [
        sweep.Candidate(ids[name], f"user-{ids[name]}", name.title(), load)
        for name, load in loads.items()
    ]

    picked = sweep.choose_supervisor(candidates, assignee=ids.get(assignee))

    assert (picked.name.lower() if picked else None) == chosen
