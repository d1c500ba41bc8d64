"""Service levels as pure functions: which policy a ticket gets, and when each
of its targets is due and warns.

Nothing here reads the clock, the database or settings; callers pass `now`
and plain data. The rules that use these (when clocks start, stop and pause)
live in `sla/clocks.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sla.business_calendar import (
    BusinessCalendar,
    add_business_time,
    business_time_between,
)

DEFAULT_THRESHOLDS = (75,)
BREACH = 100


class ClockState(StrEnum):
    """What a clock means to the person looking at it."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"
    MISSED = "missed"


@dataclass(frozen=True)
class TicketFacts:
    """What policies match on."""

    channel: str
    tier: str
    customer_kind: str
    ticket_kind: str
    priority: int


@dataclass(frozen=True)
class PolicyRule:
    """A policy's conditions; an empty tuple accepts any value."""

    key: object
    name: str
    name_ar: str = ""
    channels: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    customer_kinds: tuple[str, ...] = ()
    ticket_kinds: tuple[str, ...] = ()
    priorities: tuple[int, ...] = ()


Condition = tuple[str, object, tuple]


@dataclass(frozen=True)
class Match:
    """The policy chosen for a ticket, and why.

    `conditions` holds ``(condition, value, accepted)`` for each condition of
    the chosen policy; `skipped` holds ``(rule, condition, value, accepted)``
    for each earlier policy and the first condition it failed.
    Conditions are named like the fields of `TicketFacts`.
    """

    rule: PolicyRule | None
    conditions: tuple[Condition, ...] = ()
    skipped: tuple[tuple[PolicyRule, str, object, tuple], ...] = field(default=())


_CONDITIONS = (
    ("channels", "channel"),
    ("tiers", "tier"),
    ("customer_kinds", "customer_kind"),
    ("ticket_kinds", "ticket_kind"),
    ("priorities", "priority"),
)


def match_policy(rules: Iterable[PolicyRule], facts: TicketFacts) -> Match:
    """Return the first rule whose every condition accepts `facts`, and why."""
    skipped = []
    for rule in rules:
        conditions: list[Condition] = []
        failed = None
        for attribute, fact in _CONDITIONS:
            accepted = tuple(getattr(rule, attribute))
            value = getattr(facts, fact)
            if not accepted:
                continue
            if value not in accepted:
                failed = (rule, fact, value, accepted)
                break
            conditions.append((fact, value, accepted))
        if failed is None:
            return Match(rule, tuple(conditions), tuple(skipped))
        skipped.append(failed)
    return Match(None, (), tuple(skipped))


def thresholds(percents: Iterable[int]) -> tuple[int, ...]:
    """Warning thresholds in percent, ascending, without 100 (75 when none)."""
    chosen = sorted({int(p) for p in percents if 0 < int(p) < BREACH})
    return tuple(chosen) or DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class ClockPlan:
    """When a running clock is due and when each of its milestones falls."""

    due_at: datetime
    milestones: tuple[tuple[int, datetime], ...]

    @property
    def warn_at(self) -> datetime:
        """The first warning: from then on the target is at risk."""
        return self.milestones[0][1]


def plan_clock(
    *,
    running_since: datetime,
    used: timedelta,
    limit: timedelta,
    warn_percents: Sequence[int],
    calendar: BusinessCalendar,
) -> ClockPlan:
    """Plan a clock that has used `used` and runs again from `running_since`.

    Each milestone is the moment the business time used reaches its share of
    `limit`; one already passed falls at `running_since`. The last milestone
    (100 %) is the due time.
    """
    milestones = []
    for percent in (*thresholds(warn_percents), BREACH):
        share = limit * percent / BREACH
        left = max(share - used, timedelta(0))
        milestones.append((percent, add_business_time(running_since, left, calendar)))
    return ClockPlan(due_at=milestones[-1][1], milestones=tuple(milestones))


def used_until(
    *,
    used: timedelta,
    running_since: datetime | None,
    until: datetime,
    calendar: BusinessCalendar,
) -> timedelta:
    """Business time used by a clock at `until` (counting the running stretch)."""
    if running_since is None:
        return used
    return used + business_time_between(running_since, until, calendar)


def time_left(now: datetime, due_at: datetime, calendar: BusinessCalendar) -> timedelta:
    """Business time from `now` to `due_at`; negative once it has passed."""
    if due_at >= now:
        return business_time_between(now, due_at, calendar)
    return -business_time_between(due_at, now, calendar)


def clock_state(
    *,
    status: str,
    due_at: datetime | None,
    warn_at: datetime | None,
    now: datetime,
) -> ClockState:
    """The state shown for a clock with stored `status`, due and warning times."""
    if status in (ClockState.MET, ClockState.MISSED, ClockState.PAUSED):
        return ClockState(status)
    if due_at is not None and now >= due_at:
        return ClockState.BREACHED
    if warn_at is not None and now >= warn_at:
        return ClockState.AT_RISK
    return ClockState.ON_TRACK


def outcome(stopped_at: datetime, due_at: datetime) -> ClockState:
    """Met when stopped by the due time, missed after it."""
    return ClockState.MET if stopped_at <= due_at else ClockState.MISSED
