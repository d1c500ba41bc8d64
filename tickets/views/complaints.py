"""The complaint card on the agent's ticket page: findings and stages."""

from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..forms import ComplaintForm
from ..permissions import agent_required
from .ticket import _act


@agent_required
@require_POST
def ticket_complaint(request, number):
    def change(ticket, data):
        services.update_complaint(
            ticket,
            by=request.user,
            severity=data["severity"],
            root_cause_category=data["root_cause_category"],
            root_cause=data["root_cause"],
            corrective_action=data["corrective_action"],
            resolution_summary=data["resolution_summary"],
            stage=data["stage"],
        )
        return ticket

    return _act(
        request,
        number,
        "complaint",
        lambda t: ComplaintForm(request.POST, ticket=t),
        change,
        _("Complaint updated."),
    )
