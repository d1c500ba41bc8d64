"""REST API: read endpoints for tickets. Every query starts at visible_to()."""

import django_filters
from django.db.models import Prefetch
from rest_framework import generics
from rest_framework.pagination import CursorPagination

from .models import Message, Ticket
from .permissions import IsAgent
from .serializers import TicketDetailSerializer, TicketSerializer


class ThrottledFirst:
    """Count a request against the throttles before asking whether it is
    allowed: DRF checks permissions first, so a caller who was refused
    (not signed in, not an agent) was never slowed down."""

    def check_permissions(self, request):
        super().check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        # Done in check_permissions, before the permissions.
        pass


class NewestFirst(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class TicketFilter(django_filters.FilterSet):
    queue = django_filters.CharFilter(field_name="queue__slug")
    received_after = django_filters.IsoDateTimeFilter(
        field_name="received_at", lookup_expr="gte"
    )

    class Meta:
        model = Ticket
        fields = ["status", "kind", "channel", "priority", "queue"]


class TicketList(ThrottledFirst, generics.ListAPIView):
    """Tickets visible to the caller, newest first, with cursor pagination."""

    permission_classes = [IsAgent]
    serializer_class = TicketSerializer
    pagination_class = NewestFirst
    filterset_class = TicketFilter

    def get_queryset(self):
        return Ticket.objects.visible_to(self.request.user).select_related(
            "customer", "queue", "assignee", "category"
        )


class TicketDetail(ThrottledFirst, generics.RetrieveAPIView):
    """One ticket with its whole correspondence."""

    permission_classes = [IsAgent]
    serializer_class = TicketDetailSerializer
    lookup_field = "number"

    def get_queryset(self):
        return (
            Ticket.objects.visible_to(self.request.user)
            .select_related("customer", "queue", "assignee", "category")
            .prefetch_related(
                Prefetch("messages", queryset=Message.objects.select_related("author"))
            )
        )
