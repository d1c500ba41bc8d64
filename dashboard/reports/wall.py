"""The wall screen's figures: the dashboard's live counts, the next tickets to
breach with the business time they have left, memos and complaints.

A fixed handful of queries whatever the number of tickets: the open backlog
(one index-only scan shared by the totals and the queue rows), the queues'
names, breaches today, the next tickets due, open memos and open complaints.
The calendars come from the process's SLA configuration, loaded once for
every row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q

from dashboard.reports.base import Filters, tickets
from dashboard.reports.service_levels import (
    Backlog,
    BacklogRow,
    Breaches,
    backlog,
    breaches,
    open_counts,
)
from memos.reports import MemoFigures, memo_figures
from sla.config import calendar_for, policy_of, sla_config
from sla.display import format_duration
from sla.rules import ClockState, time_left
from tickets.models import Ticket

# As many as a 1080p screen shows in large type; the rest are counted.
DUE_SOON_ROWS = 6
QUEUE_ROWS = 8


@dataclass(frozen=True)
class DueSoon:
    """A ticket about to breach, with its business time left."""

    ticket: Ticket
    left: timedelta
    # Working calendars are told in hours: "16 hours" is two working days.
    working: bool
    state: ClockState

    @property
    def left_text(self) -> str:
        """In words, in the language of the page that shows it."""
        return format_duration(self.left, days=not self.working)


@dataclass(frozen=True)
class ComplaintFigures:
    open: int
    appealed: int


@dataclass
class Wall:
    now: datetime
    horizon_hours: int
    backlog: Backlog
    # The queues in most trouble first: breaches, then tickets at risk.
    queue_rows: list[BacklogRow]
    breaches: Breaches
    due_soon: list[DueSoon]
    due_soon_more: int
    memos: MemoFigures
    complaints: ComplaintFigures

    @property
    def queue_rows_more(self) -> int:
        return max(len(self.backlog.rows) - QUEUE_ROWS, 0)

    @property
    def shown_queue_rows(self) -> list[BacklogRow]:
        return self.queue_rows[:QUEUE_ROWS]


def _urgency(row: BacklogRow) -> tuple:
    counts = row.counts
    return (
        -counts[ClockState.BREACHED.value],
        -counts[ClockState.AT_RISK.value],
        -row.total,
        row.queue.name if row.queue else "",
    )


def due_soon(filters: Filters, now: datetime) -> tuple[list[DueSoon], int]:
    """The open tickets that breach next within the horizon, soonest first,
    and how many more breach within it."""
    horizon = now + timedelta(hours=filters.horizon_hours)
    due = tickets(filters).open().filter(due_at__gt=now, due_at__lte=horizon)
    rows = list(
        due.select_related("queue", "assignee").order_by("due_at", "pk")[:DUE_SOON_ROWS]
    )
    # Counted always (the open-due index answers it), so the page's queries
    # stay the same whatever is due.
    more = due.count() - len(rows)
    config = sla_config()
    calendar_of = {policy.pk: policy.calendar_id for policy in config.policies}
    result = []
    for ticket in rows:
        if ticket.sla_policy_id in calendar_of:
            calendar_id = calendar_of[ticket.sla_policy_id]
            calendar = config.calendars[calendar_id]
        else:
            # A policy made inactive since the ticket started: read it.
            policy = policy_of(ticket)
            calendar_id = policy.calendar_id if policy else None
            calendar = calendar_for(policy)
        result.append(
            DueSoon(
                ticket=ticket,
                left=time_left(now, ticket.due_at, calendar.pure),
                working=calendar_id is not None,
                state=ClockState.AT_RISK
                if ticket.at_risk_at and ticket.at_risk_at <= now
                else ClockState.ON_TRACK,
            )
        )
    return result, more


def complaint_figures(filters: Filters) -> ComplaintFigures:
    """Open complaints, and those the customer appealed."""
    counts = (
        tickets(filters)
        .open()
        .filter(kind=Ticket.Kind.COMPLAINT)
        .aggregate(
            open=Count("pk"),
            appealed=Count(
                "pk", filter=Q(complaint_stage=Ticket.ComplaintStage.APPEALED)
            ),
        )
    )
    return ComplaintFigures(open=counts["open"], appealed=counts["appealed"])


def wall(filters: Filters, now: datetime) -> Wall:
    """Every figure of the wall screen at `now`."""
    board = backlog(filters, now, open_counts(filters, now))
    rows, more = due_soon(filters, now)
    return Wall(
        now=now,
        horizon_hours=filters.horizon_hours,
        backlog=board,
        queue_rows=sorted(board.rows, key=_urgency),
        breaches=breaches(filters, now),
        due_soon=rows,
        due_soon_more=more,
        memos=memo_figures(filters.queues, now, filters.queue),
        complaints=complaint_figures(filters),
    )


__all__ = ["ComplaintFigures", "DueSoon", "Wall", "wall"]
