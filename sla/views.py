"""The SLA settings page: what each policy does, in plain words."""

from datetime import date

from django.db.models import Prefetch
from django.shortcuts import render
from django.utils import timezone

from helpdesk.roles import supervisor_required
from sla.explain import calendar_summary, describe_policy, tier_names
from sla.history import change_lines, headline
from sla.models import BusinessCalendar, HijriRule, Holiday, SLAChange, SLAPolicy

UPCOMING_HOLIDAYS = 8
RECENT_CHANGES = 20


def next_span(rule: HijriRule, today: date) -> tuple[date, date] | None:
    """The first Gregorian (first, last) of `rule` that has not ended by `today`."""
    spans = rule.expand([today.year, today.year + 1])
    return next((span for span in spans if span[1] >= today), None)


@supervisor_required
def sla_settings(request):
    policies = (
        SLAPolicy.objects.select_related("calendar")
        .prefetch_related("tiers", "calendar__hours")
        .order_by("-is_active", "order", "id")
    )
    today = timezone.localdate()
    tiers = tier_names()
    calendars = BusinessCalendar.objects.prefetch_related(
        "hours",
        "exceptions",
        "hijri_rules",
        Prefetch(
            "holidays",
            queryset=Holiday.objects.filter(date__gte=today).order_by("date"),
            to_attr="coming_holidays",
        ),
    )
    context = {
        "policies": [(policy, describe_policy(policy, tiers)) for policy in policies],
        "calendars": [
            (
                calendar,
                calendar_summary(calendar),
                calendar.coming_holidays[:UPCOMING_HOLIDAYS],
                [e for e in calendar.exceptions.all() if e.end_date >= today],
                [(rule, next_span(rule, today)) for rule in calendar.hijri_rules.all()],
            )
            for calendar in calendars
        ],
        "changes": [
            (change, headline(change), change_lines(change))
            for change in SLAChange.objects.select_related("by")[:RECENT_CHANGES]
        ],
        "can_edit": request.user.has_perm("sla.change_slapolicy"),
        "can_edit_calendars": request.user.has_perm("sla.change_businesscalendar"),
    }
    return render(request, "sla/policies.html", context)
