"""SLA state for the tickets `seed_volume` makes: policy, clocks, milestones, ledger.

Applies the rules of `sla/clocks.py` to a conversation that has already
happened, without the ORM: the policy is chosen as `sla_config.choose_policy`
would; first response and resolution start at `received_at`; the first public
reply stops the first response; a customer message after it starts a
next-response cycle that the following reply stops; *pending* pauses the
resolution clock with the time used so far; resolving stops whatever still
runs. Stopped clocks are met or missed by their due time and leave an
`sla_met`/`sla_missed` event. Running clocks get their milestones; those
already past at seeding time are recorded as reached, with the warning or
breach event a sweep would have written, so the first real sweep only sees
what falls due after the seeding.

What is shared rather than copied: policy matching (`rules.match_policy`), every
calculation (`rules.plan_clock`, `rules.used_until`, `rules.outcome`) and the
ledger's shape (`ledger.LedgerEntry`). What is restated is the order of the
rules over a whole conversation at once (which message stops or starts which
clock), because `clocks.py` applies them one change at a time to stored rows,
and the sweep's reached-milestone events, which it writes in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from customers.models import Customer, ServiceTier
from sla import clocks as clock_rules
from sla import config as sla_config
from sla import rules
from sla.business_calendar import BusinessCalendar
from sla.ledger import LedgerEntry, minutes
from sla.models import SLAClock, SLAMilestone
from tickets.models import Message, Ticket, TicketEvent

IN = Message.Direction.INBOUND.value
OUT = Message.Direction.OUTBOUND.value
FIRST = SLAClock.Target.FIRST_RESPONSE.value
NEXT = SLAClock.Target.NEXT_RESPONSE.value
RESOLUTION = SLAClock.Target.RESOLUTION.value
RUNNING = SLAClock.Status.RUNNING.value
PAUSED = SLAClock.Status.PAUSED.value
DONE = frozenset(Ticket.Status.done())
PENDING = Ticket.Status.PENDING.value
Action = TicketEvent.Action
ZERO = timedelta(0)
OUTCOME_ACTIONS = {
    rules.ClockState.MET: Action.SLA_MET.value,
    rules.ClockState.MISSED: Action.SLA_MISSED.value,
}

CLOCK_COLUMNS = (
    "id", "ticket_id", "target", "status", "cycle", "started_at", "running_since",
    "used", "limit", "due_at", "warn_at", "stopped_at",
)  # fmt: skip
MILESTONE_COLUMNS = ("id", "clock_id", "cycle", "percent", "at", "reached_at")
SLA_EVENT_COLUMNS = (
    "ticket_id", "actor_id", "action", "new_value", "sla_target", "details",
    "milestone_id", "created_at",
)  # fmt: skip
# Bits of a customer's traits byte (see `traits`).
VIP = 1
INTERNAL = 2


def traits(is_vip: bool, is_internal: bool) -> int:
    """The byte `SLAFactory.policy` reads a customer's tier and kind from."""
    return (VIP if is_vip else 0) | (INTERNAL if is_internal else 0)


@dataclass(frozen=True)
class Policy:
    """What seeding needs of an SLA policy."""

    id: int
    limits: tuple[tuple[str, timedelta], ...]
    warn_percents: tuple[int, ...]
    calendar: BusinessCalendar

    def limit(self, target: str) -> timedelta | None:
        return dict(self.limits).get(target)


class SLAFactory:
    """Collects the SLA rows of one batch of tickets; `take` hands them over."""

    def __init__(self, now: datetime):
        self.now = now
        policies = sla_config.sla_config().policies
        self.rules = [sla_config.rule_for(policy) for policy in policies]
        self.policies = {
            policy.pk: Policy(
                id=policy.pk,
                limits=tuple(
                    (target, getattr(policy, field))
                    for target, field in clock_rules.LIMITS.items()
                    if getattr(policy, field) is not None
                ),
                warn_percents=rules.thresholds(policy.warning_thresholds),
                calendar=sla_config.calendar_for(policy).pure,
            )
            for policy in policies
        }
        self._chosen: dict[tuple, Policy | None] = {}
        self.clocks: list[tuple] = []
        # Milestones name their clock, and reached-milestone events their
        # milestone, by position in this batch until ids are reserved.
        self.milestones: list[tuple] = []
        self.events: list[tuple] = []

    def policy(
        self, channel: str, customer: int, kind: str, priority: int
    ) -> Policy | None:
        """The policy `sla_config.choose_policy` gives such a ticket."""
        key = (channel, customer, kind, priority)
        if key not in self._chosen:
            facts = rules.TicketFacts(
                channel=channel,
                tier=ServiceTier.VIP if customer & VIP else ServiceTier.STANDARD,
                customer_kind=Customer.Kind.INTERNAL
                if customer & INTERNAL
                else Customer.Kind.EXTERNAL,
                ticket_kind=kind,
                priority=int(priority),
            )
            rule = rules.match_policy(self.rules, facts).rule
            self._chosen[key] = self.policies[rule.key] if rule else None
        return self._chosen[key]

    def ticket(
        self,
        pk: int,
        policy: Policy | None,
        status: str,
        conversation: list[tuple],
        resolved_at: datetime | None,
        staff: int | None,
    ) -> tuple[datetime | None, datetime | None]:
        """Add the clocks of one ticket; return its (due_at, at_risk_at).

        `conversation` holds message rows in time order; each has its
        direction at [1] and its time at [5].
        """
        if policy is None:
            return None, None
        received = conversation[0][5]
        done = status in DONE
        plans = []
        outs = [m[5] for m in conversation if m[1] == OUT]
        first_out = outs[0] if outs else None

        limit = policy.limit(FIRST)
        if limit is not None:
            if first_out is not None:
                self._stop(pk, policy, FIRST, received, limit, first_out, staff)
            elif done:
                self._stop(pk, policy, FIRST, received, limit, resolved_at, staff)
            else:
                plans.append(self._run(pk, policy, FIRST, received, limit))

        limit = policy.limit(NEXT)
        if limit is not None and first_out is not None:
            asked = next(
                (m[5] for m in conversation if m[1] == IN and m[5] > first_out), None
            )
            if asked is not None:
                answer = next((at for at in outs if at > asked), None)
                if answer is None and done:
                    answer = resolved_at
                if answer is not None:
                    self._stop(pk, policy, NEXT, asked, limit, answer, staff)
                else:
                    plans.append(self._run(pk, policy, NEXT, asked, limit))

        limit = policy.limit(RESOLUTION)
        if limit is not None:
            if done:
                self._stop(pk, policy, RESOLUTION, received, limit, resolved_at, staff)
            elif status == PENDING:
                # Pending since the last reply: paused with what it used.
                used = rules.used_until(
                    used=ZERO,
                    running_since=received,
                    until=outs[-1],
                    calendar=policy.calendar,
                )
                self.clocks.append(
                    (pk, RESOLUTION, PAUSED, 1, received, None, used, limit)
                    + (None, None, None)
                )
            else:
                plans.append(self._run(pk, policy, RESOLUTION, received, limit))

        if not plans:
            return None, None
        return min(p.due_at for p in plans), min(p.warn_at for p in plans)

    def _run(
        self, pk: int, policy: Policy, target: str, start: datetime, limit: timedelta
    ) -> rules.ClockPlan:
        plan = self._plan(policy, start, limit)
        clock = len(self.clocks)
        self.clocks.append(
            (pk, target, RUNNING, 1, start, start, ZERO, limit)
            + (plan.due_at, plan.warn_at, None)
        )
        for percent, at in plan.milestones:
            reached = at if at <= self.now else None
            milestone = len(self.milestones)
            self.milestones.append((clock, 1, percent, at, reached))
            if reached is not None:
                breach = percent == SLAMilestone.BREACH
                details = LedgerEntry(
                    cycle=1, percent=percent, due_at=plan.due_at, milestone_at=at
                ).to_details()
                self.events.append(
                    (
                        pk,
                        None,
                        Action.SLA_BREACH.value if breach else Action.SLA_WARNING.value,
                        str(percent),
                        target,
                        json.dumps(details),
                        milestone,
                        reached,
                    )
                )
        return plan

    @staticmethod
    def _plan(policy: Policy, start: datetime, limit: timedelta) -> rules.ClockPlan:
        """A clock's plan from its start, as the clock rules make it."""
        return rules.plan_clock(
            running_since=start,
            used=ZERO,
            limit=limit,
            warn_percents=policy.warn_percents,
            calendar=policy.calendar,
        )

    def _stop(
        self,
        pk: int,
        policy: Policy,
        target: str,
        start: datetime,
        limit: timedelta,
        at: datetime,
        staff: int | None,
    ) -> None:
        plan = self._plan(policy, start, limit)
        used = rules.used_until(
            used=ZERO, running_since=start, until=at, calendar=policy.calendar
        )
        outcome = rules.outcome(at, plan.due_at)
        self.clocks.append(
            (pk, target, outcome.value, 1, start, None, used, limit)
            + (plan.due_at, plan.warn_at, at)
        )
        details = LedgerEntry(
            at=at,
            cycle=1,
            due_at=plan.due_at,
            used_minutes=minutes(used),
            limit_minutes=minutes(limit),
        ).to_details()
        self.events.append(
            (
                pk,
                staff,
                OUTCOME_ACTIONS[outcome],
                "",
                target,
                json.dumps(details),
                None,
                at,
            )
        )

    def take(self, clock_ids: list[int], milestone_ids: list[int]):
        """The batch's (clocks, milestones, events) rows with these ids; then reset.

        Reserve `len(self.clocks)` and `len(self.milestones)` ids first.
        """
        clocks = [(pk, *row) for pk, row in zip(clock_ids, self.clocks, strict=True)]
        milestones = [
            (pk, clock_ids[clock], *rest)
            for pk, (clock, *rest) in zip(milestone_ids, self.milestones, strict=True)
        ]
        events = [
            row if row[6] is None else (*row[:6], milestone_ids[row[6]], row[7])
            for row in self.events
        ]
        self.clocks, self.milestones, self.events = [], [], []
        return clocks, milestones, events
