"""What a customer can expect next: when we will answer, in their words."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import pgettext

from sla.business_calendar import (
    NoWorkingTime,
    next_working_moment,
    working_intervals_on,
)
from sla.config import calendar_for, policy_of
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


def promise_by(ticket: Ticket, now: datetime) -> datetime:
    """The time a reply may promise the customer an answer by: the next
    answer's due time while it is still ahead; once it has passed (or none is
    owed), the end of the current working period, or of the next one outside
    working hours, on the ticket's calendar. Never a time already past."""
    due = next_response_due(ticket) or ticket.due_at
    if due is not None and due > now:
        return due
    calendar = calendar_for(policy_of(ticket)).pure
    try:
        start = next_working_moment(now, calendar)
    except NoWorkingTime:
        return now
    day = start.astimezone(calendar.tz).date()
    ends = [end for _, end in working_intervals_on(day, calendar) if end > start]
    return min(ends, default=start)
