"""The ticket list's filters and search (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from helpdesk.channels import Channel
from tickets.models import Ticket


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
    received_after = django_filters.IsoDateTimeFilter(
        field_name="received_at", lookup_expr="gte"
    )
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
