"""SLA policies and ledger entries in plain words, in the reader's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from customers.models import Customer, ServiceTier
from helpdesk.channels import Channel
from helpdesk.hijri import hijri_label
from helpdesk.labels import choice_label, localized_name
from sla.display import format_duration
from sla.ledger import LedgerEntry
from sla.models import BusinessCalendar, SLAClock, SLAPolicy, Weekday
from sla.rules import thresholds
from tickets.models import Ticket, TicketEvent

Action = TicketEvent.Action


def _choice(choices, value) -> str:
    return str(choice_label(choices, value))


def tier_names() -> dict[str, str]:
    arabic = get_language() == "ar"
    tiers = ServiceTier.objects.cached()
    return {
        tier.code: (tier.name_ar if arabic and tier.name_ar else tier.name)
        for tier in tiers
    }


def _value_label(condition: str, value, tiers: dict[str, str]) -> str:
    """A condition's value as people call it ('Phone', 'VIP', 'Complaint')."""
    if condition in ("channel", "channels"):
        return _choice(Channel, value)
    if condition in ("ticket_kind", "ticket_kinds"):
        return _choice(Ticket.Kind, value)
    if condition in ("customer_kind", "customer_kinds"):
        return _choice(Customer.Kind, value)
    if condition in ("priority", "priorities"):
        return _choice(Ticket.Priority, int(value))
    if condition in ("tier", "tiers"):
        return tiers.get(value, str(value))
    return str(value)


def condition_label(condition: str) -> str:
    return {
        "channel": _("channel"),
        "tier": _("service tier"),
        "customer_kind": _("customer kind"),
        "ticket_kind": _("ticket kind"),
        "priority": _("priority"),
    }.get(condition, condition)


def _join(values) -> str:
    """Items of a list in the reader's punctuation (the Arabic comma is ،)."""
    return pgettext("list separator", ", ").join(values)


def _any_of(values: list[str]) -> str:
    if len(values) < 2:
        return "".join(values)
    return _("%(some)s or %(last)s") % {
        "some": _join(values[:-1]),
        "last": values[-1],
    }


def calendar_summary(calendar: BusinessCalendar | None) -> str:
    """'Sunday to Thursday 08:00–16:00 (Asia/Riyadh)', or round the clock."""
    if calendar is None:
        return _("round the clock, every hour of every day")
    by_hours: dict[tuple, list[int]] = {}
    for hours in calendar.hours.all():
        by_hours.setdefault((hours.start, hours.end), []).append(hours.weekday)
    parts = []
    order = [6, 0, 1, 2, 3, 4, 5]  # the week as the department reads it
    for (start, end), days in by_hours.items():
        days = sorted(days, key=order.index)
        names = [str(Weekday(day).label) for day in days]
        span = (
            _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
            if len(days) > 2
            and [order.index(d) for d in days]
            == list(range(order.index(days[0]), order.index(days[-1]) + 1))
            else _join(names)
        )
        parts.append(f"{span} {start:%H:%M}–{end:%H:%M}")
    if not parts:
        return _("%(name)s, which has no working hours yet") % {
            "name": localized_name(calendar)
        }
    return _("%(hours)s, %(zone)s time, on the %(name)s calendar") % {
        "hours": "; ".join(parts),
        "zone": calendar.timezone,
        "name": localized_name(calendar),
    }


def describe_policy(
    policy: SLAPolicy,
    tiers: dict[str, str] | None = None,
    tier_codes: list[str] | None = None,
) -> list[str]:
    """What a policy does, sentence by sentence (`tiers`: code to name;
    `tier_codes`: the policy's tiers when it is not saved yet, as in the
    editor's preview)."""
    if tiers is None:
        tiers = tier_names()
    if tier_codes is None:
        tier_codes = [t.code for t in policy.tiers.all()]
    conditions = [
        (
            _("from customers in the %(what)s tier"),
            "tiers",
            tier_codes,
        ),
        (_("from %(what)s customers"), "customer_kinds", policy.customer_kinds),
        (_("that are a %(what)s"), "ticket_kinds", policy.ticket_kinds),
        (_("that came by %(what)s"), "channels", policy.channels),
        (_("with %(what)s priority"), "priorities", policy.priorities),
    ]
    scope = [
        template % {"what": _any_of([_value_label(name, v, tiers) for v in values])}
        for template, name, values in conditions
        if values
    ]
    lines = [
        _("Applies to tickets %(scope)s.") % {"scope": _join(scope)}
        if scope
        else _("Applies to every ticket that no earlier policy took.")
    ]
    targets = [
        (policy.first_response, _("First response within %(time)s.")),
        (
            policy.next_response,
            _("Each later customer message answered within %(time)s."),
        ),
        (
            policy.resolution,
            _("Resolved within %(time)s; time waiting on the customer does not count."),
        ),
    ]
    working = policy.calendar is not None
    for limit, sentence in targets:
        if limit is not None:
            time = format_duration(limit, days=not working)
            if working:
                time = _("%(time)s of working time") % {"time": time}
            lines.append(sentence % {"time": time})
    if policy.appeal_resolution is not None:
        time = format_duration(policy.appeal_resolution, days=not working)
        if working:
            time = _("%(time)s of working time") % {"time": time}
        lines.append(
            _("A complaint the customer appeals is resolved within %(time)s.")
            % {"time": time}
        )
    lines.append(
        _("Time is counted %(calendar)s.")
        % {"calendar": calendar_summary(policy.calendar)}
    )
    percents = _join(f"{p}%" for p in thresholds(policy.warning_thresholds))
    lines.append(
        _(
            "Warns the assignee at %(percents)s of each target; "
            "a breach also alerts the queue's supervisors."
        )
        % {"percents": percents}
    )
    return lines


def _when(value: datetime | None) -> str:
    if value is None:
        return "—"
    return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")


def _minutes(value) -> str:
    return format_duration(timedelta(minutes=value or 0))


def _target(event: TicketEvent) -> str:
    return _choice(SLAClock.Target, event.sla_target) if event.sla_target else ""


def _calendar_rule(rule: dict) -> str:
    kind = rule.get("kind")
    if kind == "always_open":
        return _("counted round the clock")
    if kind == "holiday":
        name = (
            rule["name_ar"]
            if get_language() == "ar" and rule.get("name_ar")
            else rule["name"]
        )
        if rule.get("hijri"):
            # Defined by Hijri date: give that date, as the department knows it.
            name = f"{name} ({hijri_label(date.fromisoformat(rule['date']))})"
        return _("%(date)s is a holiday: %(name)s") % {
            "date": rule["date"],
            "name": name,
        }
    if kind == "exception":
        return _("%(name)s: other hours from %(from)s to %(to)s") % rule
    if kind == "closed":
        return _("not working days: %(days)s") % {"days": _join(rule["days"])}
    return str(rule)


def _owed_lines(entry: LedgerEntry) -> list[str]:
    """A memo's clock: which queue owes the answer, on which calendar."""
    if not entry.owed_by:
        return []
    queue = (
        entry.owed_by_ar
        if get_language() == "ar" and entry.owed_by_ar
        else entry.owed_by
    )
    lines = [
        _("memo %(number)s, owed by %(queue)s; the customer's clocks run on")
        % {"number": entry.reference, "queue": queue}
    ]
    if entry.calendar and entry.calendar != "round the clock":
        # Round the clock is said by the calendar rules below.
        lines.append(
            _("counted on %(queue)s's calendar: %(calendar)s")
            % {"queue": queue, "calendar": entry.calendar}
        )
    return lines


def ledger_entry(
    event: TicketEvent, tiers: dict[str, str] | None = None
) -> tuple[str, list[str]]:
    """An SLA ledger event as a headline and the details that explain it."""
    entry = LedgerEntry.from_details(event.details)
    if tiers is None:
        tiers = tier_names()

    def value_label(condition, value):
        return _value_label(condition, value, tiers)

    target = _target(event)
    if event.action == Action.SLA_POLICY:
        arabic = get_language() == "ar"

        def name(english: str, name_ar: str = "") -> str:
            return name_ar if arabic and name_ar else english

        skipped = [
            _("skipped %(policy)s: %(condition)s is %(value)s")
            % {
                "policy": name(skip.policy, skip.policy_ar),
                "condition": condition_label(skip.condition),
                "value": value_label(skip.condition, skip.value),
            }
            for skip in entry.skipped
        ]
        if not event.new_value:
            return _("No SLA policy matches this ticket."), skipped
        lines = [
            _("%(condition)s is %(value)s, one of %(accepted)s")
            % {
                "condition": condition_label(c.condition),
                "value": value_label(c.condition, c.value),
                "accepted": _join(value_label(c.condition, a) for a in c.accepted),
            }
            for c in entry.conditions
        ] or [_("this policy applies to every ticket")]
        chosen = name(event.new_value, entry.policy_ar)
        return _("Policy chosen: %(policy)s") % {"policy": chosen}, lines + skipped
    if event.action in (Action.SLA_STARTED, Action.SLA_RESUMED):
        headline = (
            _("%(target)s clock resumed, due %(due)s")
            if event.action == Action.SLA_RESUMED
            else _("%(target)s clock started, due %(due)s")
        ) % {"target": target, "due": _when(entry.due_at)}
        lines = [
            _("counting from %(start)s; %(used)s of %(limit)s already used")
            % {
                "start": _when(entry.running_since),
                "used": _minutes(entry.used_minutes),
                "limit": _minutes(entry.limit_minutes),
            }
        ]
        lines += _owed_lines(entry)
        if entry.recomputed:
            lines.append(_("recomputed from the original start after a change"))
        lines += [
            _("warning at %(percent)s%%: %(when)s")
            % {"percent": w.percent, "when": _when(w.at)}
            for w in entry.warnings
        ]
        lines += [_calendar_rule(rule) for rule in entry.calendar_rules]
        return headline, lines
    if event.action == Action.SLA_PAUSED:
        return _("%(target)s clock paused while waiting on the customer") % {
            "target": target
        }, [
            _("%(used)s of %(limit)s used so far")
            % {
                "used": _minutes(entry.used_minutes),
                "limit": _minutes(entry.limit_minutes),
            }
        ]
    if event.action in (Action.SLA_MET, Action.SLA_MISSED):
        headline = (
            _("%(target)s target met")
            if event.action == Action.SLA_MET
            else _("%(target)s target missed")
        ) % {"target": target}
        return headline, [
            *_owed_lines(entry),
            _("due %(due)s; %(used)s of %(limit)s used")
            % {
                "due": _when(entry.due_at),
                "used": _minutes(entry.used_minutes),
                "limit": _minutes(entry.limit_minutes),
            },
        ]
    if event.action == Action.SLA_WARNING:
        return _("%(target)s has used %(percent)s%% of its time") % {
            "target": target,
            "percent": event.new_value,
        }, []
    if event.action == Action.SLA_BREACH:
        return _("%(target)s breached") % {"target": target}, []
    if event.action == Action.ESCALATED:
        return _("Escalated: priority %(old)s to %(new)s") % {
            "old": value_label("priority", event.old_value),
            "new": value_label("priority", event.new_value),
        }, []
    return str(event.get_action_display()), []
