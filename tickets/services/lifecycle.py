"""A ticket's life: opening, status, correspondence, and the guard against
lost updates. Each verb validates, writes and records a TicketEvent."""

import hashlib
import operator
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import reduce

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer
from helpdesk import search
from helpdesk.channels import Channel
from sla import clocks
from tickets import emails, notifications, permissions

from ..history import record_event, ticket_event
from ..html import sanitize_html
from ..models import (
    Attachment,
    Category,
    Message,
    Notification,
    Queue,
    Ticket,
    TicketEvent,
    format_ticket_number,
    reserve_ticket_numbers,
)

Status = Ticket.Status


# Where a ticket may go from each status. Closed is final: a customer who
# writes again after closure starts a new ticket.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset(
        {Status.OPEN, Status.PENDING, Status.RESOLVED, Status.CLOSED}
    ),
    Status.OPEN: frozenset({Status.PENDING, Status.RESOLVED, Status.CLOSED}),
    Status.PENDING: frozenset({Status.OPEN, Status.RESOLVED, Status.CLOSED}),
    Status.RESOLVED: frozenset({Status.OPEN, Status.CLOSED}),
    Status.CLOSED: frozenset(),
}


class InvalidTransition(ValidationError):
    """A status change the ticket's workflow does not allow."""


class TicketChanged(Exception):
    """Someone else changed the ticket since the acting agent last saw it."""

    def __init__(self, events: list[TicketEvent]):
        super().__init__(f"{len(events)} change(s) since last seen")
        self.events = events


def last_seen_event(ticket: Ticket) -> int:
    """The id to hand a page as 'what I have seen' of `ticket`'s history."""
    return ticket.events.order_by("-id").values_list("id", flat=True).first() or 0


def changes_since(ticket: Ticket, seen: int) -> list[TicketEvent]:
    """Events on `ticket` after event id `seen`, leaving out the clocks'
    own bookkeeping (a warning is not a change an agent would overwrite)."""
    return list(
        ticket.events.filter(id__gt=seen)
        .exclude(action__in=TicketEvent.Action.sla())
        .select_related("actor")
        .order_by("id")
    )


@contextmanager
def unchanged_since(ticket: Ticket, *, seen: int) -> Iterator[Ticket]:
    """Lock `ticket` for a change and refuse it, with TicketChanged, if its
    history moved past event `seen`: no agent silently overwrites another."""
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        changes = changes_since(locked, seen)
        if changes:
            raise TicketChanged(changes)
        ticket.refresh_from_db()
        yield ticket


def store_attachments(
    message: Message, files: Iterable[UploadedFile]
) -> list[Attachment]:
    """Save uploaded files on `message`, with size, type and checksum."""
    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        attachment = Attachment(
            message=message,
            original_name=upload.name[:255],
            content_type=(upload.content_type or "application/octet-stream")[:120],
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def new_ticket(*, body_text: str, tracking_token: str = "", **fields) -> Ticket:
    """An unsaved ticket of `fields`, searchable by its subject and first
    message (`body_text`), with the customer's link when one was given."""
    ticket = Ticket(
        search_text=search.search_text(fields["subject"], body_text), **fields
    )
    if tracking_token:
        ticket.tracking_token = tracking_token
    return ticket


def open_ticket(**fields) -> Ticket:
    """Create a ticket with its first inbound message and a `created` event,
    and start its SLA clocks at `received_at` (see `open_ticket_with_message`)."""
    return open_ticket_with_message(**fields)[0]


# No savepoint inside a caller's transaction (the web form's, email
# intake's): no caller goes on after an error here, so the savepoint's two
# round trips would protect nothing.
@transaction.atomic(savepoint=False)
def open_ticket_with_message(
    *,
    customer: Customer,
    subject: str,
    body_text: str,
    channel: str,
    queue: Queue,
    kind: str = Ticket.Kind.INQUIRY,
    category: Category | None = None,
    priority: int = Ticket.Priority.NORMAL,
    received_at: datetime | None = None,
    by=None,
    body_html: str = "",
    details: dict | None = None,
    attachments: Iterable[UploadedFile] = (),
    answered: bool = False,
    email_message_id: str = "",
    tracking_token: str = "",
) -> tuple[Ticket, Message]:
    """Create a ticket with its first inbound message and a `created` event,
    and start its SLA clocks at `received_at`; the ticket and that message.

    `answered` says the contact was answered as it happened (a call taken, a
    visitor served at the counter): that is the ticket's first response.
    `tracking_token` is the customer's link, when they were given it before
    the ticket existed (the web form's kept requests).
    """
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ValidationError(_("The received date cannot be in the future."))
    year = timezone.localtime(now).year
    (value,) = reserve_ticket_numbers(year)
    ticket = new_ticket(
        number=format_ticket_number(year, value),
        subject=subject,
        body_text=body_text,
        kind=kind,
        category=category,
        channel=channel,
        priority=priority,
        queue=queue,
        customer=customer,
        received_at=received_at,
        tracking_token=tracking_token,
    )
    # Policy and due times are known before the ticket is: one INSERT, no
    # UPDATE after it.
    started = clocks.plan_start(ticket, now=now, by=by)
    ticket.save(force_insert=True)
    # Dated when the ticket was opened, before its first message; written
    # with the clocks' ledger in one statement, unless a complaint's
    # notifications need it first.
    created = ticket_event(
        ticket, TicketEvent.Action.CREATED, by=by, new=ticket.number, created_at=now
    )
    if ticket.is_complaint:
        created.save()
        take_in_complaint(ticket, created)
    else:
        started.events.insert(0, created)
    message = Message.objects.create(
        ticket=ticket,
        direction=Message.Direction.INBOUND,
        channel=channel,
        author=by,
        body_text=body_text,
        body_html=sanitize_html(body_html),
        details=details or {},
        email_message_id=email_message_id,
    )
    store_attachments(message, attachments)
    clocks.write_start(started)
    if answered:
        ticket.first_responded_at = received_at
        ticket.save(update_fields=["first_responded_at", "updated_at"])
        clocks.record_public_reply(ticket, at=received_at, by=by)
    return ticket, message


def take_in_complaint(ticket: Ticket, event: TicketEvent) -> None:
    """Complaints always reach the queue's supervisors; a VIP's starts escalated.

    A complaint taken in is acknowledged (its workflow: services/complaints.py),
    as the acknowledgement goes out; one reclassified keeps a stage it had."""
    fields = []
    if ticket.customer.tier.is_vip and not ticket.is_escalated:
        ticket.is_escalated = True
        fields.append("is_escalated")
    if not ticket.complaint_stage:
        ticket.complaint_stage = Ticket.ComplaintStage.ACKNOWLEDGED
        fields.append("complaint_stage")
    if fields:
        ticket.save(update_fields=[*fields, "updated_at"])
    if "complaint_stage" in fields:
        stage = ["", ticket.complaint_stage]
        record_event(
            ticket,
            TicketEvent.Action.COMPLAINT,
            by=event.actor,
            new=stage[1],
            details={"changes": {"stage": stage}},
        )
    notifications.notify_supervisors(
        ticket, event=event, kind=Notification.Kind.COMPLAINT
    )


def set_status(ticket: Ticket, status: str, *, by, now: datetime) -> None:
    """Within the caller's transaction: check the workflow allows `status`,
    record it, move the clocks and queue the resolution email."""
    if status not in TRANSITIONS[ticket.status]:
        raise InvalidTransition(
            _("A ticket cannot go from %(old)s to %(new)s.")
            % {"old": Status(ticket.status).label, "new": Status(status).label},
            code="invalid_transition",
        )
    old = ticket.status
    ticket.status = status
    if status == Status.RESOLVED:
        ticket.resolved_at = now
    elif status == Status.CLOSED:
        ticket.closed_at = now
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None
    ticket.save(update_fields=["status", "resolved_at", "closed_at", "updated_at"])
    record_event(ticket, TicketEvent.Action.STATUS, by=by, old=old, new=status)
    clocks.record_status_change(ticket, old=old, new=status, at=now, by=by)
    if status == Status.RESOLVED:
        emails.queue_resolution(ticket)


@transaction.atomic
def change_status(ticket: Ticket, *, status: str, by) -> Ticket:
    """Move `ticket` to `status` if its workflow allows it."""
    if status != ticket.status:
        set_status(ticket, status, by=by, now=timezone.now())
    return ticket


@transaction.atomic
def add_message(
    ticket: Ticket,
    *,
    direction: str,
    body_text: str,
    channel: str | None = None,
    by=None,
    body_html: str = "",
    details: dict | None = None,
    to_queue: Queue | None = None,
    attachments: Iterable[UploadedFile] = (),
    email_message_id: str = "",
    received_at: datetime | None = None,
) -> Message:
    """Add a correspondence entry and apply its effect on the ticket's status.

    A customer message reopens a resolved or pending ticket and restarts the
    next-response clock from `received_at` (when its mail server received an
    email; now when not given); the first public reply on any channel is the
    ticket's first response.
    """
    if ticket.status == Status.CLOSED and direction != Message.Direction.INTERNAL:
        raise InvalidTransition(
            _("This ticket is closed; open a new ticket instead."), code="closed"
        )
    now = timezone.now()
    message = Message.objects.create(
        ticket=ticket,
        direction=direction,
        channel=channel or ticket.channel,
        author=by,
        to_queue=to_queue,
        body_text=body_text,
        body_html=sanitize_html(body_html),
        details=details or {},
        email_message_id=email_message_id,
    )
    store_attachments(message, attachments)
    event = record_event(
        ticket, TicketEvent.Action.MESSAGE, by=by, new=direction, message=message
    )
    if direction == Message.Direction.INBOUND:
        _notify_assignee_of_reply(ticket, event, by=by)
    elif direction == Message.Direction.INTERNAL:
        notify_mentioned(ticket, body_text, event, by=by)
    changed = []
    indexed = search.merge_search_text(ticket.search_text, body_text)
    if indexed != ticket.search_text:
        ticket.search_text = indexed
        changed.append("search_text")
    if direction == Message.Direction.OUTBOUND and ticket.first_responded_at is None:
        ticket.first_responded_at = message.created_at
        changed.append("first_responded_at")
    if changed:
        ticket.save(update_fields=[*changed, "updated_at"])
    if direction == Message.Direction.INBOUND:
        if ticket.status in (Status.RESOLVED, Status.PENDING):
            set_status(ticket, Status.OPEN, by=by, now=now)
        at = min(received_at, message.created_at) if received_at else None
        clocks.record_customer_message(ticket, at=at or message.created_at)
    elif direction == Message.Direction.OUTBOUND:
        clocks.record_public_reply(ticket, at=message.created_at, by=by)
        if ticket.status == Status.NEW:
            set_status(ticket, Status.OPEN, by=by, now=now)
        if message.channel in EMAILED_CHANNELS:
            emails.queue_reply(message)
    return message


def _notify_assignee_of_reply(ticket: Ticket, event: TicketEvent, *, by) -> None:
    """The customer wrote (or an agent logged their call or letter) on an
    assigned ticket: its assignee hears, unless they logged it themselves."""
    if ticket.assignee_id is None or ticket.assignee_id == getattr(by, "pk", None):
        return
    notifications.notify(
        [ticket.assignee_id], ticket, event=event, kind=Notification.Kind.REPLY
    )


# "@username" in a note, not inside a word or an email address; a trailing
# full stop ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.])@([\w.+-]*[\w+-])", re.UNICODE)
# More names than this in one note is a list, not a call for attention.
MAX_MENTIONS = 20


def mentioned_usernames(text: str) -> list[str]:
    """The usernames `@`-mentioned in `text`, each once, in order."""
    names = dict.fromkeys(match.group(1) for match in MENTION.finditer(text))
    return list(names)[:MAX_MENTIONS]


def notify_mentioned(ticket: Ticket, text: str, event: TicketEvent, *, by) -> int:
    """Tell the staff `@`-mentioned in an internal note; only those who may
    see the ticket (a name from another department stays a name), never the
    writer. Return how many were told."""
    names = mentioned_usernames(text)
    if not names:
        return 0
    named = reduce(operator.or_, (Q(username__iexact=name) for name in names))
    people = [
        user
        for user in get_user_model().objects.filter(named, is_active=True)
        if user != by
        and permissions.is_agent(user)
        # A system reads no notifications.
        and not permissions.is_integration(user)
        and Ticket.objects.visible_to(user).filter(pk=ticket.pk).exists()
    ]
    if not people:
        return 0
    return notifications.notify(
        people, ticket, event=event, kind=Notification.Kind.MENTION
    )


# Public replies on these channels are sent to the customer by email; a call,
# letter or fax logged as a reply already reached them its own way.
EMAILED_CHANNELS = frozenset({Channel.WEB, Channel.EMAIL})


def reply_to_ticket(ticket: Ticket, *, body_text: str, by, **kwargs) -> Message:
    """A public reply to the customer, on the ticket's channel unless given."""
    return add_message(
        ticket,
        direction=Message.Direction.OUTBOUND,
        body_text=body_text,
        by=by,
        **kwargs,
    )


@transaction.atomic
def reply_and_set_status(
    ticket: Ticket, *, status: str = "", body_text: str, by, **kwargs
) -> Message:
    """A reply and the status it leaves the ticket in, in one step (Zendesk's
    "submit as"): *pending* to wait for the customer, *resolved* when the
    reply settles it. Both happen or neither: a status the workflow refuses
    keeps the reply unsent."""
    message = reply_to_ticket(ticket, body_text=body_text, by=by, **kwargs)
    if status and status != ticket.status:
        set_status(ticket, status, by=by, now=timezone.now())
    return message


def add_note(
    ticket: Ticket, *, body_text: str, by, to_queue: Queue | None = None, **kwargs
) -> Message:
    """An internal note, or a memo to another queue; never shown to the customer."""
    return add_message(
        ticket,
        direction=Message.Direction.INTERNAL,
        body_text=body_text,
        by=by,
        to_queue=to_queue,
        **kwargs,
    )
