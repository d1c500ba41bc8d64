"""Memos to another department: numbered per year, with the addressed queue's
own deadline (a memo clock on that queue's business calendar)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helpdesk.counters import bump_counter
from sla.models import SLAClock
from tickets.models import Message, Queue, Ticket


class MemoCounter(models.Model):
    """The last memo number handed out in a year."""

    year = models.PositiveIntegerField(primary_key=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("memo counter")

    def __str__(self):
        return f"{self.year}: {self.last_value}"


def reserve_memo_number(year: int) -> int:
    """The next memo number of `year`: gap-free, as a rolled-back caller rolls
    its bump back too (`helpdesk.counters`)."""
    return bump_counter(MemoCounter, {"year": year})


def format_memo_number(year: int, value: int) -> str:
    """E.g. MEMO-2026-000123."""
    return f"MEMO-{year}-{value:06d}"


class MemoQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Memo.Status.OPEN)

    def to_queues(self, queues):
        """Memos addressed to `queues` (a queryset of queues or of their pks)."""
        return self.filter(to_queue__in=queues)

    def visible_to(self, user):
        """Memos on the tickets `user` may see (the one access path)."""
        return self.filter(ticket__in=Ticket.objects.visible_to(user).values("pk"))


class Memo(models.Model):
    """A memo a queue sent another queue about a ticket, and its answer."""

    class Status(models.TextChoices):
        OPEN = "open", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveBigIntegerField(_("sequence"))
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="memos", verbose_name=_("ticket")
    )
    # The memo's text is an internal message of the ticket, addressed to the queue.
    message = models.OneToOneField(
        Message,
        on_delete=models.CASCADE,
        related_name="memo",
        verbose_name=_("memo"),
    )
    from_queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sent from"),
    )
    to_queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("addressed to"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent by"),
    )
    sent_at = models.DateTimeField(_("sent"))
    due_at = models.DateTimeField(_("answer due"))
    clock = models.OneToOneField(
        SLAClock,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memo",
        verbose_name=_("clock"),
    )
    answer = models.OneToOneField(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memo_answered",
        verbose_name=_("answer"),
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    objects = MemoQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("memo")
        verbose_name_plural = _("memos")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "sequence"], name="memo_sequence_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(answered_at__isnull=False),
                name="memo_answered_has_answered_at",
            ),
        ]
        indexes = [
            # Open memos of these queues by due time: the memo list and the
            # navbar count.
            models.Index(
                fields=["to_queue", "due_at"],
                condition=Q(status="open"),
                name="memo_open_due_idx",
            ),
            # The memos a queue sent, newest first.
            models.Index(fields=["from_queue", "-sent_at"], name="memo_sent_idx"),
            models.Index(fields=["ticket", "sent_at"], name="memo_ticket_idx"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return self.ticket.get_absolute_url() + f"#memo-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
