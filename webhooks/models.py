"""Webhook subscriptions, their deliveries, and the relay's place in the
ticket history."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.roles import works_every_queue
from tickets.models import TicketEvent

from .events import PING, EventType


def new_secret() -> str:
    """A fresh signing secret, recognisable in a leaked log by its prefix."""
    return "whsec_" + secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def manageable_by(self, user):
        """The subscriptions `user` may see and change: their own, or every
        one for an administrator."""
        return self if works_every_queue(user) else self.filter(owner=user)

    def active(self):
        return self.filter(is_active=True)


class Subscription(models.Model):
    """A URL told about chosen ticket events, signed with its own secret."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=80, default=new_secret)
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    # Paused by the relay after too many failures in a row, not by a person:
    # the page says why and the owner was emailed.
    paused_for_failures = models.BooleanField(default=False)
    failure_count = models.PositiveIntegerField(_("failures in a row"), default=0)
    # Only events written after the subscription was made reach it.
    after_event_id = models.BigIntegerField(default=0)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_active=True) | Q(paused_at__isnull=False),
                name="webhook_paused_has_time",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("webhooks:detail", args=[self.pk])

    def event_labels(self) -> list[str]:
        return [EventType(e).label for e in self.events if e in EventType.values]


class Delivery(models.Model):
    """One event sent (or to be sent) to one subscription, with its attempts."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("webhook delivery", "Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    ticket_event = models.ForeignKey(
        TicketEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Sent as X-Helpdesk-Event-Id and in the body: the same on every attempt,
    # so the receiver can drop a repeat.
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("event"), max_length=40)
    ticket_number = models.CharField(_("ticket"), max_length=32, blank=True)
    payload = models.JSONField(default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A sender holds the row until then; a crashed one's claim runs out.
    claimed_until = models.DateTimeField(null=True, blank=True)
    response_code = models.PositiveIntegerField(_("response"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("time (ms)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            # The relay may read an event twice; it is delivered once.
            models.UniqueConstraint(
                fields=["subscription", "ticket_event"],
                name="webhook_delivery_once_per_event",
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending"),
                name="webhook_delivery_due_idx",
            ),
            # The subscription's delivery log, newest first, page by page.
            models.Index(
                fields=["subscription", "-id"], name="webhook_delivery_log_idx"
            ),
        ]

    def __str__(self):
        return f"{self.event_type} → {self.subscription_id}"

    @property
    def is_ping(self) -> bool:
        return self.event_type == PING


class RelayCursor(models.Model):
    """How far the relay has read the ticket history: every event up to
    `position` has been turned into deliveries (one row)."""

    name = models.CharField(max_length=40, primary_key=True)
    position = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name}: {self.position}"
