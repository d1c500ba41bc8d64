"""Logging a contact taken by an agent: a call, a visit, a letter, from anywhere."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from customers.models import Customer
from helpdesk.numbers import whole_number
from registers.services import register_logged_contact

from .. import services, workspace
from ..forms import InteractionForm
from ..models import Queue
from ..permissions import agent_required


@agent_required
def interaction_log(request):
    queues = Queue.objects.worked_by(request.user)
    chosen = None
    if request.method == "POST":
        form = InteractionForm(request.POST, request.FILES, queues=queues)
        if form.is_valid():
            try:
                with transaction.atomic():
                    ticket, message = services.log_interaction(
                        customer=form.cleaned_data["customer"],
                        new_customer=form.new_customer(),
                        by=request.user,
                        **form.ticket_fields(),
                    )
                    lines = announce_contact(
                        request,
                        ticket,
                        message,
                        received_at=ticket.received_at,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                workspace.forget_counts(request.user)
                messages.success(
                    request, _("Ticket %(number)s opened.") % {"number": ticket.number}
                )
                for line in lines:
                    messages.info(request, line)
                return redirect(ticket)
        chosen = form.cleaned_data.get("customer") if form.is_bound else None
        status = 400
    else:
        initial = {"queue": queues.first()}
        customer_id = whole_number(request.GET.get("customer", ""))
        if customer_id is not None:
            chosen = Customer.objects.filter(pk=customer_id).first()
            initial["customer"] = chosen
        form = InteractionForm(initial=initial, queues=queues)
        status = 200
    return render(
        request,
        "tickets/interaction_log.html",
        {"form": form, "chosen": chosen},
        status=status,
    )


def announce_contact(request, ticket, message, *, received_at) -> list[str]:
    """Enter a logged letter or fax in the incoming register; the lines
    returned tell the agent its number."""
    entry = register_logged_contact(
        ticket, message, received_at=received_at, by=request.user
    )
    if entry is None:
        return []
    return [_("Registered as incoming %(number)s.") % {"number": entry.number}]
