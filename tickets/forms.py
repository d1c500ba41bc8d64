"""Forms of the agent workspace: validation only; the services do the work."""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from helpdesk.channels import Channel
from helpdesk.labels import LocalizedChoiceField, PersonChoiceField

from . import reference
from .models import CallOutcome, Category, Queue, RootCause, SavedView, Ticket
from .services.complaints import AGENT_STAGES
from .uploads import human_size


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input, each within the attachment size limit."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"])
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        limit = settings.ATTACHMENT_MAX_BYTES
        for upload in cleaned:
            if upload.size > limit:
                raise forms.ValidationError(
                    _("%(name)s is larger than %(limit)s.")
                    % {"name": upload.name, "limit": human_size(limit)}
                )
        return cleaned


class TicketActionForm(forms.Form):
    """Every action on a ticket page says which history it was made against."""

    seen = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class CorrespondenceForm(TicketActionForm):
    """A reply or note also says which message was the newest when the page
    was loaded: it is held back only if the conversation with the customer
    moved on since (services.no_correspondence_since)."""

    seen_message = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


REPLY_CHANNELS = [
    (Channel.EMAIL, _("Email")),
    (Channel.PHONE, _("Called back")),
    (Channel.LETTER, _("Letter sent")),
    (Channel.FAX, _("Fax sent")),
    (Channel.WALK_IN, _("Told in person")),
    (Channel.CHAT, _("Chat")),
]


class ReplyForm(CorrespondenceForm):
    body_text = forms.CharField(
        label=_("Reply to the customer"),
        # Typing in it shows the other agents on the page "typing a reply"
        # (static/js/presence.js).
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "id": "reply-body",
                "dir": "auto",
                "data-presence-typing": True,
            }
        ),
    )
    channel = forms.ChoiceField(label=_("Sent by"), choices=REPLY_CHANNELS)
    attachments = MultipleFileField(label=_("Attachments"))
    # Set by the button pressed: send only, or send and leave the ticket so.
    then = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Send")),
            (Ticket.Status.PENDING, _("Send and set pending")),
            (Ticket.Status.RESOLVED, _("Send and resolve")),
        ],
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.ticket = ticket
        if not ticket.customer.email:
            self.fields["channel"].choices = REPLY_CHANNELS[1:]
        self.fields["channel"].initial = (
            Channel.EMAIL if ticket.customer.email else ticket.channel
        )

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if channel == Channel.EMAIL and not self.ticket.customer.email:
            raise forms.ValidationError(_("This customer has no email address."))
        return channel


class NoteForm(CorrespondenceForm):
    body_text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(
            attrs={"rows": 4, "dir": "auto", "data-presence-typing": True}
        ),
    )
    attachments = MultipleFileField(label=_("Attachments"))


LOGGED_CHANNELS = [
    (Channel.PHONE, _("Phone call")),
    (Channel.FAX, _("Fax")),
    (Channel.LETTER, _("Postal letter")),
    (Channel.WALK_IN, _("Walk-in visit")),
    (Channel.CHAT, _("Chat")),
]


def not_in_future(value):
    """Received stamps and the sender's dates are never later than now."""
    if isinstance(value, datetime):
        late = value > timezone.now()
    else:
        late = value > timezone.localdate()
    if late:
        raise forms.ValidationError(_("This date cannot be in the future."))


class PaperFields(forms.Form):
    """What the records office notes of a letter, fax or hand-delivered
    document: the received stamp, the sender's own reference and date, and
    the scanned pages."""

    received_at = forms.DateTimeField(
        label=_("Received"),
        required=False,
        help_text=_("Empty: now. For a letter, the date on its received stamp."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        validators=[not_in_future],
    )
    hand_delivered = forms.BooleanField(
        label=_("Delivered by hand"),
        required=False,
        help_text=_("A letter brought to the office rather than posted."),
    )
    sender_organisation = forms.CharField(
        label=_("Sender's organisation"), required=False, max_length=200
    )
    reference = forms.CharField(
        label=_("Their reference"), required=False, max_length=100
    )
    reference_date = forms.DateField(
        label=_("Their date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[not_in_future],
    )
    attachments = MultipleFileField(label=_("Scanned pages"))

    def clean(self):
        data = super().clean()
        if data.get("hand_delivered") and data.get("channel") != Channel.LETTER:
            self.add_error(
                "hand_delivered",
                _("Only a letter is delivered by hand: choose “Postal letter”."),
            )
        return data


def interaction_fields(data: dict) -> dict:
    """The ticket's side of services.log_interaction from checked input, the
    web's logging form and the API's alike."""
    return {
        "subject": data["subject"],
        "body_text": data["body_text"],
        "channel": data["channel"],
        "queue": data["queue"],
        "kind": data["kind"],
        "category": data.get("category"),
        "priority": data["priority"],
        "received_at": data.get("received_at"),
        "answered": data["answered"] and data["channel"] in Channel.live(),
    }


def paper_details(data: dict) -> dict:
    """A logged contact's `details` from its form's cleaned data: call
    minutes, received stamp, hand delivery, the sender's organisation,
    reference and date (each only when entered)."""
    details = {}
    if data.get("duration") is not None:
        details["duration_minutes"] = data["duration"]
    if data.get("outcome"):
        details["outcome"] = data["outcome"]
    if data.get("received_at"):
        details["received_at"] = data["received_at"].isoformat()
    if data.get("hand_delivered"):
        details["delivery"] = "hand"
    for field in ("sender_organisation", "reference"):
        if data.get(field):
            details[field] = data[field]
    if data.get("reference_date"):
        details["reference_date"] = data["reference_date"].isoformat()
    return details


class LogContactForm(PaperFields, TicketActionForm):
    """A call, fax, letter or visit on this ticket, either way."""

    channel = forms.ChoiceField(label=_("Contact by"), choices=LOGGED_CHANNELS)
    direction = forms.ChoiceField(
        label=_("Direction"),
        choices=[
            ("inbound", _("From the customer")),
            ("outbound", _("To the customer")),
        ],
    )
    body_text = forms.CharField(
        label=_("What was said"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    duration = forms.IntegerField(
        label=_("Call minutes"), required=False, min_value=0, max_value=600
    )
    outcome = forms.ChoiceField(
        label=_("Call outcome"),
        choices=[("", "—"), *CallOutcome.choices],
        required=False,
    )

    field_order = [
        "seen",
        "channel",
        "direction",
        "body_text",
        "duration",
        "outcome",
        "received_at",
        "hand_delivered",
        "sender_organisation",
        "reference",
        "reference_date",
        "attachments",
    ]

    def clean(self):
        data = super().clean()
        if data.get("outcome") and data.get("channel") != Channel.PHONE:
            self.add_error(
                "outcome", _("Only a call has an outcome: choose “Phone call”.")
            )
        return data


class PropertiesForm(TicketActionForm):
    """Status, priority, queue, assignee, kind and category in one form."""

    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Ticket.Priority.choices, coerce=int
    )
    # An empty choice, though never chosen: without one, rendering the select
    # costs a query to see whether its first choice is empty.
    queue = LocalizedChoiceField(
        label=_("Queue"), queryset=Queue.objects.all(), empty_label=_("Choose…")
    )
    assignee = PersonChoiceField(
        label=_("Assignee"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Nobody"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Ticket.Kind.choices)
    category = LocalizedChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("No category"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone who works some queue; assign_ticket checks the ticket's own.
        self.fields["assignee"].queryset = Queue.objects.assignable_agents()
        # The choices shown come from the cached reference data; what is
        # posted is checked against the querysets above.
        reference.offer(self.fields["queue"], reference.queues())
        reference.offer(self.fields["assignee"], reference.assignable_agents())
        reference.offer(self.fields["category"], reference.categories())

    @staticmethod
    def initial_for(ticket: Ticket, seen: int) -> dict:
        return {
            "seen": seen,
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": ticket.queue_id,
            "assignee": ticket.assignee_id,
            "kind": ticket.kind,
            "category": ticket.category_id,
        }


class MergeForm(TicketActionForm):
    into = forms.CharField(
        label=_("Merge into ticket number"),
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "HD-2026-000123", "dir": "ltr"}),
    )

    def __init__(self, *args, tickets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tickets = tickets

    def clean_into(self):
        number = self.cleaned_data["into"].strip().upper()
        target = self.tickets.filter(number=number).first()
        if target is None:
            raise forms.ValidationError(_("No ticket with this number in your queues."))
        return target


class UploadForm(TicketActionForm):
    attachments = MultipleFileField(label=_("Files"), required=True)
    body_text = forms.CharField(label=_("Description"), required=False, max_length=500)


class BulkForm(forms.Form):
    """One change applied to the ticked tickets of a queue view."""

    tickets = forms.ModelMultipleChoiceField(
        queryset=Ticket.objects.none(),
        error_messages={"required": _("Tick at least one ticket.")},
    )
    assignee = PersonChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("No change"),
    )
    unassign = forms.BooleanField(label=_("Unassign"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", "—"), *Ticket.Status.choices],
        required=False,
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=[("", "—"), *Ticket.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, tickets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets
        # Anyone who works some queue; assign_ticket checks the ticket's own.
        self.fields["assignee"].queryset = Queue.objects.assignable_agents()

    def clean(self):
        data = super().clean()
        if not (
            data.get("assignee")
            or data.get("unassign")
            or data.get("status")
            or data.get("priority")
        ):
            raise forms.ValidationError(_("Choose a change to make."))
        return data

    def changes(self) -> dict:
        """Keyword arguments for services.bulk_change."""
        data = self.cleaned_data
        changes = {}
        if data.get("unassign"):
            changes["assignee"] = None
        elif data.get("assignee"):
            changes["assignee"] = data["assignee"]
        if data.get("status"):
            changes["status"] = data["status"]
        if data.get("priority"):
            changes["priority"] = data["priority"]
        return changes


class SavedViewForm(forms.ModelForm):
    class Meta:
        model = SavedView
        fields = ["name", "query"]
        widgets = {"query": forms.HiddenInput}


class CustomerForm(forms.ModelForm):
    """What an agent may correct about a customer, in place. The email
    address and tier are who the customer is: only a supervisor changes
    them (`may_change_identity`); an agent sees them locked."""

    IDENTITY = ("email", "tier")

    class Meta:
        model = Customer
        fields = [
            "name",
            "kind",
            "tier",
            "organisation",
            "department",
            "email",
            "phone",
            "fax",
            "postal_address",
            "preferred_language",
            "preferred_channel",
            "interests",
            "needs",
            "notes",
        ]
        # Tiers by their name in the page's language.
        field_classes = {"tier": LocalizedChoiceField}
        widgets = {
            "postal_address": forms.Textarea(attrs={"rows": 2}),
            "interests": forms.Textarea(attrs={"rows": 2}),
            "needs": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, may_change_identity: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tier"].empty_label = _("Choose…")
        if not may_change_identity:
            for name in self.IDENTITY:
                field = self.fields[name]
                # A disabled field keeps the stored value whatever is posted.
                field.disabled = True
                field.help_text = _(
                    "Only a supervisor can change the email address or tier."
                )


INTERACTION_CHANNELS = [
    (Channel.PHONE, _("Phone call")),
    (Channel.WALK_IN, _("Walk-in visit")),
    (Channel.CHAT, _("Chat")),
    (Channel.FAX, _("Fax")),
    (Channel.LETTER, _("Postal letter")),
    (Channel.EMAIL, _("Email")),
]


class InteractionForm(PaperFields):
    """A contact taken by an agent: who (found or new) and what about."""

    customer = forms.ModelChoiceField(
        queryset=Customer.objects.all(), required=False, widget=forms.HiddenInput
    )
    new_name = forms.CharField(label=_("Name"), required=False, max_length=200)
    new_email = forms.EmailField(label=_("Email"), required=False)
    new_phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    channel = forms.ChoiceField(label=_("Contact by"), choices=INTERACTION_CHANNELS)
    queue = LocalizedChoiceField(
        label=_("Queue"), queryset=Queue.objects.all(), empty_label=_("Choose…")
    )
    subject = forms.CharField(label=_("Subject"), max_length=250)
    body_text = forms.CharField(
        label=_("What the customer said"),
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Ticket.Kind.choices, initial=Ticket.Kind.INQUIRY
    )
    category = LocalizedChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("No category"),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Ticket.Priority.choices,
        coerce=int,
        initial=Ticket.Priority.NORMAL,
    )
    answered = forms.BooleanField(
        label=_("Answered during the contact"),
        required=False,
        initial=True,
        help_text=_("The customer got an answer then: counts as the first response."),
    )
    duration = forms.IntegerField(
        label=_("Call minutes"), required=False, min_value=0, max_value=600
    )

    def __init__(self, *args, queues=None, **kwargs):
        super().__init__(*args, **kwargs)
        if queues is not None:
            self.fields["queue"].queryset = queues

    def clean(self):
        data = super().clean()
        if data.get("customer") is None:
            if not data.get("new_name"):
                self.add_error(
                    "new_name", _("Choose a customer or give the new customer's name.")
                )
            email = data.get("new_email")
            if email and Customer.objects.with_email(email).exists():
                self.add_error(
                    "new_email",
                    _("A customer with this email already exists: find them above."),
                )
        return data

    def new_customer(self) -> dict | None:
        """Fields of the customer to create, or None when one was chosen."""
        data = self.cleaned_data
        if data.get("customer") is not None:
            return None
        return {
            "name": data["new_name"],
            "email": data.get("new_email") or "",
            "phone": data.get("new_phone") or "",
            "preferred_channel": data["channel"],
        }

    def ticket_fields(self) -> dict:
        """Keyword arguments for services.log_interaction."""
        data = self.cleaned_data
        return {
            **interaction_fields(data),
            "details": paper_details(data),
            "attachments": data["attachments"],
        }


# Findings are paragraphs, not essays: long enough for a case, short enough
# for the history and the report.
COMPLAINT_TEXT_MAX = 5000


class ComplaintForm(TicketActionForm):
    """A complaint's findings, and the stage the button pressed moves it to."""

    severity = forms.TypedChoiceField(
        label=_("Severity"),
        choices=[("", "—"), *Ticket.Severity.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    root_cause_category = LocalizedChoiceField(
        label=_("Root cause"),
        queryset=RootCause.objects.none(),
        required=False,
        empty_label=_("Not yet known"),
    )
    root_cause = forms.CharField(
        label=_("Root cause details"),
        max_length=COMPLAINT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    corrective_action = forms.CharField(
        label=_("Corrective action"),
        max_length=COMPLAINT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolution_summary = forms.CharField(
        label=_("Resolution summary"),
        max_length=COMPLAINT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The customer reads this on their tracking page."),
    )
    # Set by the button pressed: empty saves the findings only.
    stage = forms.ChoiceField(
        choices=[("", ""), *((s.value, s.label) for s in AGENT_STAGES)],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, ticket: Ticket, **kwargs):
        super().__init__(*args, **kwargs)
        # Active causes, and the one already chosen even if since retired.
        self.fields["root_cause_category"].queryset = RootCause.objects.filter(
            Q(is_active=True) | Q(pk=ticket.root_cause_category_id)
        )
        offered = [
            cause
            for cause in reference.root_causes()
            if cause.is_active or cause.pk == ticket.root_cause_category_id
        ]
        reference.offer(self.fields["root_cause_category"], offered)

    @staticmethod
    def initial_for(ticket: Ticket, seen: int) -> dict:
        return {
            "seen": seen,
            "severity": ticket.severity,
            "root_cause_category": ticket.root_cause_category_id,
            "root_cause": ticket.root_cause,
            "corrective_action": ticket.corrective_action,
            "resolution_summary": ticket.resolution_summary,
        }
