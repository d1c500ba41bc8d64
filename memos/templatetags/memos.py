"""The memos on the ticket page: the Memo tab's form and the memos card."""

from django import template
from django.utils import timezone

from tickets import reference
from tickets.models import Message

from ..display import memo_line
from ..forms import AnswerForm, MemoForm
from ..models import Memo

register = template.Library()


@register.inclusion_tag("memos/_memo_form.html", takes_context=True)
def memo_form(context, ticket):
    """The Memo tab: a memo to another queue about `ticket`."""
    return {
        "ticket": ticket,
        "form": MemoForm(ticket=ticket),
        "csrf_token": context.get("csrf_token"),
    }


def _memos_of(ticket) -> list[Memo]:
    """The ticket's memos, oldest first. Each memo's text is a message of the
    ticket: when the page fetched the messages with their memos, they are
    taken from there."""
    messages = ticket.messages.all()
    prefetched = "messages" in getattr(ticket, "_prefetched_objects_cache", {})
    if not prefetched or (messages and not Message.memo.is_cached(messages[0])):
        return list(
            Memo.objects.filter(ticket=ticket)
            .select_related("to_queue", "from_queue", "sent_by", "clock")
            .order_by("sent_at", "pk")
        )
    memos = []
    for message in messages:
        try:
            memo = message.memo
        except Memo.DoesNotExist:
            continue
        memo.ticket = ticket
        memos.append(memo)
    return sorted(memos, key=lambda memo: (memo.sent_at, memo.pk))


@register.inclusion_tag("memos/_ticket_memos.html", takes_context=True)
def ticket_memos(context, ticket):
    """Every memo of `ticket`: number, queue, status, due or answered in,
    overdue in red; an answer form on the open ones addressed to the viewer's
    queues. No query on the ticket page (see `_memos_of`), and the viewer's
    queues come from the cached reference data."""
    now = context.get("now") or timezone.now()
    memos = _memos_of(ticket)
    request = context.get("request")
    mine: frozenset[int] = frozenset()
    if memos and request is not None and any(memo.is_open for memo in memos):
        mine = reference.worked_queue_ids(request.user)
    return {
        "lines": [memo_line(memo, now) for memo in memos],
        "answerable": {
            memo.pk for memo in memos if memo.is_open and memo.to_queue_id in mine
        },
        "answer_form": AnswerForm(),
        "csrf_token": context.get("csrf_token"),
    }
