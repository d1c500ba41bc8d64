"""One search box: ticket number, customer name/email/phone, words of the text."""

from django.shortcuts import redirect, render
from django.utils import timezone

from customers.models import Customer

from ..models import Ticket
from ..permissions import agent_required

RESULTS = 50
CUSTOMER_RESULTS = 10


@agent_required
def search(request):
    text = request.GET.get("q", "").strip()[:200]
    tickets, customers = [], []
    if text:
        visible = Ticket.objects.visible_to(request.user)
        # Every ticket number has digits: words alone need not be looked up.
        if any(char.isdigit() for char in text):
            exact = visible.filter(number=text.upper()).first()
            if exact is not None:
                return redirect(exact)
        customers = list(
            Customer.objects.matching(text)
            .select_related("tier")
            .order_by("name", "pk")[:CUSTOMER_RESULTS]
        )
        # Two simple queries, each on its own index, rather than one OR that
        # the planner cannot serve from either.
        found = {}
        for matches in (
            visible.matching(text),
            visible.filter(customer__in=customers) if customers else None,
        ):
            if matches is None:
                continue
            for ticket in matches.for_list().order_by("-received_at", "-pk")[:RESULTS]:
                found[ticket.pk] = ticket
        tickets = sorted(
            found.values(), key=lambda t: (t.received_at, t.pk), reverse=True
        )[:RESULTS]
    context = {
        "text": text,
        "tickets": tickets,
        "customers": customers,
        "now": timezone.now(),
    }
    return render(request, "tickets/search.html", context)
