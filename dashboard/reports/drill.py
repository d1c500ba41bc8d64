"""The tickets behind a figure, for the drill-down list and its CSV."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Q,
    QuerySet,
)

from dashboard.reports.base import (
    OUTCOMES,
    Action,
    Filters,
    Target,
    local_day_start,
    sla_state_q,
    tickets,
)
from tickets.models import TicketEvent


@dataclass(frozen=True)
class Drill:
    """What narrows a ticket list behind one figure (dates are local, inclusive)."""

    status: str = ""  # a status, or "open" for every active one
    sla_state: str = ""
    category: int | None = None
    priority: int | None = None
    received: tuple[date | None, date | None] = (None, None)
    responded: tuple[date | None, date | None] = (None, None)
    resolved: tuple[date | None, date | None] = (None, None)
    outcome: str = ""  # "met", "missed" or "any"
    target: str = ""
    outcome_dates: tuple[date | None, date | None] = (None, None)
    breached: tuple[date | None, date | None] = (None, None)
    rated: tuple[date | None, date | None] = (None, None)
    rating: int | None = None


def _date_range(field_name: str, dates: tuple[date | None, date | None]) -> Q:
    first, last = dates
    q = Q()
    if first is not None:
        q &= Q(**{f"{field_name}__gte": local_day_start(first)})
    if last is not None:
        q &= Q(**{f"{field_name}__lt": local_day_start(last + timedelta(days=1))})
    return q


def drill_tickets(filters: Filters, drill: Drill, now: datetime) -> QuerySet:
    """The tickets behind a dashboard figure, newest first."""
    queryset = tickets(filters)
    if drill.status == "open":
        queryset = queryset.open()
    elif drill.status:
        queryset = queryset.filter(status=drill.status)
    if drill.sla_state:
        queryset = queryset.filter(sla_state_q(drill.sla_state, now))
    if drill.category is not None:
        queryset = queryset.filter(category_id=drill.category)
    if drill.priority is not None:
        queryset = queryset.filter(priority=drill.priority)
    queryset = queryset.filter(
        _date_range("received_at", drill.received),
        _date_range("first_responded_at", drill.responded),
        _date_range("resolved_at", drill.resolved),
        _date_range("rated_at", drill.rated),
    )
    if drill.rating is not None:
        queryset = queryset.filter(rating=drill.rating)
    if drill.outcome:
        actions = {"met": [Action.SLA_MET], "missed": [Action.SLA_MISSED]}
        events = TicketEvent.objects.filter(
            _date_range("created_at", drill.outcome_dates),
            action__in=actions.get(drill.outcome, OUTCOMES),
        )
        if drill.target:
            events = events.filter(sla_target=drill.target)
        queryset = queryset.filter(pk__in=events.values("ticket_id"))
    if drill.breached != (None, None):
        events = TicketEvent.objects.filter(
            _date_range("created_at", drill.breached), action=Action.SLA_BREACH
        ).exclude(sla_target=Target.MEMO)  # as `breaches` counts them
        queryset = queryset.filter(pk__in=events.values("ticket_id"))
    return queryset.order_by("-received_at", "-pk")
