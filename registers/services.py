"""Registering what comes in and goes out: the verbs other apps call."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from helpdesk.channels import Channel
from tickets.models import Message, Ticket

from .models import (
    Direction,
    RegisterChannel,
    RegisterEntry,
    format_register_number,
    reserve_register_number,
)


def _register(direction: str, ticket: Ticket, message, *, dated, by, **fields):
    with transaction.atomic():
        sequence = reserve_register_number(direction, dated.year)
        return RegisterEntry.objects.create(
            direction=direction,
            number=format_register_number(direction, dated.year, sequence),
            year=dated.year,
            sequence=sequence,
            dated=dated,
            ticket=ticket,
            message=message,
            created_by=by,
            **fields,
        )


def register_incoming(
    ticket: Ticket,
    message: Message | None,
    *,
    received_on: dt.date,
    channel: str,
    sender_name: str,
    sender_organisation: str = "",
    reference: str = "",
    reference_date: dt.date | None = None,
    subject: str = "",
    by=None,
) -> RegisterEntry:
    """Give a letter, fax or hand-delivered document that came in the next
    incoming number (IN-YYYY-NNNNNN) of the year it was received."""
    return _register(
        Direction.INCOMING,
        ticket,
        message,
        dated=received_on,
        by=by,
        channel=channel,
        party_name=sender_name[:200],
        party_organisation=sender_organisation[:200],
        their_reference=reference[:100],
        their_date=reference_date,
        subject=(subject or ticket.subject)[:250],
    )


def register_outgoing(
    ticket: Ticket,
    message: Message | None,
    *,
    dispatched_on: dt.date,
    channel: str,
    addressee_name: str,
    addressee_organisation: str = "",
    subject: str = "",
    by=None,
) -> RegisterEntry:
    """Give a letter that went out the next outgoing number (OUT-YYYY-NNNNNN)
    of the year it was dispatched."""
    return _register(
        Direction.OUTGOING,
        ticket,
        message,
        dated=dispatched_on,
        by=by,
        channel=channel,
        party_name=addressee_name[:200],
        party_organisation=addressee_organisation[:200],
        subject=(subject or ticket.subject)[:250],
    )


# Logged by an agent, these come on paper and are entered in the register.
REGISTERED_CHANNELS = {Channel.LETTER, Channel.FAX}


def register_logged_contact(
    ticket: Ticket, message: Message, *, received_at, by
) -> RegisterEntry | None:
    """Register a letter, fax or hand-delivered document an agent logged
    from the customer, on the date it was received, with the sender's own
    reference and date; anything else logged is not registered."""
    if (
        message.direction != Message.Direction.INBOUND
        or message.channel not in REGISTERED_CHANNELS
    ):
        return None
    details = message.details or {}
    hand = details.get("delivery") == "hand"
    return register_incoming(
        ticket,
        message,
        received_on=timezone.localdate(received_at),
        channel=RegisterChannel.HAND if hand else message.channel,
        sender_name=ticket.customer.name,
        sender_organisation=details.get("sender_organisation", ""),
        reference=details.get("reference", ""),
        reference_date=_date(details.get("reference_date")),
        by=by,
    )


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
