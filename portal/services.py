"""What customers do themselves: submit the web form, close, rate, and the
private tracking link."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.channels import Channel
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
) -> Ticket:
    """A request from the public web form: find or create the customer by
    email, open the ticket on the web channel in the default queue, and send
    the acknowledgement in `language`."""
    queue = Queue.objects.default()
    if queue is None:
        raise ValidationError(_("No queue is set up to receive requests."))
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
    return ticket


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
    record_event(ticket, TicketEvent.Action.RATED, by=by, new=score)
    return ticket
