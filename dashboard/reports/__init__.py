"""The supervisor dashboard's figures, each computed by the database.

Every function takes a `Filters` (who may see which queues, the period and the
chosen dimensions) and `now`, and returns plain dataclasses. Counts are
conditional aggregates (`Count(filter=Q(...))`), percentiles are PostgreSQL's
`percentile_cont` (on other databases: `ORDER BY ... OFFSET`, two rows per
percentile), and no function loops over tickets. "Now" and every horizon come
from Python, never SQL `now()`, so the planner can use the partial indexes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from dashboard.reports.activity import (
    RATINGS,
    AgentRow,
    Csat,
    Series,
    Volume,
    _rated,
    agent_csat,
    agents,
    csat,
    volume,
)
from dashboard.reports.base import (
    BACKLOG_STATES,
    DAILY_UP_TO_DAYS,
    DEFAULT_PERIOD,
    LONGEST_PERIOD_DAYS,
    NO_TARGET,
    OUTCOMES,
    PERIODS,
    Filters,
    PercentileCont,
    SecondsBetween,
    _used_minutes,
    local_day_start,
    percentile_by_offset,
    period_bounds,
    sla_state_q,
    summarise,
    supervised_queues,
    tickets,
)
from dashboard.reports.drill import Drill, drill_tickets
from dashboard.reports.service_levels import (
    Backlog,
    BacklogRow,
    Breaches,
    TargetFigures,
    at_risk,
    backlog,
    breaches,
    open_counts,
    sla_targets,
    week_start,
)
from knowledge.reports import KnowledgeFigures, knowledge_figures
from memos.reports import MemoFigures, memo_figures
from tickets.models import Ticket


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
    # Memos to other departments: open to these queues, and overdue.
    memos: MemoFigures
    # Questions the knowledge base answered on the web form; stale articles.
    knowledge: KnowledgeFigures


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
        memos=memo_figures(filters.queues, now, filters.queue),
        knowledge=knowledge_figures(
            filters.start, filters.end, timezone.localdate(now)
        ),
    )


__all__ = [
    "AgentRow",
    "BACKLOG_STATES",
    "Backlog",
    "BacklogRow",
    "Breaches",
    "Csat",
    "DAILY_UP_TO_DAYS",
    "DEFAULT_PERIOD",
    "Dashboard",
    "Drill",
    "Filters",
    "LONGEST_PERIOD_DAYS",
    "NO_TARGET",
    "OUTCOMES",
    "PERIODS",
    "PercentileCont",
    "RATINGS",
    "SecondsBetween",
    "Series",
    "TargetFigures",
    "Volume",
    "_rated",
    "_used_minutes",
    "agent_csat",
    "agents",
    "at_risk",
    "backlog",
    "breaches",
    "csat",
    "dashboard",
    "drill_tickets",
    "local_day_start",
    "open_counts",
    "percentile_by_offset",
    "period_bounds",
    "sla_state_q",
    "sla_targets",
    "summarise",
    "supervised_queues",
    "tickets",
    "volume",
    "week_start",
]
