"""Filters for the agent's queue views (django-filter): validation and lookups only."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import ServiceTier
from helpdesk.channels import Channel

from .models import Category, Queue, Ticket

SLA_STATES = [
    ("breached", _("Breached")),
    ("at_risk", _("At risk")),
    ("on_track", _("On track")),
    ("none", _("No running clock")),
]


def _queue_choices(request):
    if request is None:
        return Queue.objects.none()
    return Queue.objects.worked_by(request.user)


def _staff_choices(request):
    # The viewer's colleagues: whoever may be given tickets of their queues.
    return _queue_choices(request).assignable_agents()


class TicketFilter(django_filters.FilterSet):
    """What an agent can narrow a queue view by; every filter is optional."""

    queue = django_filters.ModelChoiceFilter(queryset=_queue_choices, label=_("Queue"))
    status = django_filters.MultipleChoiceFilter(
        choices=Ticket.Status.choices,
        label=_("Status"),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    kind = django_filters.ChoiceFilter(choices=Ticket.Kind.choices, label=_("Kind"))
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.filter(is_active=True), label=_("Category")
    )
    priority = django_filters.ChoiceFilter(
        choices=Ticket.Priority.choices, label=_("Priority")
    )
    tier = django_filters.ModelChoiceFilter(
        field_name="customer__tier",
        queryset=ServiceTier.objects.all(),
        label=_("Service tier"),
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=_staff_choices, label=_("Assignee")
    )
    sla = django_filters.ChoiceFilter(
        choices=SLA_STATES, label=_("Service level"), method="filter_sla"
    )
    received = django_filters.DateFromToRangeFilter(
        field_name="received_at",
        label=_("Received between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    due = django_filters.DateFromToRangeFilter(
        field_name="due_at",
        label=_("Due between"),
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )

    class Meta:
        model = Ticket
        fields: list[str] = []

    @property
    def undated(self) -> bool:
        """Whether the filtered tickets may include some without a due time."""
        if not self.is_bound or not self.is_valid():
            return True
        return self.form.cleaned_data.get("sla") in (None, "", "none")

    def filter_sla(self, queryset, name, value):
        now = timezone.now()
        if value in ("breached", "at_risk", "on_track"):
            return queryset.in_clock_state(value, now)
        if value == "none":
            return queryset.filter(due_at__isnull=True)
        return queryset
