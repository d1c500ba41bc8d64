"""The memos on the ticket page: the Memo tab's form and the memos card."""

from django import template
from django.utils import timezone

from tickets.models import Queue

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


@register.inclusion_tag("memos/_ticket_memos.html", takes_context=True)
def ticket_memos(context, ticket):
    """Every memo of `ticket`: number, queue, status, due or answered in,
    overdue in red; an answer form on the open ones addressed to the viewer's
    queues. Two queries (one when the ticket has no memo)."""
    now = context.get("now") or timezone.now()
    memos = list(
        Memo.objects.filter(ticket=ticket)
        .select_related("to_queue", "from_queue", "sent_by", "clock")
        .order_by("sent_at", "pk")
    )
    request = context.get("request")
    mine: set[int] = set()
    if memos and request is not None and any(memo.is_open for memo in memos):
        mine = set(Queue.objects.worked_by(request.user).values_list("pk", flat=True))
    return {
        "lines": [memo_line(memo, now) for memo in memos],
        "answerable": {
            memo.pk for memo in memos if memo.is_open and memo.to_queue_id in mine
        },
        "answer_form": AnswerForm(),
        "csrf_token": context.get("csrf_token"),
    }
