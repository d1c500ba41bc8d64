"""Verbs that change tickets and customers. Each validates, writes, and records
a TicketEvent.

No view or API sets `status` (or any other tracked field) by assignment: they
call these functions, so the history and the clocks are never skipped. One
module per concern: a ticket's life (`lifecycle`), agents' changes
(`changes`), two agents answering one customer (`collisions`) and customers
(`customers`); callers use them all through
`tickets.services`. What customers do themselves is `portal.services`.
"""

from .changes import (
    SLA_FIELDS,
    assign_ticket,
    bulk_change,
    change_category,
    change_channel,
    change_kind,
    change_priority,
    merge_tickets,
    move_to_queue,
    renew_tracking_token,
)
from .collisions import (
    CorrespondenceMoved,
    correspondence_since,
    newest_message,
    no_correspondence_since,
)
from .complaints import accept_resolution, appeal_complaint, update_complaint
from .customers import (
    change_customer_email,
    change_customer_tier,
    create_customer,
    log_interaction,
    reindex_search,
    update_customer,
)
from .lifecycle import (
    EMAILED_CHANNELS,
    TRANSITIONS,
    InvalidTransition,
    TicketChanged,
    add_message,
    add_note,
    change_status,
    changes_since,
    last_seen_event,
    open_ticket,
    reply_and_set_status,
    reply_to_ticket,
    store_attachments,
    unchanged_since,
)

__all__ = [
    "EMAILED_CHANNELS",
    "SLA_FIELDS",
    "TRANSITIONS",
    "CorrespondenceMoved",
    "InvalidTransition",
    "TicketChanged",
    "accept_resolution",
    "add_message",
    "add_note",
    "appeal_complaint",
    "assign_ticket",
    "bulk_change",
    "change_category",
    "change_channel",
    "change_customer_email",
    "change_customer_tier",
    "change_kind",
    "change_priority",
    "change_status",
    "changes_since",
    "correspondence_since",
    "create_customer",
    "last_seen_event",
    "log_interaction",
    "merge_tickets",
    "move_to_queue",
    "newest_message",
    "no_correspondence_since",
    "open_ticket",
    "reindex_search",
    "renew_tracking_token",
    "reply_and_set_status",
    "reply_to_ticket",
    "store_attachments",
    "unchanged_since",
    "update_complaint",
    "update_customer",
]
