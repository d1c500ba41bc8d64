"""A ticket's service levels over REST: its policy, each clock with its due
and at-risk times and state, and the ledger of SLA events, read from the
stored clocks as the ticket page's clock panel reads them
(`sla.display.clock_views`)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from sla import display
from sla.ledger import minutes
from sla.models import SLAClock
from sla.rules import ClockState
from tickets.models import Ticket, TicketEvent
from tickets.permissions import IsAgent

from ..serializers import EventSerializer
from .tickets import ThrottledFirst

STATES = [state.value for state in ClockState]


class PolicySerializer(serializers.Serializer):
    name = serializers.CharField()
    name_ar = serializers.CharField()


class ClockSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=SLAClock.Target.choices)
    status = serializers.ChoiceField(
        choices=SLAClock.Status.choices, source="clock.status"
    )
    state = serializers.ChoiceField(
        choices=STATES,
        help_text=_("on_track, at_risk, breached, paused, met or missed, now."),
    )
    cycle = serializers.IntegerField(
        source="clock.cycle",
        help_text=_("The next-response clock counts one cycle per customer message."),
    )
    owed_by = serializers.CharField(
        source="clock.queue.slug",
        allow_null=True,
        help_text=_("The queue that owes a memo's answer; null: the ticket's own."),
    )
    reference = serializers.CharField(source="clock.reference")
    started_at = serializers.DateTimeField(source="clock.started_at")
    running_since = serializers.DateTimeField(
        source="clock.running_since", allow_null=True
    )
    due_at = serializers.DateTimeField(allow_null=True)
    at_risk_at = serializers.DateTimeField(source="clock.warn_at", allow_null=True)
    stopped_at = serializers.DateTimeField(allow_null=True)
    used_minutes = serializers.IntegerField(
        help_text=_("Business time used so far, in minutes.")
    )
    limit_minutes = serializers.IntegerField(
        help_text=_("The target, in minutes of business time.")
    )
    left_minutes = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "Business time left, in minutes (negative: overdue by that much); "
            "null once the clock has stopped."
        ),
    )


def _clock(view: display.ClockView) -> dict:
    """What ClockSerializer reads of one clock as the clock panel sees it."""
    return {
        "clock": view.clock,
        "target": view.target,
        "state": view.state.value,
        "due_at": view.due_at,
        "stopped_at": view.stopped_at,
        "used_minutes": minutes(view.used),
        "limit_minutes": minutes(view.limit),
        "left_minutes": minutes(view.left),
    }


class ServiceLevelSerializer(serializers.Serializer):
    number = serializers.CharField()
    policy = PolicySerializer(
        allow_null=True, help_text=_("The SLA policy chosen for the ticket.")
    )
    state = serializers.ChoiceField(
        choices=STATES,
        allow_null=True,
        help_text=_(
            "The state of the ticket's most urgent running clock now; null "
            "when no clock runs."
        ),
    )
    due_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When the most urgent running clock is due.")
    )
    at_risk_at = serializers.DateTimeField(
        allow_null=True, help_text=_("When that clock turns at risk.")
    )
    first_responded_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    clocks = ClockSerializer(many=True)
    ledger = EventSerializer(
        many=True,
        help_text=_(
            "Every SLA event, oldest first: policy chosen, clocks started, "
            "paused, resumed, warnings, breaches, met, missed, escalations."
        ),
    )


class TicketServiceLevels(ThrottledFirst, generics.GenericAPIView):
    """The ticket's SLA now: its policy, its clocks (due and at-risk times,
    business time used and left, state) and the ledger of SLA events."""

    permission_classes = [IsAgent]
    serializer_class = ServiceLevelSerializer
    lookup_field = "number"

    def get_queryset(self):
        ledger = (
            TicketEvent.objects.filter(action__in=TicketEvent.Action.sla())
            .select_related("actor")
            .order_by("created_at", "id")
        )
        return (
            Ticket.objects.visible_to(self.request.user)
            .select_related("sla_policy")
            .prefetch_related(
                Prefetch("clocks", queryset=SLAClock.objects.select_related("queue")),
                Prefetch("events", queryset=ledger, to_attr="ledger"),
            )
        )

    @extend_schema(responses=ServiceLevelSerializer)
    def get(self, request, number):
        ticket = self.get_object()
        now = timezone.now()
        policy = ticket.sla_policy
        state = display.ticket_state(ticket, now)
        data = {
            "number": ticket.number,
            "policy": policy,
            "state": state.value if state is not None else None,
            "due_at": ticket.due_at,
            "at_risk_at": ticket.at_risk_at,
            "first_responded_at": ticket.first_responded_at,
            "resolved_at": ticket.resolved_at,
            "clocks": [_clock(view) for view in display.clock_views(ticket, now)],
            "ledger": ticket.ledger,
        }
        return Response(ServiceLevelSerializer(data).data)
