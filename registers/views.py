"""The records office's register page, on screen, on paper (A4) and as CSV."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from customers.preferences import shows_hijri
from helpdesk.hijri import hijri_label
from helpdesk.labels import localized_name
from helpdesk.roles import agent_required

from .forms import RegisterFilterForm
from .models import Direction, RegisterEntry

PAGE_SIZE = 50


class _Echo:
    def write(self, value):
        return value


def _columns():
    return [
        _("Number"),
        _("Date"),
        _("Hijri date"),
        _("Channel"),
        _("Sender or addressee"),
        _("Organisation"),
        _("Their reference"),
        _("Their date"),
        _("Subject"),
        _("Ticket"),
        _("Queue"),
        _("Status"),
        # For programs: fixed names and codes, whatever the reader's language.
        "channel_code",
        "queue_code",
        "status_code",
    ]


def _row(entry: RegisterEntry) -> list[str]:
    ticket = entry.ticket
    return [
        entry.number,
        entry.dated.isoformat(),
        hijri_label(entry.dated),
        entry.get_channel_display(),
        entry.party_name,
        entry.party_organisation,
        entry.their_reference,
        entry.their_date.isoformat() if entry.their_date else "",
        entry.subject,
        ticket.number,
        localized_name(ticket.queue),
        ticket.get_status_display(),
        entry.channel,
        ticket.queue.slug,
        ticket.status,
    ]


def _csv(entries, direction: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so spreadsheet programs read the Arabic as UTF-8
        yield writer.writerow(_columns())
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(_row(entry))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = "incoming" if direction == Direction.INCOMING else "outgoing"
    response["Content-Disposition"] = (
        f'attachment; filename="register-{name}-{stamp}.csv"'
    )
    return response


@agent_required
def register_list(request):
    form = RegisterFilterForm(request.GET or None)
    entries = RegisterEntry.objects.visible_to(request.user).select_related(
        "ticket__queue"
    )
    if form.is_bound and not form.is_valid():
        entries = entries.none()
        direction = Direction.INCOMING
    else:
        if not form.is_bound:
            form.cleaned_data = {}
        entries = form.filter(entries)
        direction = form.cleaned_data.get("direction") or Direction.INCOMING
    if request.GET.get("format") == "csv":
        return _csv(entries, direction)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("direction", None)
    # The CSV keeps its Hijri column for everyone; the page follows the
    # reader's choice.
    hijri = shows_hijri(request.user, request.session)
    rows = [(entry, hijri_label(entry.dated) if hijri else "") for entry in page]
    return render(
        request,
        "registers/register_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "direction": direction,
            "directions": Direction,
            "query": query.urlencode(),
            "printed_on": date_format(timezone.localdate(), "DATE_FORMAT"),
            "printed_on_hijri": hijri_label(timezone.localdate()) if hijri else "",
        },
    )
