"""A ticket's history: append-only events, the SLA ledger among them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets import permissions

from .messages import Message
from .tickets import Ticket


class TicketEventQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The events `user` may read of a ticket it sees: all for those who
        read internal notes; for anyone else none that tells of an internal
        note or of a memo between departments."""
        if permissions.sees_internal_notes(user):
            return self
        return self.exclude(message__direction=Message.Direction.INTERNAL).exclude(
            action=TicketEvent.Action.MEMO
        )


class TicketEvent(models.Model):
    """An append-only line of a ticket's history: who changed what, and when."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        STATUS = "status", _("Status changed")
        ASSIGNED = "assigned", _("Assigned")
        PRIORITY = "priority", _("Priority changed")
        QUEUE = "queue", _("Queue changed")
        KIND = "kind", _("Kind changed")
        CATEGORY = "category", _("Category changed")
        CHANNEL = "channel", _("Channel changed")
        MESSAGE = "message", _("Message added")
        SLA_POLICY = "sla_policy", _("SLA policy chosen")
        SLA_STARTED = "sla_started", _("SLA clock started")
        SLA_PAUSED = "sla_paused", _("SLA clock paused")
        SLA_RESUMED = "sla_resumed", _("SLA clock resumed")
        SLA_MET = "sla_met", _("SLA target met")
        SLA_MISSED = "sla_missed", _("SLA target missed")
        SLA_WARNING = "sla_warning", _("SLA warning")
        SLA_BREACH = "sla_breach", _("SLA breached")
        ESCALATED = "escalated", _("Escalated")
        RATED = "rated", _("Rated by the customer")
        TRACKING_RENEWED = "tracking_renewed", _("Tracking link renewed")
        MERGED = "merged", _("Merged")
        EMAIL_FAILED = "email_failed", _("Email not delivered")
        # new: the address allowed to write by email; old: the one removed.
        EMAIL_ADDRESS = "email_address", _("Email address allowed")
        # Correspondence: details["event"] says what happened to the letter
        # or memo (written, approved, dispatched, answered...).
        LETTER = "letter", _("Letter")
        MEMO = "memo", _("Memo")
        # A complaint's stage, root cause or corrective action changed.
        COMPLAINT = "complaint", _("Complaint updated")
        APPEALED = "appealed", _("Appealed by the customer")

        @classmethod
        def sla(cls) -> list[str]:
            """The actions that make up a ticket's SLA ledger."""
            return [a for a in cls.values if a.startswith("sla_")] + [cls.ESCALATED]

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("ticket"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    old_value = models.CharField(_("from"), max_length=250, blank=True)
    new_value = models.CharField(_("to"), max_length=250, blank=True)
    message = models.ForeignKey(
        Message,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    # SLA entries: which clock, and what explains it (policy conditions that
    # matched, calendar rules applied, due times).
    sla_target = models.CharField(_("SLA target"), max_length=16, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    # A sweep's warning or breach: at most one event per milestone, ever.
    milestone = models.OneToOneField(
        "sla.SLAMilestone",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_idx"),
            # Compliance reports count met and missed targets over a period.
            models.Index(
                fields=["created_at"],
                condition=Q(action__in=["sla_met", "sla_missed"]),
                name="event_sla_outcome_time_idx",
            ),
            # Breaches today and this week, on the supervisor dashboard.
            models.Index(
                fields=["created_at"],
                condition=Q(action="sla_breach"),
                name="event_sla_breach_idx",
            ),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.action}"
