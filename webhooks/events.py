"""Which ticket events a webhook announces, and under what name.

Every change to a ticket is already a `TicketEvent` row; a webhook event is
one of those rows seen from outside. Pure: no database, no settings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Message, TicketEvent

Action = TicketEvent.Action


class EventType(models.TextChoices):
    TICKET_CREATED = "ticket.created", _("Ticket created")
    STATUS_CHANGED = "ticket.status_changed", _("Status changed")
    ASSIGNED = "ticket.assigned", _("Ticket assigned")
    CUSTOMER_REPLIED = "ticket.customer_replied", _("Customer replied")
    SLA_WARNING = "ticket.sla_warning", _("SLA warning")
    SLA_BREACH = "ticket.sla_breach", _("SLA breached")
    COMPLAINT_RAISED = "ticket.complaint_raised", _("Complaint raised")


# The test event a supervisor sends from the subscription's page.
PING = "ping"

# The history actions that can become a webhook event: the relay reads only
# these rows.
ACTIONS = [
    Action.CREATED,
    Action.STATUS,
    Action.ASSIGNED,
    Action.MESSAGE,
    Action.SLA_WARNING,
    Action.SLA_BREACH,
    Action.COMPLAINT,
]

_SIMPLE = {
    Action.CREATED: EventType.TICKET_CREATED,
    Action.STATUS: EventType.STATUS_CHANGED,
    Action.ASSIGNED: EventType.ASSIGNED,
    Action.SLA_WARNING: EventType.SLA_WARNING,
    Action.SLA_BREACH: EventType.SLA_BREACH,
}


def event_type(action: str, old_value: str, new_value: str) -> str | None:
    """The webhook event a history line announces, or None.

    A message event's new value is the message's direction: only the
    customer's own (inbound) messages are replies. A complaint is raised when
    its stage is first set, whether the ticket opened as a complaint or its
    kind changed to one; later stage changes are not announced."""
    if action in _SIMPLE:
        return _SIMPLE[action]
    if action == Action.MESSAGE and new_value == Message.Direction.INBOUND:
        return EventType.CUSTOMER_REPLIED
    if action == Action.COMPLAINT and not old_value and new_value:
        return EventType.COMPLAINT_RAISED
    return None
