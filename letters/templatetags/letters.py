"""The letters' parts of the agent's ticket page: the "Letter" tab that
starts one, and the card listing the ticket's letters."""

from django import template
from django.utils.html import format_html

from letters.forms import NewLetterForm
from letters.models import Letter

register = template.Library()


@register.inclusion_tag("letters/_ticket_tab.html", takes_context=True)
def letter_tab(context, ticket):
    """Start a letter: its kind, and its language (the customer's by default)."""
    form = NewLetterForm(initial={"language": ticket.customer.preferred_language})
    return {"ticket": ticket, "form": form, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("letters/_ticket_letters.html")
def ticket_letters(ticket):
    """The ticket's letters with their state, number and PDF (one query)."""
    letters = list(
        Letter.objects.filter(ticket=ticket).select_related("register_entry")
    )
    for letter in letters:
        # Their links name the ticket: the one in hand, not one query each.
        letter.ticket = ticket
    return {"ticket": ticket, "letters": letters}


@register.simple_tag
def letter_status_badge(letter):
    """The letter's state as a coloured badge."""
    colours = {
        Letter.Status.DRAFT: "text-bg-light",
        Letter.Status.AWAITING_APPROVAL: "text-bg-warning",
        Letter.Status.RETURNED: "text-bg-danger",
        Letter.Status.APPROVED: "text-bg-info",
        Letter.Status.DISPATCHED: "text-bg-success",
    }
    return format_html(
        '<span class="badge {}" data-testid="letter-status" data-status="{}">{}</span>',
        colours[letter.status],
        letter.status,
        letter.get_status_display(),
    )
