"""The verbs that change SLA policies and business calendars.

Each validates the change, records what changed and who changed it
(`SLAChange`), and after the commit re-plans the open tickets the change may
affect (`sla.tasks.replan_open_tickets`; a broker that is down only delays
it until the beat's `resume_replanning`) and drops this process's copy of the
policies. The admin, the holiday import and the management commands call
these; nothing else writes policies or calendars.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Q

from customers.models import ServiceTier
from helpdesk import background
from sla import history
from sla.config import forget_sla_config
from sla.holiday_import import ImportResult, import_public_holidays
from sla.models import (
    BusinessCalendar,
    CalendarException,
    HijriRule,
    Holiday,
    SLAChange,
    SLAPolicy,
    WorkingHours,
)
from sla.tasks import replan_open_tickets

# Who made a change; None for the system (a management command).
Actor = AbstractBaseUser | None
Subject = SLAChange.Subject
Action = SLAChange.Action


@transaction.atomic
def save_policy(
    policy: SLAPolicy, *, by: Actor, tiers: Iterable[ServiceTier] | None = None
) -> SLAChange | None:
    """Validate and save `policy` (and its service tiers, when given), record
    what changed and re-plan the open tickets it may affect; None when
    nothing changed."""
    stored = SLAPolicy.objects.filter(pk=policy.pk).first() if policy.pk else None
    old = history.policy_snapshot(stored) if stored else None
    policy.full_clean()
    policy.save()
    if tiers is not None:
        policy.tiers.set(tiers)
    changes = history.diff(old, history.policy_snapshot(policy))
    if not changes:
        return None
    fields = history.changed_fields(changes)
    replan_policies, replan_unmatched = [], False
    if policy.is_active and (stored is None or fields & history.POLICY_MATCHING):
        # It may now take tickets from the policies after it, or from none.
        replan_policies = [policy.pk, *_ranked_after(policy)]
        replan_unmatched = True
    elif stored is not None and fields & (
        history.POLICY_MATCHING | history.POLICY_TIMING
    ):
        replan_policies = [policy.pk]
    return _record(
        Subject.POLICY,
        Action.CREATED if stored is None else Action.CHANGED,
        policy,
        changes=changes,
        by=by,
        replan_policies=replan_policies,
        replan_unmatched=replan_unmatched,
    )


@transaction.atomic
def set_policy_active(
    policy: SLAPolicy, *, active: bool, by: Actor
) -> SLAChange | None:
    """Switch `policy` on or off; its tickets, or those it now takes, are re-planned."""
    policy.is_active = active
    return save_policy(policy, by=by)


@transaction.atomic
def delete_policy(policy: SLAPolicy, *, by: Actor) -> SLAChange:
    """Delete `policy`, record what it was, and re-plan its open tickets under
    the policies left."""
    changes = history.diff(history.policy_snapshot(policy), None)
    pk = policy.pk
    # Its tickets are left on no policy (SET_NULL) until they are re-planned.
    policy.delete()
    policy.pk = pk
    return _record(
        Subject.POLICY,
        Action.DELETED,
        policy,
        changes=changes,
        by=by,
        replan_unmatched=True,
    )


@transaction.atomic
def save_calendar(
    calendar: BusinessCalendar,
    *,
    by: Actor,
    hours: Iterable[WorkingHours] | None = None,
    exceptions: Iterable[CalendarException] | None = None,
    holidays: Iterable[Holiday] | None = None,
    hijri_rules: Iterable[HijriRule] | None = None,
) -> SLAChange | None:
    """Validate and save `calendar` and, for each of `hours`, `exceptions`,
    `holidays` and `hijri_rules` given, make those exactly its rows; record
    what changed and re-plan the open tickets on the policies that use it."""
    groups = [
        (model, list(rows))
        for model, rows in (
            (WorkingHours, hours),
            (CalendarException, exceptions),
            (Holiday, holidays),
            (HijriRule, hijri_rules),
        )
        if rows is not None
    ]

    def write():
        calendar.full_clean()
        calendar.save()
        # Rows that go are deleted first: a holiday may move to a date another
        # one leaves.
        for model, rows in groups:
            kept = [row.pk for row in rows if row.pk is not None]
            model.objects.filter(calendar=calendar).exclude(pk__in=kept).delete()
        for _model, rows in groups:
            for row in rows:
                row.calendar = calendar
                row.full_clean()
                row.save()

    return _change_calendar(calendar, by=by, write=write)


@transaction.atomic
def delete_calendar(calendar: BusinessCalendar, *, by: Actor) -> SLAChange:
    """Delete a calendar no policy uses (ProtectedError otherwise), and record
    what it was."""
    changes = history.diff(history.calendar_snapshot(calendar), None)
    pk = calendar.pk
    calendar.delete()
    calendar.pk = pk
    return _record(Subject.CALENDAR, Action.DELETED, calendar, changes=changes, by=by)


@transaction.atomic
def save_holiday(holiday: Holiday, *, by: Actor) -> SLAChange | None:
    """Validate and save one holiday as a change of its calendar (and of the
    calendar it leaves, if it moves)."""

    def write():
        holiday.full_clean()
        holiday.save()

    moved_from = None
    if holiday.pk is not None:
        moved_from = (
            BusinessCalendar.objects.filter(holidays__pk=holiday.pk)
            .exclude(pk=holiday.calendar_id)
            .first()
        )
    if moved_from is not None:
        inner = write

        def write():
            _change_calendar(moved_from, by=by, write=inner)

    return _change_calendar(holiday.calendar, by=by, write=write)


@transaction.atomic
def delete_holiday(holiday: Holiday, *, by: Actor) -> SLAChange | None:
    """Delete one holiday as a change of its calendar."""
    return _change_calendar(holiday.calendar, by=by, write=holiday.delete)


@transaction.atomic
def import_holidays(
    calendar: BusinessCalendar,
    *,
    years: Iterable[int],
    country: str = "",
    by: Actor = None,
) -> ImportResult:
    """Add or refresh the country's public holidays in `calendar` (hand-entered
    ones are kept), as a change of the calendar; ValueError for an unknown
    country."""
    result = ImportResult()

    def write():
        nonlocal result
        result = import_public_holidays(calendar, years, country=country)

    _change_calendar(calendar, by=by, write=write)
    return result


def _change_calendar(
    calendar: BusinessCalendar, *, by: Actor, write: Callable[[], object]
) -> SLAChange | None:
    """Run `write`, then record how the calendar differs and re-plan the open
    tickets of the policies that use it when its working time changed."""
    stored = (
        BusinessCalendar.objects.filter(pk=calendar.pk).first() if calendar.pk else None
    )
    old = history.calendar_snapshot(stored) if stored else None
    write()
    changes = history.diff(old, history.calendar_snapshot(calendar))
    if not changes:
        return None
    replan_policies = []
    if stored is not None and history.changed_fields(changes) & history.CALENDAR_TIMING:
        replan_policies = list(calendar.policies.values_list("pk", flat=True))
    return _record(
        Subject.CALENDAR,
        Action.CHANGED if stored else Action.CREATED,
        calendar,
        changes=changes,
        by=by,
        replan_policies=replan_policies,
    )


def _ranked_after(policy: SLAPolicy) -> list[int]:
    """Policies tried after `policy` (by order, then id)."""
    later = Q(order__gt=policy.order) | Q(order=policy.order, pk__gt=policy.pk)
    return list(SLAPolicy.objects.filter(later).values_list("pk", flat=True))


def _record(
    subject: str,
    action: str,
    changed: SLAPolicy | BusinessCalendar,
    *,
    changes: list[dict],
    by: Actor,
    replan_policies: list[int] | None = None,
    replan_unmatched: bool = False,
) -> SLAChange:
    """Write the change's history row, and after the commit re-plan the open
    tickets it may affect and forget this process's copy of the policies."""
    change = SLAChange.objects.create(
        subject=subject,
        object_id=changed.pk,
        name=changed.name,
        action=action,
        changes=changes,
        by=by if by is not None and by.is_authenticated else None,
        replan_policies=replan_policies or [],
        replan_unmatched=replan_unmatched,
    )
    # Now, for the rest of this transaction, and again after the commit, in
    # case another thread of this process read the old rows meanwhile.
    forget_sla_config()
    transaction.on_commit(forget_sla_config)
    if change.replans:
        transaction.on_commit(partial(background.start, replan_open_tickets, change.pk))
    return change
