"""The agent's notifications: SLA warnings, breaches and escalations."""

from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from ..models import Notification
from ..permissions import agent_required

SHOWN = 100


@agent_required
def notification_list(request):
    notifications = (
        Notification.objects.filter(recipient=request.user)
        # Each sentence names the customer or the colleague who acted.
        .select_related("ticket__customer", "event__actor")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    return render(
        request,
        "tickets/notification_list.html",
        {"notifications": notifications, "shown": SHOWN},
    )


@agent_required
def notification_count(request):
    """The unread count for the bell in the navigation (polled by htmx)."""
    unread = Notification.objects.filter(recipient=request.user).unread().count()
    return render(request, "tickets/_notification_count.html", {"unread": unread})


@agent_required
@require_POST
def notification_read(request, pk):
    notification = get_object_or_404(
        Notification.objects.select_related("ticket"), pk=pk, recipient=request.user
    )
    Notification.objects.filter(pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect(notification.ticket)


@agent_required
@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user).unread().update(
        read_at=timezone.now()
    )
    return redirect("tickets:notifications")
