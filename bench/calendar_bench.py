"""Due-time computations per second on one core, without Django.

Times add_business_time (a due time) and business_time_between (time used)
over realistic calendars: the Gulf head office (Sunday-Thursday 08:00-16:00,
Asia/Riyadh, public holidays and shorter Ramadan hours), a split shift with a
night shift that crosses midnight, and round the clock. Starts are spread to
the second over a year, targets are 30 minutes to 10 days of business time.
Prints a markdown table (`make bench` includes it). Usage:
``python bench/calendar_bench.py [-n CALLS]``.
"""

import argparse
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Importable without Django or an installed package: the module is pure.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sla.business_calendar import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
    round_the_clock,
)

TARGET_PER_SECOND = 100_000
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
TARGETS = [
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=24),
    timedelta(hours=48),
    timedelta(days=10),
]
CALENDARS: dict[str, BusinessCalendar] = {
    "Sun-Thu 08-16 Riyadh, holidays, Ramadan": BusinessCalendar.from_spec(
        "Asia/Riyadh",
        {"sun-thu": "08:00-16:00"},
        holidays=[
            date(2025, 2, 22),
            *(date(2025, 3, 30) + timedelta(days=n) for n in range(4)),
            *(date(2025, 6, 5) + timedelta(days=n) for n in range(5)),
            date(2025, 9, 23),
        ],
        periods=[("2025-03-01", "2025-03-29", {"sun-thu": "09:00-14:00"})],
    ),
    "split shift + night shift, London (DST)": BusinessCalendar.from_spec(
        "Europe/London",
        {
            "mon-fri": "08:00-12:00, 16:00-20:00",
            "sat": "22:00-06:00",
        },
        holidays=[date(2025, 12, 25), date(2025, 12, 26), date(2025, 5, 5)],
    ),
    "round the clock": round_the_clock("Asia/Riyadh"),
}


@dataclass
class Row:
    """One function over one calendar."""

    calendar: str
    function: str
    calls: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds if self.seconds else 0.0


def make_cases(n: int, seed: int = 2025) -> list[tuple[datetime, timedelta]]:
    """Return `n` (start, target) pairs: starts to the second over a year."""
    rng = random.Random(seed)
    return [
        (
            YEAR_START + timedelta(seconds=rng.randrange(365 * 86_400)),
            rng.choice(TARGETS),
        )
        for _ in range(n)
    ]


def time_calls(calls: list, func: Callable, calendar: BusinessCalendar) -> float:
    """Seconds `func` takes over `calls`."""
    began = time.perf_counter()
    for a, b in calls:
        func(a, b, calendar)
    return time.perf_counter() - began


def measure(n: int) -> list[Row]:
    """Time both functions over every calendar, `n` calls each."""
    cases = make_cases(n)
    rows = []
    for name, calendar in CALENDARS.items():
        # Warm the calendar's cache so the figure is the steady state.
        for start, target in cases[:1000]:
            add_business_time(start, target, calendar)
        due = [add_business_time(start, target, calendar) for start, target in cases]
        spans = [(start, end) for (start, _), end in zip(cases, due, strict=True)]
        rows.append(
            Row(
                name,
                "add_business_time",
                n,
                time_calls(cases, add_business_time, calendar),
            )
        )
        rows.append(
            Row(
                name,
                "business_time_between",
                n,
                time_calls(spans, business_time_between, calendar),
            )
        )
    return rows


def table(rows: list[Row]) -> list[str]:
    """The markdown table `make bench` prints."""
    lines = [
        "",
        "## Calendar arithmetic (one core)",
        f"Target: {TARGET_PER_SECOND:,} due-time computations per second.",
        "",
        "| calendar | function | calls | seconds | calls/s | target |",
        "|---|---|---:|---:|---:|---|",
    ]
    for row in rows:
        met = "met" if row.per_second >= TARGET_PER_SECOND else "MISSED"
        lines.append(
            f"| {row.calendar} | {row.function} | {row.calls:,} "
            f"| {row.seconds:.3f} | {row.per_second:,.0f} | {met} |"
        )
    return lines


def main() -> None:
    """Print calls, seconds and calls per second per calendar and function."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--calls", type=int, default=200_000)
    print("\n".join(table(measure(parser.parse_args().calls))))


if __name__ == "__main__":
    main()
