"""Addresses besides the customer's that may write to a ticket by email.

Only an agent adds one (a colleague of the customer, their lawyer): an
address copied on an email is never allowed on its own, so nobody joins a
ticket by being copied, or by copying themselves."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from tickets.history import record_event
from tickets.models import Ticket, TicketEvent

from .addresses import address_variants, normalise_address
from .models import TicketAddress


@transaction.atomic
def allow_address(ticket: Ticket, email: str, *, by) -> TicketAddress:
    """Let `email` write to `ticket`; refuses a bad or repeated address."""
    email = normalise_address(email)
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError(
            _("Enter a valid email address."), code="invalid"
        ) from error
    customer_email = ticket.customer.email
    if customer_email and address_variants(customer_email) & address_variants(email):
        raise ValidationError(
            _("This is the customer's own address; it can always write."),
            code="customer",
        )
    try:
        with transaction.atomic():
            address = TicketAddress.objects.create(
                ticket=ticket, email=email, added_by=by
            )
    except IntegrityError as error:
        raise ValidationError(
            _("%(email)s may already write to this ticket.") % {"email": email},
            code="duplicate",
        ) from error
    record_event(ticket, TicketEvent.Action.EMAIL_ADDRESS, by=by, new=email)
    return address


@transaction.atomic
def remove_address(address: TicketAddress, *, by) -> None:
    """Stop `address` writing to its ticket: its next email opens a ticket
    of its own."""
    address.delete()
    record_event(
        address.ticket, TicketEvent.Action.EMAIL_ADDRESS, by=by, old=address.email
    )
