"""Due-time computations per second on one core, without Django.

Runs add_business_time and business_time_between on the Gulf calendar
(Sunday-Thursday 08:00-16:00, Asia/Riyadh, a few holidays) with starts spread
over a year and targets of 1, 8, 24 and 48 business hours, and prints one row
per function. Usage: ``python bench/calendar_bench.py [-n CALLS]``.
"""

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

# Importable without Django or an installed package: the module is pure.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tickets.business_calendar import (  # noqa: E402
    BusinessCalendar,
    add_business_time,
    business_time_between,
)

GULF = BusinessCalendar.from_spec(
    "Asia/Riyadh",
    {"sun-thu": "08:00-16:00"},
    holidays=[
        date(2025, 2, 22),
        *(date(2025, 3, 30) + timedelta(days=n) for n in range(4)),
        *(date(2025, 6, 5) + timedelta(days=n) for n in range(5)),
        date(2025, 9, 23),
    ],
)
TARGETS = [timedelta(hours=h) for h in (1, 8, 24, 48)]
YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)


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


def time_calls(label: str, calls: list, func) -> tuple[str, int, float]:
    """Run `func` over `calls` and return (label, count, seconds)."""
    began = time.perf_counter()
    for args in calls:
        func(*args, GULF)
    return label, len(calls), time.perf_counter() - began


def main() -> None:
    """Print calls, seconds and calls per second for each function."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--calls", type=int, default=200_000)
    n = parser.parse_args().calls

    cases = make_cases(n)
    # Warm the per-calendar cache so the figure is the steady state.
    for start, target in cases[:1000]:
        add_business_time(start, target, GULF)
    due = [add_business_time(start, target, GULF) for start, target in cases]
    spans = [(start, end) for (start, _), end in zip(cases, due, strict=True)]

    rows = [
        time_calls("add_business_time", cases, add_business_time),
        time_calls("business_time_between", spans, business_time_between),
    ]
    print(f"{'function':<24}{'calls':>10}{'seconds':>10}{'calls/s':>12}")
    for label, count, seconds in rows:
        print(f"{label:<24}{count:>10}{seconds:>10.3f}{count / seconds:>12,.0f}")


if __name__ == "__main__":
    main()
