"""The customer's own requests, for signed-in customers."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render

from ..models import Message, Ticket
from ..permissions import is_agent


@login_required
def portal_list(request):
    if is_agent(request.user):
        return redirect("tickets:list")
    tickets = Ticket.objects.visible_to(request.user).select_related("category")
    return render(request, "portal/ticket_list.html", {"tickets": tickets[:200]})


@login_required
def portal_detail(request, number):
    public = (
        Message.objects.exclude(direction=Message.Direction.INTERNAL)
        .select_related("author")
        .prefetch_related("attachments")
    )
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).prefetch_related(
            Prefetch("messages", queryset=public, to_attr="public_messages")
        ),
        number=number,
    )
    return render(request, "portal/ticket_detail.html", {"ticket": ticket})
