"""The supervisor dashboard: SLA figures for one's queues, the ticket lists
behind them, CSV downloads and reassignment of tickets about to breach."""

import hashlib
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dashboard import exports, reports
from dashboard.forms import (
    BACKLOG_LABELS,
    AssignForm,
    ComplaintReportForm,
    DashboardForm,
    TicketListForm,
    VoiceForm,
    default_filters,
)
from dashboard.reports.complaints import complaint_report, report_table
from dashboard.reports.voice import add_months, voice_of_the_customer, voice_table
from dashboard.reports.wall import wall as wall_figures
from helpdesk.numbers import whole_number
from sla import display as sla_display
from tickets import services
from tickets.models import Queue, Ticket
from tickets.pagination import newest_first
from tickets.permissions import supervisor_required

PAGE_SIZE = 50
REFRESH_SECONDS = 60
# The wall screen asks every half minute; its figures are kept for a little
# less, so a room of screens costs one computation per refresh, and each
# screen says how old its figures are.
WALL_REFRESH_SECONDS = 30
WALL_CACHE_SECONDS = 20
STATE_COLOURS = {
    **{state.value: colour for state, colour in sla_display.STATE_COLOURS.items()},
    reports.NO_TARGET: "light",
}
# Chart colours: Bootstrap's palette, one per backlog state and series.
CHART_COLOURS = {
    "success": "#198754",
    "warning": "#ffc107",
    "danger": "#dc3545",
    "secondary": "#6c757d",
    "light": "#adb5bd",
}
SERIES_COLOURS = [
    "#0d6efd",
    "#20c997",
    "#fd7e14",
    "#6f42c1",
    "#d63384",
    "#198754",
    "#0dcaf0",
    "#6c757d",
]


def _dashboard_filters(request, now):
    scope = reports.supervised_queues(request.user)
    form = DashboardForm(request.GET or None, scope=scope)
    if form.is_valid():
        return form, form.filters(now)
    return form, default_filters(scope, now)


def _charts(data: reports.Dashboard) -> dict:
    """Chart.js data for the dashboard's pictures (the tables hold the same)."""
    volume = data.volume
    labels = [date_format(day, "SHORT_DATE_FORMAT") for day in volume.buckets]

    def stacked(series):
        return {
            "labels": labels,
            "datasets": [
                {
                    "label": str(line.label),
                    "data": line.counts,
                    "backgroundColor": SERIES_COLOURS[n % len(SERIES_COLOURS)],
                }
                for n, line in enumerate(series)
            ],
        }

    return {
        "backlog": {
            "labels": [str(BACKLOG_LABELS[s]) for s in reports.BACKLOG_STATES],
            "datasets": [
                {
                    "data": [data.backlog.totals[s] for s in reports.BACKLOG_STATES],
                    "backgroundColor": [
                        CHART_COLOURS[STATE_COLOURS[s]] for s in reports.BACKLOG_STATES
                    ],
                }
            ],
        },
        "compliance": {
            "labels": [str(t.label) for t in data.targets.values()],
            "datasets": [
                {
                    "label": _("Compliance (percent)"),
                    "data": [
                        None if t.compliance is None else round(t.compliance, 1)
                        for t in data.targets.values()
                    ],
                    "backgroundColor": "#0d6efd",
                }
            ],
        },
        "channels": stacked(volume.channels),
        "categories": stacked(volume.categories),
        "csat": {
            "labels": [str(rating) for rating in data.csat.distribution],
            "datasets": [
                {
                    "label": _("Ratings"),
                    "data": list(data.csat.distribution.values()),
                    "backgroundColor": "#ffc107",
                }
            ],
        },
    }


@supervisor_required
def dashboard(request):
    if request.GET.get("wall") == "1":
        # The old address of the wall screen, kept for screens set up with it.
        return redirect(_wall_url(request.GET.get("queue", "")))
    now = timezone.now()
    form, filters = _dashboard_filters(request, now)
    data = _dashboard_figures(request, filters, now)
    filters = data.filters
    query = request.GET.copy()
    context = {
        "form": form,
        "data": data,
        "filters": filters,
        "now": now,
        "labels": BACKLOG_LABELS,
        "colours": STATE_COLOURS,
        "charts": _charts(data),
        "volume_sections": [
            (
                _("Tickets received by channel"),
                "channels",
                data.volume.channel_rows,
                "channel",
            ),
            (
                _("Tickets received by category"),
                "categories",
                data.volume.category_rows,
                "category",
            ),
        ],
        "refresh_seconds": REFRESH_SECONDS,
        "query": query.urlencode(),
    }
    if request.htmx:
        template = "dashboard/_dashboard_body.html"
    else:
        template = "dashboard/dashboard.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Bumped when a supervisor changes what the figures show (a reassignment),
# so no one is shown the figures from before their own change.
DASHBOARD_GENERATION_KEY = "dashboard:generation"


def _dashboard_figures(request, filters, now) -> reports.Dashboard:
    """The figures for these filters, worked out at most once every
    DASHBOARD_CACHE_SECONDS for everyone who asks the same (same queues, same
    choices, same language and time zone: labels and days depend on them).
    The page says when they were worked out ("as of")."""
    seconds = settings.DASHBOARD_CACHE_SECONDS
    if seconds <= 0:
        return reports.dashboard(filters, now)
    generation = cache.get(DASHBOARD_GENERATION_KEY, 0)
    asked = (
        filters.queues,
        sorted(request.GET.lists()),
        get_language(),
        timezone.get_current_timezone_name(),
        generation,
    )
    key = "dashboard:" + hashlib.sha256(repr(asked).encode()).hexdigest()
    data = cache.get(key)
    if data is None:
        data = reports.dashboard(filters, now)
        cache.set(key, data, seconds)
    return data


def forget_dashboard_figures() -> None:
    """Have the next dashboard of every scope worked out afresh."""
    try:
        cache.incr(DASHBOARD_GENERATION_KEY)
    except ValueError:  # not counted yet
        cache.set(DASHBOARD_GENERATION_KEY, 1, None)


def _wall_url(queue: str) -> str:
    url = reverse("supervisor:wall")
    return f"{url}?{urlencode({'queue': queue})}" if queue else url


def _wall_queue(request, scope) -> Queue | None:
    """The one queue the screen is set up for (`?queue=<id>`), if any."""
    value = request.GET.get("queue", "")
    if not value:
        return None
    queues = (
        Queue.objects.all() if scope is None else Queue.objects.filter(pk__in=scope)
    )
    if (pk := whole_number(value)) is None:
        raise Http404
    return get_object_or_404(queues, pk=pk)


def _wall_context(request) -> dict:
    scope = reports.supervised_queues(request.user)
    queue = _wall_queue(request, scope)
    key = (
        "wall:" + hashlib.sha256(repr((scope, queue and queue.pk)).encode()).hexdigest()
    )
    data = cache.get(key)
    if data is None:
        now = timezone.now()
        filters = default_filters(scope, now)
        if queue is not None:
            filters = replace(filters, queue=queue.pk)
        data = wall_figures(filters, now)
        cache.set(key, data, WALL_CACHE_SECONDS)
    return {
        "data": data,
        "queue": queue,
        "labels": BACKLOG_LABELS,
        "refresh_seconds": WALL_REFRESH_SECONDS,
        "live_url": _live_url(queue),
    }


def _live_url(queue: Queue | None) -> str:
    url = reverse("supervisor:wall_live")
    return f"{url}?{urlencode({'queue': queue.pk})}" if queue else url


@supervisor_required
def wall(request):
    """The wall screen: live SLA figures for a TV across the room."""
    return render(request, "dashboard/wall.html", _wall_context(request))


@supervisor_required
@never_cache
def wall_live(request):
    """The wall screen's figures alone, which the screen fetches to refresh."""
    return render(request, "dashboard/_wall_live.html", _wall_context(request))


# Each downloadable table: how to compute it, and how to lay it out.
TABLES = {
    "backlog": lambda f, now: exports.backlog_table(
        reports.backlog(f, now), BACKLOG_LABELS
    ),
    "targets": lambda f, now: exports.targets_table(reports.sla_targets(f, now)),
    "breaches": lambda f, now: exports.breaches_table(reports.breaches(f, now)),
    "at-risk": lambda f, now: exports.at_risk_table(reports.at_risk(f, now)),
    "csat": lambda f, now: exports.csat_table(reports.csat(f, now)),
    "volume-channels": lambda f, now: exports.volume_table(
        reports.volume(f, now), "channels"
    ),
    "volume-categories": lambda f, now: exports.volume_table(
        reports.volume(f, now), "categories"
    ),
    "agents": lambda f, now: exports.agents_table(reports.agents(f, now)),
}


def _csv_response(lines, name: str, now) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def _errors_text(form) -> str:
    return "\n".join(
        f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors)
        for name, errors in form.errors.items()
    )


@supervisor_required
def export_table(request, name):
    if name not in TABLES:
        raise Http404
    now = timezone.now()
    form, filters = _dashboard_filters(request, now)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(
            _errors_text(form), content_type="text/plain; charset=utf-8"
        )
    header, rows = TABLES[name](filters, now)
    return _csv_response(exports.csv_lines(header, rows), name, now)


def _ticket_list_query(request):
    now = timezone.now()
    scope = reports.supervised_queues(request.user)
    form = TicketListForm(request.GET, scope=scope)
    if not form.is_valid():
        return form, None, now
    filters = reports.Filters(start=now, end=now, **form.dimensions())
    queryset = reports.drill_tickets(filters, form.drill(), now)
    return form, queryset, now


@supervisor_required
def ticket_list(request):
    form, queryset, now = _ticket_list_query(request)
    page = None
    if queryset is not None:
        queryset = queryset.for_list()
        try:
            page = newest_first(queryset, request.GET.get("after"), PAGE_SIZE)
        except ValueError:
            page = newest_first(queryset, None, PAGE_SIZE)
    query = request.GET.copy()
    query.pop("after", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "now": now}
    return render(
        request,
        "dashboard/ticket_list.html",
        context,
        status=200 if page is not None else 400,
    )


@supervisor_required
def ticket_export(request):
    form, queryset, now = _ticket_list_query(request)
    if queryset is None:
        return HttpResponseBadRequest(
            _errors_text(form), content_type="text/plain; charset=utf-8"
        )
    header, rows = exports.ticket_table(queryset, now)
    return _csv_response(exports.csv_lines(header, rows), "tickets", now)


@supervisor_required
@require_POST
def ticket_assign(request, number):
    scope = reports.supervised_queues(request.user)
    tickets = Ticket.objects.visible_to(request.user).open()
    if scope is not None:
        tickets = tickets.filter(queue__in=scope)
    ticket = get_object_or_404(
        tickets.select_related("customer__tier", "queue", "assignee", "sla_policy"),
        number=number,
    )
    form = AssignForm(request.POST, ticket=ticket)
    error = ""
    if form.is_valid():
        try:
            services.assign_ticket(
                ticket, agent=form.cleaned_data["agent"], by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            forget_dashboard_figures()
    else:
        error = " ".join(e for errors in form.errors.values() for e in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(
                request, _("%(number)s reassigned.") % {"number": ticket.number}
            )
        return redirect("supervisor:dashboard")
    context = {"ticket": ticket, "error": error, "saved": not error}
    return render(request, "dashboard/_at_risk_row.html", context)


@supervisor_required
def complaint_report_page(request):
    """The complaints report for one's queues; `?format=csv` downloads it."""
    now = timezone.now()
    scope = reports.supervised_queues(request.user)
    form = ComplaintReportForm(request.GET or None, scope=scope, now=now)
    valid = form.is_valid() if form.is_bound else True
    if request.GET.get("format") == "csv":
        if not valid:
            return HttpResponseBadRequest(
                _errors_text(form), content_type="text/plain; charset=utf-8"
            )
        header, rows = report_table(complaint_report(form.filters()))
        return _csv_response(exports.csv_lines(header, rows), "complaints", now)
    filters = form.filters()
    query = request.GET.copy()
    query["format"] = "csv"
    context = {
        "form": form,
        "report": complaint_report(filters),
        "filters": filters,
        "period_last": timezone.localtime(filters.end).date() - timedelta(days=1),
        "csv_query": query.urlencode(),
    }
    return render(
        request, "dashboard/complaints.html", context, status=200 if valid else 400
    )


@supervisor_required
def voice_page(request):
    """The month's voice of the customer for one's queues; `?format=csv`
    downloads it."""
    now = timezone.now()
    scope = reports.supervised_queues(request.user)
    form = VoiceForm(request.GET or None, scope=scope, now=now)
    valid = form.is_valid() if form.is_bound else True
    if request.GET.get("format") == "csv":
        if not valid:
            return HttpResponseBadRequest(
                _errors_text(form), content_type="text/plain; charset=utf-8"
            )
        header, rows = voice_table(voice_of_the_customer(form.filters()))
        return _csv_response(exports.csv_lines(header, rows), "voice", now)
    filters = form.filters()
    if not form.is_bound:
        # The month shown, in the month field.
        form = VoiceForm(initial={"month": filters.month}, scope=scope, now=now)
    report = voice_of_the_customer(filters)
    query = {"month": filters.month.strftime("%Y-%m")}
    context = {
        "form": form,
        "report": report,
        "filters": filters,
        "trend_top": max((m.count for m in report.trend), default=0),
        "csv_query": urlencode({**query, "format": "csv"}),
        "previous": add_months(filters.month, -1).strftime("%Y-%m"),
        "next": add_months(filters.month, 1).strftime("%Y-%m"),
    }
    return render(
        request, "dashboard/voice.html", context, status=200 if valid else 400
    )
