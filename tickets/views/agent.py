"""The agent's ticket list and ticket page."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from customers.models import Customer

from ..models import Message, Ticket
from ..pagination import newest_first
from ..permissions import agent_required

PAGE_SIZE = 50
RECENT_RATINGS = 5
STATUS_VIEWS = {
    "open": (_("Open"), Ticket.Status.active()),
    "pending": (_("Pending"), [Ticket.Status.PENDING]),
    "resolved": (_("Resolved"), [Ticket.Status.RESOLVED]),
    "closed": (_("Closed"), [Ticket.Status.CLOSED]),
}


@agent_required
def ticket_list(request):
    view = request.GET.get("status", "open")
    if view not in STATUS_VIEWS:
        view = "open"
    tickets = (
        Ticket.objects.visible_to(request.user)
        .filter(status__in=STATUS_VIEWS[view][1])
        .select_related("customer__tier", "queue", "assignee")
    )
    try:
        page = newest_first(tickets, request.GET.get("after"), PAGE_SIZE)
    except ValueError:
        page = newest_first(tickets, None, PAGE_SIZE)
    context = {"page": page, "view": view, "views": STATUS_VIEWS}
    return render(request, "tickets/ticket_list.html", context)


def recent_ratings(user, customer) -> list[Ticket]:
    """The customer's latest ratings on tickets `user` may see (one query)."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(customer=customer)
        .rated()
        .only("number", "subject", "rating", "rating_comment", "rated_at")
        .order_by("-rated_at", "-pk")[:RECENT_RATINGS]
    )


@agent_required
def ticket_detail(request, number):
    messages = Message.objects.select_related("author", "to_queue").prefetch_related(
        "attachments"
    )
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user)
        .select_related(
            "customer__tier", "queue", "assignee", "category", "sla_policy__calendar"
        )
        .prefetch_related(
            Prefetch("messages", queryset=messages),
            Prefetch("events__actor"),
            "clocks",
        ),
        number=number,
    )
    context = {
        "ticket": ticket,
        "recent_ratings": recent_ratings(request.user, ticket.customer),
    }
    return render(request, "tickets/ticket_detail.html", context)


@agent_required
def customer_detail(request, pk):
    customer = get_object_or_404(
        Customer.objects.select_related("tier").prefetch_related("tags"), pk=pk
    )
    tickets = (
        Ticket.objects.visible_to(request.user)
        .filter(customer=customer)
        .select_related("queue", "assignee")[:200]
    )
    return render(
        request,
        "customers/customer_detail.html",
        {
            "customer": customer,
            "tickets": tickets,
            "recent_ratings": recent_ratings(request.user, customer),
        },
    )
