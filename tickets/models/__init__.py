"""The tickets app's models, one module per concern."""

from .complaints import RootCause
from .emails import CustomerEmail
from .events import TicketEvent
from .messages import (
    Attachment,
    AttachmentQuerySet,
    CallOutcome,
    Message,
    attachment_path,
)
from .notifications import Notification, NotificationQuerySet
from .tickets import (
    Category,
    Queue,
    QueueQuerySet,
    Ticket,
    TicketNumberCounter,
    TicketQuerySet,
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
    "CallOutcome",
    "Category",
    "Message",
    "Queue",
    "RootCause",
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
