"""The feedback loop's verbs: a low rating opens a follow-up for the queue's
supervisor, who closes it with what was done."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tickets.models import Notification, Ticket, TicketEvent
from tickets.notifications import notify

from .models import FollowUp

# Ratings at or below this one are followed up.
LOW_RATING = 2
# An unhappy customer hears back within two days: long enough to look into
# the ticket, short enough that they still remember it.
FOLLOW_UP_WITHIN = timedelta(days=2)


def supervisor_for(ticket: Ticket):
    """The supervisor who follows up `ticket`: its queue's first supervisor,
    or nobody when the queue has none (every supervisor of it then sees it)."""
    return ticket.queue.supervisors.filter(is_active=True).order_by("pk").first()


@transaction.atomic
def open_follow_up(
    ticket: Ticket, *, event: TicketEvent, now: datetime
) -> FollowUp | None:
    """If the customer's rating of `ticket` is low, open a follow-up for the
    queue's supervisor with the customer's comment and tell them; return it
    (None for a good rating, or one already followed up)."""
    if ticket.rating is None or ticket.rating > LOW_RATING:
        return None
    if FollowUp.objects.filter(ticket=ticket).exists():
        return None
    assignee = supervisor_for(ticket)
    follow_up = FollowUp.objects.create(
        ticket=ticket,
        assignee=assignee,
        rating=ticket.rating,
        comment=ticket.rating_comment,
        due_at=now + FOLLOW_UP_WITHIN,
        created_at=now,
    )
    if assignee is not None:
        notify([assignee], ticket, event=event, kind=Notification.Kind.LOW_RATING)
    return follow_up


@transaction.atomic
def complete_follow_up(
    follow_up: FollowUp, *, outcome: str, by: AbstractBaseUser, now: datetime
) -> FollowUp:
    """Close `follow_up` with what was done; return it."""
    if not follow_up.is_open:
        raise ValidationError(_("This follow-up is already done."), code="already_done")
    follow_up.status = FollowUp.Status.DONE
    follow_up.outcome = outcome.strip()
    follow_up.done_at = now
    follow_up.done_by = by
    follow_up.save(update_fields=["status", "outcome", "done_at", "done_by"])
    return follow_up
