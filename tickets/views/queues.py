"""The agent's queues: urgency-ordered views, filters, saved views, bulk changes."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from .. import reference, services, workspace
from ..filters import TicketFilter, narrowing
from ..forms import BulkForm, SavedViewForm
from ..models import SavedView, Ticket
from ..pagination import most_urgent_first
from ..permissions import agent_required

PAGE_SIZE = 50


def _list_url(query: str) -> str:
    return reverse("tickets:list") + (f"?{query}" if query else "")


@agent_required
def ticket_list(request):
    now = timezone.now()
    view = workspace.queue_view(request.GET.get("view"))
    tickets = workspace.view_tickets(view, request.user, now).for_queue_rows()
    # Without a filter's parameter no filter set is built: making one copies
    # every filter and its widgets to narrow nothing.
    params = narrowing(request.GET)
    filters = None
    if params is not None:
        filters = TicketFilter(params, queryset=tickets, request=request)
        tickets = filters.qs
    undated = view.undated and (filters is None or filters.undated)
    cursor = request.GET.get("after")
    try:
        page = most_urgent_first(tickets, cursor, PAGE_SIZE, undated=undated)
    except ValueError:
        page = most_urgent_first(tickets, None, PAGE_SIZE, undated=undated)
    reference.attach(page.rows, fields=("assignee",))
    params = request.GET.copy()
    params.pop("after", None)
    query = params.urlencode()
    context = {
        "page": page,
        "view": view,
        "views": workspace.VIEWS,
        "filters": filters,
        "query": query,
        "now": now,
        "list_url": _list_url(query),
    }
    if request.htmx:
        return render(request, "tickets/_queue_table.html", context)
    context["saved_views"] = SavedView.objects.filter(user=request.user)
    return render(request, "tickets/ticket_list.html", context)


@agent_required
def queue_counts(request):
    """The view tabs with how many tickets each holds, loaded after the page:
    counting every open ticket costs more than the page itself."""
    context = {
        "view": workspace.queue_view(request.GET.get("view")),
        "views": workspace.VIEWS,
        "counts": workspace.view_counts(request.user, timezone.now()),
    }
    return render(request, "tickets/_queue_views.html", context)


@agent_required
def queue_filters(request):
    """The filter and save-view forms, loaded when the agent opens them: their
    choice lists cost queries the queue page itself does not need to make."""
    view = workspace.queue_view(request.GET.get("view"))
    filters = TicketFilter(
        request.GET or None, queryset=Ticket.objects.none(), request=request
    )
    params = request.GET.copy()
    params.pop("after", None)
    context = {
        "filters": filters,
        "view": view,
        "save_form": SavedViewForm(initial={"query": params.urlencode()}),
    }
    return render(request, "tickets/_queue_filters.html", context)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("tickets:list")


@agent_required
@require_http_methods(["GET", "POST"])
def ticket_bulk(request):
    if request.method == "GET":
        # The bulk form, loaded when the agent opens it (see queue_filters).
        form = BulkForm(tickets=Ticket.objects.none())
        return render(request, "tickets/_bulk_form.html", {"bulk_form": form})
    form = BulkForm(
        request.POST, tickets=Ticket.objects.visible_to(request.user).open()
    )
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
        return _back(request)
    changed, refused = services.bulk_change(
        form.cleaned_data["tickets"], by=request.user, **form.changes()
    )
    workspace.forget_counts(request.user)
    if changed:
        messages.success(
            request,
            ngettext(
                "%(count)d ticket changed.", "%(count)d tickets changed.", len(changed)
            )
            % {"count": len(changed)},
        )
    for ticket, reason in refused:
        messages.error(request, f"{ticket.number}: {reason}")
    return _back(request)


@agent_required
@require_POST
def saved_view_create(request):
    form = SavedViewForm(request.POST)
    if form.is_valid():
        # Saving under an existing name updates that view.
        SavedView.objects.update_or_create(
            user=request.user,
            name=form.cleaned_data["name"],
            defaults={"query": form.cleaned_data["query"]},
        )
        messages.success(request, _("View saved."))
    else:
        messages.error(request, _("Give the view a name."))
    return redirect(_list_url(form.data.get("query", "")))


@agent_required
@require_POST
def saved_view_delete(request, pk):
    saved = get_object_or_404(SavedView, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("View removed."))
    return redirect("tickets:list")
