"""Filling a canned response's placeholders: `fill` is pure; `fill_for_ticket`
gives it the values of one ticket, as the reply box and the API both do."""

import re
from datetime import datetime

from django.utils import timezone
from django.utils.formats import date_format

from sla.expectations import promise_by

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(body: str, values: dict[str, str]) -> str:
    """`body` with each known {placeholder} replaced; unknown ones stay as typed."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), body)


def fill_for_ticket(body: str, ticket, *, agent, now: datetime) -> str:
    """`body` filled for `ticket` written by `agent`, its dates in the
    active language."""
    # Never a promise already broken: an overdue ticket promises the end of
    # the working day, not its missed due time.
    due = timezone.localtime(promise_by(ticket, now))
    return fill(
        body,
        {
            "customer_name": ticket.customer.name,
            "ticket_number": ticket.number,
            "due_date": date_format(due, "SHORT_DATETIME_FORMAT"),
            "agent": agent.get_full_name() or agent.get_username(),
        },
    )
