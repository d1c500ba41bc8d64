"""Changes agents make to a ticket: assignee, priority, kind, channel, queue,
category; merging; the same change on many tickets."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk import search
from helpdesk.channels import Channel
from helpdesk.labels import localized_name, person_name
from sla import clocks

from .. import emails, notifications
from ..history import record_event
from ..models import (
    Category,
    Notification,
    Queue,
    Ticket,
    TicketEvent,
    new_tracking_token,
)
from .lifecycle import (
    Status,
    change_status,
    set_status,
    take_in_complaint,
)


@transaction.atomic
def assign_ticket(ticket: Ticket, *, agent, by) -> Ticket:
    """Give `ticket` to `agent` (or to nobody with None)."""
    if agent is not None and not ticket.queue.may_be_assigned(agent):
        raise ValidationError(
            _("%(agent)s does not work in the %(queue)s queue.")
            % {"agent": person_name(agent), "queue": localized_name(ticket.queue)}
        )
    if agent != ticket.assignee:
        old = ticket.assignee
        ticket.assignee = agent
        ticket.save(update_fields=["assignee", "updated_at"])
        event = record_event(
            ticket,
            TicketEvent.Action.ASSIGNED,
            by=by,
            # The history shows people as others know them, not by login.
            old=person_name(old),
            new=person_name(agent),
        )
        # Someone else gave it to them: they should know. Taking a ticket
        # yourself tells nobody.
        if agent is not None and agent != by:
            notifications.notify(
                [agent], ticket, event=event, kind=Notification.Kind.ASSIGNED
            )
    return ticket


# A change to one of these may choose another SLA policy.
SLA_FIELDS = frozenset({"priority", "kind", "channel"})


def _names(old, new) -> dict:
    """Both names of a queue or category changed, so the history reads in
    either language without looking them up (the value columns keep the
    English name)."""
    if not any(hasattr(obj, "name_ar") for obj in (old, new)):
        return {}
    return {
        "names": [
            [obj.name, obj.name_ar] if obj is not None else ["", ""]
            for obj in (old, new)
        ]
    }


def _change_field(ticket: Ticket, field: str, value, action: str, by) -> Ticket:
    old = getattr(ticket, field)
    if old != value:
        setattr(ticket, field, value)
        ticket.save(update_fields=[field, "updated_at"])
        record_event(
            ticket, action, by=by, old=old, new=value, details=_names(old, value)
        )
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
        take_in_complaint(ticket, ticket.events.order_by("-id").first())
    return ticket


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
def merge_tickets(source: Ticket, *, into: Ticket, by) -> Ticket:
    """Move `source`'s correspondence onto `into` and close `source`.

    Both tickets record the merge; the target keeps its own clocks, the
    source's stop as it closes. Only one customer's tickets are merged, and
    only by someone who may see both: the customer reads every message of
    the merged ticket on their portal.
    """
    if source.pk == into.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."))
    visible = Ticket.objects.visible_to(by) if by else Ticket.objects.none()
    if visible.filter(pk__in=[source.pk, into.pk]).count() != 2:
        raise ValidationError(_("You may only merge tickets you can see."))
    if source.customer_id != into.customer_id:
        raise ValidationError(
            _(
                "%(number)s is another customer's ticket: only tickets of the "
                "same customer can be merged."
            )
            % {"number": into.number}
        )
    if into.status == Status.CLOSED:
        raise ValidationError(_("The target ticket is closed."))
    if source.status == Status.CLOSED:
        raise ValidationError(_("This ticket is already closed."))
    source.messages.update(ticket=into)
    into.search_text = search.merge_search_text(into.search_text, source.search_text)
    into.save(update_fields=["search_text", "updated_at"])
    record_event(into, TicketEvent.Action.MERGED, by=by, old=source.number)
    record_event(source, TicketEvent.Action.MERGED, by=by, new=into.number)
    set_status(source, Status.CLOSED, by=by, now=timezone.now())
    return into


def bulk_change(
    tickets: Iterable[Ticket], *, by, assignee=..., status=None, priority=None
) -> tuple[list[Ticket], list[tuple[Ticket, str]]]:
    """Apply one change to many tickets through the single-ticket verbs.

    Each ticket changes all or nothing, in its own transaction (a savepoint
    inside a caller's), so one refusal (say, a closed ticket) neither leaves
    that ticket half changed nor undoes the others. Returns (changed,
    refused) with the reason for each refusal.
    """
    changed, refused = [], []
    for ticket in tickets:
        try:
            with transaction.atomic():
                if assignee is not ...:
                    assign_ticket(ticket, agent=assignee, by=by)
                if status is not None:
                    change_status(ticket, status=status, by=by)
                if priority is not None:
                    change_priority(ticket, priority=priority, by=by)
        except ValidationError as error:
            ticket.refresh_from_db()
            refused.append((ticket, " ".join(error.messages)))
        else:
            changed.append(ticket)
    return changed, refused


@transaction.atomic
def renew_tracking_token(ticket: Ticket, *, by, notify: bool = True) -> Ticket:
    """Replace the private tracking link; the old link stops working at once.

    With `notify` the customer gets the new link by email; without, the
    link is simply revoked (an agent can send a new one later)."""
    ticket.tracking_token = new_tracking_token()
    ticket.save(update_fields=["tracking_token", "updated_at"])
    record_event(ticket, TicketEvent.Action.TRACKING_RENEWED, by=by)
    if notify:
        emails.queue_tracking_link(ticket)
    return ticket
