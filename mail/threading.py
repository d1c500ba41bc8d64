"""Which ticket an email belongs to, without ever handing one customer's
ticket to somebody else.

Three routes name a ticket, strongest first: the threading headers
(In-Reply-To, References) matching a message of ours or of the customer's,
the signed reply address a message was sent to, and the ticket number in the
subject. A route is only followed when the sender is the ticket's customer or
an address an agent allowed on it; anyone else gets a ticket of their own,
which shows the agent the ticket they referred to. A closed ticket is never
written to: the customer's new mail opens a new ticket linked to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from helpdesk.subjects import ticket_numbers
from tickets.models import CustomerEmail, Message, Ticket

from .addresses import address_variants, ticket_id_from_address
from .models import TicketAddress
from .parsing import ParsedEmail

# A References header can be long; the newest ids are the likeliest to match.
REFERENCES_CHECKED = 20


@dataclass(frozen=True)
class Thread:
    """Where a message goes: onto `ticket`, or (when `ticket` is None) onto a
    new ticket that points the agent at `related`."""

    ticket: Ticket | None = None
    related: Ticket | None = None
    # Why the message did not join `related`: "closed" or "not_allowed".
    refused: str = ""


def _ids_in_headers(parsed: ParsedEmail) -> list[str]:
    ids = [*parsed.in_reply_to, *reversed(parsed.references[-REFERENCES_CHECKED:])]
    return list(dict.fromkeys(i for i in ids if i))


def _tickets_by_headers(parsed: ParsedEmail) -> list[int]:
    ids = _ids_in_headers(parsed)
    if not ids:
        return []
    found = dict(
        Message.objects.filter(email_message_id__in=ids).values_list(
            "email_message_id", "ticket_id"
        )
    )
    found |= dict(
        CustomerEmail.objects.filter(
            email_message_id__in=ids, ticket__isnull=False
        ).values_list("email_message_id", "ticket_id")
    )
    return [found[i] for i in ids if i in found]


def _tickets_by_address(parsed: ParsedEmail) -> list[int]:
    found = []
    for address in [*parsed.delivered_to, *parsed.to, *parsed.cc]:
        ticket_id = ticket_id_from_address(address)
        if ticket_id is not None:
            found.append(ticket_id)
    return found


def candidate_tickets(parsed: ParsedEmail) -> list[Ticket]:
    """Tickets the message names, strongest route first, each once."""
    ids = [*_tickets_by_headers(parsed), *_tickets_by_address(parsed)]
    numbers = ticket_numbers(parsed.subject)
    if not ids and not numbers:
        return []
    rows = Ticket.objects.filter(Q(pk__in=ids) | Q(number__in=numbers)).select_related(
        "customer"
    )
    by_id = {ticket.pk: ticket for ticket in rows}
    by_number = {ticket.number: ticket for ticket in rows}
    ordered = [by_id[i] for i in ids if i in by_id]
    ordered += [by_number[n] for n in numbers if n in by_number]
    return list(dict.fromkeys(ordered))


def may_write_to(ticket: Ticket, sender: str) -> bool:
    """Whether `sender` may add mail to `ticket`: its customer, or an address
    an agent allowed on it."""
    variants = address_variants(sender)
    customer_email = ticket.customer.email
    if customer_email and address_variants(customer_email) & variants:
        return True
    allowed = TicketAddress.objects.filter(ticket=ticket).values_list(
        "email", flat=True
    )
    return any(address_variants(email) & variants for email in allowed)


def find_thread(parsed: ParsedEmail) -> Thread:
    """The ticket `parsed` joins, or the one it refers to but may not join."""
    refused = Thread()
    for ticket in candidate_tickets(parsed):
        if not may_write_to(ticket, parsed.from_address):
            refused = (
                refused if refused.related else Thread(None, ticket, "not_allowed")
            )
            continue
        if ticket.status == Ticket.Status.CLOSED:
            return Thread(None, ticket, "closed")
        return Thread(ticket)
    return refused
