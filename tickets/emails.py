"""Emails to customers: the one outbound-mail module.

A change that owes the customer an email writes a `CustomerEmail` row in its
own transaction (`queue_*`), with the email's Message-ID, and after the commit
asks Celery to send the outbox. The task claims rows (`claimed_at`), sends
them, and marks each sent. When the broker is down the row simply waits: the
beat entry "customer-emails" sends it once the broker is back, and a claim
older than `CLAIM_LEASE` is taken over, so a worker killed mid-batch loses
nothing. Delivery is at least once (see `tickets.outbox`): an email resent
after a crash keeps its Message-ID, so the customer's mail program can tell
the copy from a new email.

An email about a ticket goes out from the mailbox its customer last wrote to
(else its queue's), with the ticket's signed reply address as Reply-To, so an
answer finds its ticket even when the mail program drops the threading
headers. A refused email is marked failed and the agent told
(`tickets.delivery`); a bounce arriving later does the same (`mail.bounces`).
"""

from __future__ import annotations

from datetime import datetime
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from customers.signin import sign_in_url
from helpdesk import background
from helpdesk.subjects import without_reply_prefixes, without_ticket_numbers
from mail.addresses import reply_address
from mail.models import Mailbox
from sla.expectations import format_answer_by, next_response_due

from . import delivery, outbox
from .models import CustomerEmail, Message, Ticket
from .outbox import Outbox, new_message_id

Kind = CustomerEmail.Kind
CLAIM_LEASE = outbox.CLAIM_LEASE
# How many earlier Message-IDs a References header carries (RFC 5322 allows
# trimming the middle of a long thread).
REFERENCES_KEPT = 10
TEMPLATES = {
    Kind.ACKNOWLEDGEMENT: "customer_acknowledgement",
    Kind.REPLY: "customer_reply",
    Kind.RESOLVED: "customer_resolved",
    Kind.TRACKING_LINK: "customer_tracking_link",
    Kind.SIGN_IN: "customer_sign_in",
    Kind.EMAIL_CHANGED: "customer_email_changed",
}
# Auto-Submitted (RFC 3834) keeps auto-responders from answering these.
AUTOMATIC = {
    Kind.ACKNOWLEDGEMENT,
    Kind.RESOLVED,
    Kind.TRACKING_LINK,
    Kind.SIGN_IN,
    Kind.EMAIL_CHANGED,
}


def _queue(kind: str, *, to_email: str, language: str, **fields) -> CustomerEmail:
    row = CustomerEmail.objects.create(
        kind=kind,
        to_email=to_email,
        language=language or settings.LANGUAGE_CODE,
        email_message_id=fields.pop("email_message_id", None) or new_message_id(),
        **fields,
    )
    transaction.on_commit(kick_outbox)
    return row


def queue_acknowledgement(ticket: Ticket, *, language: str) -> CustomerEmail | None:
    """Confirm a new request: its number, when we will answer, the link."""
    if not ticket.customer.email:
        return None
    return _queue(
        Kind.ACKNOWLEDGEMENT,
        to_email=ticket.customer.email,
        language=language,
        ticket=ticket,
    )


def queue_acknowledgements(tickets: list[tuple[Ticket, str]]) -> list[CustomerEmail]:
    """`queue_acknowledgement` for many new tickets, each with its language,
    in one statement."""
    rows = CustomerEmail.objects.bulk_create(
        CustomerEmail(
            kind=Kind.ACKNOWLEDGEMENT,
            to_email=ticket.customer.email,
            language=language or settings.LANGUAGE_CODE,
            email_message_id=new_message_id(),
            ticket=ticket,
        )
        for ticket, language in tickets
        if ticket.customer.email
    )
    if rows:
        transaction.on_commit(kick_outbox)
    return rows


def queue_reply(message: Message) -> CustomerEmail | None:
    """Send an agent's public reply; its Message-ID is stored on the message."""
    ticket = message.ticket
    if not ticket.customer.email:
        return None
    message.email_message_id = new_message_id()
    message.save(update_fields=["email_message_id"])
    return _queue(
        Kind.REPLY,
        to_email=ticket.customer.email,
        language=ticket.customer.preferred_language,
        ticket=ticket,
        message=message,
        email_message_id=message.email_message_id,
    )


def queue_resolution(ticket: Ticket) -> CustomerEmail | None:
    """Tell the customer their request is resolved and ask for a rating."""
    if not ticket.customer.email:
        return None
    return _queue(
        Kind.RESOLVED,
        to_email=ticket.customer.email,
        language=ticket.customer.preferred_language,
        ticket=ticket,
    )


def queue_tracking_link(ticket: Ticket) -> CustomerEmail | None:
    """Send the ticket's (new) private tracking link."""
    if not ticket.customer.email:
        return None
    return _queue(
        Kind.TRACKING_LINK,
        to_email=ticket.customer.email,
        language=ticket.customer.preferred_language,
        ticket=ticket,
    )


def queue_sign_in_link(email: str, *, language: str) -> CustomerEmail:
    """A portal sign-in link; the signed token is made when the mail is sent."""
    return _queue(Kind.SIGN_IN, to_email=email, language=language)


def queue_email_changed(customer, *, old_email: str) -> CustomerEmail:
    """Tell a customer's old address that their email address was changed."""
    return _queue(
        Kind.EMAIL_CHANGED,
        to_email=old_email,
        language=customer.preferred_language,
        customer=customer,
    )


def kick_outbox() -> None:
    """Ask a worker to send the outbox now; if the broker is down, the beat
    entry "customer-emails" sends it later, so the failure is only logged."""
    background.start("tickets.tasks.send_customer_emails")


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def tracking_url(ticket: Ticket) -> str:
    return absolute_url(reverse("portal:track", args=[ticket.tracking_token]))


def _thread_headers(row: CustomerEmail) -> dict[str, str]:
    """In-Reply-To the customer's last message before this email (else the
    last of the thread), References the thread with its middle trimmed."""
    if row.ticket_id is None:
        return {}
    earlier = Message.objects.filter(ticket=row.ticket_id).exclude(
        Q(email_message_id="") | Q(direction=Message.Direction.INTERNAL)
    )
    if row.message_id is not None:
        earlier = earlier.filter(id__lt=row.message_id)
    thread = list(earlier.order_by("id").values_list("email_message_id", "direction"))
    if not thread:
        return {}
    ids = [message_id for message_id, _ in thread]
    from_customer = [
        message_id
        for message_id, direction in thread
        if direction == Message.Direction.INBOUND
    ]
    kept = ids[:1] + ids[1:][-(REFERENCES_KEPT - 1) :]
    return {
        "In-Reply-To": (from_customer or ids)[-1],
        "References": " ".join(kept),
    }


def _addresses(row: CustomerEmail) -> tuple[str, list[str]]:
    """From and Reply-To: the ticket's mailbox and its signed reply address
    when the ticket has a mailbox, else the site's sender alone."""
    if row.ticket_id is None:
        return settings.DEFAULT_FROM_EMAIL, []
    mailbox = Mailbox.objects.for_ticket(row.ticket)
    if mailbox is None:
        return settings.DEFAULT_FROM_EMAIL, []
    sender = formataddr((mailbox.name, mailbox.email_address))
    return sender, [reply_address(mailbox.email_address, row.ticket_id)]


def email_subject(subject: str) -> str:
    """`subject` without ticket numbers or leading reply prefixes: a ticket
    opened by "Re: [HD-2026-000001] …" is answered under its own number
    alone, for the threading to find."""
    subject = without_ticket_numbers(subject)
    return without_reply_prefixes(subject) or subject


def _context(row: CustomerEmail, now: datetime) -> dict:
    context = {"site_url": settings.SITE_URL, "kind": row.kind}
    ticket = row.ticket
    if ticket is not None:
        due = next_response_due(ticket)
        context |= {
            "ticket": ticket,
            "subject": email_subject(ticket.subject),
            "customer": ticket.customer,
            "message": row.message,
            "tracking_url": tracking_url(ticket),
            "answer_by": format_answer_by(due, now) if due else "",
        }
    if row.customer_id is not None:
        context |= {"customer": row.customer, "new_email": row.customer.email}
    if row.kind == Kind.SIGN_IN:
        context["sign_in_url"] = absolute_url(sign_in_url(row.to_email))
        context["valid_minutes"] = settings.SIGN_IN_LINK_MAX_AGE // 60
    return context


def render_email(row: CustomerEmail, now: datetime) -> EmailMultiAlternatives:
    """The email for one outbox row, in the row's language, with threading
    headers."""
    name = TEMPLATES[row.kind]
    with translation.override(row.language):
        context = _context(row, now)
        subject = render_to_string(f"emails/{name}_subject.txt", context)
        text = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    sender, reply_to = _addresses(row)
    headers = {"Message-ID": row.email_message_id, **_thread_headers(row)}
    if row.kind in AUTOMATIC:
        headers["Auto-Submitted"] = "auto-generated"
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=sender,
        to=[row.to_email],
        reply_to=reply_to,
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    if row.message is not None:
        # A reply's files go with it: a dispatched letter's PDF, documents.
        for attachment in row.message.attachments.all():
            with attachment.file.open("rb") as content:
                email.attach(
                    attachment.original_name, content.read(), attachment.content_type
                )
    return email


OUTBOX = Outbox(
    model=CustomerEmail,
    pending=Q(sent_at__isnull=True, failed_at__isnull=True),
    claimed_field="claimed_at",
    sent_field="sent_at",
    render=render_email,
    select_related=("ticket__customer", "message", "customer"),
    prefetch_related=("ticket__clocks", "message__attachments"),
    failed_fields=("failed_at", "error"),
    on_failed=delivery.report_undelivered,
)


def send_pending(now: datetime | None = None) -> int:
    """Send every unsent customer email; return how many went out.

    An email the mail server refuses for good (5xx) is marked failed and its
    agent told; one refused for now (4xx) is tried again after the claim's
    lease; any other SMTP failure releases the batch's unsent claims and
    propagates, so the task retries."""
    return OUTBOX.send_pending(now)
