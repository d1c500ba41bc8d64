"""The tickets app's models, one module per concern."""

from .emails import CustomerEmail
from .notifications import Notification, NotificationQuerySet
from .tickets import (
    Attachment,
    AttachmentQuerySet,
    Category,
    Message,
    Queue,
    QueueQuerySet,
    Ticket,
    TicketEvent,
    TicketNumberCounter,
    TicketQuerySet,
    attachment_path,
    format_ticket_number,
    new_tracking_token,
    reserve_ticket_numbers,
)
from .workspace import CannedResponse, CannedResponseQuerySet, SavedView

__all__ = [
    "CustomerEmail",
    "CannedResponse",
    "CannedResponseQuerySet",
    "SavedView",
    "Notification",
    "NotificationQuerySet",
    "Attachment",
    "AttachmentQuerySet",
    "Category",
    "Message",
    "Queue",
    "Ticket",
    "TicketEvent",
    "TicketNumberCounter",
    "TicketQuerySet",
    "QueueQuerySet",
    "attachment_path",
    "format_ticket_number",
    "new_tracking_token",
    "reserve_ticket_numbers",
]
