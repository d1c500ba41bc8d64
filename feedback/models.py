"""What the department does with an unhappy customer's rating: a follow-up
for the queue's supervisor."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets import permissions
from tickets.models import Queue, Ticket


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        """Follow-ups not yet done."""
        return self.filter(status=FollowUp.Status.OPEN)

    def visible_to(self, user):
        """The follow-ups of the queues `user` supervises (all of them for
        administrators, none for anyone else)."""
        if permissions.works_every_queue(user):
            return self
        if not permissions.is_supervisor(user):
            return self.none()
        return self.filter(
            Q(ticket__queue__in=Queue.objects.supervised_by(user)) | Q(assignee=user)
        )


class FollowUp(models.Model):
    """A supervisor calls back a customer who rated the service 1 or 2."""

    class Status(models.TextChoices):
        OPEN = "open", _("To do")
        DONE = "done", _("Done")

    ticket = models.OneToOneField(
        Ticket,
        on_delete=models.CASCADE,
        related_name="follow_up",
        verbose_name=_("ticket"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("assignee"),
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    # The customer's own words, as they rated: the ticket keeps them too, but
    # the follow-up is read on its own.
    comment = models.TextField(_("customer's comment"), blank=True)
    status = models.CharField(
        _("status"), max_length=4, choices=Status.choices, default=Status.OPEN
    )
    due_at = models.DateTimeField(_("due"))
    created_at = models.DateTimeField(_("created"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    outcome = models.TextField(_("what was done"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", done_at__isnull=True)
                | Q(status="done", done_at__isnull=False),
                name="follow_up_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="follow_up_due_idx")]

    def __str__(self):
        return f"{self.ticket.number} ({self.rating}/5)"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
