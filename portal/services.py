"""What customers do themselves: submit the web form, close, rate, and the
private tracking link."""

import hashlib
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.services import open_follow_up
from helpdesk.channels import Channel
from helpdesk.reference import cached
from portal.models import WebSubmission
from tickets import emails
from tickets.history import record_event
from tickets.models import Category, Queue, Ticket, TicketEvent
from tickets.services.customers import customer_for_web_request
from tickets.services.lifecycle import Status, open_ticket, set_status


@transaction.atomic
def submit_web_request(
    *,
    name: str,
    email: str,
    subject: str,
    body_text: str,
    language: str,
    kind: str = Ticket.Kind.INQUIRY,
    category: Category | None = None,
    phone: str = "",
    attachments: Iterable[UploadedFile] = (),
    form_token: str = "",
) -> Ticket:
    """A request from the public web form: find or create the customer by
    email, open the ticket on the web channel in the default queue, and send
    the acknowledgement in `language`.

    `form_token` is the form's one-time token (`new_form_token`): a second
    request with the same token and the same content (a double click, a
    resent POST) gets the first request's ticket, not a new one."""
    queue = cached("default-queue", Queue.objects.default)
    if queue is None:
        raise ValidationError(_("No queue is set up to receive requests."))
    claim = None
    if form_token:
        digest = _digest(email, subject, body_text)
        claim, earlier = _claim(form_token, digest)
        if earlier is not None:
            return earlier
    customer = customer_for_web_request(
        name=name, email=email, phone=phone, language=language
    )
    ticket = open_ticket(
        customer=customer,
        subject=subject,
        body_text=body_text,
        channel=Channel.WEB,
        queue=queue,
        kind=kind,
        category=category,
        attachments=attachments,
        # The thread's root, so email replies to the acknowledgement find it.
        email_message_id=emails.new_message_id(),
    )
    emails.queue_acknowledgement(ticket, language=language)
    if claim is not None:
        claim.ticket = ticket
        claim.save(update_fields=["ticket"])
    return ticket


def new_form_token() -> str:
    """A fresh one-time token for a web form."""
    return secrets.token_urlsafe(24)


def _digest(email: str, subject: str, body_text: str) -> str:
    sent = "\x1f".join((email.strip().lower(), subject, body_text))
    return hashlib.sha256(sent.encode()).hexdigest()


def _claim(token: str, digest: str):
    """Claim `token` for this request: (claim, None), or (None, ticket) when
    an earlier request with the same content already opened `ticket`.

    The insert waits on the unique index while another transaction holds the
    same token, so of two simultaneous requests the second sees the first's
    outcome: its ticket once committed, or a free token if it rolled back."""
    try:
        with transaction.atomic():
            return WebSubmission.objects.create(token=token, digest=digest), None
    except IntegrityError:
        earlier = (
            WebSubmission.objects.select_related("ticket").filter(token=token).first()
        )
    if earlier is not None and earlier.digest == digest and earlier.ticket:
        return None, earlier.ticket
    # The same form sent again with other content (the browser's Back button
    # and a new request): a ticket of its own, without a claim.
    return None, None


@transaction.atomic
def close_by_customer(ticket: Ticket, *, by=None) -> Ticket:
    """The customer says the request needs nothing more: close it."""
    if ticket.status == Status.CLOSED:
        return ticket
    set_status(ticket, Status.CLOSED, by=by, now=timezone.now())
    return ticket


@transaction.atomic
def rate_ticket(ticket: Ticket, *, score: int, comment: str = "", by=None) -> Ticket:
    """Store the customer's 1-5 rating of a resolved or closed ticket, once."""
    if ticket.status not in Status.done():
        raise ValidationError(
            _("A request can be rated once it is resolved."), code="not_resolved"
        )
    if ticket.rating is not None:
        raise ValidationError(
            _("This request has already been rated."), code="already_rated"
        )
    if score not in range(1, 6):
        raise ValidationError(_("A rating is from 1 to 5."), code="bad_score")
    ticket.rating = score
    ticket.rating_comment = comment.strip()
    ticket.rated_at = timezone.now()
    ticket.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    event = record_event(ticket, TicketEvent.Action.RATED, by=by, new=score)
    # An unhappy customer is called back by the queue's supervisor.
    open_follow_up(ticket, event=event, now=ticket.rated_at)
    return ticket
