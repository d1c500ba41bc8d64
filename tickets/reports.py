"""The supervisor dashboard's figures, each computed by the database.

Every function takes a `Filters` (who may see which queues, the period and the
chosen dimensions) and `now`, and returns plain dataclasses. Counts are
conditional aggregates (`Count(filter=Q(...))`), percentiles are PostgreSQL's
`percentile_cont` (on other databases: `ORDER BY ... OFFSET`, two rows per
percentile), and no function loops over tickets. "Now" and every horizon come
from Python, never SQL `now()`, so the planner can use the partial indexes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    F,
    FloatField,
    Func,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, TruncDay, TruncWeek
from django.utils import timezone

from .channels import Channel
from .models import Category, Queue, SLAClock, Ticket, TicketEvent
from .sla import ClockState
from .templatetags.helpdesk import localized_name

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
    if user.is_superuser:
        return None
    return tuple(
        Queue.objects.filter(supervisors=user)
        .order_by("pk")
        .values_list("pk", flat=True)
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


# --- SQL building blocks ---------------------------------------------------


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


# --- the figures ----------------------------------------------------------


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
        ClockState.BREACHED: Q(due_at__lte=now),
        ClockState.AT_RISK: Q(due_at__gt=now, at_risk_at__lte=now),
        ClockState.ON_TRACK: Q(due_at__gt=now)
        & (Q(at_risk_at__isnull=True) | Q(at_risk_at__gt=now)),
        ClockState.PAUSED: Q(due_at__isnull=True) & _paused(),
        NO_TARGET: Q(due_at__isnull=True) & ~_paused(),
    }
    return conditions[state]


def sla_state_q(state: str, now: datetime) -> Q:
    """Open tickets in backlog `state` at `now` (see BACKLOG_STATES)."""
    return Q(status__in=Ticket.Status.active()) & _state_conditions(state, now)


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
    """Targets breached (recorded by the sweep) since midnight and this week."""
    today = timezone.localtime(now).date()
    today_start = local_day_start(today)
    week = local_day_start(week_start(today))
    counts = TicketEvent.objects.filter(
        filters.ticket_q("ticket__"),
        action=Action.SLA_BREACH,
        created_at__gte=min(week, today_start),
        created_at__lte=now,
    ).aggregate(
        today=Count("pk", filter=Q(created_at__gte=today_start)),
        week=Count("pk", filter=Q(created_at__gte=week)),
    )
    return Breaches(counts["today"], counts["week"], today_start, week)


def at_risk(filters: Filters, now: datetime) -> list[Ticket]:
    """Open tickets that breach within the horizon, soonest first, with the
    agents of their queues for reassignment."""
    horizon = now + timedelta(hours=filters.horizon_hours)
    return list(
        tickets(filters)
        .open()
        .filter(due_at__gt=now, due_at__lte=horizon)
        .select_related("customer__tier", "queue", "assignee")
        .prefetch_related(
            Prefetch(
                "queue__agents",
                queryset=get_user_model().objects.order_by("username"),
            )
        )
        .order_by("due_at", "pk")[:AT_RISK_ROWS]
    )


RATINGS = range(1, 6)


@dataclass
class Csat:
    """Customer ratings (1-5) given in the period."""

    average: float | None = None
    count: int = 0
    distribution: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(RATINGS, 0)
    )

    def share(self, rating: int) -> float | None:
        """The percentage of the period's ratings that were `rating`."""
        return 100 * self.distribution[rating] / self.count if self.count else None

    @property
    def rows(self) -> list[tuple[int, int, float | None]]:
        """(rating, number, share in percent) from 1 to 5."""
        return [(r, n, self.share(r)) for r, n in self.distribution.items()]


def _rated(filters: Filters) -> QuerySet:
    """Tickets of `filters` the customer rated within the period (the partial
    index ticket_rated_idx holds exactly the rated tickets)."""
    return (
        tickets(filters)
        .rated()
        .filter(rated_at__gte=filters.start, rated_at__lt=filters.end)
    )


def csat(filters: Filters, now: datetime) -> Csat:
    """Average, number and 1-5 distribution of the ratings given in the
    period, in one aggregate."""
    figures = _rated(filters).aggregate(
        average=Avg("rating"),
        count=Count("pk"),
        **{str(rating): Count("pk", filter=Q(rating=rating)) for rating in RATINGS},
    )
    return Csat(
        average=figures["average"],
        count=figures["count"],
        distribution={rating: figures[str(rating)] for rating in RATINGS},
    )


def agent_csat(filters: Filters, now: datetime) -> dict[int, tuple[float, int]]:
    """(Average rating, number of ratings) per assignee id, over the period."""
    return {
        entry["assignee_id"]: (entry["average"], entry["count"])
        for entry in _rated(filters)
        .filter(assignee__isnull=False)
        .values("assignee_id")
        .annotate(average=Avg("rating"), count=Count("pk"))
        .order_by()
    }


@dataclass
class Series:
    key: str
    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Volume:
    """Tickets received per bucket (day or week), by channel and by category."""

    buckets: list[date]
    daily: bool
    channels: list[Series]
    categories: list[Series]

    def bucket_end(self, start: date) -> date:
        """The last day of the bucket starting on `start`."""
        return start if self.daily else start + timedelta(days=6)

    def table(self, lines: list[Series]) -> list[tuple]:
        """Rows of (first day, last day, [(series, count)], total) per bucket."""
        return [
            (
                day,
                self.bucket_end(day),
                [(line, line.counts[n]) for line in lines],
                sum(line.counts[n] for line in lines),
            )
            for n, day in enumerate(self.buckets)
        ]

    @property
    def channel_rows(self) -> list[tuple]:
        return self.table(self.channels)

    @property
    def category_rows(self) -> list[tuple]:
        return self.table(self.categories)


def _buckets(filters: Filters) -> list[date]:
    first = timezone.localtime(filters.start).date()
    last = timezone.localtime(filters.end - timedelta(microseconds=1)).date()
    step = 1 if filters.daily else 7
    if not filters.daily:
        first -= timedelta(days=first.weekday())  # weeks start on Monday in SQL
    days = (last - first).days
    return [first + timedelta(days=n) for n in range(0, days + 1, step)]


def volume(filters: Filters, now: datetime) -> Volume:
    """Tickets received in the period per day (or week), by channel and category."""
    trunc = TruncDay if filters.daily else TruncWeek
    received = tickets(filters).filter(
        received_at__gte=filters.start, received_at__lt=filters.end
    )
    bucket = trunc("received_at", tzinfo=timezone.get_current_timezone())
    buckets = _buckets(filters)
    index = {day: n for n, day in enumerate(buckets)}

    # One pass: counts per bucket, channel and category (a few hundred rows
    # at most), summed here into the two sets of series.
    rows = list(
        received.annotate(bucket=bucket)
        .values("bucket", "channel", "category_id")
        .annotate(count=Count("pk"))
        .order_by()
    )

    def series(dimension: str, labels: dict) -> list[Series]:
        counts: dict = {}
        for row in rows:
            day = (
                timezone.localtime(row["bucket"]).date()
                if isinstance(row["bucket"], datetime)
                else row["bucket"]
            )
            key = row[dimension]
            counts.setdefault(key, [0] * len(buckets))[index[day]] += row["count"]
        ordered = sorted(counts, key=lambda key: -sum(counts[key]))
        return [
            Series(str(key or ""), labels.get(key, "—"), counts[key]) for key in ordered
        ]

    categories = {c.pk: c for c in Category.objects.all()}
    return Volume(
        buckets=buckets,
        daily=filters.daily,
        channels=series("channel", dict(Channel.choices)),
        categories=series(
            "category_id", {pk: localized_name(c) for pk, c in categories.items()}
        ),
    )


@dataclass
class AgentRow:
    agent: object
    open: int = 0
    breached: int = 0
    answered: int = 0
    resolved: int = 0
    met: int = 0
    missed: int = 0
    csat: float | None = None
    ratings: int = 0

    @property
    def compliance(self) -> float | None:
        total = self.met + self.missed
        return 100 * self.met / total if total else None


def agents(
    filters: Filters, now: datetime, counts: list[dict] | None = None
) -> list[AgentRow]:
    """Per assignee: open and breached tickets now, tickets first answered and
    resolved in the period, SLA compliance and CSAT over the period."""
    rows: dict[int, AgentRow] = {}

    def row(pk: int) -> AgentRow:
        return rows.setdefault(pk, AgentRow(agent=None))

    for entry in open_counts(filters, now) if counts is None else counts:
        if entry["assignee_id"] is not None:
            agent_row = row(entry["assignee_id"])
            agent_row.open += sum(_states(entry).values())
            agent_row.breached += entry["breached"]

    assigned = tickets(filters).filter(assignee__isnull=False)

    answered = Q(
        first_responded_at__gte=filters.start, first_responded_at__lt=filters.end
    )
    resolved = Q(resolved_at__gte=filters.start, resolved_at__lt=filters.end)
    for entry in (
        assigned.filter(answered | resolved)
        .values("assignee_id")
        .annotate(
            answered=Count("pk", filter=answered),
            resolved=Count("pk", filter=resolved),
        )
        .order_by()
    ):
        agent_row = row(entry["assignee_id"])
        agent_row.answered, agent_row.resolved = entry["answered"], entry["resolved"]

    for entry in (
        _outcomes(filters)
        .filter(ticket__assignee__isnull=False)
        .values("ticket__assignee_id")
        .annotate(
            met=Count("pk", filter=Q(action=Action.SLA_MET)),
            missed=Count("pk", filter=Q(action=Action.SLA_MISSED)),
        )
        .order_by()
    ):
        agent_row = row(entry["ticket__assignee_id"])
        agent_row.met, agent_row.missed = entry["met"], entry["missed"]

    ratings = agent_csat(filters, now)
    for pk in ratings:
        row(pk)
    users = get_user_model().objects.in_bulk(list(rows))
    for pk, agent_row in rows.items():
        agent_row.agent = users[pk]
        agent_row.csat, agent_row.ratings = ratings.get(pk, (None, 0))
    return sorted(
        rows.values(),
        key=lambda r: (-r.breached, -r.open, r.agent.get_username()),
    )


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
        )
        queryset = queryset.filter(pk__in=events.values("ticket_id"))
    return queryset.order_by("-received_at", "-pk")


@dataclass
class Dashboard:
    filters: Filters
    now: datetime
    backlog: Backlog
    targets: dict[str, TargetFigures]
    breaches: Breaches
    at_risk: list[Ticket]
    csat: Csat
    volume: Volume
    agents: list[AgentRow]


def dashboard(filters: Filters, now: datetime) -> Dashboard:
    """Every figure of the supervisor dashboard."""
    counts = open_counts(filters, now)
    return Dashboard(
        filters=filters,
        now=now,
        backlog=backlog(filters, now, counts),
        targets=sla_targets(filters, now),
        breaches=breaches(filters, now),
        at_risk=at_risk(filters, now),
        csat=csat(filters, now),
        volume=volume(filters, now),
        agents=agents(filters, now, counts),
    )
