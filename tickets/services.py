"""Verbs that change tickets. Each validates, writes, and records a TicketEvent.

No view or API sets `status` (or any other tracked field) by assignment: they
call these functions, so the history and the clocks are never skipped.
"""

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from customers.models import Customer, ServiceTier

from . import clocks, emails, notifications, permissions, search
from .channels import Channel
from .html import sanitize_html
from .models import (
    Attachment,
    Category,
    Message,
    Notification,
    Queue,
    Ticket,
    TicketEvent,
    format_ticket_number,
    new_tracking_token,
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


def _record(
    ticket: Ticket,
    action: str,
    *,
    by=None,
    old: object = "",
    new: object = "",
    message: Message | None = None,
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        action=action,
        actor=by,
        old_value="" if old is None else str(old)[:250],
        new_value="" if new is None else str(new)[:250],
        message=message,
    )


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


@transaction.atomic
def open_ticket(
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
) -> Ticket:
    """Create a ticket with its first inbound message and a `created` event,
    and start its SLA clocks at `received_at`.

    `answered` says the contact was answered as it happened (a call taken, a
    visitor served at the counter): that is the ticket's first response.
    """
    now = timezone.now()
    received_at = received_at or now
    if received_at > now:
        raise ValidationError(_("The received date cannot be in the future."))
    year = timezone.localtime(now).year
    (value,) = reserve_ticket_numbers(year)
    ticket = Ticket.objects.create(
        number=format_ticket_number(year, value),
        subject=subject,
        search_text=search.search_text(subject, body_text),
        kind=kind,
        category=category,
        channel=channel,
        priority=priority,
        queue=queue,
        customer=customer,
        received_at=received_at,
    )
    created = _record(ticket, TicketEvent.Action.CREATED, by=by, new=ticket.number)
    if ticket.is_complaint:
        _take_in_complaint(ticket, created)
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
    clocks.start_clocks(ticket, now=timezone.now(), by=by)
    if answered:
        ticket.first_responded_at = received_at
        ticket.save(update_fields=["first_responded_at", "updated_at"])
        clocks.record_public_reply(ticket, at=received_at, by=by)
    return ticket


def _set_status(ticket: Ticket, status: str, *, by, now: datetime) -> None:
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
    _record(ticket, TicketEvent.Action.STATUS, by=by, old=old, new=status)
    clocks.record_status_change(ticket, old=old, new=status, at=now, by=by)
    if status == Status.RESOLVED:
        emails.queue_resolution(ticket)


@transaction.atomic
def change_status(ticket: Ticket, *, status: str, by) -> Ticket:
    """Move `ticket` to `status` if its workflow allows it."""
    if status != ticket.status:
        _set_status(ticket, status, by=by, now=timezone.now())
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
) -> Message:
    """Add a correspondence entry and apply its effect on the ticket's status.

    A customer message reopens a resolved or pending ticket; the first public
    reply on any channel is the ticket's first response.
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
    )
    store_attachments(message, attachments)
    _record(ticket, TicketEvent.Action.MESSAGE, by=by, new=direction, message=message)
    indexed = search.merge_search_text(ticket.search_text, body_text)
    if indexed != ticket.search_text:
        ticket.search_text = indexed
        ticket.save(update_fields=["search_text", "updated_at"])
    if direction == Message.Direction.INBOUND:
        if ticket.status in (Status.RESOLVED, Status.PENDING):
            _set_status(ticket, Status.OPEN, by=by, now=now)
        clocks.record_customer_message(ticket, at=message.created_at)
    elif direction == Message.Direction.OUTBOUND:
        if ticket.first_responded_at is None:
            ticket.first_responded_at = message.created_at
            ticket.save(update_fields=["first_responded_at", "updated_at"])
        clocks.record_public_reply(ticket, at=message.created_at, by=by)
        if ticket.status == Status.NEW:
            _set_status(ticket, Status.OPEN, by=by, now=now)
        if message.channel in EMAILED_CHANNELS:
            emails.queue_reply(message)
    return message


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


@transaction.atomic
def assign_ticket(ticket: Ticket, *, agent, by) -> Ticket:
    """Give `ticket` to `agent` (or to nobody with None)."""
    if agent is not None and not permissions.is_agent(agent):
        raise ValidationError(_("Tickets can only be assigned to agents."))
    if agent != ticket.assignee:
        old = ticket.assignee
        ticket.assignee = agent
        ticket.save(update_fields=["assignee", "updated_at"])
        _record(
            ticket,
            TicketEvent.Action.ASSIGNED,
            by=by,
            old=old.get_username() if old else "",
            new=agent.get_username() if agent else "",
        )
    return ticket


# A change to one of these may choose another SLA policy.
SLA_FIELDS = frozenset({"priority", "kind", "channel"})


def _change_field(ticket: Ticket, field: str, value, action: str, by) -> Ticket:
    old = getattr(ticket, field)
    if old != value:
        setattr(ticket, field, value)
        ticket.save(update_fields=[field, "updated_at"])
        _record(ticket, action, by=by, old=old, new=value)
        if field in SLA_FIELDS:
            clocks.reselect_policy(ticket, at=timezone.now(), by=by)
    return ticket


@transaction.atomic
def change_priority(ticket: Ticket, *, priority: int, by) -> Ticket:
    """Set the ticket's priority."""
    if priority not in Ticket.Priority.values:
        raise ValidationError(_("Unknown priority."))
    return _change_field(ticket, "priority", priority, TicketEvent.Action.PRIORITY, by)


@transaction.atomic
def change_kind(ticket: Ticket, *, kind: str, by) -> Ticket:
    """Reclassify the ticket (inquiry, request, complaint, suggestion)."""
    if kind not in Ticket.Kind.values:
        raise ValidationError(_("Unknown kind."))
    was_complaint = ticket.is_complaint
    _change_field(ticket, "kind", kind, TicketEvent.Action.KIND, by)
    if ticket.is_complaint and not was_complaint:
        _take_in_complaint(ticket, ticket.events.order_by("-id").first())
    return ticket


def _take_in_complaint(ticket: Ticket, event: TicketEvent) -> None:
    """Complaints always reach the queue's supervisors; a VIP's starts escalated."""
    if ticket.customer.tier.is_vip and not ticket.is_escalated:
        ticket.is_escalated = True
        ticket.save(update_fields=["is_escalated", "updated_at"])
    notifications.notify_supervisors(
        ticket, event=event, kind=Notification.Kind.COMPLAINT
    )


@transaction.atomic
def change_channel(ticket: Ticket, *, channel: str, by) -> Ticket:
    """Correct the channel the ticket arrived by."""
    if channel not in Channel.values:
        raise ValidationError(_("Unknown channel."))
    return _change_field(ticket, "channel", channel, TicketEvent.Action.CHANNEL, by)


@transaction.atomic
def move_to_queue(ticket: Ticket, *, queue: Queue, by) -> Ticket:
    """Hand the ticket to another team."""
    return _change_field(ticket, "queue", queue, TicketEvent.Action.QUEUE, by)


@transaction.atomic
def change_category(ticket: Ticket, *, category: Category | None, by) -> Ticket:
    """Set what the ticket is about."""
    return _change_field(ticket, "category", category, TicketEvent.Action.CATEGORY, by)


@transaction.atomic
def change_customer_tier(customer: Customer, *, tier, by) -> Customer:
    """Move a customer to another service tier; their open tickets re-choose
    their SLA policy."""
    if tier == customer.tier:
        return customer
    customer.tier = tier
    customer.save(update_fields=["tier", "updated_at"])
    now = timezone.now()
    for ticket in customer.tickets.open().select_related("sla_policy"):
        ticket.customer = customer
        clocks.reselect_policy(ticket, at=now, by=by)
    return customer


def _customer_for_web_request(
    *, name: str, email: str, phone: str, language: str
) -> Customer:
    # An existing customer keeps their details: typing someone's address
    # must not change their name, phone or language.
    customer = Customer.objects.with_email(email).first()
    if customer is not None:
        return customer
    tier = ServiceTier.objects.filter(code=ServiceTier.STANDARD).first()
    customer = Customer(
        name=name,
        email=email,
        phone=phone,
        preferred_language=language,
        preferred_channel=Channel.WEB,
        tier=tier or ServiceTier.objects.order_by("rank").first(),
    )
    # Findable by name and phone in the workspace straight away.
    customer.search_text = customer.build_search_text()
    try:
        with transaction.atomic():
            customer.save()
            return customer
    except IntegrityError:
        # The same address submitted twice at once: the other request won.
        return Customer.objects.with_email(email).get()


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
    customer = _customer_for_web_request(
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
    _set_status(ticket, Status.CLOSED, by=by, now=timezone.now())
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
    _record(ticket, TicketEvent.Action.RATED, by=by, new=score)
    return ticket


@transaction.atomic
def renew_tracking_token(ticket: Ticket, *, by, notify: bool = True) -> Ticket:
    """Replace the private tracking link; the old link stops working at once.

    With `notify` the customer gets the new link by email; without, the
    link is simply revoked (an agent can send a new one later)."""
    ticket.tracking_token = new_tracking_token()
    ticket.save(update_fields=["tracking_token", "updated_at"])
    _record(ticket, TicketEvent.Action.TRACKING_RENEWED, by=by)
    if notify:
        emails.queue_tracking_link(ticket)
    return ticket


@transaction.atomic
def merge_tickets(source: Ticket, *, into: Ticket, by) -> Ticket:
    """Move `source`'s correspondence onto `into` and close `source`.

    Both tickets record the merge; the target keeps its own clocks, the
    source's stop as it closes.
    """
    if source.pk == into.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."))
    if into.status == Status.CLOSED:
        raise ValidationError(_("The target ticket is closed."))
    if source.status == Status.CLOSED:
        raise ValidationError(_("This ticket is already closed."))
    source.messages.update(ticket=into)
    into.search_text = search.merge_search_text(into.search_text, source.search_text)
    into.save(update_fields=["search_text", "updated_at"])
    _record(into, TicketEvent.Action.MERGED, by=by, old=source.number)
    _record(source, TicketEvent.Action.MERGED, by=by, new=into.number)
    _set_status(source, Status.CLOSED, by=by, now=timezone.now())
    return into


def bulk_change(
    tickets: Iterable[Ticket], *, by, assignee=..., status=None, priority=None
) -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Apply one change to many tickets through the single-ticket verbs.

    Each ticket changes in its own transaction, so one refusal (say, a
    closed ticket) does not undo the others. Returns (changed, refused) with
    the reason for each refusal.
    """
    changed, refused = [], []
    for ticket in tickets:
        try:
            if assignee is not ...:
                assign_ticket(ticket, agent=assignee, by=by)
            if status is not None:
                change_status(ticket, status=status, by=by)
            if priority is not None:
                change_priority(ticket, priority=priority, by=by)
        except ValidationError as error:
            refused.append((ticket, " ".join(error.messages)))
        else:
            changed.append(ticket)
    return changed, refused


@transaction.atomic
def create_customer(*, by=None, **fields) -> Customer:
    """A new customer, findable by name, email and phone straight away."""
    if "tier" not in fields:
        fields["tier"] = ServiceTier.objects.get(code=ServiceTier.STANDARD)
    customer = Customer(**fields)
    customer.full_clean()
    customer.search_text = customer.build_search_text()
    customer.save()
    return customer


@transaction.atomic
def update_customer(customer: Customer, *, by, **fields) -> Customer:
    """Change what the department knows about `customer`; a new tier
    re-chooses the SLA policy of their open tickets."""
    tier = fields.pop("tier", None)
    for name, value in fields.items():
        setattr(customer, name, value)
    # A form may already have put the new tier on the instance: keep the
    # stored one until change_customer_tier moves it and its tickets.
    customer.tier_id = (
        Customer.objects.filter(pk=customer.pk).values_list("tier_id", flat=True).get()
    )
    customer.search_text = customer.build_search_text()
    customer.save()
    if tier is not None:
        change_customer_tier(customer, tier=tier, by=by)
    return customer


@transaction.atomic
def log_interaction(
    *, customer: Customer | None = None, new_customer: dict | None = None, **ticket
) -> Ticket:
    """A contact taken by an agent (call, visit, letter): the customer found
    or created, and the ticket opened with its first message, in one step."""
    if customer is None:
        customer = create_customer(by=ticket.get("by"), **(new_customer or {}))
    return open_ticket(customer=customer, **ticket)


def reindex_search(*, batch: int = 2000) -> tuple[int, int]:
    """Rebuild every ticket's and customer's search column from its text,
    walking ids in batches; returns how many of each it wrote."""
    tickets = customers = 0
    last = 0
    while True:
        rows = list(
            Ticket.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "subject")[:batch]
        )
        if not rows:
            break
        bodies: dict[int, list[str]] = {row.pk: [] for row in rows}
        for ticket_id, body in Message.objects.filter(ticket_id__in=bodies).values_list(
            "ticket_id", "body_text"
        ):
            bodies[ticket_id].append(body)
        for row in rows:
            row.search_text = search.search_text(row.subject, *bodies[row.pk])
        Ticket.objects.bulk_update(rows, ["search_text"], batch_size=500)
        tickets += len(rows)
        last = rows[-1].pk
    last = 0
    while True:
        people = list(Customer.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not people:
            break
        for person in people:
            person.search_text = person.build_search_text()
        Customer.objects.bulk_update(people, ["search_text"], batch_size=500)
        customers += len(people)
        last = people[-1].pk
    return tickets, customers
