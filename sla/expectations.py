"""What a customer can expect next: when we will answer, in their words."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

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


def format_answer_by(due_at: datetime, now: datetime | None = None) -> str:
    """A due time with its full date, in the active language: 'Tuesday
    8 December 2026, 14:00'. A weekday alone is ambiguous across a weekend or
    a holiday, and the customer may read the page or the email days later.
    (`now` is kept for callers that pass it.)"""
    local = timezone.localtime(due_at)
    return date_format(local, pgettext("answer-by date format", "l j F Y, H:i"))
