"""Days a calendar defines by Hijri (Umm al-Qura) date, such as 1-3 Shawwal or
the month of Ramadan, turned into the Gregorian dates of the years asked for.

Pure: no database, no clock, no settings. The converter (`hijridate`) knows
the Hijri years 1343-1500 (1924-2077); a year outside them yields no dates
rather than an error, so a calendar never fails to load because of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Hijri

# The years the converter's Umm al-Qura tables cover.
FIRST_YEAR, LAST_YEAR = 1343, 1500
# Hijri years are about 354.37 days long: 365.2425 / 354.367.
_HIJRI_YEARS_PER_GREGORIAN = 1.030689
MONTH_DAYS = 30


@dataclass(frozen=True)
class HijriDays:
    """From `first_day` to `last_day` of Hijri `month` (1 = Muharram), every
    year; `last_day` None runs to the month's end (29 or 30 days)."""

    month: int
    first_day: int = 1
    last_day: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"Hijri months are 1-12, got {self.month}")
        last = self.last_day if self.last_day is not None else MONTH_DAYS
        if not 1 <= self.first_day <= last <= MONTH_DAYS:
            raise ValueError(
                f"days run 1-{MONTH_DAYS}, first before last: "
                f"{self.first_day}-{self.last_day}"
            )


def month_length(year: int, month: int) -> int:
    """Days in Hijri `month` of `year`: 29 or 30 (Umm al-Qura)."""
    return Hijri(year, month, 1).month_length()


def in_hijri_year(days: HijriDays, year: int) -> tuple[date, date] | None:
    """The Gregorian dates `days` covers in Hijri `year`, first and last; None
    when the year is outside the converter's range or the month is too short
    for the first day (day 30 of a 29-day month)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    length = month_length(year, days.month)
    if days.first_day > length:
        return None
    # "Up to day 30" means to the month's end when the month has 29 days.
    last = min(days.last_day or length, length)
    found = Hijri(year, days.month, days.first_day).to_gregorian()
    first = date(found.year, found.month, found.day)
    return first, first + timedelta(days=last - days.first_day)


def expand_hijri_rule(
    days: HijriDays, gregorian_years: Iterable[int]
) -> list[tuple[date, date]]:
    """Each (first, last) Gregorian span of `days` that touches one of
    `gregorian_years`, in order; a span crossing a year's end is kept whole."""
    years = sorted(set(gregorian_years))
    if not years:
        return []
    spans = set()
    for year in years:
        start, end = date(year, 1, 1), date(year, 12, 31)
        # A Gregorian year overlaps two or three Hijri years; look one further
        # each way rather than convert its ends (which may be out of range).
        around = round((year - 622) * _HIJRI_YEARS_PER_GREGORIAN)
        for hijri_year in range(around - 2, around + 3):
            span = in_hijri_year(days, hijri_year)
            if span and span[0] <= end and span[1] >= start:
                spans.add(span)
    return sorted(spans)


def dates_of(spans: Iterable[tuple[date, date]]) -> list[date]:
    """Every date of `spans`, first to last."""
    found = set()
    for first, last in spans:
        day = first
        while day <= last:
            found.add(day)
            day += timedelta(days=1)
    return sorted(found)
