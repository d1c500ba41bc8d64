"""What a ticket's clocks look like to the person reading them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.utils.translation import get_language, ngettext, npgettext, pgettext
from django.utils.translation import gettext_lazy as _

from sla.business_calendar import BusinessCalendar
from sla.config import calendar_for, policy_of
from sla.models import SLAClock
from sla.rules import ClockState, clock_state, used_until
from sla.rules import time_left as business_time_left
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
    # The clock itself, for what a reader wants beyond the figures (the API).
    clock: SLAClock | None = None

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
    calendar = ticket_calendar(ticket)
    views = []
    for clock in clocks:
        state = clock_state(
            status=clock.status, due_at=clock.due_at, warn_at=clock.warn_at, now=now
        )
        if clock.is_running:
            left = business_time_left(now, clock.due_at, calendar)
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
                clock=clock,
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


def ticket_calendar(ticket: Ticket) -> BusinessCalendar:
    """The calendar the ticket's clocks count on, for arithmetic: from the
    process's copy of the policies, or the policy loaded with the ticket.

    Kept on the ticket for its policy: the ticket page's header and clock
    panel then read an uncached calendar once, not twice."""
    kept = getattr(ticket, "sla_calendar_kept", None)
    if kept is None or kept[0] != ticket.sla_policy_id:
        kept = (ticket.sla_policy_id, calendar_for(policy_of(ticket)).pure)
        ticket.sla_calendar_kept = kept
    return kept[1]


def time_left(
    item: Ticket | SLAClock,
    now: datetime,
    calendar: BusinessCalendar | None = None,
    *,
    language: str | None = None,
) -> str:
    """Business time until `item` is due, read at a glance: "2 h left",
    "overdue by 1 day 4 h"; "" when nothing is due (no target, stopped).

    `item` is a ticket (its most urgent running clock, `due_at`) or one
    clock; a paused clock tells what it will have left when it runs again.
    `calendar` saves looking it up when many tickets share one (lists), as
    `language` saves asking for the active one."""
    if isinstance(item, SLAClock):
        if item.status == SLAClock.Status.PAUSED:
            days = calendar is not None and calendar.always_open
            return _left_text(item.limit - item.used, days=days, language=language)
        if not item.is_running or item.due_at is None:
            return ""
        due_at = item.due_at
    else:
        if item.due_at is None:
            return ""
        due_at = item.due_at
    if calendar is None:
        calendar = ticket_calendar(item if isinstance(item, Ticket) else item.ticket)
    left = business_time_left(now, due_at, calendar)
    # Working time in hours (16 working hours are two working days, not "16
    # hours" of one calendar day); days only where business time is elapsed.
    return _left_text(left, days=calendar.always_open, language=language)


def _left_text(left: timedelta, *, days: bool, language: str | None = None) -> str:
    minutes = int(abs(left).total_seconds() // 60)
    language = language or get_language()
    if minutes == 0:
        return _words(language, "due")
    case = "left" if left > timedelta(0) else "overdue"
    return _words(language, case) % {
        "time": _short_duration(minutes, days=days, case=case, language=language)
    }


def _short_duration(minutes: int, *, days: bool, case: str, language: str) -> str:
    """The two largest units of `minutes`: "1 day 4 h", "2 h 5 min", "45 min"."""
    whole_days, rest = divmod(minutes, 24 * 60) if days else (0, minutes)
    hours, mins = divmod(rest, 60)
    units = [("day", whole_days), ("h", hours), ("min", mins)]
    # The largest unit and the one after it: minutes beside days are noise.
    first = next(i for i, (_unit, n) in enumerate(units) if n)
    parts = [
        _unit_words(language, case, unit, n)
        for unit, n in units[first : first + 2]
        if n
    ]
    if len(parts) == 1:
        return parts[0]
    return _words(language, "two") % {"first": parts[0], "second": parts[1]}


# Fifty rows of a queue would otherwise cost 250 catalogue look-ups: the
# words depend only on the language and the numbers, so keep them.
@lru_cache(maxsize=16)
def _words(language: str, key: str) -> str:
    if key == "due":
        return pgettext("time left", "due now")
    if key == "left":
        return pgettext("time left", "%(time)s left")
    if key == "overdue":
        return pgettext("time left", "overdue by %(time)s")
    return pgettext("two durations", "%(first)s %(second)s")


@lru_cache(maxsize=4096)
def _unit_words(language: str, case: str, unit: str, n: int) -> str:
    """`n` days, hours or minutes in the case Arabic needs after "left"
    (nominative: "ساعتان") or "overdue by" (accusative: "ساعتين")."""
    if case == "left":
        if unit == "day":
            text = npgettext("left", "%(n)d day", "%(n)d days", n)
        elif unit == "h":
            text = npgettext("left", "%(n)d h", "%(n)d h", n)
        else:
            text = npgettext("left", "%(n)d min", "%(n)d min", n)
    elif unit == "day":
        text = npgettext("overdue", "%(n)d day", "%(n)d days", n)
    elif unit == "h":
        text = npgettext("overdue", "%(n)d h", "%(n)d h", n)
    else:
        text = npgettext("overdue", "%(n)d min", "%(n)d min", n)
    return text % {"n": n}
