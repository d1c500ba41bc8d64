"""A small, fixed set of SLA policies for tests, replacing the shipped defaults."""

from datetime import date, time, timedelta

from customers.models import ServiceTier
from sla.models import BusinessCalendar, Holiday, SLAPolicy, WorkingHours


def office_calendar() -> BusinessCalendar:
    """Sunday to Thursday 08:00-16:00 in Riyadh; 3 December 2026 a holiday."""
    calendar = BusinessCalendar.objects.create(
        name="Test office", timezone="Asia/Riyadh", country="SA"
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(calendar=calendar, weekday=day, start=time(8), end=time(16))
        for day in (6, 0, 1, 2, 3)
    )
    Holiday.objects.create(calendar=calendar, date=date(2026, 12, 3), name="Test Day")
    return calendar


def install_policies() -> dict[str, SLAPolicy]:
    """VIP complaints and complaints on office hours; written channels round
    the clock (48 h first response); live channels on office hours."""
    SLAPolicy.objects.update(is_active=False)
    calendar = office_calendar()
    vip_complaints = SLAPolicy.objects.create(
        name="T VIP complaints",
        order=1,
        ticket_kinds=["complaint"],
        first_response=timedelta(hours=4),
        next_response=timedelta(hours=4),
        resolution=timedelta(hours=16),
        calendar=calendar,
        warning_thresholds=[50, 75],
    )
    vip_complaints.tiers.set([ServiceTier.objects.get(code="vip")])
    return {
        "vip_complaints": vip_complaints,
        "complaints": SLAPolicy.objects.create(
            name="T complaints",
            order=2,
            ticket_kinds=["complaint"],
            first_response=timedelta(hours=8),
            next_response=timedelta(hours=8),
            resolution=timedelta(hours=40),
            calendar=calendar,
        ),
        "urgent": SLAPolicy.objects.create(
            name="T urgent",
            order=3,
            priorities=[4],
            first_response=timedelta(hours=2),
            next_response=timedelta(hours=2),
            resolution=timedelta(hours=8),
            calendar=calendar,
        ),
        "written": SLAPolicy.objects.create(
            name="T written",
            order=4,
            channels=["email", "letter", "fax", "web"],
            first_response=timedelta(hours=48),
            next_response=timedelta(hours=24),
            resolution=timedelta(hours=96),
        ),
        "live": SLAPolicy.objects.create(
            name="T live",
            order=5,
            channels=["phone", "chat", "walk_in"],
            first_response=timedelta(hours=1),
            next_response=timedelta(hours=8),
            resolution=timedelta(hours=40),
            calendar=calendar,
        ),
    }
