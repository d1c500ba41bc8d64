"""/api/v1/webhooks/: supervisors manage their webhooks from another system,
with the same rules and verbs as the pages."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from api.views.tickets import ThrottledFirst
from helpdesk.numbers import whole_number
from helpdesk.roles import IsSupervisor

from . import services
from .addresses import UnsafeURL, check_url
from .events import EventType
from .models import Delivery, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    # The code of the SSRF guard's refusal, named here so the schema lists it.
    url = serializers.URLField(
        max_length=500,
        error_messages={"unsafe_url": _("This address cannot receive webhooks.")},
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        allow_empty=False,
        max_length=len(EventType.values),
    )
    is_active = serializers.BooleanField(
        required=False,
        help_text=_("false pauses the webhook, true resumes it."),
    )

    class Meta:
        model = Subscription
        fields = [
            "id",
            "name",
            "url",
            "events",
            "is_active",
            "paused_at",
            "paused_for_failures",
            "failure_count",
            "last_success_at",
            "last_failure_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "paused_at",
            "paused_for_failures",
            "failure_count",
            "last_success_at",
            "last_failure_at",
            "created_at",
        ]

    def validate_url(self, url: str) -> str:
        try:
            check_url(url, allow_private=settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS)
        except UnsafeURL as error:
            raise serializers.ValidationError(str(error), code="unsafe_url") from error
        return url


class NewSubscriptionSerializer(SubscriptionSerializer):
    """A webhook just made, with its signing secret: shown this once."""

    secret = serializers.CharField(read_only=True)

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class DeliverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_id",
            "event_type",
            "ticket_number",
            "state",
            "attempts",
            "response_code",
            "error",
            "duration_ms",
            "created_at",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
        ]
        read_only_fields = fields


class NewestDeliveriesFirst(CursorPagination):
    ordering = ("-id",)
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


def _subscriptions(request):
    return Subscription.objects.manageable_by(request.user).order_by("name", "id")


def _subscription(request, pk: str) -> Subscription:
    # Any text reaches the view, so a negative or huge id is a JSON 404
    # rather than Django's HTML one or a database error.
    if (number := whole_number(pk)) is None:
        raise NotFound
    return get_object_or_404(_subscriptions(request), pk=number)


class WebhookList(ThrottledFirst, generics.ListCreateAPIView):
    """The caller's webhooks (every one for an administrator); POST makes one
    and answers its signing secret, once."""

    permission_classes = [IsSupervisor]
    serializer_class = SubscriptionSerializer
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        return _subscriptions(self.request)

    @extend_schema(responses={201: NewSubscriptionSerializer})
    def post(self, request):
        incoming = SubscriptionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        subscription = services.create_subscription(
            owner=request.user,
            name=data["name"],
            url=data["url"],
            events=data["events"],
        )
        return Response(
            NewSubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED
        )


class WebhookDetail(ThrottledFirst, generics.RetrieveUpdateDestroyAPIView):
    """One webhook: read it, change its name, URL or events, pause or resume
    it (`is_active`), or delete it with its delivery log."""

    permission_classes = [IsSupervisor]
    serializer_class = SubscriptionSerializer
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return _subscriptions(self.request)

    def get_object(self):
        subscription = _subscription(self.request, self.kwargs["pk"])
        self.check_object_permissions(self.request, subscription)
        return subscription

    def perform_update(self, serializer):
        subscription = serializer.instance
        data = serializer.validated_data
        services.change_subscription(
            subscription,
            name=data.get("name", subscription.name),
            url=data.get("url", subscription.url),
            events=data.get("events", subscription.events),
        )
        active = data.get("is_active")
        if active is False and subscription.is_active:
            services.pause_subscription(subscription, now=timezone.now())
        elif active is True and not subscription.is_active:
            services.resume_subscription(subscription, now=timezone.now())

    def perform_destroy(self, instance):
        services.delete_subscription(instance)


class WebhookDeliveries(ThrottledFirst, generics.ListAPIView):
    """A webhook's delivery log, newest first, with each answer's code."""

    permission_classes = [IsSupervisor]
    serializer_class = DeliverySerializer
    pagination_class = NewestDeliveriesFirst
    filter_backends = []

    def get_queryset(self):
        return _subscription(self.request, self.kwargs["pk"]).deliveries.all()
