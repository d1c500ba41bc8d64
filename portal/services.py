"""What customers do themselves: submit the web form, close, rate, and the
private tracking link."""

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.services import open_follow_up
from portal import intake
from tickets.history import record_event
from tickets.models import Ticket, TicketEvent
from tickets.services.lifecycle import Status, set_status


@transaction.atomic
def submit_web_request(
    *,
    attachments: Iterable[UploadedFile] = (),
    **sent,
) -> Ticket:
    """A request from the public web form, opened at once: kept as sent
    (`intake.accept_web_request`, which takes the form's fields and its
    one-time token) and its ticket opened in the same transaction. The form
    takes this path when files come with the request; without, a worker
    opens the ticket (`intake.open_waiting`).

    A second request with the same token and content gets the first
    request's ticket, not a new one: the unique token makes it wait for the
    first request's commit."""
    submission = intake.accept_web_request(**sent)
    return intake.open_submission(submission, attachments)


def new_form_token() -> str:
    """A fresh one-time token for a web form."""
    return secrets.token_urlsafe(24)


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
