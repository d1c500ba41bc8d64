from rest_framework import serializers

from .models import Message, Ticket


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "direction",
            "channel",
            "author",
            "body_text",
            "body_html",
            "details",
            "created_at",
        ]


class TicketSerializer(serializers.ModelSerializer):
    customer = serializers.StringRelatedField()
    queue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.SlugRelatedField(slug_field="username", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Ticket
        fields = [
            "number",
            "subject",
            "kind",
            "category",
            "channel",
            "priority",
            "status",
            "queue",
            "assignee",
            "customer",
            "received_at",
            "first_responded_at",
            "resolved_at",
            "closed_at",
            "updated_at",
        ]


class TicketDetailSerializer(TicketSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "messages"]
