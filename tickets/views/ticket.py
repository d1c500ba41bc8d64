"""The agent's ticket page and every action on it."""

from contextlib import nullcontext

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from helpdesk.numbers import whole_number
from sla.clocks import prefetch_clocks

from .. import canned, page_cache, reference, services, workspace
from ..forms import (
    LogContactForm,
    MergeForm,
    NoteForm,
    PropertiesForm,
    ReplyForm,
    UploadForm,
    paper_details,
)
from ..models import CannedResponse, Message, Ticket, TicketEvent
from ..permissions import agent_required
from .customers import other_tickets_and_ratings
from .interactions import announce_contact

# How many of the customer's other tickets the side panel lists.
CUSTOMER_TICKETS = 20


def _page_lookups():
    """What the ticket page shows beyond the ticket's own row, prefetched so
    the number of queries stays fixed however long its history."""
    messages_ = Message.objects.select_related(
        "author",
        "to_queue",
        # The memo a message sent, with what the memos card shows of it, and
        # the memo it answered (memos app, above).
        "memo__from_queue",
        "memo__to_queue",
        "memo__sent_by",
        "memo__clock",
        "memo_answered__clock",
    ).prefetch_related(
        "attachments",
        "customer_emails",
        # The register numbers of logged letters (registers app, above).
        "register_entries",
    )
    return (
        Prefetch("messages", queryset=messages_),
        Prefetch("events", queryset=TicketEvent.objects.select_related("actor")),
        # The addresses an agent allowed to write by email (mail app).
        "email_addresses",
        prefetch_clocks(),
    )


def _ticket_row_queryset(user):
    """Tickets `user` may see, with the one-to-ones the page shows joined."""
    return Ticket.objects.visible_to(user).select_related(
        "customer__tier", "queue", "assignee", "category", "sla_policy__calendar"
    )


def _ticket_page_queryset(user):
    """The ticket with everything its page shows, in a fixed number of
    queries however long its history: one-to-ones joined, lists prefetched."""
    return _ticket_row_queryset(user).prefetch_related(*_page_lookups())


def _forms(ticket: Ticket, seen: int, user, bound: tuple[str, object] | None):
    others = Ticket.objects.visible_to(user).exclude(pk=ticket.pk)
    # The newest message on the page, from the prefetched timeline.
    seen_message = max((m.pk for m in ticket.messages.all()), default=0)
    talk = {"seen": seen, "seen_message": seen_message}
    forms = {
        "reply": ReplyForm(initial=talk, ticket=ticket),
        "note": NoteForm(initial=talk),
        "log": LogContactForm(initial={"seen": seen}),
        "properties": PropertiesForm(initial=PropertiesForm.initial_for(ticket, seen)),
        "merge": MergeForm(initial={"seen": seen}, tickets=others),
        "upload": UploadForm(initial={"seen": seen}),
    }
    if bound:
        forms[bound[0]] = bound[1]
    return forms


# The composer's modes, in the order of its tabs.
COMPOSER_MODES = [
    ("reply", _lazy("Reply")),
    ("note", _lazy("Internal note")),
    ("log", _lazy("Log contact")),
    ("upload", _lazy("Files")),
    ("memo", _lazy("Memo")),
    ("letter", _lazy("Letter")),
]


def _render(
    request,
    ticket,
    *,
    bound=None,
    conflict=None,
    held_back=None,
    status=200,
    active=None,
    keep=False,
):
    """The ticket page; to htmx, only the parts an action changes."""
    events = list(ticket.events.all())
    seen = events[-1].pk if events else 0
    forms = _forms(ticket, seen, request.user, bound)
    # One page, several forms with fields of the same names: ids of their own.
    for name in ("reply", "note", "log", "upload", "merge"):
        forms[name].auto_id = f"{name}-%s"
    active = bound[0] if bound else active or "reply"
    context = {
        "ticket": ticket,
        "forms": forms,
        "seen": seen,
        "active": active,
        # The composer's open tab: the action's own, else the reply.
        "mode": active if active in dict(COMPOSER_MODES) else "reply",
        "composer_modes": COMPOSER_MODES,
        "conflict": conflict,
        "held_back": held_back,
        "canned": _canned(ticket),
        "now": timezone.now(),
    }
    if request.htmx:
        return render(request, "tickets/_ticket_update.html", context, status=status)
    context["customer_tickets"], context["recent_ratings"] = other_tickets_and_ratings(
        request.user, ticket, CUSTOMER_TICKETS
    )
    keep = keep and page_cache.enabled()
    if keep:
        context["csrf_token"] = page_cache.CSRF_PLACEHOLDER
    page = render_to_string("tickets/_ticket_page.html", context, request)
    if keep:
        page_cache.keep(request, ticket, page)
    return _page(request, ticket.number, page, status)


def _page(request, number: str, page: str, status: int = 200):
    page = mark_safe(page_cache.with_csrf(request, page))  # noqa: S308 - rendered by us
    context = {"number": number, "page": page}
    return render(request, "tickets/ticket_detail.html", context, status=status)


def _canned(ticket):
    return reference.canned_responses(ticket.queue)


@agent_required
def ticket_detail(request, number):
    if (page := page_cache.kept(request, number)) is not None:
        return _page(request, number, page)
    ticket = get_object_or_404(
        page_cache.with_stamp(_ticket_row_queryset(request.user), request.user),
        number=number,
    )
    page_cache.refresh_reference(ticket)
    prefetch_related_objects([ticket], *_page_lookups())
    return _render(request, ticket, keep=True)


def _fields_unchanged(request, ticket, data):
    """The lost-update guard: refused if anything changed since the page was
    loaded (for the forms that set the ticket's fields)."""
    return services.unchanged_since(ticket, seen=data["seen"])


def _records_what_happened(request, ticket, data):
    """A logged contact or added files are never refused for what others did
    meanwhile: the call took place, the files exist, and neither writes to the
    customer."""
    return nullcontext()


def _no_new_correspondence(request, ticket, data):
    """The reply and note guard: refused only if the customer wrote, or
    someone else wrote to them, since the page was loaded."""
    return services.no_correspondence_since(
        ticket, seen_message=data["seen_message"], user=request.user
    )


def _act(request, number, name, make_form, action, done: str, guard=_fields_unchanged):
    """Validate `name`'s form, run `action` inside `guard` (which refuses it
    if the ticket moved on since the agent loaded it in a way that matters to
    this action), and show the page again with what went wrong."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), number=number)
    form = make_form(ticket)
    conflict = held_back = None
    if form.is_valid():
        try:
            with guard(request, ticket, form.cleaned_data):
                result = action(ticket, form.cleaned_data)
        except services.TicketChanged as changed:
            conflict = changed.events
            # Resubmitting the same form now means "yes, despite that".
            form.data = form.data.copy()
            form.data["seen"] = conflict[-1].pk
        except services.CorrespondenceMoved as moved:
            held_back = moved.messages
            # "Send anyway" resubmits the same form, now aware of these.
            form.data = form.data.copy()
            form.data["seen_message"] = held_back[-1].pk
        except ValidationError as error:
            form.add_error(None, error)
        else:
            workspace.forget_counts(request.user)
            messages.success(request, done)
            target = result if isinstance(result, Ticket) else ticket
            if (
                not Ticket.objects.visible_to(request.user)
                .filter(pk=target.pk)
                .exists()
            ):
                return _redirect(request, "tickets:list")
            if not request.htmx or target.pk != ticket.pk:
                return _redirect(request, target)
            # htmx: the page's changed parts, the composer emptied.
            ticket = get_object_or_404(
                _ticket_page_queryset(request.user), pk=ticket.pk
            )
            return _render(request, ticket, active=name)
    ticket = get_object_or_404(_ticket_page_queryset(request.user), pk=ticket.pk)
    status = 409 if conflict or held_back else 400
    return _render(
        request,
        ticket,
        bound=(name, form),
        conflict=conflict,
        held_back=held_back,
        status=status,
    )


def _redirect(request, to):
    """A redirect; to htmx, one the browser follows rather than the request."""
    if request.htmx:
        return HttpResponseClientRedirect(resolve_url(to))
    return redirect(to)


@agent_required
@require_POST
def ticket_reply(request, number):
    def reply(ticket, data):
        return services.reply_and_set_status(
            ticket,
            status=data["then"],
            body_text=data["body_text"],
            channel=data["channel"],
            attachments=data["attachments"],
            by=request.user,
        )

    return _act(
        request,
        number,
        "reply",
        lambda t: ReplyForm(request.POST, request.FILES, ticket=t),
        reply,
        _("Reply recorded."),
        guard=_no_new_correspondence,
    )


@agent_required
@require_POST
def ticket_note(request, number):
    def note(ticket, data):
        return services.add_note(
            ticket,
            body_text=data["body_text"],
            attachments=data["attachments"],
            by=request.user,
        )

    return _act(
        request,
        number,
        "note",
        lambda t: NoteForm(request.POST, request.FILES),
        note,
        _("Note added."),
        guard=_no_new_correspondence,
    )


@agent_required
@require_POST
def ticket_log(request, number):
    def log(ticket, data):
        message = services.add_message(
            ticket,
            direction=data["direction"],
            channel=data["channel"],
            body_text=data["body_text"],
            details=paper_details(data),
            attachments=data["attachments"],
            received_at=data.get("received_at"),
            by=request.user,
        )
        for line in announce_contact(
            request, ticket, message, received_at=message.received_at
        ):
            messages.info(request, line)
        return message

    return _act(
        request,
        number,
        "log",
        lambda t: LogContactForm(request.POST, request.FILES),
        log,
        _("Contact logged."),
        guard=_records_what_happened,
    )


@agent_required
@require_POST
def ticket_properties(request, number):
    def change(ticket, data):
        by = request.user
        services.move_to_queue(ticket, queue=data["queue"], by=by)
        services.assign_ticket(ticket, agent=data["assignee"], by=by)
        services.change_kind(ticket, kind=data["kind"], by=by)
        services.change_category(ticket, category=data["category"], by=by)
        services.change_priority(ticket, priority=data["priority"], by=by)
        return services.change_status(ticket, status=data["status"], by=by)

    return _act(
        request,
        number,
        "properties",
        lambda t: PropertiesForm(request.POST),
        change,
        _("Ticket updated."),
    )


@agent_required
@require_POST
def ticket_merge(request, number):
    def merge(ticket, data):
        return services.merge_tickets(ticket, into=data["into"], by=request.user)

    others = Ticket.objects.visible_to(request.user).exclude(number=number)
    return _act(
        request,
        number,
        "merge",
        lambda t: MergeForm(request.POST, tickets=others),
        merge,
        _("Tickets merged."),
    )


@agent_required
@require_POST
def ticket_upload(request, number):
    def upload(ticket, data):
        return services.add_note(
            ticket,
            body_text=data["body_text"] or _("Files added."),
            attachments=data["attachments"],
            by=request.user,
        )

    return _act(
        request,
        number,
        "upload",
        lambda t: UploadForm(request.POST, request.FILES),
        upload,
        _("Files added."),
        guard=_records_what_happened,
    )


@agent_required
def canned_insert(request, number):
    """The reply box with a canned response added to what was typed."""
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("customer"),
        number=number,
    )
    chosen = whole_number(request.GET.get("response", ""))
    if chosen is None:
        raise Http404
    response = get_object_or_404(
        CannedResponse.objects.for_queue(ticket.queue_id).filter(is_active=True),
        pk=chosen,
    )
    due = canned.promised_due(ticket, timezone.now())
    text = canned.fill(
        response.body, canned.values_for(ticket, agent=request.user, due=due)
    )
    typed = request.GET.get("body_text", "").rstrip()
    form = ReplyForm(
        initial={"body_text": f"{typed}\n\n{text}" if typed else text}, ticket=ticket
    )
    return render(request, "tickets/_reply_body.html", {"form": form})
