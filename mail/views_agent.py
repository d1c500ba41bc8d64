"""The agent's controls for the addresses allowed on a ticket."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets.models import Ticket
from tickets.permissions import agent_required

from .models import TicketAddress
from .participants import allow_address, remove_address


def _ticket(request, number) -> Ticket:
    return get_object_or_404(Ticket.objects.visible_to(request.user), number=number)


@agent_required
@require_POST
def address_add(request, number):
    ticket = _ticket(request, number)
    try:
        address = allow_address(ticket, request.POST.get("email", ""), by=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(
            request, _("%(email)s may now write to this ticket.") % {"email": address}
        )
    return redirect("tickets:detail", ticket.number)


@agent_required
@require_POST
def address_remove(request, number, pk):
    ticket = _ticket(request, number)
    address = get_object_or_404(TicketAddress, ticket=ticket, pk=pk)
    remove_address(address, by=request.user)
    messages.success(
        request, _("%(email)s may no longer write to this ticket.") % {"email": address}
    )
    return redirect("tickets:detail", ticket.number)
