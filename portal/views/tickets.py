"""The customer's requests: the list for signed-in customers, and the ticket
page with its actions, reached either signed in or through the private
tracking link (portal/views/support.py)."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from helpdesk.channels import Channel
from portal.forms import AppealForm, RatingForm, ReplyForm
from portal.services import close_by_customer, rate_ticket
from sla.expectations import format_answer_by, next_response_due
from tickets import services
from tickets.models import Message, Ticket
from tickets.permissions import is_agent
from tickets.uploads import SizeLimitUploadHandler


def limited_uploads(view):
    """Cap each uploaded file while it streams (tickets/uploads.py).

    Upload handlers must be set before the body is read, and the CSRF check
    reads it, so the check runs inside (Django's documented pattern)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper


def customer_tickets():
    """Tickets with what the customer's ticket page shows: public messages
    only (never internal notes or memos), attachments, clocks."""
    public = (
        Message.objects.exclude(direction=Message.Direction.INTERNAL)
        .select_related("author")
        .prefetch_related("attachments")
    )
    return Ticket.objects.select_related("customer", "category").prefetch_related(
        Prefetch("messages", queryset=public, to_attr="public_messages"), "clocks"
    )


def ticket_page(
    request,
    ticket,
    urls,
    *,
    reply_form=None,
    rating_form=None,
    appeal_form=None,
    status=200,
):
    """Render the customer's view of `ticket`; `urls` name its actions."""
    due = next_response_due(ticket) if ticket.is_open else None
    context = {
        "ticket": ticket,
        "urls": urls,
        "answer_by": format_answer_by(due) if due else "",
        "answer_due": due,
        "reply_form": reply_form or ReplyForm(),
        "rating_form": rating_form or RatingForm(),
        "appeal_form": appeal_form or AppealForm(),
        "can_rate": ticket.status in Ticket.Status.done() and ticket.rating is None,
        "complaint": complaint_choices(ticket),
        # Set on the tracking link's pages: attachments download through it.
        "tracking_token": urls.get("token"),
    }
    response = render(request, "portal/ticket_detail.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def reply(request, ticket, urls):
    """Add the customer's reply, or show the page again with what they typed."""
    form = ReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_message(
                ticket,
                direction=Message.Direction.INBOUND,
                body_text=form.cleaned_data["message"],
                channel=Channel.WEB,
                attachments=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your reply has been added."))
            return redirect(urls["page"])
    return ticket_page(request, ticket, urls, reply_form=form, status=400)


def close(request, ticket, urls):
    """Close the request at the customer's word."""
    close_by_customer(ticket, by=_actor(request))
    messages.success(request, _("Your request is closed. Thank you."))
    return redirect(urls["page"])


def rate(request, ticket, urls):
    """Store the customer's rating, or show the page again with the error."""
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            rate_ticket(
                ticket,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                by=_actor(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you for rating our service."))
            return redirect(urls["page"])
    return ticket_page(request, ticket, urls, rating_form=form, status=400)


def complaint_choices(ticket) -> dict:
    """What the customer may say about a resolved complaint: accept it, and
    appeal it once (complaint workflow, tickets/services/complaints.py)."""
    answerable = (
        ticket.is_complaint
        and ticket.complaint_stage == Ticket.ComplaintStage.RESOLVED
        and ticket.status != Ticket.Status.CLOSED
    )
    return {
        "can_accept": answerable,
        "can_appeal": answerable and ticket.appealed_at is None,
    }


def accept(request, ticket, urls):
    """The customer accepts the resolution of their complaint."""
    try:
        services.accept_resolution(ticket, by=_actor(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Thank you. You accepted the resolution; the complaint is closed."),
        )
    return redirect(urls["page"])


def appeal(request, ticket, urls, *, throttled: bool = False):
    """Appeal the complaint's resolution, or show the page again with the error."""
    form = AppealForm(request.POST)
    if throttled:
        form.add_error(
            None, _("Too many attempts. Please wait a minute and try again.")
        )
        return ticket_page(request, ticket, urls, appeal_form=form, status=429)
    if form.is_valid():
        try:
            services.appeal_complaint(
                ticket, reason=form.cleaned_data["reason"], by=_actor(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your appeal has been received. A supervisor will review "
                    "your complaint and answer you."
                ),
            )
            return redirect(urls["page"])
    return ticket_page(request, ticket, urls, appeal_form=form, status=400)


def appeal_throttled(request) -> bool:
    """Whether this address sent too many appeals (anyone holding a tracking
    link could flood a supervisor's queue)."""
    return is_ratelimited(
        request,
        group="support-appeal",
        key="ip",
        rate=settings.SUPPORT_RATE_IP,
        increment=True,
    )


def _actor(request):
    return request.user if request.user.is_authenticated else None


def _urls(number):
    return {
        "page": reverse("portal:detail", args=[number]),
        "reply": reverse("portal:reply", args=[number]),
        "close": reverse("portal:close", args=[number]),
        "rate": reverse("portal:rate", args=[number]),
        "accept": reverse("portal:accept", args=[number]),
        "appeal": reverse("portal:appeal", args=[number]),
    }


def _own_ticket(request, number):
    # Staff answer from the workspace: a reply here would read as the customer's.
    if is_agent(request.user):
        raise PermissionDenied
    return get_object_or_404(customer_tickets().visible_to(request.user), number=number)


@login_required(login_url="portal:sign_in")
def portal_list(request):
    if is_agent(request.user):
        return redirect("tickets:list")
    tickets = Ticket.objects.visible_to(request.user).select_related("category")
    return render(request, "portal/ticket_list.html", {"tickets": tickets[:200]})


@login_required(login_url="portal:sign_in")
def portal_detail(request, number):
    if is_agent(request.user):
        return redirect("tickets:detail", number)
    return ticket_page(request, _own_ticket(request, number), _urls(number))


@login_required(login_url="portal:sign_in")
@limited_uploads
@require_POST
def portal_reply(request, number):
    return reply(request, _own_ticket(request, number), _urls(number))


@login_required(login_url="portal:sign_in")
@require_POST
def portal_close(request, number):
    return close(request, _own_ticket(request, number), _urls(number))


@login_required(login_url="portal:sign_in")
@require_POST
def portal_rate(request, number):
    return rate(request, _own_ticket(request, number), _urls(number))


@login_required(login_url="portal:sign_in")
@require_POST
def portal_accept(request, number):
    return accept(request, _own_ticket(request, number), _urls(number))


@login_required(login_url="portal:sign_in")
@require_POST
def portal_appeal(request, number):
    ticket = _own_ticket(request, number)
    throttled = appeal_throttled(request)
    return appeal(request, ticket, _urls(number), throttled=throttled)
