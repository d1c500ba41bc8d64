"""The admin changes policies, calendars and holidays through the SLA verbs:
each save is recorded and re-plans the open tickets it affects."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils.duration import duration_string

from sla.models import BusinessCalendar, Holiday, SLAChange, SLAClock, SLAPolicy
from sla.tasks import replan_open_tickets
from tickets.models import Ticket

from ..factories import make_ticket
from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for

RIYADH = ZoneInfo("Asia/Riyadh")
T0 = datetime(2026, 11, 30, 9, tzinfo=RIYADH)  # Monday, office hours 08-16


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


def first_response_due(ticket: Ticket) -> datetime:
    return SLAClock.objects.get(ticket=ticket, target="first_response").due_at


def _json(values) -> str:
    return (
        "["
        + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)
        + "]"
    )


def policy_form(policy: SLAPolicy, **changes) -> dict:
    """The admin change form of `policy` as a browser would post it."""
    data = {
        "name": policy.name,
        "name_ar": policy.name_ar,
        "order": policy.order,
        "channels": _json(policy.channels),
        "customer_kinds": _json(policy.customer_kinds),
        "ticket_kinds": _json(policy.ticket_kinds),
        "priorities": _json(policy.priorities),
        "tiers": [tier.pk for tier in policy.tiers.all()],
        "calendar": policy.calendar_id or "",
        "warning_thresholds": _json(policy.warning_thresholds),
        "_save": "Save",
    }
    if policy.is_active:
        data["is_active"] = "on"
    for field in ("first_response", "next_response", "resolution"):
        value = getattr(policy, field)
        data[field] = duration_string(value) if value else ""
    return data | changes


def calendar_form(
    calendar: BusinessCalendar, *, new_holidays=(), new_hijri_rules=()
) -> dict:
    """The admin change form of `calendar` with its rows, plus new holidays
    and Hijri rules."""
    data = {
        "name": calendar.name,
        "timezone": calendar.timezone,
        "country": calendar.country,
        "_save": "Save",
    }
    saved = calendar.pk is not None
    inlines = [
        (
            "hours",
            list(calendar.hours.all()) if saved else [],
            ["weekday", "start", "end"],
            [],
        ),
        ("exceptions", list(calendar.exceptions.all()) if saved else [], [], []),
        (
            "holidays",
            list(calendar.holidays.all()) if saved else [],
            ["date", "name"],
            new_holidays,
        ),
        (
            "hijri_rules",
            list(calendar.hijri_rules.all()) if saved else [],
            ["name", "kind", "month", "first_day"],
            new_hijri_rules,
        ),
    ]
    for prefix, rows, fields, extra in inlines:
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows) + len(extra),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-calendar"] = calendar.pk
            for field in fields:
                data[f"{prefix}-{n}-{field}"] = str(getattr(row, field))
        for n, values in enumerate(extra, start=len(rows)):
            data[f"{prefix}-{n}-calendar"] = calendar.pk or ""
            for field, value in values.items():
                data[f"{prefix}-{n}-{field}"] = value
    return data


@pytest.fixture
def complaint(policies, bob, queue):
    """On "T complaints": first response within 8 office hours, due Tuesday 09:00."""
    with time_machine.travel(T0, tick=False):
        return make_ticket(bob, queue, kind="complaint", subject="Rude clerk")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.django_db
def test_a_policy_saved_in_the_admin_re_plans_its_open_tickets(
    complaint, policies, admin_client, admin_user, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/sla/slapolicy/{policy.pk}/change/",
            policy_form(policy, first_response="04:00:00"),
        )

    assert response.status_code == 302
    assert first_response_due(complaint) == riyadh("2026-11-30 13:00")
    change = SLAChange.objects.get()
    assert change.by == admin_user
    assert change.changes == [{"field": "first_response", "old": "8:00", "new": "4:00"}]


@pytest.mark.django_db
def test_an_invalid_policy_in_the_admin_keeps_the_clear_message(policies, admin_client):
    policy = policies["complaints"]

    response = admin_client.post(
        f"/admin/sla/slapolicy/{policy.pk}/change/",
        policy_form(policy, first_response="-01:00:00"),
    )

    assert response.status_code == 200
    assert "A target must be longer than zero." in response.text
    assert not SLAChange.objects.exists()


@pytest.mark.django_db
def test_a_policy_switched_off_in_the_list_hands_its_tickets_on(
    complaint, policies, admin_client, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            "/admin/sla/slapolicy/",
            {
                "form-TOTAL_FORMS": "1",
                "form-INITIAL_FORMS": "1",
                "form-0-id": policy.pk,
                "form-0-order": policy.order,
                "_save": "Save",
            },  # is_active unticked
        )

    complaint.refresh_from_db()
    assert complaint.sla_policy == policies["written"]
    assert SLAChange.objects.get().changes == [
        {"field": "is_active", "old": True, "new": False}
    ]


@pytest.mark.django_db
def test_a_policy_deleted_in_the_admin_hands_its_tickets_on(
    complaint, policies, admin_client, django_capture_on_commit_callbacks
):
    policy = policies["complaints"]

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/sla/slapolicy/{policy.pk}/delete/", {"post": "yes"}
        )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.sla_policy == policies["written"]
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    assert SLAChange.objects.get().action == "deleted"


@pytest.mark.django_db
def test_a_holiday_added_on_the_calendars_page_moves_a_due_time(
    complaint, policies, admin_client, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/sla/businesscalendar/{calendar.pk}/change/",
            calendar_form(
                calendar, new_holidays=[{"date": "2026-12-01", "name": "Extra day"}]
            ),
        )

    assert response.status_code == 302
    assert calendar.holidays.filter(name="Extra day").exists()
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    change = SLAChange.objects.get()
    assert change.changes == [
        {"field": "holidays", "added": ["2026-12-01 Extra day"], "removed": []}
    ]


@pytest.mark.django_db
def test_a_calendar_saved_unchanged_records_nothing(policies, admin_client):
    calendar = policies["complaints"].calendar

    response = admin_client.post(
        f"/admin/sla/businesscalendar/{calendar.pk}/change/", calendar_form(calendar)
    )

    assert response.status_code == 302
    assert calendar.hours.count() == 5
    assert not SLAChange.objects.exists()


@pytest.mark.django_db
def test_a_holiday_deleted_in_the_admin_is_a_calendar_change(
    complaint, policies, admin_client, django_capture_on_commit_callbacks
):
    holiday = Holiday.objects.get(name="Test Day")

    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/sla/holiday/{holiday.pk}/delete/", {"post": "yes"})

    change = SLAChange.objects.get()
    assert change.changes == [
        {"field": "holidays", "added": [], "removed": ["2026-12-03 Test Day"]}
    ]
    # 40 office hours from Monday 09:00, counting Thursday 3 December now
    # (Tuesday 8 December before).
    resolution = SLAClock.objects.get(ticket=complaint, target="resolution")
    assert resolution.due_at == riyadh("2026-12-07 09:00")


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_re_plans_the_tickets_of_a_policy_saved_in_the_admin(
    policies, bob, queue, admin_user, client
):
    with time_machine.travel(T0, tick=False):
        ticket = make_ticket(bob, queue, kind="complaint", subject="Rude clerk")
    client.force_login(admin_user)
    policy = policies["complaints"]

    # Celery's default queue: what the admin's save enqueues after its commit.
    with running_worker(queue="celery"):
        client.post(
            f"/admin/sla/slapolicy/{policy.pk}/change/",
            policy_form(policy, first_response="04:00:00"),
        )
        moved = wait_for(
            lambda: first_response_due(ticket) == riyadh("2026-11-30 13:00")
        )

    assert moved
    change = SLAChange.objects.get()
    assert change.replanned == 1 and change.replan_finished_at is not None
    replan_open_tickets(change.pk)  # again, in this process: nothing more to do
    assert SLAChange.objects.get().replanned == 1


@pytest.mark.django_db
def test_a_calendar_added_in_the_admin_is_saved_with_its_hours(admin_client):
    data = calendar_form(BusinessCalendar(name="Cairo branch", country="EG"))
    data |= {
        "timezone": "Africa/Cairo",
        "hours-TOTAL_FORMS": 1,
        "hours-0-weekday": 0,
        "hours-0-start": "09:00",
        "hours-0-end": "17:00",
    }

    response = admin_client.post("/admin/sla/businesscalendar/add/", data)

    assert response.status_code == 302
    calendar = BusinessCalendar.objects.get(name="Cairo branch")
    assert [str(hours) for hours in calendar.hours.all()] == ["Monday 09:00–17:00"]
    change = SLAChange.objects.get()
    assert (change.action, change.object_id) == ("created", calendar.pk)
    assert {"field": "hours", "added": ["Monday 09:00–17:00"], "removed": []} in (
        change.changes
    )


@pytest.mark.django_db
def test_a_hijri_holiday_added_on_the_calendars_page_moves_a_due_time(
    complaint, policies, admin_client, django_capture_on_commit_callbacks
):
    calendar = policies["complaints"].calendar
    # Tuesday 1 December 2026 is 21 Jumada al-Akhirah 1448.
    rule = {
        "name": "Founding day",
        "name_ar": "يوم التأسيس",
        "kind": "holiday",
        "month": 6,
        "first_day": 21,
        "last_day": 21,
        "weekdays": "[]",
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/sla/businesscalendar/{calendar.pk}/change/",
            calendar_form(calendar, new_hijri_rules=[rule]),
        )

    assert response.status_code == 302
    assert first_response_due(complaint) == riyadh("2026-12-02 09:00")
    change = SLAChange.objects.get()
    assert change.changes == [
        {
            "field": "hijri_rules",
            "added": ["Founding day: holiday Hijri 21–21/6"],
            "removed": [],
        }
    ]
    assert change.replans


@pytest.mark.django_db
def test_the_calendars_page_previews_a_hijri_rules_gregorian_dates(
    policies, admin_client
):
    calendar = policies["complaints"].calendar
    calendar.hijri_rules.create(
        name="Eid al-Fitr", kind="holiday", month=10, first_day=1, last_day=3
    )

    with time_machine.travel(T0, tick=False):
        response = admin_client.get(
            f"/admin/sla/businesscalendar/{calendar.pk}/change/",
            headers={"accept-language": "ar"},
        )

    # 1-3 Shawwal in 2026 and 2027, and the month names in Arabic.
    assert "20 مارس 2026 – 22 مارس 2026; 9 مارس 2027 – 11 مارس 2027" in (response.text)
    assert '<option value="10" selected>شوال</option>' in response.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"first_day": 5, "last_day": 3},
            "The last day cannot come before the first day.",
        ),
        ({"first_day": 31}, "Ensure this value is less than or equal to 30."),
        ({"kind": "period"}, "A period needs the hours it starts."),
        (
            {"start_time": "10:00", "end_time": "15:00"},
            "A holiday is closed all day",
        ),
        (
            {"kind": "period", "start_time": "10:00", "end_time": "15:00"}
            | {"weekdays": "[9]"},
            "Give a list of weekdays from 0 (Monday) to 6.",
        ),
    ],
)
@pytest.mark.django_db
def test_an_impossible_hijri_rule_is_refused_with_a_clear_message(
    policies, admin_client, changes, message
):
    calendar = policies["complaints"].calendar
    rule = {
        "name": "Eid",
        "kind": "holiday",
        "month": 10,
        "first_day": 1,
        "last_day": 3,
        "weekdays": "[]",
    } | changes

    response = admin_client.post(
        f"/admin/sla/businesscalendar/{calendar.pk}/change/",
        calendar_form(calendar, new_hijri_rules=[rule]),
    )

    assert response.status_code == 200
    assert message in response.text
    assert not calendar.hijri_rules.exists()
    assert not SLAChange.objects.exists()
