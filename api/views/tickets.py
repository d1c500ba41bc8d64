"""Tickets over REST: every query starts at `Ticket.objects.visible_to`, every
change goes through the ticket services, as the agent's pages do
(tickets/views/ticket.py)."""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, status
from rest_framework.exceptions import AuthenticationFailed, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

from helpdesk.numbers import whole_number
from registers.services import REGISTERED_CHANNELS, register_logged_contact
from tickets import reference, services, workspace
from tickets.models import Message, Ticket, TicketEvent
from tickets.permissions import IsAgent, SeesInternalNotes, sees_internal_notes

from .. import idempotency
from ..errors import (
    SERVICE_CODES,
    Conflict,
    Error409Response,
    Error412Response,
    Error428Response,
    PreconditionFailed,
    PreconditionRequired,
)
from ..filters import EventFilter, TicketFilter
from ..serializers import (
    ContactSerializer,
    CustomerSummarySerializer,
    EventSerializer,
    LoggedContactSerializer,
    MessageSerializer,
    NoteSerializer,
    ReplySerializer,
    TicketChangeSerializer,
    TicketCreateSerializer,
    TicketDetailSerializer,
    TicketSerializer,
)


class ThrottledFirst:
    """Count a request against the throttles before asking whether it is
    allowed: DRF checks credentials and permissions first, so a caller who
    was refused (a wrong token, not signed in, not an agent) was never
    slowed down."""

    def perform_authentication(self, request):
        try:
            super().perform_authentication(request)
        except AuthenticationFailed:
            # Counted as the anonymous caller it now is, by address.
            super().check_throttles(request)
            raise

    def check_permissions(self, request):
        super().check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request):
        # Done in check_permissions, before the permissions.
        pass


# The columns TicketSerializer writes, and its related objects' own.
TICKET_ROW_FIELDS = (
    *(name for name in TicketSerializer.Meta.fields if name != "customer"),
    *(f"customer__{name}" for name in CustomerSummarySerializer.Meta.fields),
)


class NewestFirst(CursorPagination):
    ordering = ("-received_at", "-id")
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"


class Oldest(CursorPagination):
    ordering = ("created_at", "id")
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"


def etag(ticket: Ticket) -> str:
    """The ticket's version: the last event of its history, as the web's
    pages carry it in their `seen` field."""
    return f'"{services.last_seen_event(ticket)}"'


def if_match(request, *, required: bool) -> int | None:
    """The history the caller saw, from If-Match: 428 when required and
    missing, 412 when it is not a version this API gave."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequired()
        return None
    seen = whole_number(header.removeprefix("W/").strip('"'))
    if seen is None:
        raise PreconditionFailed()
    return seen


def visible_messages(user):
    """The correspondence `user` may read: internal notes only for staff and
    agent-like integrations, never a customer-facing one."""
    messages = Message.objects.select_related("author")
    if not sees_internal_notes(user):
        messages = messages.exclude(direction=Message.Direction.INTERNAL)
    return messages


# The ticket services' refusals (a closed ticket, a status the workflow does
# not allow, an agent of another queue), as the schema tells of them.
def service_refusals(method: str):
    return extend_validation_errors(
        list(SERVICE_CODES), field_name="non_field_errors", methods=[method]
    )


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ETag from reading the ticket.",
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="The ticket's version, for If-Match.",
    response=[200, 201],
)


@service_refusals("post")
@extend_schema(
    parameters=[
        OpenApiParameter(
            "Idempotency-Key",
            OpenApiTypes.STR,
            OpenApiParameter.HEADER,
            description=(
                "Any unique string: the same POST retried with it returns the "
                "ticket the first one opened (for 24 hours)."
            ),
        )
    ],
    methods=["POST"],
)
class TicketList(ThrottledFirst, generics.ListCreateAPIView):
    """Tickets visible to the caller, newest first, with cursor pagination;
    POST opens one on any channel."""

    permission_classes = [IsAgent]
    serializer_class = TicketSerializer
    pagination_class = NewestFirst
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = TicketFilter
    # Only orders an index serves (ticket_received_idx, the unique number).
    ordering_fields = ["received_at", "number"]

    def get_queryset(self):
        # Only the columns a row shows (the search column alone, the size of
        # every message of the ticket, was most of what a page read); the
        # queue, category and assignee come from the reference caches.
        return (
            Ticket.objects.visible_to(self.request.user)
            .select_related("customer")
            .only(*TICKET_ROW_FIELDS)
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        reference.attach(page)
        return page

    def get_serializer_class(self):
        if self.request.method == "POST":
            return TicketCreateSerializer
        return TicketSerializer

    @extend_schema(
        parameters=[ETAG],
        responses={201: TicketDetailSerializer, 409: Error409Response},
    )
    def post(self, request):
        user = request.user
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > idempotency.MAX_KEY_LENGTH or not key.isprintable():
            raise ValidationError(
                {
                    api_settings.NON_FIELD_ERRORS_KEY: [
                        _("An Idempotency-Key is at most 255 printable characters.")
                    ]
                },
                code="invalid",
            )
        digest = idempotency.fingerprint(request.data)

        written = None  # the first message, when this request opens the ticket

        def create():
            nonlocal written
            # Validated only when no earlier request with the key opened the
            # ticket: a retry is answered as the first request was.
            serializer = TicketCreateSerializer(
                data=request.data, queues=reference.worked_queues(user)
            )
            serializer.is_valid(raise_exception=True)
            ticket, written = services.log_interaction(
                customer=serializer.validated_data.get("customer"),
                new_customer=serializer.new_customer(),
                by=user,
                **serializer.ticket_fields(),
            )
            # A letter or fax from the customer goes in the incoming
            # register, as from the web's form (tickets/views/interactions.py).
            if ticket.channel in REGISTERED_CHANNELS:
                register_logged_contact(
                    ticket, written, received_at=ticket.received_at, by=user
                )
            return ticket

        try:
            ticket, created = idempotency.create_once(
                user, key or None, digest=digest, create=create
            )
        except idempotency.KeyReused:
            raise Conflict(
                _("This Idempotency-Key was used for a different request.")
            ) from None
        if created:
            workspace.forget_counts(user)
            # Opened just now: the ticket in hand holds its customer, queue
            # and category, and its one message is the one just written.
            answer = TicketSerializer(ticket).data | {
                "messages": MessageSerializer([written], many=True).data
            }
        else:
            ticket = (
                Ticket.objects.select_related(
                    "customer", "queue", "assignee", "category"
                )
                .prefetch_related(Prefetch("messages", queryset=visible_messages(user)))
                .get(pk=ticket.pk)
            )
            answer = TicketDetailSerializer(ticket).data
        headers = {
            "ETag": etag(ticket),
            "Location": f"{request.path}{ticket.number}/",
        }
        if not created:
            headers["Idempotent-Replayed"] = "true"
        return Response(answer, status=status.HTTP_201_CREATED, headers=headers)


@service_refusals("patch")
class TicketDetail(ThrottledFirst, generics.RetrieveAPIView):
    """One ticket with its correspondence; PATCH changes its properties."""

    permission_classes = [IsAgent]
    serializer_class = TicketDetailSerializer
    lookup_field = "number"
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            Ticket.objects.visible_to(self.request.user)
            .select_related("customer", "queue", "assignee", "category")
            .prefetch_related(
                Prefetch("messages", queryset=visible_messages(self.request.user))
            )
        )

    @extend_schema(parameters=[ETAG])
    def get(self, request, number):
        ticket = self.get_object()
        return Response(
            self.get_serializer(ticket).data, headers={"ETag": etag(ticket)}
        )

    @extend_schema(
        request=TicketChangeSerializer,
        parameters=[IF_MATCH, ETAG],
        responses={
            200: TicketDetailSerializer,
            412: Error412Response,
            428: Error428Response,
        },
    )
    def patch(self, request, number):
        ticket = self.get_object()
        seen = if_match(request, required=True)
        serializer = TicketChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data, by = serializer.validated_data, request.user
        # In the web's order (tickets/views/ticket.py, ticket_properties).
        with services.unchanged_since(ticket, seen=seen):
            if "queue" in data:
                services.move_to_queue(ticket, queue=data["queue"], by=by)
            if "assignee" in data:
                services.assign_ticket(ticket, agent=data["assignee"], by=by)
            if "kind" in data:
                services.change_kind(ticket, kind=data["kind"], by=by)
            if "category" in data:
                services.change_category(ticket, category=data["category"], by=by)
            if "priority" in data:
                services.change_priority(ticket, priority=data["priority"], by=by)
            if "status" in data:
                services.change_status(ticket, status=data["status"], by=by)
        workspace.forget_counts(by)
        # Read afresh, whether or not it stays visible (moved to another queue).
        ticket = (
            Ticket.objects.select_related("customer", "queue", "assignee", "category")
            .prefetch_related(Prefetch("messages", queryset=visible_messages(by)))
            .get(pk=ticket.pk)
        )
        return Response(
            TicketDetailSerializer(ticket).data, headers={"ETag": etag(ticket)}
        )


class TicketMessages(ThrottledFirst, generics.ListAPIView):
    """A ticket's correspondence, oldest first."""

    permission_classes = [IsAgent]
    serializer_class = MessageSerializer
    pagination_class = Oldest

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        ticket = ticket_for(self.request, self.kwargs["number"])
        return visible_messages(self.request.user).filter(ticket=ticket)


class TicketEvents(ThrottledFirst, generics.ListAPIView):
    """A ticket's history, append-only: every change, who made it and when,
    from what to what, oldest first, with cursor pagination. The SLA ledger
    is part of it (`sla=true`): each clock's start, pause, warning, breach
    and outcome, explained in `details`."""

    permission_classes = [IsAgent]
    serializer_class = EventSerializer
    pagination_class = Oldest
    filter_backends = [DjangoFilterBackend]
    filterset_class = EventFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TicketEvent.objects.none()
        ticket = ticket_for(self.request, self.kwargs["number"])
        return ticket.events.readable_by(self.request.user).select_related("actor")


def ticket_for(request, number: str) -> Ticket:
    """The ticket `number` if the caller may see it; 404 otherwise."""
    return generics.get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("customer"),
        number=number,
    )


class _MessageCreate(ThrottledFirst, generics.GenericAPIView):
    """Add to a ticket's correspondence; If-Match, when sent, refuses the
    addition if the ticket changed since the caller read it."""

    permission_classes = [IsAgent]
    input_class = None
    output_class = MessageSerializer

    def add(self, ticket, serializer, by) -> Message:
        raise NotImplementedError

    def post(self, request, number):
        ticket = ticket_for(request, number)
        seen = if_match(request, required=False)
        serializer = self.input_class(data=request.data, context={"ticket": ticket})
        serializer.is_valid(raise_exception=True)
        if seen is None:
            message = self.add(ticket, serializer, request.user)
        else:
            with services.unchanged_since(ticket, seen=seen):
                message = self.add(ticket, serializer, request.user)
        workspace.forget_counts(request.user)
        return Response(
            self.output_class(message).data,
            status=status.HTTP_201_CREATED,
            headers={"ETag": etag(ticket)},
        )


@service_refusals("post")
@extend_validation_errors(["invalid"], field_name="channel", methods=["post"])
@extend_schema(
    request=ReplySerializer,
    parameters=[IF_MATCH, ETAG],
    responses={201: MessageSerializer, 412: Error412Response},
)
class TicketReply(_MessageCreate):
    """A public reply to the customer (emailed when sent by email), and the
    status it leaves the ticket in."""

    input_class = serializer_class = ReplySerializer

    def add(self, ticket, serializer, by):
        data = serializer.validated_data
        return services.reply_and_set_status(
            ticket,
            status=data.get("then", ""),
            body_text=data["body_text"],
            channel=data["channel"],
            by=by,
        )


@service_refusals("post")
@extend_schema(
    request=NoteSerializer,
    parameters=[IF_MATCH, ETAG],
    responses={201: MessageSerializer, 412: Error412Response},
)
class TicketNote(_MessageCreate):
    """An internal note, for staff only (403 for a customer-facing integration)."""

    permission_classes = [SeesInternalNotes]
    input_class = serializer_class = NoteSerializer

    def add(self, ticket, serializer, by):
        return services.add_note(
            ticket, body_text=serializer.validated_data["body_text"], by=by
        )


@service_refusals("post")
@extend_validation_errors(["invalid"], field_name="outcome", methods=["post"])
@extend_validation_errors(["invalid"], field_name="duration_minutes", methods=["post"])
@extend_schema(
    request=ContactSerializer,
    parameters=[IF_MATCH, ETAG],
    responses={201: LoggedContactSerializer, 412: Error412Response},
)
class TicketContact(_MessageCreate):
    """A call (with its minutes and outcome), fax, letter, visit or chat,
    from the customer or to them. A letter or fax from the customer is
    entered in the incoming register with its received stamp and the
    sender's reference, as on the web; its number is `register_number`."""

    input_class = serializer_class = ContactSerializer
    output_class = LoggedContactSerializer

    def add(self, ticket, serializer, by):
        data = serializer.validated_data
        # The web's "Log contact" (tickets/views/ticket.py, ticket_log).
        with transaction.atomic():
            message = services.add_message(
                ticket,
                direction=data["direction"],
                channel=data["channel"],
                body_text=data["body_text"],
                details=serializer.details(),
                received_at=data.get("received_at"),
                by=by,
            )
            entry = register_logged_contact(
                ticket, message, received_at=message.received_at, by=by
            )
        message.register_number = entry.number if entry else None
        return message
