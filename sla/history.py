"""What an SLA policy or a calendar looked like before and after a change, the
difference between the two, and that difference in words for supervisors."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sla.models import (
    BusinessCalendar,
    CalendarException,
    HijriRule,
    Holiday,
    SLAChange,
    SLAPolicy,
    Weekday,
    WorkingHours,
)

# A value is a str, int, bool, None or a list of str: what JSON keeps as is.
Snapshot = dict[str, object]

# Fields that decide which tickets a policy takes, and those that decide when
# the tickets it has are due.
POLICY_MATCHING = {
    "order",
    "is_active",
    "channels",
    "customer_kinds",
    "ticket_kinds",
    "priorities",
    "tiers",
}
POLICY_TIMING = {
    "first_response",
    "next_response",
    "resolution",
    "calendar",
    "warning_thresholds",
}
CALENDAR_TIMING = {"timezone", "hours", "exceptions", "holidays", "hijri_rules"}
# A calendar's rows are told as added and removed rather than old and new.
CALENDAR_ROWS = {
    "hours": WorkingHours,
    "exceptions": CalendarException,
    "holidays": Holiday,
    "hijri_rules": HijriRule,
}


def _duration(value: timedelta | None) -> str | None:
    if value is None:
        return None
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60}:{minutes % 60:02d}"


def policy_snapshot(policy: SLAPolicy) -> Snapshot:
    """The policy's fields as plain values (its tiers read from the database)."""
    return {
        "name": policy.name,
        "name_ar": policy.name_ar,
        "order": policy.order,
        "is_active": policy.is_active,
        "channels": [str(v) for v in policy.channels],
        "customer_kinds": [str(v) for v in policy.customer_kinds],
        "ticket_kinds": [str(v) for v in policy.ticket_kinds],
        "priorities": [str(v) for v in policy.priorities],
        "tiers": sorted(policy.tiers.values_list("code", flat=True)),
        "first_response": _duration(policy.first_response),
        "next_response": _duration(policy.next_response),
        "resolution": _duration(policy.resolution),
        "calendar": policy.calendar.name if policy.calendar_id else None,
        "warning_thresholds": [str(v) for v in policy.warning_thresholds],
    }


def _describe_exception(exception: CalendarException) -> str:
    hours = ""
    if exception.start_time and exception.end_time:
        hours = f" {exception.start_time:%H:%M}–{exception.end_time:%H:%M}"
    weekdays = ""
    if exception.weekdays:
        weekdays = " (" + ", ".join(str(day) for day in exception.weekdays) + ")"
    return (
        f"{exception.name}: {exception.kind} "
        f"{exception.start_date}–{exception.end_date}{hours}{weekdays}"
    )


def _describe_hijri_rule(rule: HijriRule) -> str:
    hours = ""
    if rule.start_time and rule.end_time:
        hours = f" {rule.start_time:%H:%M}–{rule.end_time:%H:%M}"
    weekdays = ""
    if rule.weekdays:
        weekdays = " (" + ", ".join(str(day) for day in rule.weekdays) + ")"
    last = rule.last_day if rule.last_day is not None else "end"
    # Month by number: the record reads the same in every language.
    return (
        f"{rule.name}: {rule.kind} Hijri {rule.first_day}–{last}/{rule.month}"
        f"{hours}{weekdays}"
    )


def calendar_snapshot(calendar: BusinessCalendar) -> Snapshot:
    """The calendar's fields and rows as plain values, read from the database."""
    return {
        "name": calendar.name,
        "timezone": calendar.timezone,
        "country": calendar.country,
        "hours": [
            f"{Weekday(row.weekday).name.title()} {row.start:%H:%M}–{row.end:%H:%M}"
            for row in WorkingHours.objects.filter(calendar=calendar)
        ],
        "exceptions": [
            _describe_exception(exception)
            for exception in CalendarException.objects.filter(calendar=calendar)
        ],
        "holidays": [
            f"{holiday.date} {holiday.name}"
            for holiday in Holiday.objects.filter(calendar=calendar)
        ],
        "hijri_rules": [
            _describe_hijri_rule(rule)
            for rule in HijriRule.objects.filter(calendar=calendar)
        ],
    }


def diff(old: Snapshot | None, new: Snapshot | None) -> list[dict]:
    """Each field that differs: old and new value, or for a calendar's rows
    the rows added and removed."""
    old, new = old or {}, new or {}
    changes = []
    for field in dict.fromkeys([*old, *new]):
        before, after = old.get(field), new.get(field)
        if before == after or (_is_empty(before) and _is_empty(after)):
            continue
        if field in CALENDAR_ROWS:
            before, after = before or [], after or []
            changes.append(
                {
                    "field": field,
                    "added": [row for row in after if row not in before],
                    "removed": [row for row in before if row not in after],
                }
            )
        else:
            changes.append({"field": field, "old": before, "new": after})
    return changes


def _is_empty(value) -> bool:
    return value is None or value == "" or value == []


def changed_fields(changes: list[dict]) -> set[str]:
    return {change["field"] for change in changes}


def _field_label(subject: str, field: str) -> str:
    if subject == SLAChange.Subject.CALENDAR and field in CALENDAR_ROWS:
        return str(CALENDAR_ROWS[field]._meta.verbose_name_plural)
    model = SLAPolicy if subject == SLAChange.Subject.POLICY else BusinessCalendar
    return str(model._meta.get_field(field).verbose_name)


def _value(value) -> str:
    if _is_empty(value):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


_HEADLINES = {
    (SLAChange.Subject.POLICY, SLAChange.Action.CREATED): gettext_lazy(
        "SLA policy %(name)s created"
    ),
    (SLAChange.Subject.POLICY, SLAChange.Action.CHANGED): gettext_lazy(
        "SLA policy %(name)s changed"
    ),
    (SLAChange.Subject.POLICY, SLAChange.Action.DELETED): gettext_lazy(
        "SLA policy %(name)s deleted"
    ),
    (SLAChange.Subject.CALENDAR, SLAChange.Action.CREATED): gettext_lazy(
        "Calendar %(name)s created"
    ),
    (SLAChange.Subject.CALENDAR, SLAChange.Action.CHANGED): gettext_lazy(
        "Calendar %(name)s changed"
    ),
    (SLAChange.Subject.CALENDAR, SLAChange.Action.DELETED): gettext_lazy(
        "Calendar %(name)s deleted"
    ),
}


def headline(change: SLAChange) -> str:
    """What was changed, in a few words: "SLA policy Written changed"."""
    return _HEADLINES[change.subject, change.action] % {"name": change.name}


def change_lines(change: SLAChange) -> list[str]:
    """Each field's change in words, then how far re-planning has got."""
    lines = []
    for item in change.changes:
        label = _field_label(change.subject, item["field"])
        if "added" in item:
            if item["added"]:
                lines.append(
                    _("%(field)s added: %(values)s")
                    % {"field": label, "values": _value(item["added"])}
                )
            if item["removed"]:
                lines.append(
                    _("%(field)s removed: %(values)s")
                    % {"field": label, "values": _value(item["removed"])}
                )
        else:
            lines.append(
                _("%(field)s: %(old)s → %(new)s")
                % {
                    "field": label,
                    "old": _value(item["old"]),
                    "new": _value(item["new"]),
                }
            )
    if change.replans:
        if change.replan_finished_at is None:
            lines.append(_("Re-planning the open tickets it affects…"))
        else:
            lines.append(
                ngettext(
                    "%(count)d open ticket re-planned.",
                    "%(count)d open tickets re-planned.",
                    change.replanned,
                )
                % {"count": change.replanned}
            )
    return lines
