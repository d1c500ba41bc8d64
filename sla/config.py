"""Which SLA policy and calendar apply to a ticket.

The active policies and their calendars are read once and kept in the process
for SLA_CONFIG_CACHE_SECONDS, so opening a ticket reads no policy or calendar
and a calendar's computed weeks are reused.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from sla import business_calendar as bc
from sla.hijri_rules import dates_of
from sla.models import BusinessCalendar, HijriRule, SLAPolicy
from sla.rules import Match, PolicyRule, TicketFacts, match_policy
from tickets.models import Queue, Ticket

log = logging.getLogger(__name__)
# Looking further than this for holidays to explain a due time is noise.
_EXPLAIN_DAYS = 120


@dataclass(frozen=True)
class Calendar:
    """A policy's calendar: the pure one for arithmetic, and names for people."""

    pure: bc.BusinessCalendar
    name: str
    holidays: dict[date, tuple[str, str]]
    exceptions: tuple[tuple[date, date, str], ...]
    # Holidays defined by Hijri date, which explanations give with that date.
    hijri_holidays: frozenset[date] = frozenset()

    def rules_between(self, start: datetime, end: datetime) -> list[dict]:
        """The holidays, exceptions and closed days that shaped [start, end]."""
        if self.pure.always_open:
            return [{"kind": "always_open"}]
        tz = self.pure.tz
        first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
        last = min(last, first + timedelta(days=_EXPLAIN_DAYS))
        rules: list[dict] = [
            {"kind": "exception", "name": name, "from": str(begin), "to": str(end)}
            for begin, end, name in self.exceptions
            if begin <= last and end >= first
        ]
        closed = []
        day = first
        while day <= last:
            if day in self.holidays:
                name, name_ar = self.holidays[day]
                rule = {
                    "kind": "holiday",
                    "date": str(day),
                    "name": name,
                    "name_ar": name_ar,
                }
                if day in self.hijri_holidays:
                    rule["hijri"] = True
                rules.append(rule)
            elif not self.pure.hours_on(day):
                closed.append(str(day))
            day += timedelta(days=1)
        if closed:
            rules.append({"kind": "closed", "days": closed})
        return rules


def load_calendar(calendar: BusinessCalendar | None) -> Calendar:
    """The calendar a policy measures on; round the clock when it has none."""
    if calendar is None:
        return Calendar(
            pure=bc.round_the_clock(ZoneInfo(settings.TIME_ZONE)),
            name="round the clock",
            holidays={},
            exceptions=(),
        )
    pure = calendar.to_calendar()
    if not pure.has_hours():
        # A calendar nobody has given working hours yet must not stop tickets
        # from being opened: count round the clock, and say so in the ledger.
        log.warning(
            "Calendar %s has no working hours: counting round the clock.", calendar
        )
        return Calendar(
            pure=bc.round_the_clock(pure.tz),
            name=f"{calendar.name} (no working hours: round the clock)",
            holidays={},
            exceptions=(),
        )
    holidays = {h.date: (h.name, h.name_ar) for h in calendar.holidays.all()}
    hijri_holidays = set()
    exceptions = [(e.start_date, e.end_date, e.name) for e in calendar.exceptions.all()]
    for rule, first, last in calendar.hijri_spans():
        if rule.kind == HijriRule.Kind.PERIOD:
            exceptions.append((first, last, rule.name))
            continue
        for day in dates_of([(first, last)]):
            # The Hijri rule names the day, also when a holiday typed by hand
            # (or imported) falls on it: it is one holiday either way.
            holidays[day] = (rule.name, rule.name_ar)
            hijri_holidays.add(day)
    return Calendar(
        pure=pure,
        name=f"{calendar.name} ({calendar.timezone})",
        holidays=holidays,
        exceptions=tuple(sorted(exceptions)),
        hijri_holidays=frozenset(hijri_holidays),
    )


@dataclass
class _Config:
    """Active policies and their calendars, as loaded at `loaded` (monotonic)."""

    loaded: float
    policies: list[SLAPolicy]
    calendars: dict[int | None, Calendar]
    # The policies as matching rules, in the same order: made once per load,
    # not once per ticket.
    rules: list[PolicyRule]


_config: _Config | None = None


def sla_config() -> _Config:
    """Active policies in order, with their calendars ready for arithmetic.

    Kept in the process for SLA_CONFIG_CACHE_SECONDS: opening a ticket then
    costs no policy or calendar queries, and a calendar's computed weeks are
    reused. An edit reaches every process within that time."""
    global _config
    ttl = settings.SLA_CONFIG_CACHE_SECONDS
    if _config is None or ttl <= 0 or time.monotonic() - _config.loaded >= ttl:
        policies = list(
            SLAPolicy.objects.filter(is_active=True)
            .select_related("calendar")
            .prefetch_related(
                "tiers",
                "calendar__hours",
                "calendar__holidays",
                "calendar__exceptions",
                "calendar__hijri_rules",
            )
        )
        calendars = {None: load_calendar(None)}
        for policy in policies:
            if policy.calendar_id not in calendars:
                calendars[policy.calendar_id] = load_calendar(policy.calendar)
        rules = [rule_for(policy) for policy in policies]
        _config = _Config(time.monotonic(), policies, calendars, rules)
    return _config


def forget_sla_config() -> None:
    """Drop this process's copy of the policies (after an edit made here)."""
    global _config
    _config = None


def calendar_for(policy: SLAPolicy | None) -> Calendar:
    """The calendar `policy` measures on (round the clock without a policy)."""
    if policy is None or policy.calendar_id is None:
        return load_calendar(None)
    # From the process's copy, loaded here if need be: otherwise every ticket
    # page a process shows before it opens a ticket reads the calendar's
    # hours, holidays and exceptions again (5 queries).
    if settings.SLA_CONFIG_CACHE_SECONDS > 0:
        calendar = sla_config().calendars.get(policy.calendar_id)
        if calendar is not None:
            return calendar
    return load_calendar(policy.calendar)


def queue_calendar(queue: Queue) -> Calendar:
    """The calendar a queue answers memos on (round the clock without one),
    from the process's copy when a policy shares it."""
    if queue.calendar_id is None:
        return load_calendar(None)
    if settings.SLA_CONFIG_CACHE_SECONDS > 0:
        calendar = sla_config().calendars.get(queue.calendar_id)
        if calendar is not None:
            return calendar
    return load_calendar(queue.calendar)


def policy_of(ticket: Ticket) -> SLAPolicy | None:
    """The ticket's policy, from the process's copy when it is active there:
    a reply to a ticket then reads no policy."""
    if ticket.sla_policy_id is None:
        return None
    loaded = Ticket._meta.get_field("sla_policy").is_cached(ticket)
    if not loaded and settings.SLA_CONFIG_CACHE_SECONDS > 0:
        for policy in sla_config().policies:
            if policy.pk == ticket.sla_policy_id:
                return policy
    return ticket.sla_policy


def rule_for(policy: SLAPolicy) -> PolicyRule:
    return PolicyRule(
        key=policy.pk,
        name=policy.name,
        name_ar=policy.name_ar,
        channels=tuple(policy.channels),
        tiers=tuple(tier.code for tier in policy.tiers.all()),
        customer_kinds=tuple(policy.customer_kinds),
        ticket_kinds=tuple(policy.ticket_kinds),
        priorities=tuple(int(p) for p in policy.priorities),
    )


def facts_for(ticket: Ticket) -> TicketFacts:
    customer = ticket.customer
    return TicketFacts(
        channel=ticket.channel,
        tier=customer.tier.code,
        customer_kind=customer.kind,
        ticket_kind=ticket.kind,
        priority=int(ticket.priority),
    )


def choose_policy(
    ticket: Ticket, config: _Config | None = None
) -> tuple[SLAPolicy | None, Match]:
    """The first active policy that matches `ticket`, with the reasons
    (`config`: the policies, when already in hand for many tickets)."""
    config = config or sla_config()
    match = match_policy(config.rules, facts_for(ticket))
    chosen = next(
        (p for p in config.policies if match.rule and p.pk == match.rule.key), None
    )
    return chosen, match
