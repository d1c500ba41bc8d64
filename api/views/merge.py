"""Merging a duplicate ticket over REST: the web's merge
(tickets/views/ticket.py, `ticket_merge`) with the web's lost-update guard."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics
from rest_framework.response import Response

from tickets import services, workspace
from tickets.models import Ticket
from tickets.permissions import IsAgent

from ..errors import Error412Response, Error428Response
from ..serializers import MergeSerializer, TicketDetailSerializer
from .tickets import (
    ETAG,
    IF_MATCH,
    ThrottledFirst,
    etag,
    if_match,
    service_refusals,
    ticket_for,
    visible_messages,
)


@service_refusals("post")
@extend_validation_errors(
    ["required", "blank", "max_length", "invalid", "null", "not_found"],
    field_name="into",
    methods=["post"],
)
@extend_schema(
    request=MergeSerializer,
    parameters=[IF_MATCH, ETAG],
    responses={
        200: TicketDetailSerializer,
        412: Error412Response,
        428: Error428Response,
    },
)
class TicketMerge(ThrottledFirst, generics.GenericAPIView):
    """Merge this ticket into another of the same customer, as the agent's
    Merge tab does: its correspondence moves to `into`, and it is closed.
    Answers with the ticket merged into, and its ETag."""

    permission_classes = [IsAgent]
    serializer_class = MergeSerializer

    def post(self, request, number):
        ticket = ticket_for(request, number)
        seen = if_match(request, required=True)
        serializer = MergeSerializer(
            data=request.data,
            context={
                "tickets": Ticket.objects.visible_to(request.user).exclude(pk=ticket.pk)
            },
        )
        serializer.is_valid(raise_exception=True)
        # The web's merge (tickets/views/ticket.py, ticket_merge), inside the
        # same lost-update guard.
        with services.unchanged_since(ticket, seen=seen):
            into = services.merge_tickets(
                ticket, into=serializer.validated_data["into"], by=request.user
            )
        workspace.forget_counts(request.user)
        into = (
            Ticket.objects.select_related("customer", "queue", "assignee", "category")
            .prefetch_related(
                Prefetch("messages", queryset=visible_messages(request.user))
            )
            .get(pk=into.pk)
        )
        return Response(TicketDetailSerializer(into).data, headers={"ETag": etag(into)})
