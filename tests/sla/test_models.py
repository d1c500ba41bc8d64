from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from sla import business_calendar as bc
from sla.models import (
    BusinessCalendar,
    CalendarException,
    Holiday,
    SLAPolicy,
    WorkingHours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    calendar = BusinessCalendar.objects.create(name="Riyadh office", country="SA")
    for weekday in (6, 0, 1, 2, 3):  # Sunday to Thursday
        WorkingHours.objects.create(
            calendar=calendar, weekday=weekday, start=time(8), end=time(16)
        )
    return calendar


def test_calendar_rows_become_a_calendar_for_due_time_arithmetic(office):
    Holiday.objects.create(calendar=office, date=date(2026, 9, 23), name="National Day")
    CalendarException.objects.create(
        calendar=office,
        name="Ramadan hours",
        kind=CalendarException.Kind.PERIOD,
        start_date=date(2026, 2, 18),
        end_date=date(2026, 3, 19),
        weekdays=[6, 0, 1, 2, 3],
        start_time=time(10),
        end_time=time(15),
    )
    CalendarException.objects.create(
        calendar=office,
        name="Open Saturday",
        kind=CalendarException.Kind.EXTRA_DAY,
        start_date=date(2026, 10, 3),
        end_date=date(2026, 10, 3),
        start_time=time(9),
        end_time=time(13),
    )

    calendar = office.to_calendar()

    # Tuesday 22 Sep 15:00 Riyadh + 2 business hours skips the National Day.
    start = datetime(2026, 9, 22, 12, 0, tzinfo=UTC)
    assert bc.add_business_time(start, timedelta(hours=2), calendar) == datetime(
        2026, 9, 24, 6, 0, tzinfo=UTC
    )
    assert calendar.hours_on(date(2026, 3, 1)) == ((time(10), time(15)),)
    assert calendar.hours_on(date(2026, 10, 3)) == ((time(9), time(13)),)
    assert calendar.hours_on(date(2026, 10, 2)) == ()


def test_policy_warns_at_75_percent_unless_told_otherwise():
    default = SLAPolicy(name="Default")
    custom = SLAPolicy(name="Custom", warning_thresholds=[90, 50, 75, 150])

    assert default.thresholds == [75]
    assert custom.thresholds == [50, 75, 90]


def test_exceptions_cover_every_day_of_their_range(office):
    CalendarException.objects.create(
        calendar=office,
        name="Eid closure",
        kind=CalendarException.Kind.CLOSED,
        start_date=date(2026, 3, 19),
        end_date=date(2026, 3, 23),
    )
    CalendarException.objects.create(
        calendar=office,
        name="Ramadan hours",
        kind=CalendarException.Kind.PERIOD,
        start_date=date(2026, 2, 18),
        end_date=date(2026, 3, 18),
        start_time=time(10),
        end_time=time(15),
    )

    calendar = office.to_calendar()

    assert all(calendar.hours_on(date(2026, 3, d)) == () for d in range(19, 24))
    assert calendar.hours_on(date(2026, 3, 24)) == ((time(8), time(16)),)
    # No weekdays named: the usual working days get the Ramadan hours.
    assert calendar.hours_on(date(2026, 3, 1)) == ((time(10), time(15)),)  # Sunday
    assert calendar.hours_on(date(2026, 2, 20)) == ()  # Friday


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("channels", ["emial"], "Give a list of these values"),
        ("priorities", "urgent", "Give a list of these values"),
        ("warning_thresholds", [50, 150], "whole percentages between 1 and 99"),
        ("warning_thresholds", "75", "whole percentages between 1 and 99"),
    ],
)
def test_a_policy_with_unknown_conditions_is_refused_with_a_message(
    field, value, message
):
    policy = SLAPolicy(name="Typo", first_response=timedelta(hours=4))
    setattr(policy, field, value)

    with pytest.raises(ValidationError) as error:
        policy.full_clean()

    assert message in str(error.value.message_dict[field])


def test_a_policy_needs_at_least_one_target():
    with pytest.raises(ValidationError) as error:
        SLAPolicy(name="Empty").full_clean()

    assert "Set at least one target" in str(error.value.message_dict)


def test_the_admin_explains_a_bad_policy_and_keeps_it_unsaved(client, admin_user):
    client.force_login(admin_user)

    response = client.post(
        "/admin/sla/slapolicy/add/",
        {
            "name": "Typo policy",
            "order": 5,
            "is_active": "on",
            "channels": '["emial"]',
            "customer_kinds": "[]",
            "ticket_kinds": "[]",
            "priorities": "[]",
            "warning_thresholds": "[75]",
            "first_response": "4:00:00",
        },
    )

    assert response.status_code == 200
    assert "Give a list of these values" in response.content.decode()
    assert not SLAPolicy.objects.filter(name="Typo policy").exists()
