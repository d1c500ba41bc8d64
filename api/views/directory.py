"""What an integration needs to fill in a ticket: the queues it works and
the categories (the customers are in api/views/customers.py)."""

from rest_framework import generics, serializers

from tickets.models import Category, Queue
from tickets.permissions import IsAgent

from .tickets import ThrottledFirst


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
