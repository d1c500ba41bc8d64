"""Changes to one stored clock: start, due times, milestones, stop, pause, resume."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sla import business_calendar as bc
from sla.business_calendar import NoWorkingTime
from sla.clock_ledger import outcome_entry, pause_entry, start_entry
from sla.config import Calendar, calendar_for, policy_of, queue_calendar
from sla.models import SLAClock, SLAMilestone, SLAPolicy
from sla.rules import ClockPlan, ClockState, outcome, plan_clock, used_until
from tickets.models import Ticket

Target = SLAClock.Target
LIMITS = {
    Target.FIRST_RESPONSE: "first_response",
    Target.NEXT_RESPONSE: "next_response",
    Target.RESOLUTION: "resolution",
}


def new_clock(
    ticket: Ticket,
    target: str,
    start: datetime,
    limit: timedelta,
    policy: SLAPolicy,
    calendar: Calendar,
) -> SLAClock:
    """An unsaved clock running from `start`, with its plan."""
    clock = SLAClock(
        ticket=ticket,
        target=target,
        status=SLAClock.Status.RUNNING,
        started_at=start,
        running_since=start,
        limit=limit,
    )
    set_due_times(clock, policy, calendar)
    return clock


def start_clock(
    ticket: Ticket,
    target: str,
    start: datetime,
    limit: timedelta,
    policy: SLAPolicy,
    calendar: Calendar,
    now: datetime,
) -> SLAClock:
    """Save a clock running from `start`, its milestones and its ledger entry."""
    clock = new_clock(ticket, target, start, limit, policy, calendar)
    clock.save()
    _insert_milestones(clock)
    start_entry(clock, calendar, at=now).save()
    return clock


def plan_running_clock(
    clock: SLAClock, policy: SLAPolicy, calendar: Calendar
) -> ClockPlan:
    """What `policy` on `calendar` makes of the running clock: due, warning
    and milestone times. Nothing is written."""
    plan_for = partial(
        plan_clock,
        running_since=clock.running_since,
        used=clock.used,
        limit=clock.limit,
        warn_percents=policy.warning_thresholds,
    )
    try:
        plan = plan_for(calendar=calendar.pure)
    except NoWorkingTime:
        # Years without working time ahead (a calendar closed by mistake):
        # the ticket still gets a due time, counted round the clock.
        plan = plan_for(calendar=bc.round_the_clock(calendar.pure.tz))
    return plan


def set_due_times(clock: SLAClock, policy: SLAPolicy, calendar: Calendar) -> ClockPlan:
    """Set the running clock's due and warning times (milestones in `clock.plan`)."""
    plan = plan_running_clock(clock, policy, calendar)
    clock.due_at = plan.due_at
    clock.warn_at = plan.warn_at
    clock.plan = plan
    return plan


def write_milestones(clock: SLAClock) -> None:
    """Replace the clock's pending milestones with those of its current plan.

    Milestones already reached stay: the unique constraint keeps a cycle from
    warning twice at the same share, whatever the recomputations."""
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()
    _insert_milestones(clock)


def _insert_milestones(clock: SLAClock) -> None:
    SLAMilestone.objects.bulk_create(
        [
            SLAMilestone(clock=clock, cycle=clock.cycle, percent=percent, at=at)
            for percent, at in clock.plan.milestones
        ],
        ignore_conflicts=True,
    )


def _halt(clock: SLAClock, status: str, *, at: datetime) -> None:
    """Stop counting: add the running stretch to `used`, drop pending milestones."""
    if clock.is_running:
        clock.used = used_until(
            used=clock.used,
            running_since=clock.running_since,
            until=at,
            calendar=_calendar_of(clock).pure,
        )
    clock.status = status
    clock.running_since = None
    clock.save()
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()


def stop_clock(clock: SLAClock, *, at: datetime, by=None) -> None:
    """Stop the clock, met or missed, and record which."""
    if clock.is_running:
        result = outcome(at, clock.due_at)
    else:
        # Stopped while paused: judged by the time it used.
        met = clock.used <= clock.limit
        result = ClockState.MET if met else ClockState.MISSED
    due_at = clock.due_at
    clock.stopped_at = at
    _halt(clock, result.value, at=at)
    outcome_entry(clock, result, at=at, due_at=due_at, by=by).save()


def pause_clock(clock: SLAClock, *, at: datetime, by=None) -> None:
    """Pause the clock with the time used so far, and record it."""
    clock.due_at = clock.warn_at = None
    _halt(clock, SLAClock.Status.PAUSED, at=at)
    pause_entry(clock, at=at, by=by).save()


def resume_clock(clock: SLAClock, *, at: datetime, by=None) -> None:
    """Run the clock again from `at` with the time already used, and record it."""
    policy = clock.ticket.sla_policy
    if policy is None:
        return
    calendar = _calendar_of(clock)
    clock.status = SLAClock.Status.RUNNING
    clock.running_since = at
    clock.stopped_at = None
    set_due_times(clock, policy, calendar)
    clock.save()
    write_milestones(clock)
    start_entry(clock, calendar, at=at, by=by, resumed=True).save()


def cancel_clock(clock: SLAClock) -> None:
    """Drop a clock the policy no longer has, with its pending milestones."""
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()
    clock.delete()


def _calendar_of(clock: SLAClock) -> Calendar:
    if clock.queue_id is not None:
        # Owed by another queue (a memo): counted on that queue's hours.
        return queue_calendar(clock.queue)
    return calendar_for(clock.ticket.sla_policy)


def start_owed_clock(
    ticket: Ticket,
    *,
    queue,
    start: datetime,
    limit: timedelta,
    reference: str,
    requested_by=None,
    now: datetime,
) -> SLAClock:
    """Start a memo clock: `queue` owes an answer within `limit` of its own
    business time, warned at the ticket's policy thresholds (75 % without a
    policy). The ticket's own due times do not move: the customer's clocks
    are not this one (see `refresh_ticket`)."""
    policy = policy_of(ticket) or SLAPolicy()
    calendar = queue_calendar(queue)
    clock = new_clock(ticket, Target.MEMO, start, limit, policy, calendar)
    clock.queue = queue
    clock.reference = reference
    clock.requested_by = requested_by
    clock.save()
    _insert_milestones(clock)
    start_entry(clock, calendar, at=now, by=requested_by).save()
    return clock


def refresh_ticket(ticket: Ticket, clocks, *, policy_changed: bool = False) -> None:
    """Store the nearest due and warning times; write only when something moved
    (most replies and notes change neither)."""
    # A memo's clock is another queue's target, not the customer's deadline.
    running = [
        clock for clock in clocks if clock.is_running and clock.target != Target.MEMO
    ]
    due_at = min((c.due_at for c in running), default=None)
    at_risk_at = min((c.warn_at for c in running), default=None)
    if not policy_changed and (ticket.due_at, ticket.at_risk_at) == (
        due_at,
        at_risk_at,
    ):
        return
    ticket.due_at, ticket.at_risk_at = due_at, at_risk_at
    ticket.save(update_fields=["sla_policy", "due_at", "at_risk_at", "updated_at"])
