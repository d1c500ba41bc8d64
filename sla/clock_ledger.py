"""The ledger events the clock rules write: policy, start, met or missed, pause."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sla import ledger
from sla.config import Calendar
from sla.ledger import LedgerEntry, minutes
from sla.models import SLAClock
from sla.rules import ClockState, Match, thresholds
from tickets.history import ticket_event
from tickets.models import Ticket, TicketEvent

Action = TicketEvent.Action


def policy_entry(ticket, policy, match: Match, *, at, by) -> TicketEvent:
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
            warn_percents=thresholds(policy.warning_thresholds),
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


def start_entry(
    clock: SLAClock,
    calendar: Calendar,
    *,
    at: datetime,
    by=None,
    resumed: bool = False,
    recomputed: bool = False,
) -> TicketEvent:
    """The unsaved ledger entry for a clock that starts or resumes."""
    plan = clock.plan
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
            **_owed(clock),
        ),
    )


def _owed(clock: SLAClock) -> dict:
    """Who owes a clock that is not the ticket's queue's, and for what."""
    if clock.queue_id is None:
        return {}
    return {
        "owed_by": clock.queue.name,
        "owed_by_ar": clock.queue.name_ar,
        "reference": clock.reference,
    }


def outcome_entry(
    clock: SLAClock, result: ClockState, *, at: datetime, due_at, by=None
) -> TicketEvent:
    """The unsaved ledger entry for a clock stopped met or missed (`due_at` as it
    was while it ran)."""
    action = Action.SLA_MET if result == ClockState.MET else Action.SLA_MISSED
    return _entry(
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
            **_owed(clock),
        ),
    )


def pause_entry(clock: SLAClock, *, at: datetime, by=None) -> TicketEvent:
    """The unsaved ledger entry for a clock paused while waiting on the customer."""
    return _entry(
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
