"""What the API reads and writes. Output serializers show tickets as the
agent's pages do; input serializers only validate: the views hand what they
clean to the same ticket services the web calls."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from customers.models import Customer
from helpdesk.channels import Channel
from tickets.forms import LOGGED_CHANNELS, REPLY_CHANNELS, interaction_fields
from tickets.models import CallOutcome, Category, Message, Queue, Ticket, TicketEvent

# The longest text an integration may send in one message (about 50 pages).
MAX_BODY = 100_000


def not_in_future(value):
    if value > timezone.now():
        raise serializers.ValidationError(_("This cannot be in the future."))
    return value


class CustomerSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "email", "phone"]


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

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


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = TicketEvent
        fields = ["id", "action", "actor", "old_value", "new_value", "created_at"]


class TicketSerializer(serializers.ModelSerializer):
    customer = CustomerSummarySerializer(read_only=True)
    queue = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    category = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

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
            "due_at",
            "resolved_at",
            "closed_at",
            "updated_at",
        ]
        read_only_fields = fields


class TicketDetailSerializer(TicketSerializer):
    messages = MessageSerializer(many=True, read_only=True)

    class Meta(TicketSerializer.Meta):
        fields = [*TicketSerializer.Meta.fields, "messages"]


class TicketCreateSerializer(serializers.Serializer):
    """A new ticket on any channel, for a known customer (`customer`, an id),
    one found by `customer_email`, or a new one (`customer_name`)."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(), required=False
    )
    customer_email = serializers.EmailField(required=False)
    customer_name = serializers.CharField(max_length=200, required=False)
    customer_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True
    )
    subject = serializers.CharField(max_length=250)
    body_text = serializers.CharField(max_length=MAX_BODY)
    channel = serializers.ChoiceField(choices=Channel.choices)
    queue = serializers.SlugRelatedField(slug_field="slug", queryset=Queue.objects)
    kind = serializers.ChoiceField(
        choices=Ticket.Kind.choices, default=Ticket.Kind.INQUIRY
    )
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    priority = serializers.ChoiceField(
        choices=Ticket.Priority.choices, default=Ticket.Priority.NORMAL
    )
    received_at = serializers.DateTimeField(required=False, validators=[not_in_future])
    answered = serializers.BooleanField(
        default=False,
        help_text=_(
            "The customer was answered during the contact (a call, a visit): "
            "that is the first response."
        ),
    )

    def __init__(self, *args, queues=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the queues the caller works, as on the web's form.
        if queues is not None:
            self.fields["queue"].queryset = queues

    def validate(self, data):
        if data.get("customer") is None:
            email = data.get("customer_email", "")
            found = Customer.objects.with_email(email).first() if email else None
            if found is not None:
                data["customer"] = found
            elif not data.get("customer_name"):
                raise serializers.ValidationError(
                    {
                        "customer_name": _(
                            "Give a customer's id, the email of a known customer, "
                            "or the new customer's name."
                        )
                    }
                )
        return data

    def new_customer(self) -> dict | None:
        data = self.validated_data
        if data.get("customer") is not None:
            return None
        return {
            "name": data["customer_name"],
            "email": data.get("customer_email", ""),
            "phone": data.get("customer_phone", ""),
            "preferred_channel": data["channel"],
        }

    def ticket_fields(self) -> dict:
        """Keyword arguments for services.log_interaction."""
        return interaction_fields(self.validated_data)


class TicketChangeSerializer(serializers.Serializer):
    """The ticket's properties an agent changes on its page; each optional."""

    status = serializers.ChoiceField(choices=Ticket.Status.choices, required=False)
    priority = serializers.ChoiceField(choices=Ticket.Priority.choices, required=False)
    kind = serializers.ChoiceField(choices=Ticket.Kind.choices, required=False)
    queue = serializers.SlugRelatedField(
        slug_field="slug", queryset=Queue.objects, required=False
    )
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )
    category = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Category.objects.filter(is_active=True),
        required=False,
        allow_null=True,
    )

    def validate(self, data):
        if not data:
            raise serializers.ValidationError(_("Nothing to change was sent."))
        return data


class ReplySerializer(serializers.Serializer):
    """A public reply to the customer."""

    body_text = serializers.CharField(max_length=MAX_BODY)
    channel = serializers.ChoiceField(
        choices=[value for value, _label in REPLY_CHANNELS],
        required=False,
        help_text=_("How it reached the customer; email unless they have none."),
    )
    then = serializers.ChoiceField(
        choices=[Ticket.Status.PENDING, Ticket.Status.RESOLVED],
        required=False,
        help_text=_("The status the reply leaves the ticket in."),
    )

    def validate(self, data):
        customer = self.context["ticket"].customer
        channel = data.get("channel") or (
            Channel.EMAIL if customer.email else self.context["ticket"].channel
        )
        if channel == Channel.EMAIL and not customer.email:
            raise serializers.ValidationError(
                {"channel": _("This customer has no email address.")}
            )
        data["channel"] = channel
        return data


class NoteSerializer(serializers.Serializer):
    """An internal note: staff only, never shown to the customer."""

    body_text = serializers.CharField(max_length=MAX_BODY)


class ContactSerializer(serializers.Serializer):
    """A call (or fax, letter, visit, chat) logged on the ticket, either way."""

    channel = serializers.ChoiceField(
        choices=[value for value, _label in LOGGED_CHANNELS], default=Channel.PHONE
    )
    direction = serializers.ChoiceField(
        choices=[Message.Direction.INBOUND, Message.Direction.OUTBOUND],
        default=Message.Direction.INBOUND,
    )
    body_text = serializers.CharField(max_length=MAX_BODY)
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=600, required=False
    )
    outcome = serializers.ChoiceField(choices=CallOutcome.choices, required=False)
    received_at = serializers.DateTimeField(required=False, validators=[not_in_future])

    def validate(self, data):
        if data["channel"] != Channel.PHONE:
            for field in ("outcome", "duration_minutes"):
                if field in data:
                    raise serializers.ValidationError(
                        {field: _("Only a call has a duration and an outcome.")}
                    )
        return data

    def details(self) -> dict:
        data = self.validated_data
        details = {}
        if data.get("duration_minutes") is not None:
            details["duration_minutes"] = data["duration_minutes"]
        if data.get("outcome"):
            details["outcome"] = data["outcome"]
        if data.get("received_at"):
            details["received_at"] = data["received_at"].isoformat()
        return details
