"""CSV downloads: each dashboard table, and any ticket list streamed row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.db.models import Case, CharField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from customers.models import Customer
from dashboard import reports
from helpdesk.channels import Channel
from helpdesk.labels import localized_name, person_name
from sla import display as sla_display
from tickets.models import Ticket

# Spreadsheets run a cell that starts with one of these as a formula; ticket
# subjects come from customers, so such cells are quoted as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STREAM_CHUNK = 2000
# The machines' columns of a ticket list: fixed names, never translated, so
# a program reading the export works whatever the reader's language.
CODE_COLUMNS = (
    "status_code",
    "kind_code",
    "channel_code",
    "priority_code",
    "queue_code",
    "assignee_username",
    "customer_kind_code",
    "tier_code",
    "sla_state_code",
)
# One date format in every export and language: sortable, and read the same
# by people and spreadsheets.
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


class _Echo:
    """A file-like object whose write() hands the line back."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime(DATETIME_FORMAT)
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


def _person(first: str, last: str, username: str) -> str:
    # The same as helpdesk.labels.person_name, from the columns of one row.
    return f"{first} {last}".strip() or username or ""


def _labels(choices) -> dict:
    # Resolved now, in the request's language, not while the response streams.
    return {value: str(label) for value, label in choices}


def ticket_table(queryset: QuerySet, now: datetime) -> tuple[list, Iterator]:
    """Header and a streaming row iterator for a ticket list.

    People read the first columns: statuses, channels and service levels in
    words, queues and tiers in the reader's language, agents by name. The
    last columns repeat the codes (`pending`, `walk_in`, `4`, `on_track`,
    slugs, logins) under fixed English headers, for programs that read it."""
    state = Case(
        *(
            When(reports.sla_state_q(s, now), then=Value(s))
            for s in reports.BACKLOG_STATES
        ),
        default=Value(""),
        output_field=CharField(),
    )
    arabic = get_language() == "ar"
    status = _labels(Ticket.Status.choices)
    kind = _labels(Ticket.Kind.choices)
    channel = _labels(Channel.choices)
    priority = _labels(Ticket.Priority.choices)
    customer_kind = _labels(Customer.Kind.choices)
    sla_state = {
        s: str(sla_display.STATE_LABELS.get(s, _("No target")))
        for s in reports.BACKLOG_STATES
    }
    fields = [
        "number",
        "subject",
        "status",
        "kind",
        "channel",
        "priority",
        "queue__name",
        "queue__name_ar",
        "queue__slug",
        "assignee__first_name",
        "assignee__last_name",
        "assignee__username",
        "customer__name",
        "customer__kind",
        "customer__tier__name",
        "customer__tier__name_ar",
        "customer__tier__code",
        "received_at",
        "first_responded_at",
        "resolved_at",
        "due_at",
        "report_sla_state",
        "rating",
        "rated_at",
    ]
    header = [
        str(label)
        for label in (
            _("Number"),
            _("Subject"),
            _("Status"),
            _("Kind"),
            _("Channel"),
            _("Priority"),
            _("Queue"),
            _("Assignee"),
            _("Customer"),
            _("Customer kind"),
            _("Service tier"),
            _("Received"),
            _("First response"),
            _("Resolved"),
            _("Due"),
            _("Service level"),
            _("Rating"),
            _("Rated"),
        )
    ] + [*CODE_COLUMNS]

    def rows() -> Iterator[list]:
        values = (
            queryset.annotate(report_sla_state=state)
            .values_list(*fields, named=True)
            .iterator(chunk_size=STREAM_CHUNK)
        )
        for t in values:
            yield [
                t.number,
                t.subject,
                status.get(t.status, t.status),
                kind.get(t.kind, t.kind),
                channel.get(t.channel, t.channel),
                priority.get(t.priority, t.priority),
                (t.queue__name_ar if arabic and t.queue__name_ar else t.queue__name),
                _person(
                    t.assignee__first_name, t.assignee__last_name, t.assignee__username
                ),
                t.customer__name,
                customer_kind.get(t.customer__kind, t.customer__kind),
                (
                    t.customer__tier__name_ar
                    if arabic and t.customer__tier__name_ar
                    else t.customer__tier__name
                ),
                t.received_at,
                t.first_responded_at,
                t.resolved_at,
                t.due_at,
                sla_state.get(t.report_sla_state, ""),
                t.rating,
                t.rated_at,
                t.status,
                t.kind,
                t.channel,
                t.priority,
                t.queue__slug,
                t.assignee__username,
                t.customer__kind,
                t.customer__tier__code,
                t.report_sla_state,
            ]

    return header, rows()


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def backlog_table(backlog: reports.Backlog, labels: dict) -> tuple[list, list]:
    header = [
        _("Queue"),
        *(labels[s] for s in reports.BACKLOG_STATES),
        _("Total"),
        "queue_code",
    ]
    rows = [
        [
            localized_name(row.queue),
            *(row.counts[s] for s in reports.BACKLOG_STATES),
            row.total,
            row.queue.slug,
        ]
        for row in backlog.rows
    ]
    rows.append(
        [
            _("Total"),
            *(backlog.totals[s] for s in reports.BACKLOG_STATES),
            backlog.total,
            "",
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
    header += ["queue_code", "assignee_username"]
    rows = [
        [
            t.number,
            t.subject,
            localized_name(t.queue),
            person_name(t.assignee),
            t.due_at,
            t.queue.slug,
            t.assignee.get_username() if t.assignee else "",
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
        "agent_username",
    ]
    rows = [
        [
            person_name(row.agent),
            row.open,
            row.breached,
            row.answered,
            row.resolved,
            row.met,
            row.missed,
            _percent(row.compliance),
            _average(row.csat),
            row.ratings,
            row.agent.get_username(),
        ]
        for row in agents
    ]
    return header, rows
