"""The ticket list's filters and search (django-filter)."""

from datetime import UTC

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from helpdesk.channels import Channel
from tickets.models import Ticket, TicketEvent


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, handed to the database in UTC: PostgreSQL takes
    offsets only up to ±15:59, ISO 8601 up to ±23:59."""

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return moment
        try:
            return moment.astimezone(UTC)
        except OverflowError:
            raise forms.ValidationError(
                _("Enter a date and time between the years 1 and 9999.")
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


class TicketFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Ticket.Status.choices)
    priority = django_filters.TypedMultipleChoiceFilter(
        choices=Ticket.Priority.choices, coerce=int
    )
    kind = django_filters.MultipleChoiceFilter(choices=Ticket.Kind.choices)
    channel = django_filters.MultipleChoiceFilter(choices=Channel.choices)
    queue = django_filters.CharFilter(
        field_name="queue__slug", help_text=_("A queue's code.")
    )
    assignee = django_filters.CharFilter(
        field_name="assignee__username", help_text=_("An agent's username.")
    )
    received_after = UtcDateTimeFilter(field_name="received_at", lookup_expr="gte")
    q = django_filters.CharFilter(
        method="search",
        help_text=_(
            "Words in the subject or the correspondence, Arabic or English, "
            "each matched as a prefix."
        ),
    )

    class Meta:
        model = Ticket
        fields = ["status", "priority", "kind", "channel", "queue", "assignee"]

    def search(self, queryset, name, value):
        return queryset.matching(value)


class EventFilter(django_filters.FilterSet):
    """A ticket's history, narrowed: by kind of change, to or without the
    SLA ledger, and by time."""

    action = django_filters.MultipleChoiceFilter(
        choices=TicketEvent.Action.choices,
        help_text=_("Only these kinds of change (the parameter may repeat)."),
    )
    sla = django_filters.BooleanFilter(
        method="filter_sla",
        help_text=_(
            "true: only the SLA ledger (clocks, warnings, breaches, "
            "escalations); false: everything else."
        ),
    )
    after = UtcDateTimeFilter(
        field_name="created_at",
        lookup_expr="gte",
        help_text=_("Changes made at or after this moment (ISO 8601)."),
    )
    before = UtcDateTimeFilter(
        field_name="created_at",
        lookup_expr="lt",
        help_text=_("Changes made before this moment (ISO 8601)."),
    )

    class Meta:
        model = TicketEvent
        fields = ["action"]

    def filter_sla(self, queryset, name, value):
        ledger = TicketEvent.Action.sla()
        if value:
            return queryset.filter(action__in=ledger)
        return queryset.exclude(action__in=ledger)
