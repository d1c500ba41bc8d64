"""What the API reads and writes. Output serializers show tickets as the
agent's pages do; input serializers only validate: the views hand what they
clean to the same ticket services the web calls."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from customers.models import Customer
from helpdesk.channels import Channel
from tickets.forms import (
    LOGGED_CHANNELS,
    REPLY_CHANNELS,
    interaction_fields,
    paper_details,
)
from tickets.models import (
    Attachment,
    CallOutcome,
    Category,
    Message,
    Queue,
    Ticket,
    TicketEvent,
)
from tickets.uploads import check_uploads

# A logged contact comes from the customer or goes to them; never internal.
CONTACT_DIRECTIONS = [
    (Message.Direction.INBOUND, Message.Direction.INBOUND.label),
    (Message.Direction.OUTBOUND, Message.Direction.OUTBOUND.label),
]
# The longest text an integration may send in one message (about 50 pages).
MAX_BODY = 100_000


def not_in_future(value):
    if value > timezone.now():
        raise serializers.ValidationError(_("This cannot be in the future."))
    return value


class FieldsBuiltOnce:
    """An output serializer whose fields are built once per class, not for
    every object written: building a ticket's twenty fields from the model's
    metadata cost an API request more than writing the ticket with them.

    Only for fields that read nothing but the object (no request, no
    context): every request shares them."""

    _built: dict[type, list] = {}

    @property
    def _readable_fields(self):
        fields = FieldsBuiltOnce._built.get(type(self))
        if fields is None:
            template = type(self)()
            fields = [f for f in template.fields.values() if not f.write_only]
            FieldsBuiltOnce._built[type(self)] = fields
        return fields


class CustomerSummarySerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    class Meta:
        model = Customer
        fields = ["id", "name", "email", "phone"]


class MessageSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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


class LoggedContactSerializer(MessageSerializer):
    register_number = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text=_(
            "The incoming register's number of a letter or fax from the customer."
        ),
    )

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "register_number"]


class EventSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    details = serializers.DictField(
        read_only=True,
        help_text=_(
            "What the change recorded beyond from and to: for the SLA "
            "ledger, the clock's times, the policy and why it was chosen."
        ),
    )

    class Meta:
        model = TicketEvent
        fields = [
            "id",
            "action",
            "actor",
            "old_value",
            "new_value",
            "sla_target",
            "details",
            "created_at",
        ]


class TicketSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
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


def not_after_today(value):
    if value > timezone.localdate():
        raise serializers.ValidationError(_("This date cannot be in the future."))
    return value


class PaperSerializer(serializers.Serializer):
    """What the records office notes of a letter, fax or hand-delivered
    document, as on the web's forms (tickets/forms.py, PaperFields). An
    inbound letter or fax is entered in the incoming register."""

    hand_delivered = serializers.BooleanField(
        default=False,
        help_text=_("A letter brought to the office rather than posted."),
    )
    sender_organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True
    )
    reference = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text=_("The sender's own reference."),
    )
    reference_date = serializers.DateField(
        required=False,
        validators=[not_after_today],
        help_text=_("The date on the sender's letter."),
    )

    def validate(self, data):
        data = super().validate(data)
        if data.get("hand_delivered") and data.get("channel") != Channel.LETTER:
            raise serializers.ValidationError(
                {
                    "hand_delivered": _(
                        "Only a letter is delivered by hand: choose “Postal letter”."
                    )
                }
            )
        return data

    def details(self) -> dict:
        """The message's `details`, as the web's forms record them."""
        data = self.validated_data
        return paper_details({**data, "duration": data.get("duration_minutes")})


class SlugAmong(serializers.SlugRelatedField):
    """A slug naming one of `among`, objects already in hand (reference
    data), when given; else one of `queryset`'s, as SlugRelatedField reads."""

    among: list | None = None

    def to_internal_value(self, data):
        if self.among is None:
            return super().to_internal_value(data)
        for candidate in self.among:
            if getattr(candidate, self.slug_field) == data:
                return candidate
        if not isinstance(data, str):
            self.fail("invalid")
        self.fail("does_not_exist", slug_name=self.slug_field, value=data)


class TicketCreateSerializer(PaperSerializer):
    """A new ticket on any channel, for a known customer (`customer`, an id),
    one found by `customer_email`, or a new one (`customer_name`)."""

    # With the tier, which the new ticket's service level depends on.
    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.select_related("tier"), required=False
    )
    customer_email = serializers.EmailField(required=False)
    customer_name = serializers.CharField(max_length=200, required=False)
    customer_phone = serializers.CharField(
        max_length=40, required=False, allow_blank=True
    )
    subject = serializers.CharField(max_length=250)
    body_text = serializers.CharField(max_length=MAX_BODY)
    channel = serializers.ChoiceField(choices=Channel.choices)
    queue = SlugAmong(slug_field="slug", queryset=Queue.objects)
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
            self.fields["queue"].among = queues

    def validate(self, data):
        data = super().validate(data)
        if data.get("customer") is None:
            email = data.get("customer_email", "")
            found = (
                Customer.objects.with_email(email).select_related("tier").first()
                if email
                else None
            )
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
        return {**interaction_fields(self.validated_data), "details": self.details()}


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


class ContactSerializer(PaperSerializer):
    """A call (or fax, letter, visit, chat) logged on the ticket, either way."""

    channel = serializers.ChoiceField(
        choices=[value for value, _label in LOGGED_CHANNELS], default=Channel.PHONE
    )
    direction = serializers.ChoiceField(
        choices=CONTACT_DIRECTIONS, default=Message.Direction.INBOUND
    )
    body_text = serializers.CharField(max_length=MAX_BODY)
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=600, required=False
    )
    outcome = serializers.ChoiceField(choices=CallOutcome.choices, required=False)
    received_at = serializers.DateTimeField(required=False, validators=[not_in_future])

    def validate(self, data):
        data = super().validate(data)
        if data["channel"] != Channel.PHONE:
            for field in ("outcome", "duration_minutes"):
                if field in data:
                    raise serializers.ValidationError(
                        {field: _("Only a call has a duration and an outcome.")}
                    )
        return data


class AttachmentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    message = serializers.IntegerField(source="message_id", read_only=True)
    direction = serializers.CharField(source="message.direction", read_only=True)
    download = serializers.SerializerMethodField(
        help_text=_("Where to download the file (with the same token).")
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "name",
            "content_type",
            "size",
            "sha256",
            "message",
            "direction",
            "created_at",
            "download",
        ]
        read_only_fields = fields

    def get_download(self, attachment) -> str:
        return reverse("api:attachment-download", args=[attachment.pk])


class FilesField(serializers.ListField):
    """Several files in one field; a file's error is the field's, as the
    web form shows it, not one of an index."""

    def run_child_validation(self, data):
        try:
            return super().run_child_validation(data)
        except serializers.ValidationError as error:
            raise serializers.ValidationError(
                [detail for details in error.detail.values() for detail in details]
            ) from None


class UploadSerializer(serializers.Serializer):
    """Files added to a ticket, as on the agent's "Files" tab: at most
    ATTACHMENT_MAX_COUNT files of ATTACHMENT_MAX_BYTES each, of the kinds
    the web form accepts, judged from their content."""

    files = FilesField(
        child=serializers.FileField(),
        allow_empty=False,
        help_text=_("One or more files, each sent as a part named “files”."),
    )
    body_text = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("What the files are; “Files added.” when empty."),
    )

    def validate_files(self, files):
        try:
            return check_uploads(files)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class MergeSerializer(serializers.Serializer):
    """The ticket to merge into: another of the same customer's, one the
    caller may see."""

    into = serializers.CharField(
        max_length=20, help_text=_("The number of the ticket to merge into.")
    )

    def validate_into(self, value):
        number = value.strip().upper()
        target = self.context["tickets"].filter(number=number).first()
        if target is None:
            raise serializers.ValidationError(
                _("No ticket with this number in your queues."), code="not_found"
            )
        return target
