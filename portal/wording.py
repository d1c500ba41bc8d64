"""Words for customers: the ticket as the customer sees it.

Agents' labels ("From the customer", "Pending") describe the ticket from the
department's side; the customer's pages say the same from theirs ("You",
"Awaiting your reply"). Every customer page takes its labels from here; the
date by which we answer is sla.expectations.format_answer_by, shared with
the acknowledgement email.
"""

from django.utils.translation import pgettext_lazy

from tickets.models import Message, Ticket

STATUS_LABELS = {
    Ticket.Status.NEW: pgettext_lazy("status for the customer", "Received"),
    Ticket.Status.OPEN: pgettext_lazy("status for the customer", "We're working on it"),
    Ticket.Status.PENDING: pgettext_lazy(
        "status for the customer", "Awaiting your reply"
    ),
    Ticket.Status.RESOLVED: pgettext_lazy("status for the customer", "Resolved"),
    Ticket.Status.CLOSED: pgettext_lazy("status for the customer", "Closed"),
}

DIRECTION_LABELS = {
    Message.Direction.INBOUND: pgettext_lazy("who wrote, for the customer", "You"),
    Message.Direction.OUTBOUND: pgettext_lazy(
        "who wrote, for the customer", "Customer service"
    ),
}


def customer_status_label(status: str) -> str:
    """The ticket's status in the customer's words."""
    return str(STATUS_LABELS.get(status, status))


def customer_direction_label(direction: str) -> str:
    """Who wrote a message, from the customer's side: "You" or "Customer
    service". Internal notes never reach the customer's pages."""
    return str(DIRECTION_LABELS.get(direction, ""))
