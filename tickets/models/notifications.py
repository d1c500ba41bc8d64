"""In-app notifications for staff, each also sent by email (at least once)."""

from django.conf import settings
from django.db import models
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _


class RandomUUID(Func):
    """A random UUID made by the database, for rows inserted by raw SQL too."""

    template = "gen_random_uuid()"
    output_field = models.UUIDField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps a UUID on SQLite as 32 hex digits.
        return "lower(hex(randomblob(16)))", []


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        """Notifications their recipient has not opened yet."""
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """Something a staff member should know about a ticket (an SLA warning,
    a breach, an escalation, an email that did not reach the customer)."""

    class Kind(models.TextChoices):
        WARNING = "warning", _("SLA warning")
        BREACH = "breach", _("SLA breached")
        ESCALATION = "escalation", _("Escalated to you")
        COMPLAINT = "complaint", _("New complaint")
        DELIVERY_FAILED = "delivery", _("Email not delivered")
        APPROVAL = "approval", _("Letter awaiting your approval")
        MEMO = "memo", _("Memo to your queue")
        APPEAL = "appeal", _("Complaint appealed")
        ASSIGNED = "assigned", _("Assigned to you")
        REPLY = "reply", _("Customer replied")
        MENTION = "mention", _("Mentioned in a note")
        LOW_RATING = "low_rating", _("Low rating to follow up")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("ticket"),
    )
    event = models.ForeignKey(
        "tickets.TicketEvent",
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("event"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # Notifications about one running thing that keeps changing share a
    # thread, kept as one row updated to its latest state: the SLA sweep
    # writes "sla:<clock>:<cycle>", so a clock's 50/75/90 % warnings and its
    # breach are one line in the list, not four. NULL (never equal to
    # another NULL) for the rest, which are one row per event.
    thread = models.CharField(  # noqa: DJ001 - NULL: unique never matches it
        max_length=40, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Emails go out from an outbox: a sender claims a row, sends, then marks
    # it sent; a claim older than the lease is taken over after a crash.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    # The unique part of the email's Message-ID, fixed when the row is written
    # (by the ORM or the sweep's SQL alike), so a resent email keeps its
    # identity and the recipient's mail program can drop the copy.
    email_uuid = models.UUIDField(
        _("email identity"), db_default=RandomUUID(), editable=False
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event"], name="notification_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["recipient", "thread"], name="notification_once_per_thread"
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient", "-created_at"],
                name="notification_recipient_idx",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            models.Index(
                fields=["id"],
                condition=Q(emailed_at__isnull=True),
                name="notification_outbox_idx",
            ),
        ]

    def __str__(self):
        return f"{self.recipient_id} {self.kind} {self.ticket_id}"
