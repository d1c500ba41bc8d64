"""CSV downloads: each dashboard table, and any ticket list streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard import reports
from tickets.models import Ticket

# Spreadsheets run a cell that starts with one of these as a formula; ticket
# subjects come from customers, so such cells are quoted as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STREAM_CHUNK = 2000


class _Echo:
    """A file-like object whose write() hands the line back."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV text of `header` and `rows`, a line at a time (UTF-8 BOM first,
    so spreadsheet programs read Arabic correctly)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([str(h) for h in header])
    for row in rows:
        yield writer.writerow([_cell(value) for value in row])


def ticket_table(queryset: QuerySet, now: datetime) -> tuple[list, Iterator]:
    """Header and a streaming row iterator for a ticket list."""
    state = Case(
        *(
            When(reports.sla_state_q(s, now), then=Value(s))
            for s in reports.BACKLOG_STATES
        ),
        default=Value(""),
        output_field=CharField(),
    )
    columns = [
        ("number", _("Number")),
        ("subject", _("Subject")),
        ("status", _("Status")),
        ("kind", _("Kind")),
        ("channel", _("Channel")),
        ("priority", _("Priority")),
        ("queue__name", _("Queue")),
        ("assignee__username", _("Assignee")),
        ("customer__name", _("Customer")),
        ("customer__kind", _("Customer kind")),
        ("customer__tier__code", _("Service tier")),
        ("received_at", _("Received")),
        ("first_responded_at", _("First response")),
        ("resolved_at", _("Resolved")),
        ("due_at", _("Due")),
        ("report_sla_state", _("Service level")),
        ("rating", _("Rating")),
        ("rated_at", _("Rated")),
    ]
    rows = (
        queryset.annotate(report_sla_state=state)
        .values_list(*(name for name, _label in columns))
        .iterator(chunk_size=STREAM_CHUNK)
    )
    return [label for _name, label in columns], rows


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def backlog_table(backlog: reports.Backlog, labels: dict) -> tuple[list, list]:
    header = [_("Queue"), *(labels[s] for s in reports.BACKLOG_STATES), _("Total")]
    rows = [
        [row.queue.name, *(row.counts[s] for s in reports.BACKLOG_STATES), row.total]
        for row in backlog.rows
    ]
    rows.append(
        [
            _("Total"),
            *(backlog.totals[s] for s in reports.BACKLOG_STATES),
            backlog.total,
        ]
    )
    return header, rows


def targets_table(targets: dict[str, reports.TargetFigures]) -> tuple[list, list]:
    header = [
        _("Target"),
        _("Met"),
        _("Missed"),
        _("Compliance (percent)"),
        _("Median, business minutes"),
        _("90th percentile, business minutes"),
        _("Median, clock minutes"),
        _("90th percentile, clock minutes"),
        _("Tickets timed"),
    ]
    rows = [
        [
            t.label,
            t.met,
            t.missed,
            _percent(t.compliance),
            t.business_median,
            t.business_p90,
            t.clock_median,
            t.clock_p90,
            t.clock_count,
        ]
        for t in targets.values()
    ]
    return header, rows


def breaches_table(breaches: reports.Breaches) -> tuple[list, list]:
    return [_("Breaches today"), _("Breaches this week")], [
        [breaches.today, breaches.week]
    ]


def at_risk_table(tickets: list[Ticket]) -> tuple[list, list]:
    header = [_("Number"), _("Subject"), _("Queue"), _("Assignee"), _("Due")]
    rows = [
        [
            t.number,
            t.subject,
            t.queue.name,
            t.assignee.get_username() if t.assignee else "",
            t.due_at,
        ]
        for t in tickets
    ]
    return header, rows


def _average(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def csat_table(csat: reports.Csat) -> tuple[list, list]:
    header = [_("Rating"), _("Ratings"), _("Share (percent)")]
    rows = [[rating, count, _percent(share)] for rating, count, share in csat.rows]
    rows.append([_("All ratings"), csat.count, _percent(100.0 if csat.count else None)])
    rows.append([_("Average rating"), _average(csat.average), ""])
    return header, rows


def volume_table(volume: reports.Volume, series: str) -> tuple[list, list]:
    lines = volume.channels if series == "channels" else volume.categories
    header = [_("From"), _("Until"), *(line.label for line in lines), _("Total")]
    rows = [
        [
            day.isoformat(),
            volume.bucket_end(day).isoformat(),
            *(line.counts[n] for line in lines),
            sum(line.counts[n] for line in lines),
        ]
        for n, day in enumerate(volume.buckets)
    ]
    return header, rows


def agents_table(agents: list[reports.AgentRow]) -> tuple[list, list]:
    header = [
        _("Agent"),
        _("Open"),
        _("Breached"),
        _("Answered"),
        _("Resolved"),
        _("Met"),
        _("Missed"),
        _("Compliance (percent)"),
        _("Satisfaction"),
        _("Ratings"),
    ]
    rows = [
        [
            row.agent.get_username(),
            row.open,
            row.breached,
            row.answered,
            row.resolved,
            row.met,
            row.missed,
            _percent(row.compliance),
            _average(row.csat),
            row.ratings,
        ]
        for row in agents
    ]
    return header, rows
