"""What a ticket's clocks look like to the person reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sla.config import calendar_for
from sla.models import SLAClock
from sla.rules import ClockState, clock_state, time_left, used_until
from tickets.models import Ticket

State = ClockState
STATE_LABELS = {
    State.ON_TRACK: _("On track"),
    State.AT_RISK: _("At risk"),
    State.BREACHED: _("Breached"),
    State.PAUSED: _("Paused"),
    State.MET: _("Met"),
    State.MISSED: _("Missed"),
}
STATE_COLOURS = {
    State.ON_TRACK: "success",
    State.AT_RISK: "warning",
    State.BREACHED: "danger",
    State.PAUSED: "secondary",
    State.MET: "success",
    State.MISSED: "danger",
}
STATE_ICONS = {
    State.ON_TRACK: "clock",
    State.AT_RISK: "exclamation-triangle",
    State.BREACHED: "exclamation-octagon",
    State.PAUSED: "pause-circle",
    State.MET: "check-circle",
    State.MISSED: "x-circle",
}


@dataclass(frozen=True)
class ClockView:
    target: str
    label: str
    state: ClockState
    due_at: datetime | None
    stopped_at: datetime | None
    used: timedelta
    limit: timedelta
    left: timedelta | None
    working: bool = False

    @property
    def left_text(self) -> str:
        """Business time left (or over), in hours on a working calendar."""
        if self.left is None:
            return ""
        return format_duration(self.left, days=not self.working)

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]

    @property
    def icon(self) -> str:
        return STATE_ICONS[self.state]


def ticket_state(ticket: Ticket, now: datetime) -> ClockState | None:
    """The state of the ticket's most urgent running clock, from stored times."""
    if ticket.due_at is None:
        # Waiting on the customer stops the one clock that would still run.
        if ticket.status == Ticket.Status.PENDING and ticket.sla_policy_id:
            return ClockState.PAUSED
        return None
    return clock_state(
        status=SLAClock.Status.RUNNING,
        due_at=ticket.due_at,
        warn_at=ticket.at_risk_at,
        now=now,
    )


def clock_views(ticket: Ticket, now: datetime) -> list[ClockView]:
    """Each clock of `ticket` with its state and business time left."""
    clocks = sorted(
        ticket.clocks.all(), key=lambda c: list(SLAClock.Target).index(c.target)
    )
    if not clocks:
        return []
    policy = ticket.sla_policy
    working = policy is not None and policy.calendar_id is not None
    calendar = calendar_for(policy if working else None).pure
    views = []
    for clock in clocks:
        state = clock_state(
            status=clock.status, due_at=clock.due_at, warn_at=clock.warn_at, now=now
        )
        if clock.is_running:
            left = time_left(now, clock.due_at, calendar)
            used = used_until(
                used=clock.used,
                running_since=clock.running_since,
                until=now,
                calendar=calendar,
            )
        else:
            left = clock.limit - clock.used if clock.status == "paused" else None
            used = clock.used
        views.append(
            ClockView(
                target=clock.target,
                label=SLAClock.Target(clock.target).label,
                state=state,
                due_at=clock.due_at,
                stopped_at=clock.stopped_at,
                used=used,
                limit=clock.limit,
                left=left,
                working=working,
            )
        )
    return views


def format_duration(duration: timedelta, *, days: bool = True) -> str:
    """A duration in words read at a glance: '2 days 3 hours', '45 minutes'.

    Working time is better told in hours (`days=False`): 16 working hours are
    two working days, not "16 hours" of one calendar day."""
    minutes = int(abs(duration).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60) if days else (0, minutes)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes and not days:
        parts.append(
            ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        )
    return " ".join(parts) or ngettext("%(n)d minute", "%(n)d minutes", 0) % {"n": 0}
