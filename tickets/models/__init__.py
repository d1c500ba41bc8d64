"""The tickets app's models, one module per concern."""

from .tickets import (
    Attachment,
    AttachmentQuerySet,
    Category,
    Message,
    Queue,
    Ticket,
    TicketEvent,
    TicketNumberCounter,
    TicketQuerySet,
    attachment_path,
    format_ticket_number,
    new_tracking_token,
    reserve_ticket_numbers,
)

__all__ = [
    "Attachment",
    "AttachmentQuerySet",
    "Category",
    "Message",
    "Queue",
    "Ticket",
    "TicketEvent",
    "TicketNumberCounter",
    "TicketQuerySet",
    "attachment_path",
    "format_ticket_number",
    "new_tracking_token",
    "reserve_ticket_numbers",
]
