"""The SLA models moved from `tickets` to `sla`: a database made before the move
keeps every row, every link between them, and the supervisors' permissions."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("tickets", "0012_sla_targets_optional"),
    ("customers", "0003_customer_search_text"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_the_move_keeps_its_sla_rows():
    old = _migrate(BEFORE)
    Calendar = old.get_model("tickets", "BusinessCalendar")
    Policy = old.get_model("tickets", "SLAPolicy")
    Clock = old.get_model("tickets", "SLAClock")
    Milestone = old.get_model("tickets", "SLAMilestone")
    Ticket = old.get_model("tickets", "Ticket")
    TicketEvent = old.get_model("tickets", "TicketEvent")
    Queue = old.get_model("tickets", "Queue")
    Customer = old.get_model("customers", "Customer")
    Tier = old.get_model("customers", "ServiceTier")
    now = timezone.now()
    calendar = Calendar.objects.create(name="Before the move", timezone="UTC")
    policy = Policy.objects.create(
        name="Moved policy", order=99, first_response=timedelta(hours=4)
    )
    policy.tiers.set(Tier.objects.filter(code="vip"))
    policy.calendar = calendar
    policy.save()
    ticket = Ticket.objects.create(
        number="HD-2026-999999",
        subject="Written before the move",
        queue=Queue.objects.create(name="Moves", slug="moves"),
        customer=Customer.objects.create(
            name="Old", email="old@example.com", tier=Tier.objects.get(code="standard")
        ),
        channel="email",
        received_at=now,
        sla_policy=policy,
    )
    clock = Clock.objects.create(
        ticket=ticket,
        target="first_response",
        status="running",
        started_at=now,
        running_since=now,
        limit=timedelta(hours=4),
        due_at=now + timedelta(hours=4),
    )
    milestone = Milestone.objects.create(clock=clock, cycle=1, percent=75, at=now)
    TicketEvent.objects.create(
        ticket=ticket, action="sla_warning", milestone=milestone, created_at=now
    )

    new = _migrate(_latest())

    Ticket = new.get_model("tickets", "Ticket")
    moved = Ticket.objects.get(number="HD-2026-999999")
    assert moved.sla_policy.name == "Moved policy"
    assert moved.sla_policy.calendar.name == "Before the move"
    assert [t.code for t in moved.sla_policy.tiers.all()] == ["vip"]
    clock = new.get_model("sla", "SLAClock").objects.get(ticket=moved)
    assert clock.due_at == now + timedelta(hours=4)
    event = new.get_model("tickets", "TicketEvent").objects.get(ticket=moved)
    assert event.milestone.clock_id == clock.pk
    assert event.milestone.percent == 75
    Group = new.get_model("auth", "Group")
    supervisors = Group.objects.get(name="Supervisors")
    assert supervisors.permissions.filter(
        content_type__app_label="sla", codename="change_slapolicy"
    ).exists()
    ContentType = new.get_model("contenttypes", "ContentType")
    assert not ContentType.objects.filter(app_label="tickets", model="slapolicy")
