"""Verbs that change tickets and customers. Each validates, writes, and records
a TicketEvent.

No view or API sets `status` (or any other tracked field) by assignment: they
call these functions, so the history and the clocks are never skipped. One
module per concern: a ticket's life (`lifecycle`), agents' changes
(`changes`), customers (`customers`) and what customers do themselves
(`portal`); callers use them all through `tickets.services`.
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
)
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
    reply_to_ticket,
    store_attachments,
    unchanged_since,
)
from .portal import (
    close_by_customer,
    rate_ticket,
    renew_tracking_token,
    submit_web_request,
)

__all__ = [
    "EMAILED_CHANNELS",
    "SLA_FIELDS",
    "TRANSITIONS",
    "InvalidTransition",
    "TicketChanged",
    "add_message",
    "add_note",
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
    "close_by_customer",
    "create_customer",
    "last_seen_event",
    "log_interaction",
    "merge_tickets",
    "move_to_queue",
    "open_ticket",
    "rate_ticket",
    "reindex_search",
    "renew_tracking_token",
    "reply_to_ticket",
    "store_attachments",
    "submit_web_request",
    "unchanged_since",
    "update_customer",
]
