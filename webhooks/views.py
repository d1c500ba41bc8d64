"""Supervisors' pages for webhook subscriptions: list, create, detail with
the delivery log, edit, pause and resume, test, delete, the secret."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk import background
from helpdesk.numbers import whole_number
from helpdesk.roles import supervisor_required

from . import services, tasks
from .forms import SubscriptionForm
from .models import Subscription

LOG_PAGE_SIZE = 25
# The secret of a subscription just made is shown once, on its page.
NEW_SECRET_SESSION_KEY = "webhook_secret_shown"


def _subscription(request, pk: int) -> Subscription:
    return get_object_or_404(
        Subscription.objects.manageable_by(request.user).select_related("owner"),
        pk=pk,
    )


@supervisor_required
def subscription_list(request):
    subscriptions = Subscription.objects.manageable_by(request.user).select_related(
        "owner"
    )
    return render(
        request, "webhooks/subscription_list.html", {"subscriptions": subscriptions}
    )


@supervisor_required
def subscription_create(request):
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscription = services.create_subscription(
            owner=request.user, **form.cleaned_data
        )
        request.session[NEW_SECRET_SESSION_KEY] = subscription.pk
        messages.success(request, _("Webhook created."))
        return redirect(subscription)
    status = 400 if form.errors else 200
    return render(
        request, "webhooks/subscription_form.html", {"form": form}, status=status
    )


@supervisor_required
def subscription_edit(request, pk: int):
    subscription = _subscription(request, pk)
    form = SubscriptionForm(request.POST or None, instance=subscription)
    if request.method == "POST" and form.is_valid():
        services.change_subscription(subscription, **form.cleaned_data)
        messages.success(request, _("Webhook saved."))
        return redirect(subscription)
    status = 400 if form.errors else 200
    return render(
        request,
        "webhooks/subscription_form.html",
        {"form": form, "subscription": subscription},
        status=status,
    )


def _detail(request, subscription: Subscription, *, secret: str = ""):
    deliveries = subscription.deliveries.order_by("-id")
    before = whole_number(request.GET.get("before", ""))
    if before is not None:
        deliveries = deliveries.filter(id__lt=before)
    page = list(deliveries[: LOG_PAGE_SIZE + 1])
    older = page[LOG_PAGE_SIZE - 1].pk if len(page) > LOG_PAGE_SIZE else None
    if request.session.get(NEW_SECRET_SESSION_KEY) == subscription.pk:
        del request.session[NEW_SECRET_SESSION_KEY]
        secret = subscription.secret
    return render(
        request,
        "webhooks/subscription_detail.html",
        {
            "subscription": subscription,
            "deliveries": page[:LOG_PAGE_SIZE],
            "older": older,
            "newest_page": not before,
            "secret": secret,
            "is_owner": subscription.owner_id == request.user.pk,
        },
    )


@supervisor_required
def subscription_detail(request, pk: int):
    return _detail(request, _subscription(request, pk))


@supervisor_required
@require_POST
def subscription_secret(request, pk: int):
    """The signing secret, shown again to its owner only."""
    subscription = _subscription(request, pk)
    if subscription.owner_id != request.user.pk:
        raise PermissionDenied
    return _detail(request, subscription, secret=subscription.secret)


@supervisor_required
@require_POST
def subscription_rotate(request, pk: int):
    subscription = _subscription(request, pk)
    if subscription.owner_id != request.user.pk:
        raise PermissionDenied
    services.rotate_secret(subscription)
    messages.success(
        request, _("New signing secret made; the old one no longer signs anything.")
    )
    return _detail(request, subscription, secret=subscription.secret)


@supervisor_required
@require_POST
def subscription_pause(request, pk: int):
    subscription = _subscription(request, pk)
    services.pause_subscription(subscription, now=timezone.now())
    messages.success(request, _("Webhook paused: no events are sent until resumed."))
    return redirect(subscription)


@supervisor_required
@require_POST
def subscription_resume(request, pk: int):
    subscription = _subscription(request, pk)
    services.resume_subscription(subscription, now=timezone.now())
    transaction.on_commit(partial(background.start, tasks.send_due_deliveries))
    messages.success(request, _("Webhook resumed."))
    return redirect(subscription)


@supervisor_required
@require_POST
def subscription_test(request, pk: int):
    subscription = _subscription(request, pk)
    delivery = services.send_test_event(subscription, now=timezone.now())
    transaction.on_commit(partial(background.start, tasks.send_delivery, delivery.pk))
    messages.success(
        request, _("Test event sent; its result appears in the log below.")
    )
    return redirect(subscription)


@supervisor_required
@require_POST
def subscription_delete(request, pk: int):
    subscription = _subscription(request, pk)
    services.delete_subscription(subscription)
    messages.success(request, _("Webhook deleted."))
    return redirect("webhooks:list")
