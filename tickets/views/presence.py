"""Who else is on a ticket page: the heartbeat its script sends."""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import presence
from ..models import Ticket
from ..permissions import agent_required

# What the page sends when it is closed or left (navigator.sendBeacon).
LEAVING = "leaving"
# The page's own id (static/js/presence.js) is short; anything longer is cut.
PAGE_ID_LENGTH = 32


@agent_required
@require_POST
def ticket_presence(request, number):
    """Note the agent on the ticket (viewing or typing) and answer with who
    else is there, as the fragment the page swaps in."""
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).only("pk"), number=number
    )
    state = request.POST.get("state", presence.VIEWING)
    page = request.POST.get("page", "")[:PAGE_ID_LENGTH]
    if state == LEAVING:
        presence.leave(ticket, request.user, page=page)
        return HttpResponse(status=204)
    if state not in presence.STATES:
        return JsonResponse(
            {"error": _("State must be “viewing”, “typing” or “leaving”.")},
            status=400,
        )
    others = presence.heartbeat(ticket, request.user, state, page=page)
    return render(request, "tickets/_presence.html", {"others": others})
