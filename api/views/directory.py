"""What an integration needs to fill in a ticket: the queues it works, the
categories, and the customer it is talking to."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, serializers

from customers.models import Customer
from tickets.models import Category, Queue
from tickets.permissions import IsAgent

from ..serializers import CustomerSummarySerializer
from .tickets import ThrottledFirst

# A lookup is for finding someone, not for walking the customer list.
LOOKUP_RESULTS = 20


class NamedSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_ar = serializers.CharField(read_only=True)


class QueueList(ThrottledFirst, generics.ListAPIView):
    """The queues the caller works: a new ticket may go to any of them."""

    permission_classes = [IsAgent]
    serializer_class = NamedSerializer
    pagination_class = None

    def get_queryset(self):
        return Queue.objects.worked_by(self.request.user).order_by("name")


class CategoryList(ThrottledFirst, generics.ListAPIView):
    """The categories a ticket may be given."""

    permission_classes = [IsAgent]
    serializer_class = NamedSerializer
    pagination_class = None

    def get_queryset(self):
        return Category.objects.filter(is_active=True).order_by("name")


class CustomerLookupSerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=2,
        max_length=200,
        help_text=_(
            "The start of a name (Arabic or English), an email address or a "
            "phone number, as an agent types it."
        ),
    )


@extend_validation_errors(
    ["required", "blank", "min_length", "max_length", "invalid", "null"],
    field_name="q",
    methods=["get"],
)
@extend_schema(parameters=[CustomerLookupSerializer])
class CustomerList(ThrottledFirst, generics.ListAPIView):
    """Customers found by name, email or phone, as the agent's lookup finds
    them (a phone system looking up a caller); at most 20."""

    permission_classes = [IsAgent]
    serializer_class = CustomerSummarySerializer
    pagination_class = None
    # The lookup is the filter: no filter backends.
    filter_backends = []

    def get_queryset(self):
        lookup = CustomerLookupSerializer(data=self.request.query_params)
        lookup.is_valid(raise_exception=True)
        return Customer.objects.matching(lookup.validated_data["q"]).order_by(
            "name", "pk"
        )[:LOOKUP_RESULTS]
