"""What a ticket opened by email looks like: its customer (found by any
spelling of the sender's address, or new), its subject, and the notes that
link it to a ticket it named but may not join."""

from __future__ import annotations

from django.conf import settings
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from customers.models import Customer
from helpdesk.channels import Channel
from helpdesk.subjects import without_reply_prefixes, without_ticket_numbers
from tickets.models import Ticket
from tickets.services import add_note
from tickets.services.customers import new_customer_for_request

from .addresses import address_variants
from .parsing import ParsedEmail
from .threading import Thread


def customer_for_sender(parsed: ParsedEmail) -> Customer:
    """The customer with the sender's address (in any of its spellings), or a
    new one named as their mail program names them."""
    variants = sorted(address_variants(parsed.from_address))
    # All spellings in one index lookup, with the tier the SLA policy needs.
    found = {
        customer.email.lower(): customer
        for customer in Customer.objects.alias(email_lower=Lower("email"))
        .filter(email_lower__in=variants)
        .exclude(email="")
        .select_related("tier")
    }
    for variant in variants:
        if variant in found:
            return found[variant]
    if found:  # a spelling PostgreSQL lower-cases as Python does not
        return next(iter(found.values()))
    name = " ".join(parsed.from_name.split()) or parsed.from_address.split("@")[0]
    return new_customer_for_request(
        name=name[:200],
        email=parsed.from_address,
        phone="",
        language=guess_language(f"{parsed.subject} {parsed.text[:2000]}"),
        channel=Channel.EMAIL,
    )


def guess_language(text: str) -> str:
    """Arabic when Arabic letters outnumber Latin ones."""
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    latin = sum(1 for c in text if c.isascii() and c.isalpha())
    return (
        Customer.Language.ARABIC
        if arabic >= latin and arabic
        else Customer.Language.ENGLISH
    )


def ticket_subject(parsed: ParsedEmail, related: Ticket | None = None) -> str:
    """The new ticket's subject: the email's, without reply prefixes and
    without the number of a ticket it may not join."""
    subject = parsed.subject
    if related is not None:
        subject = without_ticket_numbers(subject, {related.number})
    subject = without_reply_prefixes(subject)
    if not subject:
        first_line = next(
            (line for line in parsed.text.splitlines() if line.strip()), ""
        )
        subject = first_line.strip()[:80] or _("(no subject)")
    return subject[:250]


def link_related(ticket: Ticket, thread: Thread) -> None:
    """Show the agent the ticket a new ticket's email referred to, and why it
    was not added there; a closed ticket also learns of its follow-up."""
    related = thread.related
    if related is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        if thread.refused == "closed":
            add_note(
                ticket,
                body_text=_("Follow-up of %(number)s, which is closed.")
                % {"number": related.number},
                by=None,
            )
            add_note(
                related,
                body_text=_("The customer wrote again after closure: %(number)s.")
                % {"number": ticket.number},
                by=None,
            )
        else:
            add_note(
                ticket,
                body_text=_(
                    "This email referred to %(number)s, a ticket of another "
                    "customer; it was not added there."
                )
                % {"number": related.number},
                by=None,
            )
