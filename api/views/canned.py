"""Canned responses over REST: those the caller may use, as the reply box
offers them (`reference.canned_responses`), and for one ticket with their
placeholders filled as the reply box fills them (`tickets/canned.py`)."""

import copy

from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers

from tickets import canned, reference
from tickets.models import CannedResponse, Queue
from tickets.permissions import IsAgent

from .tickets import ThrottledFirst, ticket_for


class CannedQuerySerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=CannedResponse.Language.choices,
        required=False,
        help_text=_("Only the responses written in this language."),
    )


class CannedResponseSerializer(serializers.ModelSerializer):
    queue = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("The queue it is offered in; null: every queue."),
    )

    class Meta:
        model = CannedResponse
        fields = ["id", "title", "language", "queue", "body"]
        read_only_fields = fields
        extra_kwargs = {
            "body": {
                "help_text": _(
                    "With its placeholders: {customer_name}, {ticket_number}, "
                    "{due_date}, {agent}."
                )
            }
        }


class FilledResponseSerializer(CannedResponseSerializer):
    text = serializers.CharField(
        read_only=True,
        help_text=_(
            "The body with the ticket's values in its placeholders, dates in "
            "the response's own language: ready to send as a reply."
        ),
    )

    class Meta(CannedResponseSerializer.Meta):
        fields = [*CannedResponseSerializer.Meta.fields, "text"]
        read_only_fields = fields


def _language(request) -> str:
    query = CannedQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    return query.validated_data.get("language", "")


_LANGUAGE_ERRORS = extend_validation_errors(
    ["invalid_choice"], field_name="language", methods=["get"]
)


@_LANGUAGE_ERRORS
@extend_schema(parameters=[CannedQuerySerializer])
class CannedResponseList(ThrottledFirst, generics.ListAPIView):
    """The active canned responses of the queues the caller works and those
    offered in every queue, by language and title."""

    permission_classes = [IsAgent]
    serializer_class = CannedResponseSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        language = _language(self.request)
        responses = (
            CannedResponse.objects.filter(is_active=True)
            .filter(
                Q(queue__isnull=True)
                | Q(queue__in=Queue.objects.worked_by(self.request.user))
            )
            .select_related("queue")
            .order_by("language", "title", "pk")
        )
        if language:
            responses = responses.filter(language=language)
        return responses


@_LANGUAGE_ERRORS
@extend_schema(parameters=[CannedQuerySerializer])
class TicketCannedResponses(ThrottledFirst, generics.ListAPIView):
    """The canned responses offered on this ticket's reply box, each with its
    placeholders filled for this ticket and the caller."""

    permission_classes = [IsAgent]
    serializer_class = FilledResponseSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        # A list, already filled: the reply box's own (cached) responses.
        if getattr(self, "swagger_fake_view", False):
            return CannedResponse.objects.none()
        language = _language(self.request)
        ticket = ticket_for(self.request, self.kwargs["number"])
        due = canned.promised_due(ticket, timezone.now())
        queues = {queue.pk: queue for queue in reference.queues()}
        values = {}
        responses = []
        for response in reference.canned_responses(ticket.queue):
            if language and response.language != language:
                continue
            # Dates in the response's own language, worked out once for each.
            if response.language not in values:
                with translation.override(response.language):
                    values[response.language] = canned.values_for(
                        ticket, agent=self.request.user, due=due
                    )
            # A copy: the cached response is shared by every request.
            response = copy.copy(response)
            response.text = canned.fill(response.body, values[response.language])
            response.queue = queues.get(response.queue_id)
            responses.append(response)
        return sorted(responses, key=lambda r: (r.language, r.title, r.pk))
