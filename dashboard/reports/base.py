"""What every dashboard figure shares: the filters, the period, the SQL
aggregates for percentiles and durations, and the tickets in view."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from sla.models import SLAClock
from sla.rules import ClockState
from tickets import permissions
from tickets.models import Queue, Ticket, TicketEvent
from tickets.models.tickets import clock_state_q

Action = TicketEvent.Action


Target = SLAClock.Target


OUTCOMES = (Action.SLA_MET, Action.SLA_MISSED)


# The dashboard's backlog states: a ticket's most urgent running clock, or why
# none runs (waiting on the customer, or no target at all).
NO_TARGET = "no_target"


BACKLOG_STATES = (
    ClockState.ON_TRACK.value,
    ClockState.AT_RISK.value,
    ClockState.BREACHED.value,
    ClockState.PAUSED.value,
    NO_TARGET,
)


MEDIAN, P90 = 0.5, 0.9


AT_RISK_ROWS = 50


# Longer periods are drawn week by week: a bar a day stops being readable.
DAILY_UP_TO_DAYS = 31


@dataclass(frozen=True)
class Filters:
    """What the dashboard shows: a period, the queues one may see, and choices.

    `queues` is the viewer's scope (None: every queue, for administrators);
    the other fields narrow it. `end` is exclusive.
    """

    start: datetime
    end: datetime
    queues: tuple[int, ...] | None = None
    queue: int | None = None
    channel: str = ""
    tier: int | None = None
    customer_kind: str = ""
    kind: str = ""
    assignee: int | None = None
    horizon_hours: int = 4

    @property
    def daily(self) -> bool:
        """Whether volume is counted per day (else per week)."""
        return self.end - self.start <= timedelta(days=DAILY_UP_TO_DAYS)

    def ticket_q(self, prefix: str = "") -> Q:
        """The scope and dimension filters as a Q on tickets (or via `prefix`)."""
        conditions = {}
        if self.queues is not None:
            conditions["queue_id__in"] = self.queues
        if self.queue is not None:
            conditions["queue_id"] = self.queue
        if self.channel:
            conditions["channel"] = self.channel
        if self.tier is not None:
            conditions["customer__tier_id"] = self.tier
        if self.customer_kind:
            conditions["customer__kind"] = self.customer_kind
        if self.kind:
            conditions["kind"] = self.kind
        if self.assignee is not None:
            conditions["assignee_id"] = self.assignee
        return Q(**{prefix + key: value for key, value in conditions.items()})

    def link_params(self) -> dict[str, str]:
        """The dimension filters as ticket-list query parameters."""
        params = {
            "queue": self.queue,
            "channel": self.channel,
            "tier": self.tier,
            "customer_kind": self.customer_kind,
            "kind": self.kind,
            "assignee": self.assignee,
        }
        return {key: str(value) for key, value in params.items() if value}

    def period_params(self, prefix: str) -> dict[str, str]:
        """The period as inclusive local dates, `<prefix>_after`/`_before`."""
        last = timezone.localtime(self.end - timedelta(microseconds=1)).date()
        return {
            f"{prefix}_after": timezone.localtime(self.start).date().isoformat(),
            f"{prefix}_before": last.isoformat(),
        }


def supervised_queues(user) -> tuple[int, ...] | None:
    """The queues whose figures `user` may see; None means all of them."""
    if permissions.works_every_queue(user):
        return None
    return tuple(
        Queue.objects.supervised_by(user).order_by("pk").values_list("pk", flat=True)
    )


def local_day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the department's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


PERIODS = ("today", "7", "30", "90", "custom")


DEFAULT_PERIOD = "7"


LONGEST_PERIOD_DAYS = 366


def period_bounds(
    period: str, now: datetime, first: date | None = None, last: date | None = None
) -> tuple[datetime, datetime]:
    """[start, end) of a period: today, the last 7/30/90 days up to `now`, or
    the local days `first` to `last` inclusive ("custom")."""
    today = timezone.localtime(now).date()
    if period == "custom":
        if first is None or last is None:
            raise ValueError("a custom period needs both dates")
        return local_day_start(first), local_day_start(last + timedelta(days=1))
    days = 1 if period == "today" else int(period)
    return local_day_start(today - timedelta(days=days - 1)), now


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(f) WITHIN GROUP (ORDER BY x)`."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("a percentile is a fraction between 0 and 1")
        super().__init__(expression, fraction=repr(fraction), **extra)


class SecondsBetween(Func):
    """`end - start` in seconds, as a float."""

    output_field = FloatField()

    def __init__(self, end: str, start: str):
        super().__init__(F(end), F(start))

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))",
            arg_joiner=" - ",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _used_minutes():
    return Cast(KT("details__used_minutes"), FloatField())


def summarise(
    queryset: QuerySet,
    aggregates: dict[str, Aggregate],
    wanted: dict[str, tuple[object, Q, float]],
) -> dict[str, float | int | None]:
    """`aggregates` and continuous percentiles over `queryset`, by name.

    `wanted` maps a name to (the value, the rows it covers, the fraction).
    PostgreSQL answers everything in one query with `percentile_cont`; other
    databases order each subset and read the one or two rows around each
    percentile.
    """
    if connection.vendor == "postgresql":
        return queryset.aggregate(
            **aggregates,
            **{
                name: PercentileCont(value, fraction, filter=rows)
                for name, (value, rows, fraction) in wanted.items()
            },
        )
    figures = queryset.aggregate(**aggregates) if aggregates else {}
    for name, (value, rows, fraction) in wanted.items():
        figures[name] = percentile_by_offset(queryset.filter(rows), value, fraction)
    return figures


def percentile_by_offset(queryset: QuerySet, value, fraction: float) -> float | None:
    """`percentile_cont` without the function: interpolate between the rows
    either side of position `fraction * (n - 1)` (at most two rows read)."""
    ordered = (
        queryset.annotate(pct_value=value)
        .filter(pct_value__isnull=False)
        .order_by("pct_value")
        .values_list("pct_value", flat=True)
    )
    count = ordered.count()
    if not count:
        return None
    position = fraction * (count - 1)
    low = math.floor(position)
    values = [float(v) for v in ordered[low : low + 2]]
    if len(values) == 1 or position == low:
        return values[0]
    return values[0] + (position - low) * (values[1] - values[0])


def tickets(filters: Filters) -> QuerySet:
    """Tickets within the viewer's scope and the chosen dimensions."""
    return Ticket.objects.filter(filters.ticket_q())


def _paused() -> Q:
    return Q(
        pk__in=SLAClock.objects.filter(status=SLAClock.Status.PAUSED).values(
            "ticket_id"
        )
    )


def _state_conditions(state: str, now: datetime) -> Q:
    conditions = {
        ClockState.BREACHED: clock_state_q(ClockState.BREACHED, now),
        ClockState.AT_RISK: clock_state_q(ClockState.AT_RISK, now),
        ClockState.ON_TRACK: clock_state_q(ClockState.ON_TRACK, now),
        ClockState.PAUSED: Q(due_at__isnull=True) & _paused(),
        NO_TARGET: Q(due_at__isnull=True) & ~_paused(),
    }
    return conditions[state]


def sla_state_q(state: str, now: datetime) -> Q:
    """Open tickets in backlog `state` at `now` (see BACKLOG_STATES)."""
    return Q(status__in=Ticket.Status.active()) & _state_conditions(state, now)
