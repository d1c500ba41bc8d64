"""Time left or overdue, in business time, as the queues and header say it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from sla.business_calendar import BusinessCalendar, round_the_clock
from sla.display import time_left
from sla.models import SLAClock
from tickets.models import Ticket

RIYADH = ZoneInfo("Asia/Riyadh")
# Sunday to Thursday 08:00-16:00; Thursday 3 December 2026 a holiday, and
# Friday and Saturday the weekend.
OFFICE = BusinessCalendar.from_spec(
    "Asia/Riyadh", {"sun-thu": "08:00-16:00"}, holidays=["2026-12-03"]
)
ELAPSED = round_the_clock("Asia/Riyadh")
NOW = datetime(2026, 12, 7, 10, tzinfo=RIYADH)  # Monday


def left(due_at, now=NOW, calendar=ELAPSED, language="en"):
    with translation.override(language):
        return time_left(Ticket(due_at=due_at), now, calendar)


@pytest.mark.parametrize(
    ("due", "english", "arabic"),
    [
        (timedelta(hours=2), "2 h left", "متبقٍ ساعتان"),
        (timedelta(hours=1), "1 h left", "متبقٍ ساعة واحدة"),
        (timedelta(minutes=45), "45 min left", "متبقٍ 45 دقيقة"),
        (timedelta(hours=5, minutes=2), "5 h 2 min left", "متبقٍ 5 ساعات ودقيقتان"),
        (timedelta(days=2, hours=3), "2 days 3 h left", "متبقٍ يومان و3 ساعات"),
        (-timedelta(days=1, hours=4), "overdue by 1 day 4 h", "متأخرة يومًا و4 ساعات"),
        (-timedelta(hours=2), "overdue by 2 h", "متأخرة ساعتين"),
        (-timedelta(days=11), "overdue by 11 days", "متأخرة 11 يومًا"),
        (-timedelta(minutes=1), "overdue by 1 min", "متأخرة دقيقة"),
        (timedelta(seconds=20), "due now", "مستحقة الآن"),
    ],
)
def test_round_the_clock_time_left_in_english_and_arabic(due, english, arabic):
    assert left(NOW + due) == english
    assert left(NOW + due, language="ar") == arabic


def test_a_weekend_and_a_holiday_do_not_count():
    # Wednesday 15:00 to Sunday 09:00: an hour on Wednesday, none on the
    # holiday Thursday or the weekend, an hour on Sunday morning.
    now = datetime(2026, 12, 2, 15, tzinfo=RIYADH)
    due = datetime(2026, 12, 6, 9, tzinfo=RIYADH)

    assert left(due, now, OFFICE) == "2 h left"
    assert left(due, now, OFFICE, "ar") == "متبقٍ ساعتان"


def test_overdue_counts_only_working_time_and_in_hours():
    # Due Tuesday 1 December 10:00; on Sunday 6 December 11:00 that is 6 h on
    # Tuesday, 8 on Wednesday and 3 on Sunday: working hours, never "days"
    # (17 working hours are two working days, not most of a calendar day).
    due = datetime(2026, 12, 1, 10, tzinfo=RIYADH)
    now = datetime(2026, 12, 6, 11, tzinfo=RIYADH)

    assert left(due, now, OFFICE) == "overdue by 17 h"
    assert left(due, now, OFFICE, "ar") == "متأخرة 17 ساعة"


def test_outside_working_hours_nothing_runs_out():
    # Friday evening, due Sunday 08:30: half an hour of the working week.
    now = datetime(2026, 12, 4, 20, tzinfo=RIYADH)
    due = datetime(2026, 12, 6, 8, 30, tzinfo=RIYADH)

    assert left(due, now, OFFICE) == "30 min left"


def test_nothing_due_says_nothing():
    assert left(None) == ""


def test_a_clock_tells_its_own_time_left():
    running = SLAClock(
        status=SLAClock.Status.RUNNING, due_at=NOW + timedelta(minutes=90)
    )
    paused = SLAClock(
        status=SLAClock.Status.PAUSED,
        limit=timedelta(hours=8),
        used=timedelta(hours=5),
    )
    met = SLAClock(status=SLAClock.Status.MET, due_at=NOW + timedelta(hours=1))

    assert time_left(running, NOW, ELAPSED) == "1 h 30 min left"
    assert time_left(paused, NOW, OFFICE) == "3 h left"
    assert time_left(met, NOW, ELAPSED) == ""
