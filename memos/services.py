"""Sending and answering memos: numbers, the addressed queue's clock, history
and notifications, each in the caller's transaction."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.labels import localized_name
from sla.clock_changes import start_owed_clock, stop_clock
from sla.ledger import minutes
from tickets import services as ticket_services
from tickets.history import record_event
from tickets.models import Notification, Queue, Ticket, TicketEvent
from tickets.notifications import notify

from .models import Memo, format_memo_number, reserve_memo_number

Action = TicketEvent.Action


def _queue_names(queue: Queue) -> dict:
    return {"queue": queue.name, "queue_ar": queue.name_ar}


def may_answer(memo: Memo, user) -> bool:
    """Whether `user` works the queue the memo is addressed to."""
    return Queue.objects.worked_by(user).filter(pk=memo.to_queue_id).exists()


@transaction.atomic
def send_memo(
    ticket: Ticket,
    *,
    to_queue: Queue,
    body_text: str,
    by,
    now: datetime | None = None,
) -> Memo:
    """Send a memo on `ticket` to another queue: an internal message addressed
    to it, a number (MEMO-YYYY-NNNNNN, gap-free per year), and a memo clock
    owed by that queue on its own calendar for `memo_answer_within`. The
    customer's clocks and the ticket's due time do not move. The queue's
    agents and supervisors are told."""
    if to_queue.pk == ticket.queue_id:
        raise ValidationError(
            _("This ticket is already in %(queue)s: write an internal note instead.")
            % {"queue": localized_name(to_queue)},
            code="own_queue",
        )
    now = now or timezone.now()
    message = ticket_services.add_note(
        ticket, body_text=body_text, to_queue=to_queue, by=by
    )
    year = timezone.localtime(now).year
    sequence = reserve_memo_number(year)
    number = format_memo_number(year, sequence)
    clock = start_owed_clock(
        ticket,
        queue=to_queue,
        start=now,
        limit=to_queue.memo_answer_within,
        reference=number,
        requested_by=by,
        now=now,
    )
    memo = Memo.objects.create(
        number=number,
        year=year,
        sequence=sequence,
        ticket=ticket,
        message=message,
        from_queue_id=ticket.queue_id,
        to_queue=to_queue,
        sent_by=by,
        sent_at=now,
        due_at=clock.due_at,
        clock=clock,
    )
    event = record_event(
        ticket,
        Action.MEMO,
        by=by,
        new=number,
        message=message,
        details={"event": "sent", "number": number, **_queue_names(to_queue)},
    )
    members = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(agent_queues=to_queue) | Q(supervised_queues=to_queue))
        .exclude(pk=by.pk if by else None)
        .distinct()
    )
    notify(
        list(members),
        ticket,
        event=event,
        kind=Notification.Kind.MEMO,
    )
    return memo


@transaction.atomic
def answer_memo(memo: Memo, *, body_text: str, by, now: datetime | None = None) -> Memo:
    """Answer an open memo: an internal message on its ticket, linked to the
    memo; the memo's clock stops, met or missed; the sender is told."""
    memo = (
        Memo.objects.select_for_update(of=("self",))
        .select_related("ticket", "to_queue", "clock__queue", "sent_by")
        .get(pk=memo.pk)
    )
    if not may_answer(memo, by):
        raise PermissionDenied(_("Only the addressed queue may answer this memo."))
    if not memo.is_open:
        raise ValidationError(
            _("Memo %(number)s was already answered.") % {"number": memo.number},
            code="answered",
        )
    now = now or timezone.now()
    ticket = memo.ticket
    answer = ticket_services.add_note(ticket, body_text=body_text, by=by)
    if memo.clock is not None and memo.clock.is_counting:
        stop_clock(memo.clock, at=now, by=by)
    memo.status = Memo.Status.ANSWERED
    memo.answer = answer
    memo.answered_by = by
    memo.answered_at = now
    memo.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    event = record_event(
        ticket,
        Action.MEMO,
        by=by,
        old=memo.number,
        message=answer,
        details={
            "event": "answered",
            "number": memo.number,
            **_queue_names(memo.to_queue),
            "minutes": minutes(memo.clock.used) if memo.clock else None,
        },
    )
    if memo.sent_by is not None and memo.sent_by != by:
        notify([memo.sent_by], ticket, event=event, kind=Notification.Kind.MEMO)
    return memo
