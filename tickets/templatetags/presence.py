"""The ticket page's line saying who else is on it (tickets/presence.py)."""

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("tickets/_presence_bar.html", takes_context=True)
def presence_bar(context, ticket):
    """The place the page's script fills with who else has `ticket` open."""
    return {
        "ticket": ticket,
        "csrf_token": context.get("csrf_token"),
        "interval": settings.PRESENCE_HEARTBEAT_SECONDS,
    }
