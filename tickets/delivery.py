"""An email to a customer that did not arrive: the mail server refused it, or
it came back as a bounce. The ticket's history says so, and the agent who
should act (to phone the customer, correct the address) is told."""

from __future__ import annotations

from .history import record_event
from .models import CustomerEmail, Notification, TicketEvent
from .notifications import notify


def people_to_tell(email: CustomerEmail) -> list:
    """Who hears of `email` failing: the ticket's assignee, else the author of
    the reply it carried, else the queue's supervisors."""
    ticket = email.ticket
    if ticket.assignee is not None and ticket.assignee.is_active:
        return [ticket.assignee]
    message = email.message
    if message is not None and message.author is not None and message.author.is_active:
        return [message.author]
    return list(ticket.queue.supervisors.filter(is_active=True))


def report_undelivered(email: CustomerEmail, reason: str) -> TicketEvent | None:
    """Record on the ticket that `email` did not reach the customer, and why,
    and notify `people_to_tell`; return the event (None for an email about no
    ticket, such as a sign-in link)."""
    if email.ticket_id is None:
        return None
    ticket = email.ticket
    event = record_event(
        ticket,
        TicketEvent.Action.EMAIL_FAILED,
        old=email.to_email,
        new=reason,
        message=email.message,
    )
    notify(
        people_to_tell(email),
        ticket,
        event=event,
        kind=Notification.Kind.DELIVERY_FAILED,
    )
    return event
