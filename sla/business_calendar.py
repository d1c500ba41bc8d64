"""Business calendars: working time arithmetic over hours, holidays and exceptions.

Pure code: every function takes a calendar and timestamps and returns
timestamps. Nothing here reads the clock, the database or Django settings, and
nothing imports Django, so the module also runs in a bare interpreter.

Rules, decided once:

- Working hours are local wall-clock intervals ``(start, end)``, half-open
  ``[start, end)``. An interval whose end is not after its start crosses
  midnight and belongs to the day it starts: Thursday 22:00-06:00 runs into
  Friday morning, and 08:00-08:00 is 24 hours.
- The hours of a date come from the first rule that applies:
  1. a per-date entry in ``days`` (an extra working day, a half day, or an
     empty tuple to close the day), even on a holiday;
  2. a holiday: closed;
  3. the first ``Period`` covering the date (its week replaces the normal week;
     a weekday it does not list is closed);
  4. the normal ``week``.
  Because an interval belongs to its start day, a night shift that starts the
  evening before a holiday counts in full, after midnight too, and a shift
  that would start on the holiday does not count at all.
- Local times become instants with ``zoneinfo`` and ``fold=0`` (PEP 495): an
  ambiguous time (clocks going back) is its first occurrence, a time that does
  not exist (clocks going forward) moves forward by the length of the gap.
  Durations are measured in absolute time, so a 00:00-04:00 shift lasts three
  hours on the night clocks go forward and five on the night they go back.
- ``always_open`` calendars count elapsed time: business time is real time.
- ``add_business_time`` starts counting at the next working moment when
  ``start`` is outside working hours, so a zero duration returns that moment
  (``start`` itself when it is working time). A positive duration ends inside
  working time or exactly at the end of an interval, never at the next opening.
- Every returned datetime is aware and in UTC; inputs may be in any zone but
  must be aware. Arithmetic is exact to the microsecond.
- Looking more than ``HORIZON`` past the last working time seen raises
  ``NoWorkingTime`` instead of searching forever.

``BusinessCalendar.from_spec`` reads calendars written as text
(``sla/calendar_text.py``; later weekday keys override earlier ones). The
arithmetic runs on working time cached in blocks of days
(``sla/calendar_blocks.py``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sla.calendar_blocks import (
    US,
    Block,
    block_at,
    day_intervals,
    from_us,
    locate,
    midnight_us,
    to_us,
)
from sla.calendar_text import (
    HoursSpec,
    Interval,
    Intervals,
    Week,
    freeze_intervals,
    freeze_week,
    parse_hours,
    to_date,
    week_from_spec,
)

DayHours = tuple[tuple[date, Intervals], ...]

HORIZON = timedelta(days=3 * 366)

_HORIZON_US = HORIZON // US
_CLOSED_WEEK: Week = ((),) * 7


class NoWorkingTime(ValueError):
    """The calendar has no working hours where some were needed."""


@dataclass(frozen=True)
class Period:
    """Alternate weekly hours from `start` to `end` inclusive (e.g. Ramadan)."""

    start: date
    end: date
    week: Mapping[int, Iterable[Interval]] | Week

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts")
        object.__setattr__(self, "week", freeze_week(self.week))


@dataclass(frozen=True)
class BusinessCalendar:
    """Working hours in a timezone, with holidays, periods and per-date hours."""

    # `week` and `days` also accept mappings (weekday 0=Monday..6=Sunday, or
    # date, to intervals), frozen into sorted tuples so that the calendar is
    # hashable and equal calendars share cached work.
    tz: ZoneInfo
    week: Mapping[int, Iterable[Interval]] | Week = _CLOSED_WEEK
    holidays: frozenset[date] = frozenset()
    periods: tuple[Period, ...] = ()
    days: Mapping[date, Iterable[Interval]] | DayHours = ()
    always_open: bool = False
    _day_map: dict[date, Intervals] = field(
        init=False, repr=False, compare=False, hash=False
    )
    _has_hours: bool = field(init=False, repr=False, compare=False, hash=False)
    # Per-instance block cache: a dict lookup is cheaper than hashing the
    # whole calendar for the shared lru_cache on every call.
    block_cache: dict[int, Block] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        setter = object.__setattr__
        if isinstance(self.tz, str):
            setter(self, "tz", ZoneInfo(self.tz))
        setter(self, "week", freeze_week(self.week))
        setter(self, "holidays", frozenset(self.holidays))
        setter(self, "periods", tuple(self.periods))
        items = self.days.items() if isinstance(self.days, Mapping) else self.days
        days = tuple(sorted((day, freeze_intervals(hours)) for day, hours in items))
        setter(self, "days", days)
        setter(self, "_day_map", dict(days))
        setter(self, "_has_hours", self.has_hours())

    @classmethod
    def from_spec(
        cls,
        tz: str | ZoneInfo,
        hours: Mapping[int | str, HoursSpec] | None = None,
        *,
        holidays: Iterable[date | str] = (),
        periods: Iterable[tuple[date | str, date | str, Mapping]] = (),
        days: Mapping[date | str, HoursSpec] | None = None,
    ) -> BusinessCalendar:
        """Build a calendar from text such as ``{"sun-thu": "08:00-16:00"}``."""
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        return cls(
            tz=zone,
            week=week_from_spec(hours or {}),
            holidays=frozenset(to_date(day) for day in holidays),
            periods=tuple(
                Period(to_date(start), to_date(end), week_from_spec(week))
                for start, end, week in periods
            ),
            days={
                to_date(day): parse_hours(spec) for day, spec in (days or {}).items()
            },
        )

    def hours_on(self, day: date) -> Intervals:
        """Return the local working intervals that start on `day`."""
        hours = self._day_map.get(day)
        if hours is not None:
            return hours
        if day in self.holidays:
            return ()
        weekday = day.weekday()
        for period in self.periods:
            if period.start <= day <= period.end:
                return period.week[weekday]
        return self.week[weekday]

    def has_hours(self) -> bool:
        """Return whether any rule of the calendar gives working time at all."""
        return (
            self.always_open
            or any(self.week)
            or any(any(period.week) for period in self.periods)
            or any(hours for _, hours in self.days)
        )


def round_the_clock(tz: str | ZoneInfo = "UTC") -> BusinessCalendar:
    """Return a calendar on which business time is elapsed time."""
    return BusinessCalendar(
        tz=tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz), always_open=True
    )


def add_business_time(
    start: datetime, duration: timedelta, calendar: BusinessCalendar
) -> datetime:
    """Return the instant `duration` of business time after `start`, in UTC."""
    t = to_us(start)
    remaining = duration // US
    if remaining < 0:
        raise ValueError("duration must not be negative")
    if calendar.always_open:
        return from_us(t + remaining)
    if remaining == 0:
        return next_working_moment(start, calendar)
    _require_hours(calendar)
    index, block = locate(calendar, t)
    target = block.used_before(t) + remaining
    last_seen = t
    while target > block.total:
        target -= block.total
        if block.total:
            last_seen = max(last_seen, block.ends[-1])
        index += 1
        block = block_at(calendar, index)
        if block.lo - last_seen > _HORIZON_US:
            raise _no_working_time(calendar, start)
    cum = block.cum
    j = bisect_left(cum, target) - 1
    return from_us(block.starts[j] + target - cum[j])


def business_time_between(
    start: datetime, end: datetime, calendar: BusinessCalendar
) -> timedelta:
    """Return the business time in ``[start, end)``; zero if `end` <= `start`."""
    a = to_us(start)
    b = to_us(end)
    if b <= a:
        return timedelta(0)
    if calendar.always_open:
        return timedelta(microseconds=b - a)
    index_a, block_a = locate(calendar, a)
    index_b, block_b = locate(calendar, b)
    if index_a == index_b:
        return timedelta(microseconds=block_b.used_before(b) - block_a.used_before(a))
    total = block_a.total - block_a.used_before(a) + block_b.used_before(b)
    for index in range(index_a + 1, index_b):
        total += block_at(calendar, index).total
    return timedelta(microseconds=total)


def is_working_time(instant: datetime, calendar: BusinessCalendar) -> bool:
    """Return whether `instant` falls inside a working interval."""
    t = to_us(instant)
    if calendar.always_open:
        return True
    block = locate(calendar, t)[1]
    i = bisect_right(block.starts, t)
    return bool(i) and t < block.ends[i - 1]


def next_working_moment(instant: datetime, calendar: BusinessCalendar) -> datetime:
    """Return `instant` if it is working time, else the next start of work, in UTC."""
    t = to_us(instant)
    if calendar.always_open:
        return from_us(t)
    _require_hours(calendar)
    index, block = locate(calendar, t)
    i = bisect_right(block.starts, t)
    if i and t < block.ends[i - 1]:
        return from_us(t)
    while i == len(block.starts):
        index += 1
        block = block_at(calendar, index)
        if block.lo - t > _HORIZON_US:
            raise _no_working_time(calendar, instant)
        i = 0
    return from_us(block.starts[i])


def working_intervals_on(
    day: date, calendar: BusinessCalendar
) -> list[tuple[datetime, datetime]]:
    """Return the working intervals starting on local `day`, as UTC instants."""
    if calendar.always_open:
        ordinal = day.toordinal()
        pairs = [
            (midnight_us(calendar.tz, ordinal), midnight_us(calendar.tz, ordinal + 1))
        ]
    else:
        pairs = day_intervals(calendar, day.toordinal())
    return [(from_us(s), from_us(e)) for s, e in pairs]


def _require_hours(calendar: BusinessCalendar) -> None:
    if not calendar._has_hours:
        raise NoWorkingTime("the calendar has no working hours")


def _no_working_time(calendar: BusinessCalendar, after: datetime) -> NoWorkingTime:
    return NoWorkingTime(
        f"the calendar has no working hours within {HORIZON.days} days "
        f"after {after.isoformat()} ({calendar.tz.key})"
    )


ROUND_THE_CLOCK = round_the_clock()
