"""Filters for the agent's queue views (django-filter): validation and lookups only."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import ServiceTier
from helpdesk.channels import Channel
from helpdesk.labels import LocalizedChoiceField, PersonChoiceField

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


class NamedChoiceFilter(django_filters.ModelChoiceFilter):
    """Queues, categories and tiers by their name in the page's language."""

    field_class = LocalizedChoiceField


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    """Colleagues by their display name, not their login."""

    field_class = PersonChoiceField


class TicketFilter(django_filters.FilterSet):
    """What an agent can narrow a queue view by; every filter is optional."""

    queue = NamedChoiceFilter(
        queryset=_queue_choices, label=_("Queue"), empty_label=_("Any")
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Ticket.Status.choices,
        label=_("Status"),
        widget=forms.SelectMultiple(attrs={"size": 3}),
    )
    channel = django_filters.ChoiceFilter(
        choices=Channel.choices, label=_("Channel"), empty_label=_("Any")
    )
    kind = django_filters.ChoiceFilter(
        choices=Ticket.Kind.choices, label=_("Kind"), empty_label=_("Any")
    )
    category = NamedChoiceFilter(
        queryset=Category.objects.filter(is_active=True),
        label=_("Category"),
        empty_label=_("Any"),
    )
    priority = django_filters.ChoiceFilter(
        choices=Ticket.Priority.choices, label=_("Priority"), empty_label=_("Any")
    )
    tier = NamedChoiceFilter(
        field_name="customer__tier",
        queryset=ServiceTier.objects.all(),
        label=_("Service tier"),
        empty_label=_("Any"),
    )
    assignee = PersonChoiceFilter(
        queryset=_staff_choices, label=_("Assignee"), empty_label=_("Anyone")
    )
    sla = django_filters.ChoiceFilter(
        choices=SLA_STATES,
        label=_("Service level"),
        method="filter_sla",
        empty_label=_("Any"),
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


def narrowing(params):
    """`params` when one of them is a filter's, else None. A filter bound to
    `?view=open&after=…` narrows nothing, yet validating it builds every
    choice field: more time than the deep page's rows took."""
    names = TicketFilter.base_filters
    # A date range arrives as its two halves: received_after, due_before.
    if any(key in names or key.rsplit("_", 1)[0] in names for key in params):
        return params
    return None
