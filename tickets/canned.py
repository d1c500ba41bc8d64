"""Filling a canned response's placeholders: `fill` and `values_for` are
pure; `promised_due` reads the ticket's clocks, once for any number of
responses. The reply box and the API fill them alike."""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from sla.expectations import promise_by

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(body: str, values: dict[str, str]) -> str:
    """`body` with each known {placeholder} replaced; unknown ones stay as typed."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), body)


def promised_due(ticket, now: datetime) -> datetime:
    """The local time a reply to `ticket` may promise an answer by."""
    # Never a promise already broken: an overdue ticket promises the end of
    # the working day, not its missed due time.
    return timezone.localtime(promise_by(ticket, now))


def values_for(ticket, *, agent, due: datetime) -> dict[str, str]:
    """What fills each placeholder for `ticket` written by `agent`, the date
    in the active language."""
    return {
        "customer_name": ticket.customer.name,
        "ticket_number": ticket.number,
        "due_date": date_format(due, "SHORT_DATETIME_FORMAT"),
        "agent": agent.get_full_name() or agent.get_username(),
    }
