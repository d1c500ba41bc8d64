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

This module is the rules; what they do to one clock is `clock_changes.py`, and
the ledger entries they write are `clock_ledger.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch

from sla.clock_changes import (
    LIMITS,
    cancel_clock,
    new_clock,
    pause_clock,
    refresh_ticket,
    resume_clock,
    set_due_times,
    start_clock,
    stop_clock,
    write_milestones,
)
from sla.clock_ledger import policy_entry, start_entry
from sla.config import calendar_for, choose_policy, policy_of, sla_config
from sla.models import SLAClock, SLAMilestone, SLAPolicy
from sla.rules import TicketFacts, match_policy
from tickets.history import record_events
from tickets.models import Ticket, TicketEvent

Target = SLAClock.Target


def start_clocks(ticket: Ticket, *, now: datetime, by=None) -> None:
    """Choose the ticket's policy and start its clocks at `received_at`.

    Four statements whatever the policy: clocks, milestones and ledger are
    each inserted at once, then the ticket's due times are updated."""
    started = plan_start(ticket, now=now, by=by)
    write_start(started)
    refresh_ticket(ticket, started.clocks, policy_changed=True)


@dataclass
class Started:
    """A new ticket's clocks and ledger entries, planned but not written."""

    clocks: list[SLAClock]
    events: list[TicketEvent]


def plan_start(ticket: Ticket, *, now: datetime, by=None) -> Started:
    """`start_clocks` before anything is written: the policy, due and warning
    times are set on `ticket`, which may not be saved yet, so that opening a
    ticket inserts it with them instead of updating it after."""
    policy, match = choose_policy(ticket)
    events = [policy_entry(ticket, policy, match, at=now, by=by)]
    clocks = []
    if policy is not None:
        calendar = calendar_for(policy)
        for target in (Target.FIRST_RESPONSE, Target.RESOLUTION):
            limit = getattr(policy, LIMITS[target])
            if limit is None:
                continue
            clocks.append(
                new_clock(ticket, target, ticket.received_at, limit, policy, calendar)
            )
        events += [start_entry(clock, calendar, at=now, by=by) for clock in clocks]
    ticket.due_at = min((c.due_at for c in clocks), default=None)
    ticket.at_risk_at = min((c.warn_at for c in clocks), default=None)
    return Started(clocks, events)


def write_start(started: Started) -> None:
    """Insert what `plan_start` planned, once its ticket is saved: clocks,
    milestones and ledger, one statement each."""
    write_starts([started])


def write_starts(plans: list[Started]) -> None:
    """`write_start` for many new tickets at once: still one statement for
    all their clocks, one for the milestones and one for the ledger."""
    clocks = [clock for started in plans for clock in started.clocks]
    if clocks:
        SLAClock.objects.bulk_create(clocks)
        SLAMilestone.objects.bulk_create(
            SLAMilestone(clock=clock, cycle=clock.cycle, percent=percent, at=at)
            for clock in clocks
            for percent, at in clock.plan.milestones
        )
    record_events([event for started in plans for event in started.events])


def record_public_reply(ticket: Ticket, *, at: datetime, by=None) -> None:
    """A public reply answers the first response and any awaited next response."""
    if ticket.sla_policy_id is None:
        return
    clocks = _clocks(ticket)
    for target in (Target.FIRST_RESPONSE, Target.NEXT_RESPONSE):
        clock = clocks.get(target)
        if clock is not None and clock.is_running:
            stop_clock(clock, at=at, by=by)
    refresh_ticket(ticket, clocks.values())


def record_customer_message(ticket: Ticket, *, at: datetime) -> None:
    """A customer message after the first response starts a next-response cycle."""
    policy = policy_of(ticket)
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
        clocks[Target.NEXT_RESPONSE] = start_clock(
            ticket, Target.NEXT_RESPONSE, at, policy.next_response, policy, calendar, at
        )
    else:
        current.cycle += 1
        current.started_at = current.running_since = at
        current.used = timedelta(0)
        current.limit = policy.next_response
        current.stopped_at = None
        current.status = SLAClock.Status.RUNNING
        set_due_times(current, policy, calendar)
        current.save()
        write_milestones(current)
        start_entry(current, calendar, at=at).save()
    refresh_ticket(ticket, clocks.values())


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
            pause_clock(resolution, at=at, by=by)
        elif new in Status.done() and resolution.is_counting:
            stop_clock(resolution, at=at, by=by)
        elif (
            new in (Status.OPEN, Status.NEW)
            and not resolution.is_running
            and (old == Status.PENDING or old in Status.done())
        ):
            resume_clock(resolution, at=at, by=by)
    appeal = clocks.get(Target.APPEAL)
    if appeal is not None:
        # An appeal waits on the customer like the resolution does, and is
        # answered when the ticket is resolved again; once answered it stays so.
        if new == Status.PENDING and appeal.is_running:
            pause_clock(appeal, at=at, by=by)
        elif new in Status.done() and appeal.is_counting:
            stop_clock(appeal, at=at, by=by)
        elif (
            new in (Status.OPEN, Status.NEW)
            and old == Status.PENDING
            and appeal.status == SLAClock.Status.PAUSED
        ):
            resume_clock(appeal, at=at, by=by)
    if new in Status.done():
        # A resolved ticket awaits no reply; a reopened one starts anew.
        for target in (Target.FIRST_RESPONSE, Target.NEXT_RESPONSE):
            clock = clocks.get(target)
            if clock is not None and clock.is_running:
                stop_clock(clock, at=at, by=by)
    refresh_ticket(ticket, clocks.values())


def appeal_limit(policy: SLAPolicy | None) -> timedelta | None:
    """How long `policy` gives to resolve an appealed complaint: its appeal
    target, else its resolution target (None: no target at all)."""
    if policy is None:
        return None
    return policy.appeal_resolution or policy.resolution


def start_appeal_clock(ticket: Ticket, *, at: datetime, by=None) -> SLAClock | None:
    """Start the appeal target of a complaint the customer appealed at `at`,
    on the policy's calendar; None when the policy sets no target.

    A complaint is appealed once, but a clock left from an earlier appeal
    (its stage was set back by hand) starts a new cycle rather than a second
    clock: one appeal clock per ticket."""
    policy = policy_of(ticket)
    limit = appeal_limit(policy)
    if limit is None:
        return None
    calendar = calendar_for(policy)
    clocks = _clocks(ticket)
    clock = clocks.get(Target.APPEAL)
    if clock is None:
        clock = start_clock(ticket, Target.APPEAL, at, limit, policy, calendar, at)
        clocks[Target.APPEAL] = clock
    else:
        clock.cycle += 1
        clock.started_at = clock.running_since = at
        clock.used = timedelta(0)
        clock.limit = limit
        clock.stopped_at = None
        clock.status = SLAClock.Status.RUNNING
        set_due_times(clock, policy, calendar)
        clock.save()
        write_milestones(clock)
        start_entry(clock, calendar, at=at, by=by).save()
    refresh_ticket(ticket, clocks.values())
    return clock


def reselect_policy(
    ticket: Ticket, *, at: datetime, by=None, force: bool = False
) -> None:
    """Choose the policy again after a change of channel, tier, kind or
    priority, and recompute the clocks from their original start.

    A ticket whose policy and targets stay is left alone, unless `force`:
    then its clocks are planned again under the policy's calendar and
    thresholds as they are now (an SLA policy or calendar was edited)."""
    policy, match = choose_policy(ticket)
    clocks = _clocks(ticket)
    changed = policy != ticket.sla_policy or _limits_changed(clocks.values(), policy)
    if not changed and not force:
        return
    if changed:
        policy_entry(ticket, policy, match, at=at, by=by).save()
    if policy is None:
        for clock in clocks.values():
            if clock.is_counting:
                cancel_clock(clock)
        refresh_ticket(ticket, [], policy_changed=True)
        return
    calendar = calendar_for(policy)
    for target, field in LIMITS.items():
        limit = getattr(policy, field)
        clock = clocks.get(target)
        if clock is None:
            if limit is not None and should_run(ticket, target):
                clocks[target] = start_clock(
                    ticket, target, ticket.received_at, limit, policy, calendar, at
                )
                if ticket.status == Ticket.Status.PENDING:
                    # Waiting on the customer already: counted up to now.
                    pause_clock(clocks[target], at=at, by=by)
            continue
        if not clock.is_counting:
            continue
        if limit is None:
            cancel_clock(clock)
            del clocks[target]
            continue
        clock.limit = limit
        if clock.is_running:
            set_due_times(clock, policy, calendar)
        clock.save()
        if clock.is_running:
            write_milestones(clock)
            start_entry(clock, calendar, at=at, by=by, recomputed=True).save()
    refresh_ticket(ticket, clocks.values(), policy_changed=True)


def reselect_policies(ticket_ids: list[int], *, at: datetime, by=None) -> None:
    """`reselect_policy` for many tickets (the sweep raised their priority):
    their facts and unsettled clocks are read as rows in two queries, the
    policies matched in memory, and only the tickets whose policy or targets
    change are loaded and recomputed, one by one."""
    config = sla_config()
    limits: dict[int, list[tuple[str, timedelta]]] = {pk: [] for pk in ticket_ids}
    for ticket_id, target, limit in SLAClock.objects.filter(
        ticket_id__in=ticket_ids,
        target__in=list(LIMITS),
        status__in=[SLAClock.Status.RUNNING, SLAClock.Status.PAUSED],
    ).values_list("ticket_id", "target", "limit"):
        limits[ticket_id].append((target, limit))
    facts = Ticket.objects.filter(pk__in=ticket_ids).values_list(
        "pk",
        "channel",
        "customer__tier__code",
        "customer__kind",
        "kind",
        "priority",
        "sla_policy_id",
    )
    policies = {policy.pk: policy for policy in config.policies}
    changed = []
    for pk, channel, tier, customer_kind, kind, priority, policy_id in facts:
        match = match_policy(
            config.rules,
            TicketFacts(
                channel=channel,
                tier=tier,
                customer_kind=customer_kind,
                ticket_kind=kind,
                priority=int(priority),
            ),
        )
        policy = policies[match.rule.key] if match.rule else None
        if (policy.pk if policy else None) != policy_id or (
            policy is not None
            and any(getattr(policy, LIMITS[t]) != limit for t, limit in limits[pk])
        ):
            changed.append(pk)
    for ticket in Ticket.objects.filter(pk__in=changed).select_related(
        "customer__tier", "sla_policy"
    ):
        reselect_policy(ticket, at=at, by=by)


def should_run(ticket: Ticket, target: str) -> bool:
    """Whether `target`'s clock runs for the ticket as it stands: an open
    ticket's resolution, or a first response not yet given."""
    if target == Target.FIRST_RESPONSE:
        return ticket.first_responded_at is None and ticket.is_open
    if target == Target.RESOLUTION:
        return ticket.is_open
    return False


def _limits_changed(clocks, policy: SLAPolicy | None) -> bool:
    """Whether an unsettled clock's target differs from `policy`'s (the
    policy's own targets: an appeal keeps the limit it started with)."""
    return policy is not None and any(
        clock.is_counting
        and clock.target in LIMITS
        and getattr(policy, LIMITS[clock.target]) != clock.limit
        for clock in clocks
    )


def _clocks(ticket: Ticket) -> dict[str, SLAClock]:
    """The customer's clocks by target: memo clocks (many per ticket, owed by
    other queues) are the memos' own and never move with the ticket."""
    return {
        clock.target: clock
        for clock in SLAClock.objects.select_for_update()
        .filter(ticket=ticket)
        .exclude(target=Target.MEMO)
    }


def prefetch_clocks() -> Prefetch:
    """Prefetch for pages that show a ticket's clocks (the customer's: memo
    clocks are shown with their memos)."""
    return Prefetch(
        "clocks",
        queryset=SLAClock.objects.exclude(target=Target.MEMO).order_by("target"),
    )
