"""The JSON body of a webhook: the event, and the ticket as the API shows it."""

from __future__ import annotations

import json
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from api.serializers import MessageSerializer, TicketSerializer
from tickets.models import Message, Ticket

from .events import PING, EventType


def ticket_data(ticket: Ticket) -> dict:
    """The ticket's fields an integration needs (the API's own shape) and
    where to find it, on the web and in the API."""
    data = dict(TicketSerializer(ticket).data)
    data["url"] = settings.SITE_URL + reverse("tickets:detail", args=[ticket.number])
    data["api_url"] = settings.SITE_URL + reverse(
        "api:ticket-detail", args=[ticket.number]
    )
    return data


def event_payload(
    *,
    event_type: str,
    occurred_at: datetime,
    ticket: Ticket,
    old_value: str = "",
    new_value: str = "",
    sla_target: str = "",
    actor: str | None = None,
    message: Message | None = None,
) -> dict:
    """The body of one ticket event, without its id (each delivery has its
    own). The ticket is as it is when the event is sent out; `change` says
    what the event itself changed."""
    payload = {
        "type": event_type,
        "occurred_at": occurred_at.isoformat(),
        "actor": actor,
        "ticket": ticket_data(ticket),
    }
    if event_type in (EventType.STATUS_CHANGED, EventType.ASSIGNED):
        payload["change"] = {"from": old_value or None, "to": new_value or None}
    elif event_type in (EventType.SLA_WARNING, EventType.SLA_BREACH):
        payload["sla"] = {"target": sla_target, "percent_used": _int(new_value)}
    elif event_type == EventType.COMPLAINT_RAISED:
        payload["complaint"] = {"stage": new_value}
    if message is not None:
        payload["message"] = dict(MessageSerializer(message).data)
    return payload


def ping_payload(now: datetime) -> dict:
    """The body of the test event sent from the subscription's page."""
    return {
        "type": PING,
        "occurred_at": now.isoformat(),
        "actor": None,
        "ticket": None,
    }


def body(event_id: str, payload: dict) -> bytes:
    """The bytes sent: the payload with the delivery's id first."""
    return json.dumps(
        {"id": event_id, **payload}, cls=DjangoJSONEncoder, ensure_ascii=False
    ).encode()


def _int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
