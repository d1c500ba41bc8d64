"""The SLA clock rules, applied to a ticket's stored clocks.

The verbs in `tickets.services` call these inside their transaction:

- a ticket's clocks start at `received_at` (first response and resolution);
- the first public reply on any channel stops the first-response clock, and
  every public reply stops a running next-response clock;
- an inbound customer message after the first response starts a new
  next-response cycle (unless one is already running: the oldest unanswered
  message sets the pace);
- *pending* pauses the resolution clock, leaving *pending* resumes it with the
  time already used; resolving stops it, reopening resumes it;
- a change of channel, tier, kind or priority re-selects the policy and
  recomputes every running clock from its original start.

Every change is written to the ticket's history with what explains it, so an
agent can say why a ticket is due when it is. Due and warning times are stored
on the clocks (and the nearest on the ticket) for the sweep to watch.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Prefetch

from sla import business_calendar as bc
from sla import ledger
from sla import rules as sla
from sla.business_calendar import NoWorkingTime
from sla.config import Calendar, calendar_for, choose_policy, sla_config
from sla.ledger import LedgerEntry, minutes
from sla.models import SLAClock, SLAMilestone, SLAPolicy
from tickets.history import record_events, ticket_event
from tickets.models import Ticket, TicketEvent

Target = SLAClock.Target
Action = TicketEvent.Action
LIMITS = {
    Target.FIRST_RESPONSE: "first_response",
    Target.NEXT_RESPONSE: "next_response",
    Target.RESOLUTION: "resolution",
}


def start_clocks(ticket: Ticket, *, now: datetime, by=None) -> None:
    """Choose the ticket's policy and start its clocks at `received_at`.

    Four statements whatever the policy: clocks, milestones and ledger are
    each inserted at once, then the ticket's due times are updated."""
    policy, match = choose_policy(ticket)
    events = [_policy_entry(ticket, policy, match, at=now, by=by)]
    clocks = []
    if policy is not None:
        calendar = calendar_for(policy)
        for target in (Target.FIRST_RESPONSE, Target.RESOLUTION):
            limit = getattr(policy, LIMITS[target])
            if limit is None:
                continue
            clock = _new_clock(
                ticket, target, ticket.received_at, limit, policy, calendar
            )
            clocks.append(clock)
        SLAClock.objects.bulk_create(clocks)
        SLAMilestone.objects.bulk_create(
            SLAMilestone(clock=clock, cycle=clock.cycle, percent=percent, at=at)
            for clock in clocks
            for percent, at in clock._plan.milestones
        )
        events += [_start_entry(clock, calendar, at=now, by=by) for clock in clocks]
    record_events(events)
    _refresh_ticket(ticket, clocks, policy_changed=True)


def record_public_reply(ticket: Ticket, *, at: datetime, by=None) -> None:
    """A public reply answers the first response and any awaited next response."""
    if ticket.sla_policy_id is None:
        return
    clocks = _clocks(ticket)
    for target in (Target.FIRST_RESPONSE, Target.NEXT_RESPONSE):
        clock = clocks.get(target)
        if clock is not None and clock.is_running:
            _stop(clock, at=at, by=by)
    _refresh_ticket(ticket, clocks.values())


def record_customer_message(ticket: Ticket, *, at: datetime) -> None:
    """A customer message after the first response starts a next-response cycle."""
    policy = ticket.sla_policy
    if policy is None or policy.next_response is None:
        return
    clocks = _clocks(ticket)
    first = clocks.get(Target.FIRST_RESPONSE)
    if first is not None and first.is_counting:
        return
    current = clocks.get(Target.NEXT_RESPONSE)
    if current is not None and current.is_running:
        return
    calendar = calendar_for(policy)
    if current is None:
        clocks[Target.NEXT_RESPONSE] = _start(
            ticket, Target.NEXT_RESPONSE, at, policy.next_response, policy, calendar, at
        )
    else:
        current.cycle += 1
        current.started_at = current.running_since = at
        current.used = timedelta(0)
        current.limit = policy.next_response
        current.stopped_at = None
        current.status = SLAClock.Status.RUNNING
        _plan(current, policy, calendar)
        current.save()
        _write_milestones(current)
        _start_entry(current, calendar, at=at).save()
    _refresh_ticket(ticket, clocks.values())


def record_status_change(
    ticket: Ticket, *, old: str, new: str, at: datetime, by=None
) -> None:
    """Pause, resume or stop the resolution clock as the status moves."""
    if ticket.sla_policy_id is None:
        return
    Status = Ticket.Status
    clocks = _clocks(ticket)
    resolution = clocks.get(Target.RESOLUTION)
    if resolution is not None:
        if new == Status.PENDING and resolution.is_running:
            _pause(resolution, at=at, by=by)
        elif new in Status.done() and resolution.is_counting:
            _stop(resolution, at=at, by=by)
        elif (
            new in (Status.OPEN, Status.NEW)
            and not resolution.is_running
            and (old == Status.PENDING or old in Status.done())
        ):
            _resume(resolution, at=at, by=by)
    if new in Status.done():
        # A resolved ticket awaits no reply; a reopened one starts anew.
        for target in (Target.FIRST_RESPONSE, Target.NEXT_RESPONSE):
            clock = clocks.get(target)
            if clock is not None and clock.is_running:
                _stop(clock, at=at, by=by)
    _refresh_ticket(ticket, clocks.values())


def reselect_policy(ticket: Ticket, *, at: datetime, by=None) -> None:
    """Choose the policy again after a change of channel, tier, kind or
    priority, and recompute the clocks from their original start."""
    policy, match = choose_policy(ticket)
    clocks = _clocks(ticket)
    if policy == ticket.sla_policy and not _limits_changed(clocks.values(), policy):
        return
    _policy_entry(ticket, policy, match, at=at, by=by).save()
    if policy is None:
        for clock in clocks.values():
            if clock.is_counting:
                _cancel(clock)
        _refresh_ticket(ticket, [], policy_changed=True)
        return
    calendar = calendar_for(policy)
    for target, field in LIMITS.items():
        limit = getattr(policy, field)
        clock = clocks.get(target)
        if clock is None:
            if limit is not None and _should_run(ticket, target):
                clocks[target] = _start(
                    ticket, target, ticket.received_at, limit, policy, calendar, at
                )
                if ticket.status == Ticket.Status.PENDING:
                    # Waiting on the customer already: counted up to now.
                    _pause(clocks[target], at=at, by=by)
            continue
        if not clock.is_counting:
            continue
        if limit is None:
            _cancel(clock)
            del clocks[target]
            continue
        clock.limit = limit
        if clock.is_running:
            _plan(clock, policy, calendar)
        clock.save()
        if clock.is_running:
            _write_milestones(clock)
            _start_entry(clock, calendar, at=at, by=by, recomputed=True).save()
    _refresh_ticket(ticket, clocks.values(), policy_changed=True)


def reselect_policies(tickets: list[Ticket], *, at: datetime, by=None) -> None:
    """`reselect_policy` for many tickets: one query finds those whose policy
    or targets change, and only those are recomputed, one by one.

    Load the tickets with `customer__tier` and `sla_policy`."""
    counting: dict[int, list[SLAClock]] = {ticket.pk: [] for ticket in tickets}
    for clock in SLAClock.objects.select_for_update().filter(ticket__in=tickets):
        counting[clock.ticket_id].append(clock)
    policies = sla_config().policies
    for ticket in tickets:
        policy, _match = choose_policy(ticket, policies)
        if policy != ticket.sla_policy or _limits_changed(counting[ticket.pk], policy):
            reselect_policy(ticket, at=at, by=by)


def _should_run(ticket: Ticket, target: str) -> bool:
    if target == Target.FIRST_RESPONSE:
        return ticket.first_responded_at is None and ticket.is_open
    if target == Target.RESOLUTION:
        return ticket.is_open
    return False


def _limits_changed(clocks, policy: SLAPolicy | None) -> bool:
    """Whether an unsettled clock's target differs from `policy`'s."""
    return policy is not None and any(
        clock.is_counting and getattr(policy, LIMITS[clock.target]) != clock.limit
        for clock in clocks
    )


def _clocks(ticket: Ticket) -> dict[str, SLAClock]:
    return {
        clock.target: clock
        for clock in SLAClock.objects.select_for_update().filter(ticket=ticket)
    }


def _new_clock(
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
    _plan(clock, policy, calendar)
    return clock


def _start(
    ticket: Ticket,
    target: str,
    start: datetime,
    limit: timedelta,
    policy: SLAPolicy,
    calendar: Calendar,
    now: datetime,
) -> SLAClock:
    clock = _new_clock(ticket, target, start, limit, policy, calendar)
    clock.save()
    _insert_milestones(clock)
    _start_entry(clock, calendar, at=now).save()
    return clock


def _plan(clock: SLAClock, policy: SLAPolicy, calendar: Calendar) -> sla.ClockPlan:
    """Set the running clock's due and warning times (milestones in `_plan`)."""
    plan_for = partial(
        sla.plan_clock,
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
    clock.due_at = plan.due_at
    clock.warn_at = plan.warn_at
    clock._plan = plan
    return plan


def _write_milestones(clock: SLAClock) -> None:
    """Replace the clock's pending milestones with those of its current plan.

    Milestones already reached stay: the unique constraint keeps a cycle from
    warning twice at the same share, whatever the recomputations."""
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()
    _insert_milestones(clock)


def _insert_milestones(clock: SLAClock) -> None:
    SLAMilestone.objects.bulk_create(
        [
            SLAMilestone(clock=clock, cycle=clock.cycle, percent=percent, at=at)
            for percent, at in clock._plan.milestones
        ],
        ignore_conflicts=True,
    )


def _halt(clock: SLAClock, status: str, *, at: datetime) -> None:
    """Stop counting: add the running stretch to `used`, drop pending milestones."""
    if clock.is_running:
        clock.used = sla.used_until(
            used=clock.used,
            running_since=clock.running_since,
            until=at,
            calendar=_calendar_of(clock).pure,
        )
    clock.status = status
    clock.running_since = None
    clock.save()
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()


def _stop(clock: SLAClock, *, at: datetime, by=None) -> None:
    if clock.is_running:
        result = sla.outcome(at, clock.due_at)
    else:
        # Stopped while paused: judged by the time it used.
        met = clock.used <= clock.limit
        result = sla.ClockState.MET if met else sla.ClockState.MISSED
    due_at = clock.due_at
    clock.stopped_at = at
    _halt(clock, result.value, at=at)
    action = Action.SLA_MET if result == sla.ClockState.MET else Action.SLA_MISSED
    _entry(
        clock.ticket,
        action,
        clock.target,
        by=by,
        entry=LedgerEntry(
            at=at,
            cycle=clock.cycle,
            due_at=due_at,
            used_minutes=minutes(clock.used),
            limit_minutes=minutes(clock.limit),
        ),
    ).save()


def _pause(clock: SLAClock, *, at: datetime, by=None) -> None:
    clock.due_at = clock.warn_at = None
    _halt(clock, SLAClock.Status.PAUSED, at=at)
    _entry(
        clock.ticket,
        Action.SLA_PAUSED,
        clock.target,
        by=by,
        entry=LedgerEntry(
            at=at,
            used_minutes=minutes(clock.used),
            limit_minutes=minutes(clock.limit),
            reason="waiting on the customer",
        ),
    ).save()


def _resume(clock: SLAClock, *, at: datetime, by=None) -> None:
    policy = clock.ticket.sla_policy
    if policy is None:
        return
    calendar = _calendar_of(clock)
    clock.status = SLAClock.Status.RUNNING
    clock.running_since = at
    clock.stopped_at = None
    _plan(clock, policy, calendar)
    clock.save()
    _write_milestones(clock)
    _start_entry(clock, calendar, at=at, by=by, resumed=True).save()


def _cancel(clock: SLAClock) -> None:
    SLAMilestone.objects.filter(clock=clock, reached_at__isnull=True).delete()
    clock.delete()


def _calendar_of(clock: SLAClock) -> Calendar:
    return calendar_for(clock.ticket.sla_policy)


def _refresh_ticket(ticket: Ticket, clocks, *, policy_changed: bool = False) -> None:
    """Store the nearest due and warning times; write only when something moved
    (most replies and notes change neither)."""
    running = [clock for clock in clocks if clock.is_running]
    due_at = min((c.due_at for c in running), default=None)
    at_risk_at = min((c.warn_at for c in running), default=None)
    if not policy_changed and (ticket.due_at, ticket.at_risk_at) == (
        due_at,
        at_risk_at,
    ):
        return
    ticket.due_at, ticket.at_risk_at = due_at, at_risk_at
    ticket.save(update_fields=["sla_policy", "due_at", "at_risk_at", "updated_at"])


def _policy_entry(ticket, policy, match: sla.Match, *, at, by) -> TicketEvent:
    """Set the ticket's policy; return the unsaved ledger entry saying why."""
    old = ticket.sla_policy
    ticket.sla_policy = policy
    entry = LedgerEntry(
        at=at,
        conditions=tuple(
            ledger.Condition(condition, value, tuple(accepted))
            for condition, value, accepted in match.conditions
        ),
        skipped=tuple(
            ledger.Skipped(rule.name, condition, value, tuple(accepted), rule.name_ar)
            for rule, condition, value, accepted in match.skipped
        ),
    )
    if policy is not None:
        entry = replace(
            entry,
            policy_ar=policy.name_ar,
            calendar=policy.calendar.name if policy.calendar else "round the clock",
            first_response_minutes=minutes(policy.first_response),
            next_response_minutes=minutes(policy.next_response),
            resolution_minutes=minutes(policy.resolution),
            warn_percents=sla.thresholds(policy.warning_thresholds),
        )
    return _entry(
        ticket,
        Action.SLA_POLICY,
        "",
        by=by,
        old=old.name if old else "",
        new=policy.name if policy else "",
        entry=entry,
    )


def _start_entry(
    clock: SLAClock,
    calendar: Calendar,
    *,
    at: datetime,
    by=None,
    resumed: bool = False,
    recomputed: bool = False,
) -> TicketEvent:
    """The unsaved ledger entry for a clock that starts or resumes."""
    plan = clock._plan
    return _entry(
        clock.ticket,
        Action.SLA_RESUMED if resumed else Action.SLA_STARTED,
        clock.target,
        by=by,
        new=clock.due_at.isoformat(),
        entry=LedgerEntry(
            at=at,
            cycle=clock.cycle,
            started_at=clock.started_at,
            running_since=clock.running_since,
            used_minutes=minutes(clock.used),
            limit_minutes=minutes(clock.limit),
            due_at=clock.due_at,
            warnings=tuple(
                ledger.Milestone(p, when) for p, when in plan.milestones[:-1]
            ),
            calendar=calendar.name,
            calendar_rules=tuple(
                calendar.rules_between(clock.running_since, plan.due_at)
            ),
            recomputed=recomputed,
        ),
    )


def _entry(
    ticket: Ticket,
    action: str,
    target: str,
    *,
    entry: LedgerEntry,
    by=None,
    old: str = "",
    new: str = "",
) -> TicketEvent:
    """An unsaved ledger event. The ledger is written in the order things are
    recorded; `entry.at` is the moment the rule applies (a letter's arrival, a
    call answered)."""
    return ticket_event(
        ticket,
        action,
        by=by,
        old=old,
        new=new,
        target=target,
        details=entry.to_details(),
    )


def prefetch_clocks() -> Prefetch:
    """Prefetch for pages that show a ticket's clocks."""
    return Prefetch("clocks", queryset=SLAClock.objects.order_by("target"))
