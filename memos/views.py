"""Memos: sending one from the ticket page, answering it, the memo list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.labels import localized_name
from helpdesk.roles import agent_required
from tickets.models import Queue, Ticket

from . import services
from .display import memo_line
from .forms import AnswerForm, MemoForm, MemoListForm
from .models import Memo

PAGE_SIZE = 50


@agent_required
@require_POST
def memo_send(request, number):
    """Send a memo from the ticket page's Memo tab."""
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("queue"),
        number=number,
    )
    form = MemoForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            memo = services.send_memo(
                ticket,
                to_queue=form.cleaned_data["to_queue"],
                body_text=form.cleaned_data["body_text"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Memo %(number)s sent to %(queue)s; answer due %(due)s.")
                % {
                    "number": memo.number,
                    "queue": localized_name(memo.to_queue),
                    "due": date_format(
                        timezone.localtime(memo.due_at), "SHORT_DATETIME_FORMAT"
                    ),
                },
            )
            return redirect(ticket)
    return render(
        request, "memos/send.html", {"ticket": ticket, "form": form}, status=400
    )


@agent_required
def memo_answer(request, number):
    """Answer a memo addressed to one of my queues (the form is also on the
    ticket page); a GET shows the memo with the form."""
    memo = get_object_or_404(
        Memo.objects.visible_to(request.user).select_related(
            "ticket", "message", "to_queue", "from_queue", "sent_by", "clock"
        ),
        number=number,
    )
    if not services.may_answer(memo, request.user):
        raise PermissionDenied(_("Only the addressed queue may answer this memo."))
    form = AnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.answer_memo(
                    memo, body_text=form.cleaned_data["body_text"], by=request.user
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("Memo %(number)s answered.") % {"number": memo.number}
                )
                return redirect(memo.ticket)
    line = memo_line(memo, timezone.now())
    return render(
        request, "memos/answer.html", {"line": line, "form": form}, status=status
    )


@agent_required
def memo_list(request):
    """Open memos addressed to my queues by due time; those we answered; those
    we sent."""
    form = MemoListForm(request.GET)
    tab = form.cleaned_data["tab"] if form.is_valid() else ""
    tab = tab or "open"
    mine = Queue.objects.worked_by(request.user).values("pk")
    memos = Memo.objects.visible_to(request.user).select_related(
        "ticket", "from_queue", "to_queue", "sent_by", "answered_by", "clock"
    )
    if tab == "open":
        memos = memos.open().to_queues(mine).order_by("due_at", "pk")
    elif tab == "answered":
        memos = memos.filter(~Q(status=Memo.Status.OPEN), to_queue__in=mine)
        memos = memos.order_by("-answered_at", "-pk")
    else:
        memos = memos.filter(from_queue__in=mine).order_by("-sent_at", "-pk")
    page = Paginator(memos, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    return render(
        request,
        "memos/memo_list.html",
        {
            "tab": tab,
            "tabs": MemoListForm.TABS,
            "page": page,
            "lines": [memo_line(memo, now) for memo in page],
            "now": now,
        },
    )


@agent_required
def memo_count(request):
    """The count of open memos to my queues, for the navigation (htmx)."""
    mine = Queue.objects.worked_by(request.user).values("pk")
    count = Memo.objects.open().to_queues(mine).count()
    return render(request, "memos/_count.html", {"count": count})
