"""What a customer can expect next: when we will answer, in their words."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.formats import date_format

from sla.models import SLAClock
from tickets.models import Ticket

RESPONSE_TARGETS = (SLAClock.Target.FIRST_RESPONSE, SLAClock.Target.NEXT_RESPONSE)


def next_response_due(ticket: Ticket) -> datetime | None:
    """When the customer's next answer is due: the earliest running response
    clock (uses prefetched `clocks`), or None when no answer is owed."""
    due = [
        clock.due_at
        for clock in ticket.clocks.all()
        if clock.target in RESPONSE_TARGETS and clock.is_running and clock.due_at
    ]
    return min(due, default=None)


def format_answer_by(due_at: datetime, now: datetime) -> str:
    """A due time as a person says it, in the active language: 'Sunday 14:00'
    within the week, 'Sunday 21 June 14:00' further off."""
    local = timezone.localtime(due_at)
    if local - timezone.localtime(now) < timedelta(days=6):
        return date_format(local, "l H:i")
    return date_format(local, "l j F H:i")
