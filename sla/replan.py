"""Re-planning the open tickets an SLA change may affect, a chunk at a time.

Each ticket goes through the clock rule the verbs use (`reselect_policy`) only
when the rules as they stand now would plan it differently from what is
stored: another policy, another target, or other due and warning times (a
calendar's hours or holidays, a policy's thresholds). A ticket already planned
under the current rules is left alone, so walking the same tickets again
changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from sla.clock_changes import plan_running_clock
from sla.clocks import LIMITS, reselect_policy, should_run
from sla.config import Calendar, facts_for, forget_sla_config, sla_config
from sla.models import SLAChange, SLAClock, SLAMilestone, SLAPolicy
from sla.rules import PolicyRule, match_policy
from tickets.models import Ticket

# Tickets re-planned in one transaction: small enough to hold their locks
# briefly, large enough that reading the policies once per chunk is cheap.
REPLAN_CHUNK = 500
Target = SLAClock.Target


@dataclass(frozen=True)
class CurrentRules:
    """The active policies in order, as matching rules, with their calendars."""

    rules: list[PolicyRule]
    policies: dict[int, SLAPolicy]
    calendars: dict[int | None, Calendar]


def current_rules() -> CurrentRules:
    """The policies and calendars as they are now, not as this process last
    saw them."""
    forget_sla_config()
    config = sla_config()
    return CurrentRules(
        rules=config.rules,
        policies={policy.pk: policy for policy in config.policies},
        calendars=config.calendars,
    )


def affected_tickets(change: SLAChange) -> QuerySet[Ticket]:
    """Open tickets on the change's policies (and on none, when it may widen
    what a policy matches or removed one)."""
    scope = Q(sla_policy__in=change.replan_policies)
    if change.replan_unmatched:
        scope |= Q(sla_policy__isnull=True)
    return Ticket.objects.open().filter(scope)


def unfinished_changes() -> list[int]:
    """The SLA changes whose open tickets are still to be re-planned, oldest
    first."""
    replans = Q(replan_unmatched=True) | ~Q(replan_policies=[])
    return list(
        SLAChange.objects.filter(replans, replan_finished_at__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def replan_chunk(change_id: int, *, at: datetime, size: int = REPLAN_CHUNK) -> bool:
    """Re-plan the next `size` affected tickets after where the change's
    re-planning stopped, in one transaction; return whether any may be left."""
    with transaction.atomic():
        change = (
            SLAChange.objects.select_for_update(of=("self",))
            .select_related("by")
            .get(pk=change_id)
        )
        if change.replan_finished_at is not None:
            return False
        tickets = list(
            affected_tickets(change)
            .filter(pk__gt=change.replanned_through)
            .order_by("pk")
            .select_for_update(of=("self",))
            .select_related("customer__tier", "sla_policy")
            .prefetch_related(
                Prefetch(
                    "clocks",
                    queryset=SLAClock.objects.prefetch_related("milestones"),
                )
            )[:size]
        )
        rules = current_rules()
        for ticket in tickets:
            if replan_ticket(ticket, rules=rules, at=at, by=change.by):
                change.replanned += 1
        if tickets:
            change.replanned_through = tickets[-1].pk
        if len(tickets) < size:
            change.replan_finished_at = at
        change.save(
            update_fields=["replanned_through", "replanned", "replan_finished_at"]
        )
    return change.replan_finished_at is None


def replan_ticket(
    ticket: Ticket,
    *,
    rules: CurrentRules,
    at: datetime,
    by: AbstractBaseUser | None = None,
) -> bool:
    """Re-plan `ticket` if the current rules plan it differently from its
    stored clocks; return whether it was re-planned."""
    match = match_policy(rules.rules, facts_for(ticket))
    chosen = rules.policies[match.rule.key] if match.rule else None
    if chosen is None and ticket.sla_policy_id is None:
        return False
    if chosen is not None and chosen.pk == ticket.sla_policy_id:
        calendar = rules.calendars[chosen.calendar_id]
        if _planned_as_stored(ticket, chosen, calendar):
            return False
    reselect_policy(ticket, at=at, by=by, force=True)
    return True


def _planned_as_stored(ticket: Ticket, policy: SLAPolicy, calendar: Calendar) -> bool:
    """Whether the ticket's clocks are what `policy` on `calendar` makes them."""
    clocks = {clock.target: clock for clock in ticket.clocks.all()}
    for target, field in LIMITS.items():
        limit = getattr(policy, field)
        clock = clocks.get(target)
        if clock is None:
            if limit is not None and should_run(ticket, target):
                return False
            continue
        if not clock.is_counting:
            continue
        if clock.limit != limit:
            return False
        if clock.is_running and not _milestones_as_planned(clock, policy, calendar):
            return False
    return True


def _milestones_as_planned(
    clock: SLAClock, policy: SLAPolicy, calendar: Calendar
) -> bool:
    """Whether the running clock's due time, warning time and pending
    milestones are those of its plan (milestones already reached stay)."""
    plan = plan_running_clock(clock, policy, calendar)
    if (clock.due_at, clock.warn_at) != (plan.due_at, plan.warn_at):
        return False
    milestones: dict[int, SLAMilestone] = {
        m.percent: m for m in clock.milestones.all() if m.cycle == clock.cycle
    }
    for percent, when in plan.milestones:
        milestone = milestones.pop(percent, None)
        if milestone is None:
            return False
        if milestone.reached_at is None and milestone.at != when:
            return False
    return all(m.reached_at is not None for m in milestones.values())
