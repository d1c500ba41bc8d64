from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from sla import business_calendar as bc
from sla.config import load_calendar
from sla.explain import _calendar_rule
from sla.models import (
    BusinessCalendar,
    CalendarException,
    HijriRule,
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


def test_a_ticket_received_the_day_before_eid_is_due_after_it(office):
    HijriRule.objects.create(
        calendar=office,
        name="Eid al-Fitr",
        name_ar="عيد الفطر",
        month=10,
        first_day=1,
        last_day=3,
    )

    calendar = office.to_calendar(today=date(2026, 12, 7))

    # Monday 8 March 2027 15:00 Riyadh (29 Ramadan 1448) + 8 business hours:
    # one hour that day; 1-3 Shawwal is Tuesday to Thursday 9-11 March, then
    # the weekend; seven hours on Sunday 14 March.
    received = datetime(2027, 3, 8, 12, 0, tzinfo=UTC)
    assert bc.add_business_time(received, timedelta(hours=8), calendar) == datetime(
        2027, 3, 14, 12, 0, tzinfo=UTC
    )
    assert calendar.hours_on(date(2026, 3, 22)) == ()  # 3 Shawwal 1447, a Sunday
    assert calendar.hours_on(date(2026, 3, 23)) == ((time(8), time(16)),)


def test_hijri_rules_are_expanded_for_the_years_around_today(office):
    HijriRule.objects.create(calendar=office, name="Eid", month=10, last_day=3)

    calendar = office.to_calendar(today=date(2026, 12, 7))

    # From two years back to three ahead: Eid al-Fitr 2024 to 2029.
    assert date(2024, 4, 10) in calendar.holidays
    assert date(2029, 2, 14) in calendar.holidays
    assert date(2023, 4, 21) not in calendar.holidays
    assert date(2030, 2, 4) not in calendar.holidays


def test_a_hijri_period_gives_its_hours_on_the_usual_working_days(office):
    HijriRule.objects.create(
        calendar=office,
        name="Ramadan hours",
        kind=HijriRule.Kind.PERIOD,
        month=9,
        start_time=time(10),
        end_time=time(15),
    )

    calendar = office.to_calendar(today=date(2026, 12, 7))

    # Ramadan 1448 has 29 days (8 Feb - 8 Mar 2027); 1447 had 30.
    assert calendar.hours_on(date(2027, 2, 8)) == ((time(10), time(15)),)  # Monday
    assert calendar.hours_on(date(2027, 3, 8)) == ((time(10), time(15)),)
    assert calendar.hours_on(date(2027, 3, 9)) == ((time(8), time(16)),)
    assert calendar.hours_on(date(2026, 3, 19)) == ((time(10), time(15)),)
    assert calendar.hours_on(date(2027, 2, 12)) == ()  # Friday


def test_a_hijri_holiday_also_typed_by_hand_is_one_holiday_named_by_its_rule(office):
    Holiday.objects.create(
        calendar=office, date=date(2026, 3, 20), name="Eid al-Fitr Holiday"
    )
    HijriRule.objects.create(
        calendar=office, name="Eid al-Fitr", name_ar="عيد الفطر", month=10, last_day=3
    )

    calendar = load_calendar(office)

    assert sorted(d for d in calendar.pure.holidays if d.year == 2026)[:3] == [
        date(2026, 3, 20),
        date(2026, 3, 21),
        date(2026, 3, 22),
    ]
    rules = calendar.rules_between(
        datetime(2026, 3, 19, 12, tzinfo=UTC), datetime(2026, 3, 23, 6, tzinfo=UTC)
    )
    holidays = [rule for rule in rules if rule["kind"] == "holiday"]
    assert [rule["date"] for rule in holidays] == [
        "2026-03-20",
        "2026-03-21",
        "2026-03-22",
    ]
    assert holidays[0]["name"] == "Eid al-Fitr"


def test_why_is_it_due_then_gives_a_hijri_holiday_with_its_hijri_date():
    rule = {
        "kind": "holiday",
        "date": "2026-03-20",
        "name": "Eid al-Fitr",
        "name_ar": "عيد الفطر",
        "hijri": True,
    }

    with translation.override("ar"):
        arabic = _calendar_rule(rule)
    with translation.override("en"):
        english = _calendar_rule(rule)

    assert "عيد الفطر (1 شوال 1447هـ)" in arabic
    assert english == "2026-03-20 is a holiday: Eid al-Fitr (1 Shawwal 1447 AH)"


def test_a_hijri_rule_outside_the_converters_range_loads_with_no_dates(office):
    HijriRule.objects.create(calendar=office, name="Eid", month=10, last_day=3)

    calendar = office.to_calendar(today=date(2099, 1, 1))

    assert calendar.holidays == frozenset()
