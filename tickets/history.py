"""A ticket's history: the one place that builds and writes TicketEvents.

The verbs, the SLA clocks and the sweep all record through `ticket_event` and
`record_event`, so every line of history has one shape: who did it, what
changed from what to what, and, for the SLA ledger, which clock and the
details that explain it (`sla.ledger.LedgerEntry`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from helpdesk import event_relay
from tickets.models import Message, Ticket, TicketEvent

if TYPE_CHECKING:  # a milestone is passed in by the sweep, never looked up here
    from sla.models import SLAMilestone

VALUE_LENGTH = TicketEvent._meta.get_field("new_value").max_length


def _text(value: object) -> str:
    return "" if value is None else str(value)[:VALUE_LENGTH]


def ticket_event(
    ticket: Ticket,
    action: str,
    *,
    by=None,
    old: object = "",
    new: object = "",
    message: Message | None = None,
    target: str = "",
    details: dict | None = None,
    milestone: SLAMilestone | None = None,
    created_at: datetime | None = None,
) -> TicketEvent:
    """An unsaved event of `ticket`; old and new values are kept as text.

    `target` names the SLA clock of a ledger entry and `details` holds its
    `LedgerEntry.to_details()`; `created_at` defaults to now."""
    event = TicketEvent(
        ticket=ticket,
        action=action,
        actor=by,
        old_value=_text(old),
        new_value=_text(new),
        message=message,
        sla_target=target,
        details=details or {},
        milestone=milestone,
    )
    if created_at is not None:
        event.created_at = created_at
    return event


def record_event(ticket: Ticket, action: str, **fields) -> TicketEvent:
    """Write one event to `ticket`'s history (see `ticket_event`); return it."""
    event = ticket_event(ticket, action, **fields)
    event.save()
    event_relay.events_written()
    return event


def record_events(events: list[TicketEvent]) -> list[TicketEvent]:
    """Write events built by `ticket_event` in one statement; return them with
    their ids."""
    written = TicketEvent.objects.bulk_create(events)
    event_relay.events_written()
    return written
