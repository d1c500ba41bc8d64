"""Customers over REST: found as the agent's lookup finds them, created and
corrected through the same verbs as the customer panel
(tickets/services/customers.py). Every agent may read and correct any
customer, as on the web; the email address and the service tier are who the
customer is, and only a supervisor changes them (403 for anyone else)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from customers.models import Customer, ServiceTier
from tickets import services
from tickets.permissions import IsAgent

from ..serializers import CustomerSummarySerializer
from .tickets import ThrottledFirst

# A lookup is for finding someone, not for walking the customer list.
LOOKUP_RESULTS = 20
# What the department records about a customer, as the panel's form edits it
# (tickets/forms.py, CustomerForm).
CONTACT_FIELDS = [
    "name",
    "kind",
    "organisation",
    "department",
    "phone",
    "fax",
    "postal_address",
    "preferred_language",
    "preferred_channel",
    "interests",
    "needs",
    "notes",
]


class CustomerLookupSerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2,
        max_length=200,
        help_text=_(
            "The start of a name (Arabic or English), an email address or a "
            "phone number, as an agent types it."
        ),
    )


class CustomerSerializer(serializers.ModelSerializer):
    """A customer as the customer page shows them. `email` and `tier` are
    changed by supervisors only."""

    tier = serializers.SlugRelatedField(
        slug_field="code",
        queryset=ServiceTier.objects.all(),
        required=False,
        help_text=_(
            "The service tier's code (standard, vip, ...); supervisors only. "
            "A new customer without one is standard."
        ),
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "name",
            "kind",
            "tier",
            "email",
            *CONTACT_FIELDS[2:],
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {
            "email": {"help_text": _("Changed by supervisors only.")},
            # The panel's own lengths hold for free text sent by a machine.
            "postal_address": {"max_length": 1000},
            "interests": {"max_length": 5000},
            "needs": {"max_length": 5000},
            "notes": {"max_length": 5000},
        }
        # The unique address is checked by the service, case-insensitively.
        validators = []


@extend_validation_errors(
    ["required", "blank", "min_length", "max_length", "invalid", "null"],
    field_name="q",
    methods=["get"],
)
class CustomerList(ThrottledFirst, generics.ListCreateAPIView):
    """Customers found by name, email or phone, as the agent's lookup finds
    them (a phone system looking up a caller), at most 20; POST records a
    new customer."""

    permission_classes = [IsAgent]
    pagination_class = None
    # The lookup is the filter: no filter backends.
    filter_backends = []

    def get_serializer_class(self):
        if self.request is not None and self.request.method == "POST":
            return CustomerSerializer
        return CustomerSummarySerializer

    def get_queryset(self):
        lookup = CustomerLookupSerializer(data=self.request.query_params)
        lookup.is_valid(raise_exception=True)
        return Customer.objects.matching(lookup.validated_data["q"]).order_by(
            "name", "pk"
        )[:LOOKUP_RESULTS]

    @extend_schema(
        parameters=[CustomerLookupSerializer],
        responses=CustomerSummarySerializer(many=True),
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CustomerSerializer, responses={201: CustomerSerializer})
    def post(self, request):
        serializer = CustomerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer = services.create_customer(
            by=request.user, **serializer.validated_data
        )
        return Response(
            CustomerSerializer(customer).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": f"{request.path}{customer.pk}/"},
        )


class CustomerDetail(ThrottledFirst, generics.RetrieveAPIView):
    """One customer; PATCH corrects their details (`email` and `tier`:
    supervisors only, recorded in the customer's history)."""

    permission_classes = [IsAgent]
    serializer_class = CustomerSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return Customer.objects.select_related("tier")

    @extend_schema(request=CustomerSerializer, responses={200: CustomerSerializer})
    def patch(self, request, pk):
        customer = self.get_object()
        serializer = CustomerSerializer(customer, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.update_customer(customer, by=request.user, **serializer.validated_data)
        customer = self.get_queryset().get(pk=customer.pk)
        return Response(CustomerSerializer(customer).data)
