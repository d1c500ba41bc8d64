"""A customer's tickets in the groups the panel and the customer page show."""

from django import template

register = template.Library()


@register.filter
def ticket_groups(tickets) -> dict:
    """Open tickets, complaints and past tickets, each a list. A page shows a
    group's heading only when the group has tickets: an empty heading reads
    as a missing list."""
    tickets = list(tickets or ())
    return {
        "open": [t for t in tickets if t.is_open],
        "complaints": [t for t in tickets if t.is_complaint],
        "past": [t for t in tickets if not t.is_open],
        "any": bool(tickets),
    }
