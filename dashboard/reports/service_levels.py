"""Service-level figures: the open backlog by state, compliance and response
times per target, breaches, and what is about to breach."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from dashboard.reports.base import (
    AT_RISK_ROWS,
    BACKLOG_STATES,
    MEDIAN,
    NO_TARGET,
    OUTCOMES,
    P90,
    Action,
    Filters,
    SecondsBetween,
    Target,
    _state_conditions,
    _used_minutes,
    local_day_start,
    summarise,
    tickets,
)
from sla.rules import ClockState
from tickets.models import Queue, Ticket, TicketEvent


@dataclass
class BacklogRow:
    queue: Queue | None
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Backlog:
    rows: list[BacklogRow]
    totals: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.totals.values())


def open_counts(filters: Filters, now: datetime) -> list[dict]:
    """Open tickets by SLA state at `now`, per queue and assignee.

    One index-only scan of ticket_open_sla_idx (every column it reads is in
    the index); the dashboard shares it between the backlog and the agents.
    """
    return list(
        tickets(filters)
        .open()
        .values("queue_id", "assignee_id")
        .annotate(
            on_track=Count("pk", filter=_state_conditions(ClockState.ON_TRACK, now)),
            at_risk=Count("pk", filter=_state_conditions(ClockState.AT_RISK, now)),
            breached=Count("pk", filter=_state_conditions(ClockState.BREACHED, now)),
            # "No target" is the rest of those without a due time: the paused
            # clocks are looked up once, not twice.
            not_due=Count("pk", filter=Q(due_at__isnull=True)),
            paused=Count("pk", filter=_state_conditions(ClockState.PAUSED, now)),
        )
        .order_by()
    )


def _states(entry: dict) -> dict[str, int]:
    counts = {state: entry[state] for state in BACKLOG_STATES if state in entry}
    counts[NO_TARGET] = entry["not_due"] - entry["paused"]
    return counts


def backlog(
    filters: Filters, now: datetime, counts: list[dict] | None = None
) -> Backlog:
    """Open tickets by SLA state at `now`, per queue and in total."""
    by_queue: dict[int, dict[str, int]] = {}
    for entry in open_counts(filters, now) if counts is None else counts:
        queue = by_queue.setdefault(entry["queue_id"], dict.fromkeys(BACKLOG_STATES, 0))
        for state, count in _states(entry).items():
            queue[state] += count
    queues = Queue.objects.filter(pk__in=by_queue).order_by("name")
    rows = [BacklogRow(queue, by_queue[queue.pk]) for queue in queues]
    totals = {s: sum(row.counts[s] for row in rows) for s in BACKLOG_STATES}
    return Backlog(rows, totals)


@dataclass
class TargetFigures:
    """One SLA target over the period: outcomes and how long it took."""

    target: str
    met: int = 0
    missed: int = 0
    business_median: float | None = None  # minutes
    business_p90: float | None = None
    clock_median: float | None = None  # minutes
    clock_p90: float | None = None
    clock_count: int = 0

    @property
    def label(self) -> str:
        return Target(self.target).label

    @property
    def clock_period(self) -> str:
        """The ticket-list date filter behind the clock times ('' for none)."""
        return {
            Target.FIRST_RESPONSE: "responded",
            Target.RESOLUTION: "resolved",
        }.get(self.target, "")

    @property
    def outcomes(self) -> int:
        return self.met + self.missed

    @property
    def compliance(self) -> float | None:
        """Met ÷ (met + missed), in percent; None without outcomes."""
        return 100 * self.met / self.outcomes if self.outcomes else None


def _outcomes(filters: Filters) -> QuerySet:
    return TicketEvent.objects.filter(
        filters.ticket_q("ticket__"),
        action__in=OUTCOMES,
        created_at__gte=filters.start,
        created_at__lt=filters.end,
    )


# The ticket timestamp that ends each target's clock time.
CLOCK_TIME_ENDS = {
    Target.FIRST_RESPONSE: "first_responded_at",
    Target.RESOLUTION: "resolved_at",
}


def sla_targets(filters: Filters, now: datetime) -> dict[str, TargetFigures]:
    """Compliance per target, and response and resolution times (median and
    90th percentile, in business time from the SLA ledger and in clock time
    from `received_at`), for outcomes within the period."""
    figures = {target: TargetFigures(target) for target in Target.values}
    fractions = {"median": MEDIAN, "p90": P90}
    outcomes = summarise(
        _outcomes(filters),
        {
            f"{target}|{action}": Count(
                "pk", filter=Q(sla_target=target, action=action)
            )
            for target in Target.values
            for action in OUTCOMES
        },
        {
            f"{target}|business_{name}": (
                _used_minutes(),
                Q(sla_target=target),
                fraction,
            )
            for target in CLOCK_TIME_ENDS
            for name, fraction in fractions.items()
        },
    )
    in_period = {
        target: Q(**{f"{end}__gte": filters.start, f"{end}__lt": filters.end})
        for target, end in CLOCK_TIME_ENDS.items()
    }
    clock = summarise(
        tickets(filters).filter(Q(*in_period.values(), _connector=Q.OR)),
        {
            f"{target}|clock_count": Count("pk", filter=in_period[target])
            for target in CLOCK_TIME_ENDS
        },
        {
            f"{target}|clock_{name}": (
                SecondsBetween(end, "received_at") / 60.0,
                in_period[target],
                fraction,
            )
            for target, end in CLOCK_TIME_ENDS.items()
            for name, fraction in fractions.items()
        },
    )
    for key, value in (outcomes | clock).items():
        target, name = key.split("|")
        name = {Action.SLA_MET: "met", Action.SLA_MISSED: "missed"}.get(name, name)
        setattr(figures[target], name, value)
    return figures


@dataclass
class Breaches:
    today: int
    week: int
    today_start: datetime
    week_start: datetime


def week_start(day: date) -> date:
    """The Sunday that starts `day`'s working week (Sunday to Thursday)."""
    return day - timedelta(days=(day.weekday() + 1) % 7)


def breaches(filters: Filters, now: datetime) -> Breaches:
    """Tickets that breached a target (as the sweep recorded) since midnight and
    this week; a ticket breaching two targets counts once, as in its list."""
    today = timezone.localtime(now).date()
    today_start = local_day_start(today)
    week = local_day_start(week_start(today))
    counts = (
        TicketEvent.objects.filter(
            filters.ticket_q("ticket__"),
            action=Action.SLA_BREACH,
            created_at__gte=min(week, today_start),
            created_at__lte=now,
        )
        # A memo's breach is another department's lateness, shown with the
        # memos; the customer's targets are these.
        .exclude(sla_target=Target.MEMO)
    ).aggregate(
        today=Count("ticket_id", distinct=True, filter=Q(created_at__gte=today_start)),
        week=Count("ticket_id", distinct=True, filter=Q(created_at__gte=week)),
    )
    return Breaches(counts["today"], counts["week"], today_start, week)


def at_risk(filters: Filters, now: datetime) -> list[Ticket]:
    """Open tickets that breach within the horizon, soonest first, with the
    agents of their queues for reassignment."""
    horizon = now + timedelta(hours=filters.horizon_hours)
    rows = list(
        tickets(filters)
        .open()
        .filter(due_at__gt=now, due_at__lte=horizon)
        .select_related("customer__tier", "queue", "assignee", "sla_policy")
        .order_by("due_at", "pk")[:AT_RISK_ROWS]
    )
    if rows:
        agents = Queue.objects.filter(
            pk__in={ticket.queue_id for ticket in rows}
        ).assignable_agents_by_queue()
        for ticket in rows:
            # The reassign menu's choices, read by `reassign_options`.
            ticket.assignable = agents.get(ticket.queue_id, agents[None])
    return rows
