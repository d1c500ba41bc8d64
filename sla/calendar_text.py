"""Calendars written as text or loose values, made exact and hashable.

Weekday keys are 0-6, ``mon`` to ``sun``, wrapping ranges such as ``sun-thu``,
or ``daily``; hours are ``"08:00-12:00, 16:00-20:00"``, with ``24:00`` for
midnight and ``""`` or ``"closed"`` for a closed day. Pure: no Django.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, time

Interval = tuple[time, time]
Intervals = tuple[Interval, ...]
Week = tuple[Intervals, ...]
HoursSpec = str | Iterable[Interval]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def freeze_intervals(hours: Iterable[Interval]) -> Intervals:
    frozen = tuple(sorted((s, e) for s, e in hours))
    for s, e in frozen:
        if not (isinstance(s, time) and isinstance(e, time)):
            raise TypeError(
                f"working hours must be datetime.time pairs, got {(s, e)!r}"
            )
        if s.tzinfo is not None or e.tzinfo is not None:
            raise ValueError("working hours are wall-clock times without tzinfo")
    return frozen


def freeze_week(week: Mapping[int, Iterable[Interval]] | Sequence) -> Week:
    if isinstance(week, Mapping):
        unknown = set(week) - set(range(7))
        if unknown:
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {unknown}")
        return tuple(freeze_intervals(week.get(d, ())) for d in range(7))
    if len(week) != 7:
        raise ValueError("a week needs hours for each of its 7 days")
    return tuple(freeze_intervals(hours) for hours in week)


def week_from_spec(spec: Mapping[int | str, HoursSpec]) -> Week:
    week: list[Intervals] = [()] * 7
    for key, hours in spec.items():
        for weekday in weekdays(key):
            week[weekday] = parse_hours(hours)
    return tuple(week)


def weekdays(key: int | str) -> list[int]:
    if isinstance(key, int):
        if not 0 <= key <= 6:
            raise ValueError(f"weekdays are 0 (Monday) to 6 (Sunday), got {key}")
        return [key]
    key = key.strip().lower()
    if key == "daily":
        return list(range(7))
    first, _, last = key.partition("-")
    try:
        a = WEEKDAYS.index(first.strip()[:3])
        b = WEEKDAYS.index(last.strip()[:3]) if last else a
    except ValueError:
        raise ValueError(f"unknown weekday {key!r}") from None
    # Ranges wrap round the week, so "sun-thu" is Sunday to Thursday.
    return [(a + n) % 7 for n in range((b - a) % 7 + 1)]


def parse_hours(spec: HoursSpec) -> Intervals:
    if not isinstance(spec, str):
        return freeze_intervals(spec)
    text = spec.strip().lower()
    if text in ("", "closed"):
        return ()
    intervals = []
    for part in text.replace(";", ",").split(","):
        begin, sep, end = part.partition("-")
        if not sep:
            raise ValueError(f"working hours look like 08:00-16:00, got {part!r}")
        intervals.append((parse_time(begin), parse_time(end)))
    return freeze_intervals(intervals)


def parse_time(text: str) -> time:
    text = text.strip()
    # "24:00" reads naturally as the end of a day; it is the next midnight.
    return time(0) if text == "24:00" else time.fromisoformat(text)


def to_date(value: date | str) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value
