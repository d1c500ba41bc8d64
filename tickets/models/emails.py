"""The outbox of emails to customers: written with the change that causes
them, sent afterwards by a Celery task (tickets/emails.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CustomerEmail(models.Model):
    """One email to a customer, waiting in the outbox or sent.

    The row is written in the same transaction as the ticket change, so an
    absent broker delays the email but never loses it.
    """

    class Delivery(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Not sent")
        BOUNCED = "bounced", _("Returned undelivered")

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        REPLY = "reply", _("Reply")
        RESOLVED = "resolved", _("Resolution")
        TRACKING_LINK = "tracking_link", _("New tracking link")
        SIGN_IN = "sign_in", _("Sign-in link")
        EMAIL_CHANGED = "email_changed", _("Email address changed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    to_email = models.EmailField(_("to"))
    language = models.CharField(_("language"), max_length=8)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="customer_emails",
        verbose_name=_("ticket"),
    )
    # Whom an email about the customer rather than a ticket concerns.
    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("customer"),
    )
    message = models.ForeignKey(
        "tickets.Message",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="customer_emails",
        verbose_name=_("message"),
    )
    # Fixed when the row is written, so a resent email keeps its identity; a
    # bounce names the email it returns by it.
    email_message_id = models.CharField(
        _("email Message-ID"), max_length=255, db_index=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # A sender claims a row, sends, then marks it sent; a claim older than the
    # lease is taken over after a crash.
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    # The receiving side accepted the email, then sent it back (a bounce).
    bounced_at = models.DateTimeField(_("returned"), null=True, blank=True)
    bounce_reason = models.TextField(_("why it was returned"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("email to a customer")
        verbose_name_plural = _("emails to customers")
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(sent_at__isnull=True, failed_at__isnull=True),
                name="customer_email_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.to_email}"

    @property
    def delivery_state(self) -> "CustomerEmail.Delivery":
        """Where the email stands (`.label` names it for people)."""
        if self.bounced_at is not None:
            return self.Delivery.BOUNCED
        if self.failed_at is not None:
            return self.Delivery.FAILED
        if self.sent_at is not None:
            return self.Delivery.SENT
        return self.Delivery.QUEUED
