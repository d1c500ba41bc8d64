"""Which open tickets an edit of a policy would change, before it is saved.

Set-based: the open tickets are grouped by what policies match on (channel,
tier, customer kind, ticket kind, priority) in one query, and each group is
matched against the active policies as they are and as they would be, with
the same rule the clocks use (`sla.rules.match_policy`). A group is changed
when it would get another policy, or keeps the edited policy while its
targets, calendar or warnings change. The count covers every open ticket
whatever their number; the list shows a few the viewer may open.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.db.models import Count, Q

from sla.config import rule_for
from sla.models import SLAPolicy
from sla.rules import PolicyRule, TicketFacts, match_policy, thresholds
from tickets.models import Ticket

# How many of the changed tickets are listed by number.
LISTED = 10
# What the clocks are planned from: a change to any of these re-plans.
TIMING = (
    "first_response",
    "next_response",
    "resolution",
    "appeal_resolution",
    "calendar_id",
)
_GROUP = (
    "channel",
    "customer__tier__code",
    "customer__kind",
    "kind",
    "priority",
)


@dataclass(frozen=True)
class Impact:
    count: int
    # Open tickets that would move to the edited policy, leave it, or keep it
    # with other due times.
    joining: int
    leaving: int
    retimed: int
    tickets: list[Ticket]


def _ranked(rules: list[tuple[int, int, PolicyRule]]) -> list[PolicyRule]:
    return [rule for _order, _pk, rule in sorted(rules, key=lambda r: r[:2])]


def _timing(policy: SLAPolicy | None) -> tuple:
    if policy is None:
        return ()
    return (
        *(getattr(policy, field) for field in TIMING),
        thresholds(policy.warning_thresholds),
    )


def policy_impact(
    edited: SLAPolicy, tier_codes: list[str], *, viewer, listed: int = LISTED
) -> Impact:
    """What saving `edited` (unsaved, with `tier_codes`) would change."""
    stored = (
        SLAPolicy.objects.filter(pk=edited.pk).prefetch_related("tiers").first()
        if edited.pk
        else None
    )
    # New policies are matched under a key no stored policy has.
    key = edited.pk or "new"
    others = SLAPolicy.objects.filter(is_active=True).prefetch_related("tiers")
    if edited.pk:
        others = others.exclude(pk=edited.pk)
    base = [(p.order, p.pk, rule_for(p)) for p in others]
    before = list(base)
    if stored is not None and stored.is_active:
        before.append((stored.order, stored.pk, rule_for(stored)))
    after = list(base)
    if edited.is_active:
        proposed = replace(
            rule_for_unsaved(edited, tier_codes), key=key, name=edited.name
        )
        # A new policy is tried after the stored ones of the same order.
        after.append((edited.order, edited.pk or 2**63, proposed))
    before_rules, after_rules = _ranked(before), _ranked(after)
    retimes = _timing(stored) != _timing(edited)

    joining = leaving = retimed = 0
    changed = Q(pk__in=[])
    groups = Ticket.objects.open().values(*_GROUP).annotate(n=Count("pk")).order_by()
    for group in groups:
        facts = TicketFacts(
            channel=group["channel"],
            tier=group["customer__tier__code"],
            customer_kind=group["customer__kind"],
            ticket_kind=group["kind"],
            priority=int(group["priority"]),
        )
        old = match_policy(before_rules, facts).rule
        new = match_policy(after_rules, facts).rule
        old_key = old.key if old else None
        new_key = new.key if new else None
        if old_key != new_key:
            if new_key == key:
                joining += group["n"]
            else:
                leaving += group["n"]
        elif new_key == key and stored is not None and retimes:
            retimed += group["n"]
        else:
            continue
        changed |= Q(**{field: group[field] for field in _GROUP})
    tickets = list(
        Ticket.objects.visible_to(viewer)
        .open()
        .filter(changed)
        .select_related("customer")
        .order_by("-pk")[:listed]
    )
    return Impact(joining + leaving + retimed, joining, leaving, retimed, tickets)


def rule_for_unsaved(policy: SLAPolicy, tier_codes: list[str]) -> PolicyRule:
    """The matching rule of a policy whose tiers are not saved yet."""
    return PolicyRule(
        key=policy.pk,
        name=policy.name,
        name_ar=policy.name_ar,
        channels=tuple(policy.channels),
        tiers=tuple(tier_codes),
        customer_kinds=tuple(policy.customer_kinds),
        ticket_kinds=tuple(policy.ticket_kinds),
        priorities=tuple(int(p) for p in policy.priorities),
    )
