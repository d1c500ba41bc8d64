"""Customer satisfaction, volume over time, and the per-agent table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Avg,
    Count,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDay, TruncWeek
from django.utils import timezone

from dashboard.reports.base import Action, Filters, tickets
from dashboard.reports.service_levels import _outcomes, _states, open_counts
from helpdesk.channels import Channel
from helpdesk.labels import localized_name
from tickets.models import Category

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
