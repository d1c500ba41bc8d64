"""Changing SLA policies and calendars: validated, recorded, and the open
tickets they affect re-planned (sla/services.py, sla/replan.py, sla/tasks.py)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sla import replan, services
from sla.config import forget_sla_config, sla_config
from sla.history import change_lines
from sla.models import HijriRule, Holiday, SLAChange, SLAClock, SLAPolicy
from sla.tasks import replan_open_tickets, resume_replanning
from tickets.models import Ticket, TicketEvent

from ..factories import CustomerFactory, make_ticket

pytestmark = pytest.mark.django_db
RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday, office hours 08-16
Target = SLAClock.Target


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def first_response_due(ticket: Ticket) -> datetime:
    return SLAClock.objects.get(ticket=ticket, target=Target.FIRST_RESPONSE).due_at


def sla_events(ticket: Ticket) -> int:
    return ticket.events.filter(action__in=TicketEvent.Action.sla()).count()


@pytest.fixture
def complaint(policies, bob, queue):
    """On "T complaints": first response within 8 office hours, due Tuesday 09:00."""
    with at(T0):
        return make_ticket(bob, queue, kind="complaint", subject="Rude clerk")


def test_a_policy_edit_re_plans_an_open_tickets_due_time(
    complaint, policies, supervisor, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]
    assert first_response_due(complaint) == riyadh("2026-12-01 09:00")

    policy.first_response = timedelta(hours=4)
    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        services.save_policy(policy, by=supervisor)

    complaint.refresh_from_db()
    assert first_response_due(complaint) == riyadh("2026-11-30 13:00")
    assert complaint.due_at == riyadh("2026-11-30 13:00")
    replanned = complaint.events.filter(action=TicketEvent.Action.SLA_STARTED).last()
    assert replanned.details["recomputed"] is True
    assert replanned.actor == supervisor


def test_with_the_broker_down_a_policy_edit_is_saved_and_re_planned_by_the_beat(
    complaint, policies, supervisor, django_capture_on_commit_callbacks, monkeypatch
):
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)

    def broker_down(*args, **kwargs):
        raise OSError("Connection refused")

    with monkeypatch.context() as patched:
        patched.setattr(replan_open_tickets, "delay", broker_down)
        with (
            at(T0 + timedelta(hours=1)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            change = services.save_policy(policy, by=supervisor)
    assert first_response_due(complaint) == riyadh("2026-12-01 09:00")

    with at(T0 + timedelta(hours=2)):
        started = resume_replanning()

    assert started == 1
    assert first_response_due(complaint) == riyadh("2026-11-30 13:00")
    change.refresh_from_db()
    assert change.replan_finished_at is not None
    with at(T0 + timedelta(hours=3)):
        assert resume_replanning() == 0


@pytest.mark.parametrize("how", ["deactivate", "delete"])
def test_a_policy_switched_off_or_deleted_moves_its_tickets_to_the_next_match(
    complaint, policies, supervisor, how, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]

    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        if how == "deactivate":
            services.set_policy_active(policy, active=False, by=supervisor)
        else:
            services.delete_policy(policy, by=supervisor)

    complaint.refresh_from_db()
    # An email complaint of a standard customer: written channels, 48 h round
    # the clock.
    assert complaint.sla_policy == policies["written"]
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    assert complaint.due_at == riyadh("2026-12-02 09:00")


def test_a_new_policy_ahead_of_the_others_takes_the_tickets_it_matches(
    complaint, policies, supervisor, django_capture_on_commit_callbacks
):
    policy = SLAPolicy(
        name="Internal complaints",
        order=0,
        customer_kinds=["internal"],
        ticket_kinds=["complaint"],
        first_response=timedelta(hours=2),
        calendar=policies["complaints"].calendar,
    )

    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        services.save_policy(policy, by=supervisor)

    complaint.refresh_from_db()
    assert complaint.sla_policy == policy
    assert complaint.due_at == riyadh("2026-11-30 11:00")
    # The new policy has no resolution target: that clock is gone.
    assert list(complaint.clocks.values_list("target", flat=True)) == [
        Target.FIRST_RESPONSE
    ]


def test_a_calendars_new_holiday_moves_a_due_time(
    complaint, policies, supervisor, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar

    holiday = Holiday(calendar=calendar, date=date(2026, 12, 1), name="Extra day")
    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        services.save_holiday(holiday, by=supervisor)

    complaint.refresh_from_db()
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    change = SLAChange.objects.get()
    assert (change.subject, change.action) == ("calendar", "changed")
    assert change.changes == [
        {"field": "holidays", "added": ["2026-12-01 Extra day"], "removed": []}
    ]
    assert change.replanned == 1


@pytest.fixture
def cached_config(settings):
    settings.SLA_CONFIG_CACHE_SECONDS = 300
    forget_sla_config()
    yield
    forget_sla_config()


def test_a_new_hijri_rule_is_a_calendar_change_the_cached_calendar_sees_at_once(
    complaint, policies, supervisor, cached_config, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar
    before = sla_config().calendars[calendar.pk]
    # Tuesday 1 December 2026 is 21 Jumada al-Akhirah 1448.
    rule = HijriRule(name="Founding day", month=6, first_day=21, last_day=21)

    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        services.save_calendar(calendar, by=supervisor, hijri_rules=[rule])
        after = sla_config().calendars[calendar.pk]

    assert date(2026, 12, 1) not in before.pure.holidays
    assert date(2026, 12, 1) in after.pure.holidays
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    change = SLAChange.objects.get()
    assert change.by == supervisor and change.replanned == 1
    assert "Hijri holidays and periods added: Founding day" in " ".join(
        change_lines(change)
    )


def test_a_calendar_change_recomputes_the_clock_without_choosing_the_policy_again(
    complaint, policies, supervisor, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar
    chosen = complaint.events.filter(action=TicketEvent.Action.SLA_POLICY).count()

    holiday = Holiday(calendar=calendar, date=date(2026, 12, 1), name="Extra day")
    with at(T0 + timedelta(hours=1)), django_capture_on_commit_callbacks(execute=True):
        services.save_holiday(holiday, by=supervisor)

    events = complaint.events.filter(action=TicketEvent.Action.SLA_POLICY)
    assert events.count() == chosen
    recomputed = complaint.events.filter(action=TicketEvent.Action.SLA_STARTED)
    assert recomputed.latest("id").actor == supervisor


def test_history_records_who_changed_what_and_supervisors_read_it(
    complaint, policies, supervisor, supervisor_client
):
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)
    policy.channels = ["email"]

    change = services.save_policy(policy, by=supervisor)

    assert change.by == supervisor
    assert (change.subject, change.object_id, change.name, change.action) == (
        "policy",
        policy.pk,
        "T complaints",
        "changed",
    )
    assert change.changes == [
        {"field": "channels", "old": [], "new": ["email"]},
        {"field": "first_response", "old": "8:00", "new": "4:00"},
    ]
    page = supervisor_client.get("/supervisor/sla/").text
    changes = page[page.index('data-testid="sla-changes"') :]
    assert "SLA policy T complaints changed" in changes
    assert "by supervisor" in changes
    assert "first response within: 8:00 → 4:00" in changes
    assert "channels: — → email" in changes


def test_a_change_that_moves_no_clock_is_recorded_but_re_plans_nothing(
    complaint, policies, supervisor, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]
    policy.name_ar = "الشكاوى"

    with django_capture_on_commit_callbacks() as callbacks:
        change = services.save_policy(policy, by=supervisor)

    assert change.changes == [{"field": "name_ar", "old": "", "new": "الشكاوى"}]
    assert not change.replans
    assert len(callbacks) == 1  # only forgetting the cached policies
    assert services.save_policy(policy, by=supervisor) is None


def test_an_invalid_policy_is_refused_with_the_clear_message_and_no_history(
    policies, supervisor
):
    policy = policies["complaints"]
    policy.channels = ["pigeon"]

    with pytest.raises(ValidationError) as refused:
        services.save_policy(policy, by=supervisor)

    assert "Give a list of these values" in str(refused.value.message_dict["channels"])
    assert not SLAChange.objects.exists()
    policy.refresh_from_db()
    assert policy.channels == []


def test_re_planning_walks_in_chunks_and_running_it_again_changes_nothing(
    policies, queue, supervisor, django_capture_on_commit_callbacks
):
    with at(T0):
        tickets = [
            make_ticket(CustomerFactory(), queue, kind="complaint") for _ in range(5)
        ]
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)
    with django_capture_on_commit_callbacks(execute=False):
        change = services.save_policy(policy, by=supervisor)

    replan_open_tickets(change.pk, size=2)

    change.refresh_from_db()
    assert change.replanned == 5
    assert change.replanned_through == tickets[-1].pk
    assert change.replan_finished_at is not None
    assert {first_response_due(t) for t in tickets} == {riyadh("2026-11-30 13:00")}
    events = [sla_events(t) for t in tickets]

    replan_open_tickets(change.pk, size=2)
    SLAChange.objects.filter(pk=change.pk).update(
        replanned_through=0, replan_finished_at=None
    )
    replan_open_tickets(change.pk, size=2)

    assert [sla_events(t) for t in tickets] == events
    change.refresh_from_db()
    assert change.replanned == 5


def test_a_chunk_reads_the_same_number_of_queries_for_few_or_many_tickets(
    policies, queue, supervisor
):
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)
    change = services.save_policy(policy, by=supervisor)

    def queries(count: int) -> int:
        with at(T0):
            for _ in range(count):
                make_ticket(CustomerFactory(), queue, kind="complaint")
        SLAChange.objects.filter(pk=change.pk).update(
            replanned_through=0, replan_finished_at=None
        )
        with CaptureQueriesContext(connection) as captured:
            replan.replan_chunk(change.pk, at=T0, size=100)
        return len(captured)

    assert queries(2) == queries(6)


def test_a_task_cut_short_carries_on_where_it_stopped(
    policies, queue, supervisor, monkeypatch
):
    with at(T0):
        tickets = [
            make_ticket(CustomerFactory(), queue, kind="complaint") for _ in range(5)
        ]
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)
    change = services.save_policy(policy, by=supervisor)
    real = replan.replan_ticket
    calls = []

    def cut_short_once(ticket, **kwargs):
        calls.append(ticket.pk)
        if len(calls) == 3:
            raise SoftTimeLimitExceeded()
        return real(ticket, **kwargs)

    monkeypatch.setattr(replan, "replan_ticket", cut_short_once)

    replan_open_tickets(change.pk, size=2)

    # The third ticket's chunk was rolled back and walked again.
    assert calls == [t.pk for t in tickets[:3]] + [t.pk for t in tickets[2:]]
    assert {first_response_due(t) for t in tickets} == {riyadh("2026-11-30 13:00")}
    assert [
        t.events.filter(action=TicketEvent.Action.SLA_POLICY).count() for t in tickets
    ] == [2] * 5
    change.refresh_from_db()
    assert change.replanned == 5


def test_importing_holidays_is_a_recorded_calendar_change(complaint, policies):
    calendar = policies["complaints"].calendar

    call_command("import_holidays", calendar.name, "2027")

    change = SLAChange.objects.get()
    assert change.by is None
    (holidays,) = change.changes
    assert holidays["field"] == "holidays" and len(holidays["added"]) > 3
    assert change.replan_policies == [
        p.pk for p in policies.values() if p.calendar_id == calendar.pk
    ]


def test_supervisors_read_the_history_in_arabic(
    policies, supervisor, supervisor_client
):
    policy = policies["complaints"]
    policy.first_response = timedelta(hours=4)
    services.save_policy(policy, by=supervisor)
    supervisor_client.cookies["django_language"] = "ar"

    page = supervisor_client.get("/supervisor/sla/", HTTP_ACCEPT_LANGUAGE="ar").text

    assert "عُدّلت سياسة مستوى الخدمة T complaints" in page
    assert "من 8:00 إلى 4:00" in page
