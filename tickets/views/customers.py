"""Customers as agents see them: the full page, the panel edited in place, lookup."""

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Value
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from customers.models import Customer

from .. import services
from ..forms import CustomerForm
from ..models import Ticket
from ..permissions import agent_required, is_supervisor

# Enough to pick from while typing; the agent narrows the words otherwise.
LOOKUP_RESULTS = 8
CUSTOMER_PAGE_TICKETS = 200
RECENT_RATINGS = 5
CUSTOMER_CHANGES = 50


def recent_ratings(user, customer) -> list[Ticket]:
    """The customer's latest ratings on tickets `user` may see (one query)."""
    return list(
        Ticket.objects.visible_to(user)
        .filter(customer=customer)
        .rated()
        .only("number", "subject", "rating", "rating_comment", "rated_at")
        .order_by("-rated_at", "-pk")[:RECENT_RATINGS]
    )


def other_tickets_and_ratings(
    user, ticket: Ticket, limit: int
) -> tuple[list[Ticket], list[Ticket]]:
    """Beside `ticket`: its customer's other tickets `user` may see (the
    latest `limit` received) and their latest ratings, as `recent_ratings`,
    in one query."""
    theirs = Ticket.objects.visible_to(user).filter(customer_id=ticket.customer_id)
    others = (
        theirs.exclude(pk=ticket.pk)
        .annotate(rated_part=Value(False))
        .order_by("-received_at", "-pk")[:limit]
    )
    rated = (
        theirs.rated()
        .annotate(rated_part=Value(True))
        .order_by("-rated_at", "-pk")[:RECENT_RATINGS]
    )
    if connection.features.supports_slicing_ordering_in_compound:
        rows = list(others.union(rated, all=True))
    else:
        # SQLite (make run on a laptop) takes no LIMIT inside a UNION.
        rows = [*others, *rated]
    return (
        sorted(
            (t for t in rows if not t.rated_part),
            key=lambda t: (t.received_at, t.pk),
            reverse=True,
        ),
        sorted(
            (t for t in rows if t.rated_part),
            key=lambda t: (t.rated_at, t.pk),
            reverse=True,
        ),
    )


def panel_context(user, customer) -> dict:
    """What the customer panel shows beside a ticket or on its own."""
    return {"customer": customer, "recent_ratings": recent_ratings(user, customer)}


@agent_required
def customer_detail(request, pk):
    customer = get_object_or_404(
        Customer.objects.select_related("tier").prefetch_related("tags"), pk=pk
    )
    tickets = list(
        Ticket.objects.visible_to(request.user)
        .filter(customer=customer)
        .select_related("queue", "assignee")
        .order_by("-received_at")[:CUSTOMER_PAGE_TICKETS]
    )
    changes = list(customer.changes.select_related("actor")[:CUSTOMER_CHANGES])
    return render(
        request,
        "customers/customer_detail.html",
        panel_context(request.user, customer)
        | {"tickets": tickets, "changes": changes},
    )


@agent_required
def customer_panel(request, pk):
    customer = get_object_or_404(Customer.objects.select_related("tier"), pk=pk)
    return render(
        request, "customers/_panel.html", panel_context(request.user, customer)
    )


@agent_required
@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    customer = get_object_or_404(Customer.objects.select_related("tier"), pk=pk)
    form = CustomerForm(
        request.POST or None,
        instance=customer,
        may_change_identity=is_supervisor(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_customer(customer, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.htmx:
                return render(
                    request,
                    "customers/_panel.html",
                    panel_context(request.user, customer),
                )
            return redirect(customer)
    # Rebinding the form to the instance has already applied the typed values.
    customer.refresh_from_db()
    template = "customers/_panel_form.html" if request.htmx else "customers/edit.html"
    return render(request, template, {"customer": customer, "form": form})


@agent_required
def customer_lookup(request):
    """Customers matching what the agent has typed so far (htmx fragment)."""
    text = request.GET.get("q", "")
    found = []
    if len(text.strip()) >= 2:
        found = list(
            Customer.objects.matching(text)
            .select_related("tier")
            .order_by("name", "pk")[:LOOKUP_RESULTS]
        )
    return render(request, "customers/_lookup.html", {"customers": found, "text": text})
