"""A ticket's correspondence: one message per contact, with its attachments."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.channels import Channel
from tickets import permissions

from .tickets import Queue, Ticket

# A contact entered longer than this after it happened shows both times: a
# letter logged days after its received stamp, an email fetched late.
RECORDED_LATE = timedelta(minutes=5)


class CallOutcome(models.TextChoices):
    """How a logged call went, kept in the message's `details["outcome"]`."""

    ANSWERED = "answered", pgettext_lazy("call outcome", "Answered")
    LEFT_MESSAGE = "left_message", pgettext_lazy("call outcome", "Left a message")
    NO_ANSWER = "no_answer", pgettext_lazy("call outcome", "No answer")
    CALLBACK = "callback", pgettext_lazy("call outcome", "Callback promised")


class Message(models.Model):
    """One entry of a ticket's correspondence, on any channel."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("From the customer")
        OUTBOUND = "outbound", _("To the customer")
        INTERNAL = "internal", _("Internal")

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("ticket"),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("The staff member who wrote or logged it; empty for customers."),
    )
    to_queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memos",
        verbose_name=_("memo to"),
        help_text=_("For internal memos addressed to another department."),
    )
    body_text = models.TextField(_("text"))
    body_html = models.TextField(
        _("HTML"), blank=True, help_text=_("Sanitised before it is stored.")
    )
    # The channel's own details: email Message-ID/In-Reply-To/References, call
    # duration and outcome, letter reference and dates, fax number.
    details = models.JSONField(_("channel details"), default=dict, blank=True)
    email_message_id = models.CharField(
        _("email Message-ID"), max_length=255, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_ticket_idx"),
            # The tickets a queue was sent memos on (`Ticket.objects.visible_to`).
            models.Index(
                fields=["to_queue", "ticket"],
                condition=Q(to_queue__isnull=False),
                name="message_memo_idx",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.get_direction_display()}"

    @property
    def received_at(self) -> datetime:
        """When the contact happened: for an email, when its mail server
        received it (kept in `details`); otherwise when it was entered."""
        value = self.details.get("received_at") if self.details else None
        if value:
            try:
                return datetime.fromisoformat(value)
            except (TypeError, ValueError):
                pass
        return self.created_at

    @property
    def recorded_late(self) -> bool:
        """Whether the entry was made noticeably after the contact happened."""
        received = self.received_at
        if timezone.is_naive(received):
            received = timezone.make_aware(received)
        return abs(self.created_at - received) > RECORDED_LATE

    @property
    def call_outcome(self) -> str:
        """How a logged call went, in words ("" when not noted)."""
        value = self.details.get("outcome") if self.details else None
        if value in CallOutcome.values:
            return CallOutcome(value).label
        return ""

    @property
    def is_public(self) -> bool:
        """Whether the customer sees this entry."""
        return self.direction != self.Direction.INTERNAL


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the customer's file name never reaches the disk.
    return f"attachments/{instance.sha256[:2]}/{secrets.token_hex(16)}"


class AttachmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Attachments on tickets `user` may see; customers and customer-facing
        integrations never see internal ones."""
        queryset = self.filter(message__ticket__in=Ticket.objects.visible_to(user))
        if not permissions.sees_internal_notes(user):
            queryset = queryset.exclude(message__direction=Message.Direction.INTERNAL)
        return queryset


class Attachment(models.Model):
    """A file on a message: a scanned letter, a document, a photo."""

    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("message"),
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("attachment", args=[self.pk])
