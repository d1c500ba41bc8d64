"""Business calendar arithmetic: pure, no database, no frozen clock."""

from datetime import UTC, date, datetime, time, timedelta
from time import perf_counter
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.business_calendar import (
    ROUND_THE_CLOCK,
    BusinessCalendar,
    NoWorkingTime,
    Period,
    add_business_time,
    business_time_between,
    is_working_time,
    next_working_moment,
    working_intervals_on,
)

RIYADH = ZoneInfo("Asia/Riyadh")
LONDON = ZoneInfo("Europe/London")

GULF = BusinessCalendar.from_spec(RIYADH, {"sun-thu": "08:00-16:00"})
UK = BusinessCalendar.from_spec(
    LONDON, {"mon-fri": "09:00-17:00"}, holidays=["2025-12-25", "2025-12-26"]
)
SPLIT = BusinessCalendar.from_spec(RIYADH, {"sun-thu": "08:00-12:00, 16:00-20:00"})
# Monday night to Saturday morning; Friday 6 June 2025 is a holiday.
NIGHT = BusinessCalendar.from_spec(
    LONDON, {"mon-fri": "22:00-06:00"}, holidays=["2025-06-06"]
)
# Clocks go forward on 30 March 2025 and back on 26 October 2025 in London.
DST_NIGHT = BusinessCalendar.from_spec(LONDON, {"daily": "00:00-04:00"})
GULF_2025 = BusinessCalendar.from_spec(
    RIYADH,
    {"sun-thu": "08:00-16:00"},
    holidays=["2025-03-10", "2025-03-30", "2025-03-31", "2025-04-01", "2025-04-02"],
    periods=[("2025-03-01", "2025-03-29", {"sun-thu": "10:00-15:00"})],
    days={
        "2025-04-01": "09:00-11:00",  # a holiday opened for two hours
        "2025-05-10": "08:00-16:00",  # an extra working Saturday
        "2025-05-14": "08:00-12:00",  # a half day
    },
)
CALENDARS = [GULF, UK, SPLIT, NIGHT, DST_NIGHT, GULF_2025, ROUND_THE_CLOCK]


def riyadh(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=RIYADH)


def london(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


@pytest.mark.parametrize(
    ("calendar", "start", "duration", "expected"),
    [
        pytest.param(
            GULF,
            riyadh("2025-05-04 09:00"),
            hours(3),
            riyadh("2025-05-04 12:00"),
            id="within one day",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-05 15:00"),
            hours(2),
            riyadh("2025-05-06 09:00"),
            id="spanning the night",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-08 14:00"),
            hours(4),
            riyadh("2025-05-11 10:00"),
            id="gulf weekend is friday and saturday",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-04 08:00"),
            hours(48),
            riyadh("2025-05-11 16:00"),
            id="forty-eight hours end exactly at closing",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-09 20:00"),
            hours(1),
            riyadh("2025-05-11 09:00"),
            id="start on the weekend counts from sunday morning",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-05 06:00"),
            hours(1),
            riyadh("2025-05-05 09:00"),
            id="start before opening counts from opening",
        ),
        pytest.param(
            UK,
            london("2025-05-09 16:00"),
            hours(2),
            london("2025-05-12 10:00"),
            id="uk weekend is saturday and sunday",
        ),
        pytest.param(
            UK,
            london("2025-03-28 16:00"),
            hours(2),
            london("2025-03-31 10:00"),
            id="uk office hours over the spring-forward weekend",
        ),
        pytest.param(
            UK,
            london("2025-12-24 16:00"),
            hours(2),
            london("2025-12-29 10:00"),
            id="uk holidays are skipped",
        ),
        pytest.param(
            SPLIT,
            riyadh("2025-05-04 11:00"),
            hours(2),
            riyadh("2025-05-04 17:00"),
            id="split shift skips the midday break",
        ),
        pytest.param(
            SPLIT,
            riyadh("2025-05-04 13:00"),
            hours(1),
            riyadh("2025-05-04 17:00"),
            id="split shift start in the break counts from the second shift",
        ),
        pytest.param(
            NIGHT,
            london("2025-06-02 23:00"),
            hours(3),
            london("2025-06-03 02:00"),
            id="night shift crosses midnight",
        ),
        pytest.param(
            NIGHT,
            london("2025-06-05 22:00"),
            hours(8),
            london("2025-06-06 06:00"),
            id="night shift into a holiday counts after midnight",
        ),
        pytest.param(
            NIGHT,
            london("2025-06-05 22:00"),
            hours(9),
            london("2025-06-09 23:00"),
            id="night shift starting on a holiday does not count",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-03-02 10:00"),
            hours(6),
            riyadh("2025-03-03 11:00"),
            id="ramadan hours replace the normal week",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-03-09 14:00"),
            hours(2),
            riyadh("2025-03-11 11:00"),
            id="a holiday beats the ramadan period",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-03-27 14:00"),
            hours(4),
            riyadh("2025-04-03 09:00"),
            id="a per-date entry beats a holiday",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-05-08 15:00"),
            hours(2),
            riyadh("2025-05-10 09:00"),
            id="an extra working saturday",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-05-14 11:00"),
            hours(2),
            riyadh("2025-05-15 09:00"),
            id="a half day closes at noon",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-03-30 00:00"),
            hours(3),
            london("2025-03-30 04:00"),
            id="spring-forward night shift holds three hours",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-03-30 00:00"),
            hours(4),
            london("2025-03-31 01:00"),
            id="spring-forward night shift overflows into the next night",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-10-26 00:00"),
            hours(5),
            london("2025-10-26 04:00"),
            id="fall-back night shift holds five hours",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-10-26 00:00"),
            hours(4),
            london("2025-10-26 03:00"),
            id="fall-back night shift counts the repeated hour",
        ),
        pytest.param(
            ROUND_THE_CLOCK,
            riyadh("2025-05-09 20:00"),
            hours(48),
            riyadh("2025-05-11 20:00"),
            id="round the clock counts elapsed time",
        ),
    ],
)
def test_add_business_time(calendar, start, duration, expected):
    due = add_business_time(start, duration, calendar)

    assert due == expected
    assert due.tzinfo is UTC
    assert business_time_between(start, due, calendar) == duration


@pytest.mark.parametrize(
    ("calendar", "start", "end", "expected"),
    [
        pytest.param(
            GULF,
            riyadh("2025-05-04 00:00"),
            riyadh("2025-05-11 00:00"),
            hours(40),
            id="gulf working week",
        ),
        pytest.param(
            UK,
            london("2025-05-05 00:00"),
            london("2025-05-12 00:00"),
            hours(40),
            id="uk working week",
        ),
        pytest.param(
            UK,
            london("2025-12-22 00:00"),
            london("2025-12-29 00:00"),
            hours(24),
            id="uk christmas week",
        ),
        pytest.param(
            GULF_2025,
            riyadh("2025-03-02 00:00"),
            riyadh("2025-03-09 00:00"),
            hours(25),
            id="ramadan week",
        ),
        pytest.param(
            NIGHT,
            london("2025-06-05 12:00"),
            london("2025-06-09 12:00"),
            hours(8),
            id="night shifts around a holiday",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-03-30 00:00"),
            london("2025-03-30 12:00"),
            hours(3),
            id="spring-forward night is three hours",
        ),
        pytest.param(
            DST_NIGHT,
            london("2025-10-26 00:00"),
            london("2025-10-26 12:00"),
            hours(5),
            id="fall-back night is five hours",
        ),
        pytest.param(
            BusinessCalendar.from_spec(LONDON, {"daily": "01:30-03:00"}),
            london("2025-03-30 00:00"),
            london("2025-03-30 12:00"),
            hours(0.5),
            id="a start in the spring-forward gap moves on by the gap",
        ),
        pytest.param(
            BusinessCalendar.from_spec(LONDON, {"daily": "01:30-02:30"}),
            london("2025-10-26 00:00"),
            london("2025-10-26 12:00"),
            hours(2),
            id="an ambiguous start is its first occurrence",
        ),
        pytest.param(
            GULF,
            riyadh("2025-05-05 12:00"),
            riyadh("2025-05-05 10:00"),
            timedelta(0),
            id="end before start is zero",
        ),
        pytest.param(
            ROUND_THE_CLOCK,
            riyadh("2025-05-05 12:00"),
            riyadh("2025-05-07 10:00"),
            hours(46),
            id="round the clock is elapsed time",
        ),
    ],
)
def test_business_time_between(calendar, start, end, expected):
    assert business_time_between(start, end, calendar) == expected


def test_working_intervals_on_a_night_shift_end_the_next_morning():
    assert working_intervals_on(date(2025, 6, 5), NIGHT) == [
        (london("2025-06-05 22:00"), london("2025-06-06 06:00"))
    ]
    assert working_intervals_on(date(2025, 6, 6), NIGHT) == []


def test_working_intervals_on_split_shift_and_dst_night():
    assert working_intervals_on(date(2025, 5, 4), SPLIT) == [
        (riyadh("2025-05-04 08:00"), riyadh("2025-05-04 12:00")),
        (riyadh("2025-05-04 16:00"), riyadh("2025-05-04 20:00")),
    ]
    assert working_intervals_on(date(2025, 3, 30), DST_NIGHT) == [
        (datetime(2025, 3, 30, 0, tzinfo=UTC), datetime(2025, 3, 30, 3, tzinfo=UTC))
    ]


def test_working_intervals_on_round_the_clock_is_the_whole_day():
    calendar = BusinessCalendar(tz=LONDON, always_open=True)

    assert working_intervals_on(date(2025, 10, 26), calendar) == [
        (london("2025-10-26 00:00"), london("2025-10-27 00:00"))
    ]


@pytest.mark.parametrize(
    ("calendar", "instant", "working", "next_moment"),
    [
        (GULF, riyadh("2025-05-04 08:00"), True, riyadh("2025-05-04 08:00")),
        (GULF, riyadh("2025-05-04 15:59"), True, riyadh("2025-05-04 15:59")),
        (GULF, riyadh("2025-05-04 16:00"), False, riyadh("2025-05-05 08:00")),
        (GULF, riyadh("2025-05-09 12:00"), False, riyadh("2025-05-11 08:00")),
        (NIGHT, london("2025-06-06 03:00"), True, london("2025-06-06 03:00")),
        (NIGHT, london("2025-06-06 23:00"), False, london("2025-06-09 22:00")),
        (ROUND_THE_CLOCK, riyadh("2025-05-09 12:00"), True, riyadh("2025-05-09 12:00")),
    ],
)
def test_is_working_time_and_next_working_moment(
    calendar, instant, working, next_moment
):
    assert is_working_time(instant, calendar) is working
    assert next_working_moment(instant, calendar) == next_moment


def test_zero_duration_is_the_start_in_hours_and_the_next_opening_outside():
    assert add_business_time(riyadh("2025-05-04 09:30"), timedelta(0), GULF) == riyadh(
        "2025-05-04 09:30"
    )
    assert add_business_time(riyadh("2025-05-09 09:30"), timedelta(0), GULF) == riyadh(
        "2025-05-11 08:00"
    )


def test_calendar_without_hours_raises_no_working_time():
    closed = BusinessCalendar.from_spec("Asia/Riyadh", {})

    with pytest.raises(NoWorkingTime, match="no working hours"):
        add_business_time(riyadh("2025-05-04 09:00"), hours(1), closed)
    with pytest.raises(NoWorkingTime, match="no working hours"):
        next_working_moment(riyadh("2025-05-04 09:00"), closed)


def test_calendar_closed_for_years_raises_no_working_time_quickly():
    first = date(2025, 1, 1)
    closed = BusinessCalendar.from_spec(
        "Europe/London",
        {"mon-fri": "09:00-17:00"},
        holidays=[first + timedelta(days=n) for n in range(5 * 366)],
    )
    began = perf_counter()

    with pytest.raises(NoWorkingTime, match="no working hours within"):
        add_business_time(london("2025-01-01 09:00"), hours(1), closed)
    with pytest.raises(NoWorkingTime, match="no working hours within"):
        next_working_moment(london("2025-01-01 09:00"), closed)

    assert perf_counter() - began < 1
    assert issubclass(NoWorkingTime, ValueError)


def test_naive_datetimes_and_negative_durations_are_refused():
    naive = datetime(2025, 5, 4, 9)  # noqa: DTZ001 -- the naive value under test

    with pytest.raises(ValueError, match="aware"):
        add_business_time(naive, hours(1), GULF)
    with pytest.raises(ValueError, match="aware"):
        business_time_between(naive, naive, GULF)
    with pytest.raises(ValueError, match="negative"):
        add_business_time(riyadh("2025-05-04 09:00"), hours(-1), GULF)


def test_from_spec_reads_ranges_overrides_and_midnight():
    calendar = BusinessCalendar.from_spec(
        "Asia/Riyadh",
        {"sun-thu": "08:00-16:00", "thu": "08:00-12:00", 5: "16:00-24:00"},
    )

    assert calendar.hours_on(date(2025, 5, 4)) == ((time(8), time(16)),)
    assert calendar.hours_on(date(2025, 5, 8)) == ((time(8), time(12)),)
    assert calendar.hours_on(date(2025, 5, 9)) == ()
    assert business_time_between(
        riyadh("2025-05-10 00:00"), riyadh("2025-05-11 00:00"), calendar
    ) == hours(8)


def test_calendars_built_from_mappings_equal_those_built_from_text():
    office = ((time(8), time(16)),)
    built = BusinessCalendar(tz=RIYADH, week=dict.fromkeys([6, 0, 1, 2, 3], office))
    ramadan = Period(date(2025, 3, 1), date(2025, 3, 29), {6: ((time(10), time(15)),)})

    assert built == GULF
    assert hash(built) == hash(GULF)
    assert BusinessCalendar(tz=RIYADH, week=built.week, periods=(ramadan,)) != GULF


# Properties, on the calendars above, with instants in 2024-2027.

calendars = st.sampled_from(CALENDARS)
# Drawn on local clocks (so openings and DST gaps come up), then compared in
# UTC: Python compares and subtracts datetimes sharing a tzinfo by wall clock.
instants = st.datetimes(
    min_value=datetime(2024, 1, 1),  # noqa: DTZ001 -- hypothesis bounds are naive
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.sampled_from([UTC, RIYADH, LONDON]),
).map(lambda instant: instant.astimezone(UTC))
durations = st.one_of(
    st.timedeltas(min_value=timedelta(0), max_value=hours(48)),
    st.timedeltas(min_value=timedelta(0), max_value=hours(2000)),
    st.integers(min_value=0, max_value=200).map(lambda n: hours(n / 4)),
)


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, duration=durations)
def test_round_trip(calendar, start, duration):
    due = add_business_time(start, duration, calendar)

    assert business_time_between(start, due, calendar) == duration
    assert due >= start


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, a=durations, b=durations)
def test_monotonic_in_duration(calendar, start, a, b):
    shorter, longer = sorted([a, b])

    assert add_business_time(start, shorter, calendar) <= add_business_time(
        start, longer, calendar
    )


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, start=instants, duration=durations)
def test_due_time_lands_in_working_time_or_at_an_interval_end(
    calendar, start, duration
):
    due = add_business_time(start, duration, calendar)
    just_before = due - timedelta(microseconds=1)

    if duration:
        assert is_working_time(due, calendar) or is_working_time(just_before, calendar)
    else:
        assert is_working_time(due, calendar)
        assert due == next_working_moment(start, calendar)


@settings(deadline=None, max_examples=200)
@given(calendar=calendars, points=st.lists(instants, min_size=3, max_size=3))
def test_between_is_additive(calendar, points):
    a, b, c = sorted(points)

    total = business_time_between(a, c, calendar)

    assert total == business_time_between(a, b, calendar) + business_time_between(
        b, c, calendar
    )
    assert timedelta(0) <= total <= c - a


def reference_between(start, end, calendar):
    """Sum the overlap of [start, end) with the union of each day's intervals."""
    first = start.astimezone(calendar.tz).date() - timedelta(days=1)
    last = end.astimezone(calendar.tz).date()
    pairs = sorted(
        pair
        for n in range((last - first).days + 1)
        for pair in working_intervals_on(first + timedelta(days=n), calendar)
    )
    merged = []
    for s, e in pairs:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return sum(
        (max(timedelta(0), min(e, end) - max(s, start)) for s, e in merged),
        timedelta(0),
    )


@settings(deadline=None, max_examples=100)
@given(
    calendar=calendars,
    start=instants,
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=200)),
)
def test_between_matches_a_day_by_day_reference(calendar, start, span):
    end = start + span

    assert business_time_between(start, end, calendar) == reference_between(
        start, end, calendar
    )
