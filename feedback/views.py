"""The supervisors' list of follow-ups on low ratings."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.roles import supervisor_required

from . import services
from .forms import DoneForm
from .models import FollowUp

# The done ones shown under the open ones: the latest, for a look back.
DONE_SHOWN = 50


@supervisor_required
def follow_up_list(request):
    visible = FollowUp.objects.visible_to(request.user).select_related(
        "ticket__customer", "ticket__queue", "assignee", "done_by"
    )
    context = {
        "open": list(visible.open().order_by("due_at", "id")),
        "done": list(
            visible.filter(status=FollowUp.Status.DONE).order_by("-done_at", "-id")[
                :DONE_SHOWN
            ]
        ),
        "form": DoneForm(),
        "now": timezone.now(),
    }
    return render(request, "feedback/follow_up_list.html", context)


@supervisor_required
@require_POST
def follow_up_done(request, pk):
    follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
    form = DoneForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("outcome", []):
            messages.error(request, error)
        return redirect("feedback:list")
    try:
        services.complete_follow_up(
            follow_up,
            outcome=form.cleaned_data["outcome"],
            by=request.user,
            now=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Follow-up done."))
    return redirect("feedback:list")
