"""The complaints report: what complaints were about, how severe, in which
queue; how long they took to resolve; how often customers accepted or
appealed the resolution; and the customers who complained more than once.

Complaints are counted by when they were received (the partial index
`ticket_complaint_received_idx`). Every figure is one aggregate query, so
the report costs the same few queries whatever the number of complaints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dashboard.reports.base import MEDIAN, SecondsBetween, summarise
from helpdesk.labels import choice_label
from tickets.models import Ticket

Stage = Ticket.ComplaintStage

# Customers with at least this many complaints in the period are listed.
REPEATED_FROM = 2
REPEATED_ROWS = 50
HOUR = 3600.0


@dataclass(frozen=True)
class ComplaintFilters:
    """The period [start, end), the viewer's queues (None: all) and choices."""

    start: datetime
    end: datetime
    queues: tuple[int, ...] | None = None
    queue: int | None = None
    severity: int | None = None
    root_cause: int | None = None

    def q(self) -> Q:
        conditions = {
            "kind": Ticket.Kind.COMPLAINT,
            "received_at__gte": self.start,
            "received_at__lt": self.end,
        }
        if self.queues is not None:
            conditions["queue_id__in"] = self.queues
        if self.queue is not None:
            conditions["queue_id"] = self.queue
        if self.severity is not None:
            conditions["severity"] = self.severity
        if self.root_cause is not None:
            conditions["root_cause_category_id"] = self.root_cause
        return Q(**conditions)


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: its label in the viewer's language, a count."""

    key: object
    label: str
    count: int


@dataclass(frozen=True)
class RepeatedCustomer:
    customer_id: int
    name: str
    complaints: int
    last_received: datetime


@dataclass(frozen=True)
class ComplaintReport:
    total: int
    resolved: int
    median_hours: float | None
    average_hours: float | None
    # Complaints whose resolution reached the customer (resolved, accepted or
    # appealed): the base of the acceptance and appeal rates.
    answered: int
    accepted: int
    appealed: int
    by_root_cause: list[Row]
    by_severity: list[Row]
    by_queue: list[Row]
    repeated: list[RepeatedCustomer]

    @property
    def acceptance_rate(self) -> float | None:
        return self.accepted / self.answered if self.answered else None

    @property
    def appeal_rate(self) -> float | None:
        return self.appealed / self.answered if self.answered else None


def complaints(filters: ComplaintFilters) -> QuerySet:
    """The complaints the report counts."""
    return Ticket.objects.filter(filters.q())


def _name(name: str, name_ar: str) -> str:
    return name_ar if get_language() == "ar" and name_ar else name


def complaint_report(filters: ComplaintFilters) -> ComplaintReport:
    """Every figure of the report, in five queries (six off PostgreSQL)."""
    rows = complaints(filters).order_by()
    hours = SecondsBetween("resolved_at", "received_at")
    is_resolved = Q(resolved_at__isnull=False)
    answered = Q(
        complaint_stage__in=[Stage.RESOLVED, Stage.ACCEPTED, Stage.APPEALED]
    ) | Q(appealed_at__isnull=False)
    figures = summarise(
        rows,
        {
            "total": Count("pk"),
            "resolved": Count("pk", filter=is_resolved),
            "average": Avg(hours, filter=is_resolved),
            "answered": Count("pk", filter=answered),
            "accepted": Count("pk", filter=Q(resolution_accepted=True)),
            "appealed": Count("pk", filter=Q(appealed_at__isnull=False)),
        },
        {"median": (hours, is_resolved, MEDIAN)},
    )
    return ComplaintReport(
        total=figures["total"],
        resolved=figures["resolved"],
        median_hours=_hours(figures["median"]),
        average_hours=_hours(figures["average"]),
        answered=figures["answered"],
        accepted=figures["accepted"],
        appealed=figures["appealed"],
        by_root_cause=_by_root_cause(rows),
        by_severity=_by_severity(rows),
        by_queue=_by_queue(rows),
        repeated=_repeated(rows),
    )


def _hours(seconds: float | None) -> float | None:
    return None if seconds is None else seconds / HOUR


def _by_root_cause(rows: QuerySet) -> list[Row]:
    counted = (
        rows.values(
            "root_cause_category_id",
            "root_cause_category__name",
            "root_cause_category__name_ar",
        )
        .annotate(count=Count("pk"))
        .order_by("-count", "root_cause_category__name")
    )
    return [
        Row(
            key=row["root_cause_category_id"],
            label=_name(
                row["root_cause_category__name"], row["root_cause_category__name_ar"]
            )
            if row["root_cause_category_id"]
            else _("Not yet known"),
            count=row["count"],
        )
        for row in counted
    ]


def _by_severity(rows: QuerySet) -> list[Row]:
    counted = rows.values("severity").annotate(count=Count("pk"))
    found = {row["severity"]: row["count"] for row in counted}
    # Most severe first, then those not yet assessed.
    order = [*sorted(Ticket.Severity.values, reverse=True), None]
    return [
        Row(
            key=value,
            label=choice_label(Ticket.Severity, value) if value else _("Not assessed"),
            count=found[value],
        )
        for value in order
        if value in found
    ]


def _by_queue(rows: QuerySet) -> list[Row]:
    counted = (
        rows.values("queue_id", "queue__name", "queue__name_ar")
        .annotate(count=Count("pk"))
        .order_by("-count", "queue__name")
    )
    return [
        Row(
            key=row["queue_id"],
            label=_name(row["queue__name"], row["queue__name_ar"]),
            count=row["count"],
        )
        for row in counted
    ]


def _repeated(rows: QuerySet) -> list[RepeatedCustomer]:
    counted = (
        rows.values("customer_id", "customer__name")
        .annotate(count=Count("pk"), last=Max("received_at"))
        .filter(count__gte=REPEATED_FROM)
        .order_by("-count", "-last", "customer_id")[:REPEATED_ROWS]
    )
    return [
        RepeatedCustomer(
            customer_id=row["customer_id"],
            name=row["customer__name"],
            complaints=row["count"],
            last_received=row["last"],
        )
        for row in counted
    ]


def report_table(report: ComplaintReport) -> tuple[list[str], list[list]]:
    """The report as one CSV table: section, item, figure; labels translated."""
    header = [_("Section"), _("Item"), _("Figure")]

    def percent(value: float | None) -> str:
        return "" if value is None else f"{value * 100:.1f}"

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    summary = _("Summary")
    rows: list[list] = [
        [summary, _("Complaints received"), report.total],
        [summary, _("Resolved"), report.resolved],
        [summary, _("Median time to resolve (hours)"), number(report.median_hours)],
        [summary, _("Average time to resolve (hours)"), number(report.average_hours)],
        [summary, _("Acceptance rate (%)"), percent(report.acceptance_rate)],
        [summary, _("Appeal rate (%)"), percent(report.appeal_rate)],
    ]
    for section, breakdown in (
        (_("By root cause"), report.by_root_cause),
        (_("By severity"), report.by_severity),
        (_("By queue"), report.by_queue),
    ):
        rows += [[section, row.label, row.count] for row in breakdown]
    rows += [
        [_("Customers with repeated complaints"), customer.name, customer.complaints]
        for customer in report.repeated
    ]
    return header, rows
