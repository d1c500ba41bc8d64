"""The supervisor dashboard's figures over REST, for reporting tools: the
same period and dimensions as the dashboard's form (dashboard/forms.py), the
same report functions (dashboard/reports), the same scope (the queues the
caller supervises). Supervisors only, as on the web."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings

from customers.models import Customer
from dashboard import reports
from dashboard.forms import DashboardForm
from helpdesk.channels import Channel
from helpdesk.roles import IsSupervisor
from sla.models import SLAClock
from tickets.models import Ticket

from .tickets import ThrottledFirst


class FiguresQuerySerializer(serializers.Serializer):
    """The dashboard form's fields (validated by that form)."""

    period = serializers.ChoiceField(
        choices=reports.PERIODS,
        required=False,
        help_text=_(
            "today, the last 7, 30 or 90 days up to now (7 by default), or "
            "custom: the days date_from to date_to."
        ),
    )
    date_from = serializers.DateField(
        required=False, help_text=_("The period's first day (with date_to).")
    )
    date_to = serializers.DateField(
        required=False,
        help_text=_("The period's last day, included; at most a year after date_from."),
    )
    queue = serializers.IntegerField(
        required=False, help_text=_("Only this queue (its id), among yours.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    tier = serializers.IntegerField(
        required=False, help_text=_("Only customers of this service tier (its id).")
    )
    customer_kind = serializers.ChoiceField(
        choices=Customer.Kind.choices, required=False
    )
    kind = serializers.ChoiceField(choices=Ticket.Kind.choices, required=False)
    assignee = serializers.IntegerField(
        required=False, help_text=_("Only this agent's tickets (their user id).")
    )
    horizon = serializers.IntegerField(
        min_value=1,
        max_value=72,
        required=False,
        help_text=_("Hours ahead that count as at risk (4 by default)."),
    )


class TargetSerializer(serializers.Serializer):
    target = serializers.ChoiceField(choices=SLAClock.Target.choices)
    met = serializers.IntegerField()
    missed = serializers.IntegerField()
    compliance = serializers.FloatField(
        allow_null=True, help_text=_("Met ÷ (met + missed), in percent.")
    )
    business_median_minutes = serializers.FloatField(
        source="business_median", allow_null=True
    )
    business_p90_minutes = serializers.FloatField(
        source="business_p90", allow_null=True
    )
    clock_median_minutes = serializers.FloatField(
        source="clock_median", allow_null=True
    )
    clock_p90_minutes = serializers.FloatField(source="clock_p90", allow_null=True)


class BacklogQueueSerializer(serializers.Serializer):
    queue = serializers.CharField(source="queue.slug", help_text=_("Its code."))
    counts = serializers.DictField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class BacklogSerializer(serializers.Serializer):
    totals = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_(
            "Open tickets now by SLA state: on_track, at_risk, breached, "
            "paused, no_target."
        ),
    )
    total = serializers.IntegerField()
    queues = BacklogQueueSerializer(many=True, source="rows")


class BreachesSerializer(serializers.Serializer):
    today = serializers.IntegerField()
    week = serializers.IntegerField()
    today_start = serializers.DateTimeField()
    week_start = serializers.DateTimeField()


class CsatSerializer(serializers.Serializer):
    average = serializers.FloatField(allow_null=True)
    count = serializers.IntegerField()
    distribution = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=_("How many ratings of each score, 1 to 5."),
    )


class SeriesSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField())
    total = serializers.IntegerField()


class VolumeSerializer(serializers.Serializer):
    daily = serializers.BooleanField(help_text=_("false: counted week by week."))
    buckets = serializers.ListField(
        child=serializers.DateField(),
        help_text=_("The first day of each day or week counted."),
    )
    channels = SeriesSerializer(many=True)


class FiguresSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField(help_text=_("Excluded."))
    backlog = BacklogSerializer()
    targets = TargetSerializer(many=True)
    breaches = BreachesSerializer()
    csat = CsatSerializer()
    volume = VolumeSerializer(help_text=_("Tickets received in the period."))


FIELDS = list(FiguresQuerySerializer().fields)


def _form_errors(form) -> ValidationError:
    """The dashboard form's errors in the API's shape, with their codes."""
    errors = {}
    for field, problems in form.errors.as_data().items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
        errors[key] = [
            serializers.ErrorDetail(
                " ".join(problem.messages), code=problem.code or "invalid"
            )
            for problem in problems
        ]
    return ValidationError(errors)


def _errors(view):
    view = extend_validation_errors(
        ["dates_missing", "dates_order", "dates_long"],
        field_name="non_field_errors",
        methods=["get"],
    )(view)
    for field in FIELDS:
        view = extend_validation_errors(
            ["invalid", "invalid_choice", "min_value", "max_value"],
            field_name=field,
            methods=["get"],
        )(view)
    return view


@_errors
@extend_schema(parameters=[FiguresQuerySerializer], responses=FiguresSerializer)
class Figures(ThrottledFirst, generics.GenericAPIView):
    """The dashboard's figures for a period, over the queues the caller
    supervises: the open backlog by SLA state now, compliance and times per
    SLA target, breaches today and this week, ratings, and tickets received
    per day or week by channel."""

    permission_classes = [IsSupervisor]
    serializer_class = FiguresSerializer
    filter_backends = []

    def get(self, request):
        now = timezone.now()
        scope = reports.supervised_queues(request.user)
        form = DashboardForm(request.query_params, scope=scope)
        if not form.is_valid():
            raise _form_errors(form)
        filters = form.filters(now)
        targets = reports.sla_targets(filters, now)
        data = {
            "start": filters.start,
            "end": filters.end,
            "backlog": reports.backlog(filters, now),
            "targets": [targets[target] for target in SLAClock.Target.values],
            "breaches": reports.breaches(filters, now),
            "csat": reports.csat(filters, now),
            "volume": reports.volume(filters, now),
        }
        return Response(FiguresSerializer(data).data)
