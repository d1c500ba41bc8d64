"""Forms of the supervisor dashboard: validation only, turned into report filters."""

from datetime import datetime, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer, ServiceTier
from dashboard import reports
from dashboard.reports.complaints import ComplaintFilters
from dashboard.reports.voice import VoiceFilters, month_start
from helpdesk.channels import Channel
from helpdesk.labels import LocalizedChoiceField, PersonChoiceField
from sla import display as sla_display
from sla.models import SLAClock
from tickets.models import Category, Queue, RootCause, Ticket

ANY = [("", _("Any"))]
BACKLOG_LABELS = {
    state: sla_display.STATE_LABELS.get(state, _("No target"))
    for state in reports.BACKLOG_STATES
}


def staff_of(scope: tuple[int, ...] | None):
    """Whoever may be given tickets of the queues of `scope` (None: all)."""
    queues = (
        Queue.objects.all() if scope is None else Queue.objects.filter(pk__in=scope)
    )
    return queues.assignable_agents()


# People by their display name, records by their name in the page's language.
StaffChoiceField = PersonChoiceField
NamedChoiceField = LocalizedChoiceField


class FiltersForm(forms.Form):
    """The dimensions every figure and ticket list can be narrowed by."""

    queue = NamedChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=ANY + Channel.choices, required=False
    )
    tier = NamedChoiceField(
        label=_("Service tier"),
        queryset=ServiceTier.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    customer_kind = forms.ChoiceField(
        label=_("Customer kind"), choices=ANY + Customer.Kind.choices, required=False
    )
    kind = forms.ChoiceField(
        label=_("Ticket kind"), choices=ANY + Ticket.Kind.choices, required=False
    )
    assignee = StaffChoiceField(
        label=_("Agent"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, scope: tuple[int, ...] | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        queues = Queue.objects.all()
        if scope is not None:
            queues = queues.filter(pk__in=scope)
        self.fields["queue"].queryset = queues
        self.fields["assignee"].queryset = staff_of(scope)
        for form_field in self.fields.values():
            widget = form_field.widget
            small = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            widget.attrs.setdefault("class", f"{small} {small}-sm")

    def dimensions(self) -> dict:
        """The chosen dimensions as `reports.Filters` keyword arguments."""
        data = self.cleaned_data
        return {
            "queues": self.scope,
            "queue": data["queue"].pk if data.get("queue") else None,
            "channel": data.get("channel", ""),
            "tier": data["tier"].pk if data.get("tier") else None,
            "customer_kind": data.get("customer_kind", ""),
            "kind": data.get("kind", ""),
            "assignee": data["assignee"].pk if data.get("assignee") else None,
        }


class DashboardForm(FiltersForm):
    """The dashboard's period, dimensions and at-risk horizon."""

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            ("today", _("Today")),
            ("7", _("Last 7 days")),
            ("30", _("Last 30 days")),
            ("90", _("Last 90 days")),
            ("custom", _("Dates below")),
        ],
        required=False,
        initial=reports.DEFAULT_PERIOD,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    horizon = forms.IntegerField(
        label=_("At risk within (hours)"),
        min_value=1,
        max_value=72,
        required=False,
        initial=reports.Filters.horizon_hours,
    )

    field_order = ["period", "date_from", "date_to"]

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if data.get("period") == "custom" or first or last:
            if not (first and last):
                raise ValidationError(
                    _("Choose both dates of the period."), code="dates_missing"
                )
            if first > last:
                raise ValidationError(
                    _("The period cannot end before it starts."), code="dates_order"
                )
            if last - first > timedelta(days=reports.LONGEST_PERIOD_DAYS):
                raise ValidationError(
                    _("Choose a period of at most a year."), code="dates_long"
                )
            data["period"] = "custom"
        return data

    def filters(self, now: datetime) -> reports.Filters:
        """The report filters chosen (only after `is_valid()`)."""
        data = self.cleaned_data
        start, end = reports.period_bounds(
            data.get("period") or reports.DEFAULT_PERIOD,
            now,
            data.get("date_from"),
            data.get("date_to"),
        )
        return reports.Filters(
            start=start,
            end=end,
            horizon_hours=data.get("horizon") or reports.Filters.horizon_hours,
            **self.dimensions(),
        )


def default_filters(scope, now: datetime) -> reports.Filters:
    """The dashboard's figures when nothing (valid) was chosen."""
    start, end = reports.period_bounds(reports.DEFAULT_PERIOD, now)
    return reports.Filters(start=start, end=end, queues=scope)


def _dates(first_label, last_label):
    return (
        forms.DateField(label=first_label, required=False),
        forms.DateField(label=last_label, required=False),
    )


class TicketListForm(FiltersForm):
    """A ticket list behind a figure: the dashboard's dimensions and more.

    Parameter names match the agent workspace's list filters, so the same
    query string works in both places."""

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ANY + [("open", _("Open (any)"))] + Ticket.Status.choices,
        required=False,
    )
    sla_state = forms.ChoiceField(
        label=_("Service level"),
        choices=ANY + list(BACKLOG_LABELS.items()),
        required=False,
    )
    category = NamedChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("Any"),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=ANY + Ticket.Priority.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    received_after, received_before = _dates(_("Received from"), _("Received until"))
    responded_after, responded_before = _dates(
        _("First response from"), _("First response until")
    )
    resolved_after, resolved_before = _dates(_("Resolved from"), _("Resolved until"))
    outcome = forms.ChoiceField(
        label=_("SLA outcome"),
        choices=ANY + [("met", _("Met")), ("missed", _("Missed")), ("any", _("Any"))],
        required=False,
    )
    target = forms.ChoiceField(
        label=_("SLA target"), choices=ANY + SLAClock.Target.choices, required=False
    )
    outcome_after, outcome_before = _dates(
        _("SLA outcome from"), _("SLA outcome until")
    )
    breached_after, breached_before = _dates(_("Breached from"), _("Breached until"))
    rated_after, rated_before = _dates(_("Rated from"), _("Rated until"))
    rating = forms.TypedChoiceField(
        label=_("Customer rating"),
        choices=ANY + [(n, str(n)) for n in reports.RATINGS],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def drill(self) -> reports.Drill:
        """The chosen narrowing (only after `is_valid()`)."""
        data = self.cleaned_data

        def dates(name):
            return (data.get(f"{name}_after"), data.get(f"{name}_before"))

        return reports.Drill(
            status=data.get("status", ""),
            sla_state=data.get("sla_state", ""),
            category=data["category"].pk if data.get("category") else None,
            priority=data.get("priority"),
            received=dates("received"),
            responded=dates("responded"),
            resolved=dates("resolved"),
            outcome=data.get("outcome", ""),
            target=data.get("target", ""),
            outcome_dates=dates("outcome"),
            breached=dates("breached"),
            rated=dates("rated"),
            rating=data.get("rating"),
        )


class AssignForm(forms.Form):
    """Reassign one ticket to an agent of its queue (empty: nobody)."""

    agent = StaffChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = ticket.queue.assignable_agents()


# The complaints report covers the last 30 days unless told otherwise.
COMPLAINT_PERIOD_DAYS = 30


class ComplaintReportForm(forms.Form):
    """The complaints report's period (local dates, both included) and filters."""

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    queue = NamedChoiceField(
        label=_("Queue"),
        queryset=Queue.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=ANY + Ticket.Severity.choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    root_cause = NamedChoiceField(
        label=_("Root cause"),
        queryset=RootCause.objects.all(),
        required=False,
        empty_label=_("Any"),
    )

    def __init__(self, *args, scope: tuple[int, ...] | None, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.now = now
        queues = Queue.objects.all()
        if scope is not None:
            queues = queues.filter(pk__in=scope)
        self.fields["queue"].queryset = queues
        for form_field in self.fields.values():
            widget = form_field.widget
            small = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
            widget.attrs.setdefault("class", f"{small} {small}-sm")

    def clean(self):
        data = super().clean()
        today = timezone.localtime(self.now).date()
        first = data.get("date_from")
        last = data.get("date_to") or today
        first = first or last - timedelta(days=COMPLAINT_PERIOD_DAYS - 1)
        if first > last:
            raise ValidationError(
                _("The period cannot end before it starts."), code="dates_order"
            )
        if last - first > timedelta(days=reports.LONGEST_PERIOD_DAYS):
            raise ValidationError(
                _("Choose a period of at most a year."), code="dates_long"
            )
        data["date_from"], data["date_to"] = first, last
        return data

    def filters(self) -> ComplaintFilters:
        """The report's filters (after `is_valid()`; the defaults when not)."""
        data = self.cleaned_data if self.is_valid() else {}
        today = timezone.localtime(self.now).date()
        last = data.get("date_to") or today
        first = data.get("date_from") or last - timedelta(
            days=COMPLAINT_PERIOD_DAYS - 1
        )
        return ComplaintFilters(
            start=reports.local_day_start(first),
            end=reports.local_day_start(last + timedelta(days=1)),
            queues=self.scope,
            queue=data["queue"].pk if data.get("queue") else None,
            severity=data.get("severity"),
            root_cause=data["root_cause"].pk if data.get("root_cause") else None,
        )


class VoiceForm(forms.Form):
    """The month of the voice-of-the-customer page (this month if not given)."""

    month = forms.DateField(
        label=_("Month"),
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(
            attrs={"type": "month", "class": "form-control form-control-sm"},
            format="%Y-%m",
        ),
        error_messages={"invalid": _("Choose a month, written YYYY-MM.")},
    )

    def __init__(self, *args, scope: tuple[int, ...] | None, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.now = now

    def filters(self) -> VoiceFilters:
        """The chosen month, or this month when none (or a bad one) was given."""
        month = self.cleaned_data.get("month") if self.is_valid() else None
        month = month or timezone.localtime(self.now).date()
        return VoiceFilters(month=month_start(month), queues=self.scope)
