"""Public pages for customers without an account: the web form, the
confirmation, the tracking link's ticket page, and the sign-in link."""

import logging

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from customers import signin
from customers.models import Customer
from portal import intake
from portal.forms import ReplyForm, SignInLinkForm, SupportRequestForm
from portal.models import WebSubmission
from portal.services import submit_web_request
from portal.views import tickets as portal
from sla.expectations import format_answer_by, next_response_due
from tickets import emails

log = logging.getLogger(__name__)


def _email_key(group, request):
    return request.POST.get("email", "").strip().lower()


def _throttled(request, group: str, ip_rate: str, email_rate: str) -> bool:
    # Both counters move on every POST, so neither address nor email can be
    # used to spread attempts over the other.
    by_ip = is_ratelimited(
        request, group=f"{group}-ip", key="ip", rate=ip_rate, increment=True
    )
    by_email = is_ratelimited(
        request, group=f"{group}-email", key=_email_key, rate=email_rate, increment=True
    )
    return by_ip or by_email


@portal.limited_uploads
def support_new(request):
    if request.method != "POST":
        return render(
            request, "portal/support_new.html", {"form": SupportRequestForm()}
        )
    try:
        return _submit_request(request)
    except DatabaseError:
        log.exception("A web form request could not be stored.")
        return _could_not_store(request)


# What the page for a request that could not be stored keeps, so the
# customer can send it again or copy it: every field but the files.
TYPED_FIELDS = (
    "name",
    "email",
    "phone",
    "language",
    "kind",
    "category",
    "subject",
    "form_token",
)


def _could_not_store(request):
    """503 with what the customer typed, rendered without the request's
    context processors: they read the session and user from the database."""
    context = {
        "typed": {name: request.POST.get(name, "") for name in TYPED_FIELDS},
        "message": request.POST.get("message", ""),
        "had_files": bool(request.FILES),
        "csrf_token": get_token(request),
        "action": request.path,
    }
    page = render_to_string("portal/support_unavailable.html", context)
    response = HttpResponse(page, status=503)
    response["Retry-After"] = "60"
    response["Cache-Control"] = "private, no-store"
    return response


def _submit_request(request):
    form = SupportRequestForm(request.POST, request.FILES)
    if _throttled(
        request, "support-new", settings.SUPPORT_RATE_IP, settings.SUPPORT_RATE_EMAIL
    ):
        form.is_valid()  # show the typed values with any other problems
        form.add_error(
            None,
            _(
                "You have sent several requests in a short time. Please wait a "
                "few minutes and send this one again; what you typed is kept."
            ),
        )
        return render(request, "portal/support_new.html", {"form": form}, status=429)
    if form.is_valid():
        data = form.cleaned_data
        sent = {
            "name": data["name"],
            "email": data["email"],
            "phone": data["phone"],
            "language": data["language"],
            "kind": data["kind"],
            "category": data["category"],
            "subject": data["subject"],
            "body_text": data["message"],
            "form_token": data["form_token"],
        }
        if not data["attachments"]:
            # Kept as sent and answered at once; a worker opens the ticket.
            submission = intake.accept_web_request(**sent)
            intake.wake_worker()
            return redirect("portal:received", submission.tracking_token)
        try:
            ticket = submit_web_request(attachments=data["attachments"], **sent)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("portal:received", ticket.tracking_token)
    return render(request, "portal/support_new.html", {"form": form}, status=400)


def _tracked(token):
    return get_object_or_404(portal.customer_tickets(), tracking_token=token)


def _urls(token):
    return {
        "page": reverse("portal:track", args=[token]),
        "reply": reverse("portal:track_reply", args=[token]),
        "close": reverse("portal:track_close", args=[token]),
        "rate": reverse("portal:track_rate", args=[token]),
        "accept": reverse("portal:track_accept", args=[token]),
        "appeal": reverse("portal:track_appeal", args=[token]),
        "token": token,
    }


def support_received(request, token):
    ticket = portal.customer_tickets().filter(tracking_token=token).first()
    if ticket is None:
        return _being_opened(request, token)
    due = next_response_due(ticket)
    context = {
        "ticket": ticket,
        "answer_by": format_answer_by(due) if due else "",
        "tracking_url": emails.tracking_url(ticket),
    }
    return _private(render(request, "portal/support_received.html", context))


def _being_opened(request, token):
    """The confirmation of a request a worker has not opened yet: what was
    received and when; the page looks again in a moment."""
    submission = get_object_or_404(
        WebSubmission.objects.waiting(), tracking_token=token
    )
    page = render(request, "portal/support_waiting.html", {"submission": submission})
    # Browsers load the page again after this many seconds, without a script.
    page["Refresh"] = "2"
    return _private(page)


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def track(request, token):
    ticket = portal.customer_tickets().filter(tracking_token=token).first()
    if ticket is None:
        # A link followed before the worker opened the ticket.
        return _being_opened(request, token)
    return portal.ticket_page(request, ticket, _urls(token))


@portal.limited_uploads
@require_POST
def track_reply(request, token):
    ticket = _tracked(token)
    # Anyone holding a link could flood a ticket; signed-in customers are known.
    if is_ratelimited(
        request,
        group="support-reply",
        key="ip",
        rate=settings.SUPPORT_RATE_IP,
        increment=True,
    ):
        form = ReplyForm(request.POST)
        form.add_error(
            None, _("Too many attempts. Please wait a minute and try again.")
        )
        return portal.ticket_page(
            request, ticket, _urls(token), reply_form=form, status=429
        )
    return portal.reply(request, ticket, _urls(token))


@require_POST
def track_close(request, token):
    return portal.close(request, _tracked(token), _urls(token))


@require_POST
def track_rate(request, token):
    return portal.rate(request, _tracked(token), _urls(token))


@require_POST
def track_accept(request, token):
    return portal.accept(request, _tracked(token), _urls(token))


@require_POST
def track_appeal(request, token):
    ticket = _tracked(token)
    throttled = portal.appeal_throttled(request)
    return portal.appeal(request, ticket, _urls(token), throttled=throttled)


def sign_in(request):
    """Ask for a sign-in link. The answer is the same whether or not the
    address is known, so typing an address reveals nothing."""
    form = SignInLinkForm(request.POST or None)
    if request.method == "POST":
        if _throttled(request, "sign-in", settings.LOGIN_RATE, settings.LOGIN_RATE):
            context = {"form": form, "throttled": True}
            return render(request, "portal/sign_in.html", context, status=429)
        if form.is_valid():
            email = form.cleaned_data["email"]
            customer = Customer.objects.with_email(email).first()
            if customer is not None:
                emails.queue_sign_in_link(
                    customer.email, language=get_language() or settings.LANGUAGE_CODE
                )
            return redirect("portal:sign_in_sent")
    return render(request, "portal/sign_in.html", {"form": form})


def sign_in_sent(request):
    return render(request, "portal/sign_in_sent.html")


def sign_in_confirm(request, token):
    """GET shows a button; the POST signs in, so a mail scanner that opens
    the link changes nothing."""
    email = signin.read_token(token)
    if email is None:
        return render(request, "portal/sign_in_invalid.html", status=400)
    if request.method == "POST":
        user = signin.portal_user_for(email)
        if user is None:
            return render(request, "portal/sign_in_invalid.html", status=400)
        login(request, user, backend="customers.auth.EmailOrUsernameBackend")
        return redirect("portal:list")
    return render(request, "portal/sign_in_confirm.html", {"email": email})
