"""The web form's two halves: accepting a request, and opening its ticket.

Accepting is what the customer waits for, so it is one INSERT of what was
typed (`accept_web_request`) and an answer with the tracking link. Opening
the ticket (customer, SLA clocks, history, acknowledgement) is a worker's
job (`open_waiting`), woken once for any number of requests (`wake_worker`)
and backed by a beat entry, so a burst of submissions is absorbed instead of
queueing behind each other's writes, and a request is never lost to a busy
worker or a broker outage: it waits in its row."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk import background
from helpdesk.channels import Channel
from helpdesk.reference import cached
from portal.models import WebSubmission
from tickets import emails
from tickets.models import Category, Queue, Ticket
from tickets.services.customers import (
    customer_for_web_request,
    customers_for_web_requests,
)
from tickets.services.lifecycle import open_ticket
from tickets.services.opening_in_bulk import Request, open_tickets

log = logging.getLogger(__name__)

# Set while a wake-up is on its way, so a burst sends the broker one message,
# not one per request; the worker clears it before it looks for work.
WAKE_FLAG = "portal:open-web-requests"
WAKE_FLAG_SECONDS = 30
# A worker hands on to a fresh task after this long, within Celery's limits.
OPENING_SECONDS = 30
BATCH = 50
# What the row holds of the customer's words until the ticket does.
COPIED = ("name", "email", "phone", "subject", "body_text")


def accept_web_request(
    *,
    name: str,
    email: str,
    subject: str,
    body_text: str,
    language: str,
    kind: str = Ticket.Kind.INQUIRY,
    category: Category | None = None,
    phone: str = "",
    form_token: str = "",
) -> WebSubmission:
    """Keep a web form's request as sent, before its ticket exists.

    `form_token` is the form's one-time token: a second request with the
    same token and content (a double click, a resent POST) gets the first
    request's row, and so its tracking link, not a second request."""
    fields = {
        "name": name,
        "email": email,
        "phone": phone,
        "language": language,
        "kind": kind,
        "category": category,
        "subject": subject,
        "body_text": body_text,
        "digest": _digest(email, subject, body_text),
    }
    if form_token:
        try:
            # The insert waits on the unique index while another request
            # holds the same token, so the second of a double click sees the
            # first's row once committed.
            with transaction.atomic():
                return WebSubmission.objects.create(token=form_token, **fields)
        except IntegrityError:
            earlier = WebSubmission.objects.filter(token=form_token).first()
            if earlier is not None and earlier.digest == fields["digest"]:
                return earlier
    # No token, or the same form sent again with other content (the
    # browser's Back button and a new request): a request of its own.
    return WebSubmission.objects.create(**fields)


def _digest(email: str, subject: str, body_text: str) -> str:
    sent = "\x1f".join((email.strip().lower(), subject, body_text))
    return hashlib.sha256(sent.encode()).hexdigest()


@transaction.atomic
def open_submission(
    submission: WebSubmission,
    attachments: Iterable[UploadedFile] = (),
    *,
    locked: bool = False,
) -> Ticket:
    """Open the ticket of a kept request, once: find or create the customer
    by email, open the ticket on the web channel in the default queue as
    received when the form arrived, and send the acknowledgement in the
    customer's language. `locked` says the caller holds the row's lock."""
    if not locked:
        submission = WebSubmission.objects.select_for_update().get(pk=submission.pk)
        if submission.ticket_id:
            return submission.ticket
    queue = _default_queue()
    customer = customer_for_web_request(
        name=submission.name,
        email=submission.email,
        phone=submission.phone,
        language=submission.language,
    )
    ticket = open_ticket(
        customer=customer,
        subject=submission.subject,
        body_text=submission.body_text,
        channel=Channel.WEB,
        queue=queue,
        kind=submission.kind,
        category=submission.category,
        received_at=submission.created_at,
        tracking_token=submission.tracking_token,
        attachments=attachments,
        # The thread's root, so email replies to the acknowledgement find it.
        email_message_id=emails.new_message_id(),
    )
    emails.queue_acknowledgement(ticket, language=submission.language)
    _opened(submission, ticket)
    submission.save(update_fields=["ticket", *COPIED])
    return ticket


def _default_queue() -> Queue:
    queue = cached("default-queue", Queue.objects.default)
    if queue is None:
        raise ValidationError(_("No queue is set up to receive requests."))
    return queue


def _opened(row: WebSubmission, ticket: Ticket) -> None:
    """Point `row` at its ticket, which holds what was sent now: the row
    keeps only what the double-click guard needs, not a second copy of the
    customer's words (saved by the caller)."""
    row.ticket = ticket
    for field in COPIED:
        setattr(row, field, "")


def wake_worker() -> None:
    """Ask a worker to open the waiting requests, unless one was already
    asked and has not started yet."""
    if cache.add(WAKE_FLAG, 1, timeout=WAKE_FLAG_SECONDS):
        background.start("portal.tasks.open_web_requests")


def open_waiting(*, seconds: float = OPENING_SECONDS, batch: int = BATCH) -> int:
    """Open the tickets of waiting requests, oldest first, for about
    `seconds`; the number opened. Requests another worker holds are left to
    it; one that fails keeps its row, with the reason, for the next round."""
    cache.delete(WAKE_FLAG)
    deadline = time.monotonic() + seconds
    opened = 0
    failed: set[int] = set()
    while time.monotonic() < deadline:
        with transaction.atomic():
            rows = list(
                WebSubmission.objects.waiting()
                .exclude(pk__in=failed)
                .select_related("category")
                .select_for_update(skip_locked=True, of=("self",))[:batch]
            )
            if not rows:
                return opened
            try:
                with transaction.atomic():
                    opened += _open_batch(rows)
                continue
            except (ValidationError, DatabaseError):
                # One request the batch cannot take: each on its own, so
                # only that one waits.
                pass
            for submission in rows:
                try:
                    open_submission(submission, locked=True)
                except (ValidationError, DatabaseError) as error:
                    failed.add(submission.pk)
                    _note_failure(submission, error)
                else:
                    opened += 1
    # More than one round's worth: a fresh task goes on with the rest.
    wake_worker()
    return opened


def _open_batch(rows: list[WebSubmission]) -> int:
    """Open the tickets of locked `rows` together, set-based
    (`tickets.services.opening_in_bulk`); how many."""
    queue = _default_queue()
    customers = customers_for_web_requests(
        [
            {
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "language": row.language,
            }
            for row in rows
        ]
    )
    tickets = open_tickets(
        [
            Request(
                customer=customers[row.email.strip().lower()],
                subject=row.subject,
                body_text=row.body_text,
                channel=Channel.WEB,
                queue=queue,
                language=row.language,
                received_at=row.created_at,
                kind=row.kind,
                category=row.category,
                tracking_token=row.tracking_token,
            )
            for row in rows
        ]
    )
    for row, ticket in zip(rows, tickets, strict=True):
        _opened(row, ticket)
    WebSubmission.objects.bulk_update(rows, ["ticket", *COPIED])
    return len(rows)


def _note_failure(submission: WebSubmission, error: Exception) -> None:
    log.error("Web request %s could not be opened: %s", submission.pk, error)
    WebSubmission.objects.filter(pk=submission.pk).update(
        attempts=submission.attempts + 1, last_error=str(error)[:2000]
    )
