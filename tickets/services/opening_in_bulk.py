"""Opening many new tickets at once: what `open_ticket_with_message` does for
one request, in a constant number of statements for a whole batch (ticket
numbers, tickets, messages, SLA clocks, milestones, history and
acknowledgements, one statement each), for a worker draining a backlog of web
form requests. Complaints are opened one by one, since their supervisors
are notified as each is taken in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from sla import clocks
from tickets import emails

from ..history import ticket_event
from ..models import (
    Category,
    Message,
    Queue,
    Ticket,
    TicketEvent,
    format_ticket_number,
    reserve_ticket_numbers,
)
from .lifecycle import new_ticket, open_ticket


@dataclass
class Request:
    """One inbound request to open a ticket for; `language` is the
    acknowledgement's."""

    customer: Customer
    subject: str
    body_text: str
    channel: str
    queue: Queue
    language: str
    received_at: datetime
    kind: str = Ticket.Kind.INQUIRY
    category: Category | None = None
    tracking_token: str = ""


def open_tickets(requests: Sequence[Request]) -> list[Ticket]:
    """Open a ticket for each request, in order, each with its first inbound
    message, a `created` event, its SLA clocks from its received time, and
    the acknowledgement queued; the tickets."""
    now = timezone.now()
    if any(request.received_at > now for request in requests):
        raise ValidationError(_("The received date cannot be in the future."))
    return _open(requests, now)


@transaction.atomic(savepoint=False)
def _open(requests: Sequence[Request], now: datetime) -> list[Ticket]:
    opened: dict[int, Ticket] = {}
    bulk = [
        (n, request)
        for n, request in enumerate(requests)
        if request.kind != Ticket.Kind.COMPLAINT
    ]
    if bulk:
        for (n, _request), ticket in zip(bulk, _open_together(bulk, now), strict=True):
            opened[n] = ticket
    for n, request in enumerate(requests):
        if n not in opened:
            opened[n] = _open_alone(request)
    return [opened[n] for n in range(len(requests))]


def _open_together(bulk: list[tuple[int, Request]], now: datetime) -> list[Ticket]:
    year = timezone.localtime(now).year
    numbers = reserve_ticket_numbers(year, len(bulk))
    tickets, plans = [], []
    for value, (_n, request) in zip(numbers, bulk, strict=True):
        ticket = new_ticket(
            number=format_ticket_number(year, value),
            subject=request.subject,
            body_text=request.body_text,
            kind=request.kind,
            category=request.category,
            channel=request.channel,
            queue=request.queue,
            customer=request.customer,
            received_at=request.received_at,
            tracking_token=request.tracking_token,
        )
        tickets.append(ticket)
        plans.append(clocks.plan_start(ticket, now=now))
    Ticket.objects.bulk_create(tickets)
    Message.objects.bulk_create(
        Message(
            ticket=ticket,
            direction=Message.Direction.INBOUND,
            channel=request.channel,
            body_text=request.body_text,
            email_message_id=emails.new_message_id(),
        )
        for ticket, (_n, request) in zip(tickets, bulk, strict=True)
    )
    # Each ticket's `created` event before its clocks' ledger, as one by one.
    for ticket, plan in zip(tickets, plans, strict=True):
        plan.events.insert(
            0,
            ticket_event(
                ticket, TicketEvent.Action.CREATED, new=ticket.number, created_at=now
            ),
        )
    clocks.write_starts(plans)
    emails.queue_acknowledgements(
        [
            (ticket, request.language)
            for ticket, (_n, request) in zip(tickets, bulk, strict=True)
        ]
    )
    return tickets


def _open_alone(request: Request) -> Ticket:
    ticket = open_ticket(
        customer=request.customer,
        subject=request.subject,
        body_text=request.body_text,
        channel=request.channel,
        queue=request.queue,
        kind=request.kind,
        category=request.category,
        received_at=request.received_at,
        tracking_token=request.tracking_token,
        email_message_id=emails.new_message_id(),
    )
    emails.queue_acknowledgement(ticket, language=request.language)
    return ticket
