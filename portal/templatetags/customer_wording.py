"""Template tags for the customer's pages: statuses, senders and file sizes
in the customer's words (portal/wording.py)."""

from django import template
from django.utils.html import format_html

from portal.wording import customer_direction_label, customer_status_label
from tickets.templatetags.helpdesk import STATUS_COLOURS
from tickets.uploads import human_size

register = template.Library()


@register.simple_tag
def customer_status_badge(ticket):
    colour = STATUS_COLOURS.get(ticket.status, "secondary")
    text = " text-dark" if colour in ("warning", "info") else ""
    return format_html(
        '<span class="badge text-bg-{}{}">{}</span>',
        colour,
        text,
        customer_status_label(ticket.status),
    )


@register.filter
def sender(message):
    """ "You" or "Customer service"."""
    return customer_direction_label(message.direction)


register.filter("file_size", human_size)
