"""The records office's registers: every letter, fax or document that came
in (وارد) or went out (صادر), numbered per year and direction without gaps."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from helpdesk.counters import bump_counter
from tickets.models import Message, Ticket


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class RegisterChannel(models.TextChoices):
    # Same codes as helpdesk.channels.Channel where one exists.
    LETTER = "letter", _("Postal letter")
    FAX = "fax", _("Fax")
    HAND = "hand", _("Hand delivery")
    EMAIL = "email", _("Email")


PREFIXES = {Direction.INCOMING: "IN", Direction.OUTGOING: "OUT"}


class RegisterCounter(models.Model):
    """The last register number handed out in a year, per direction."""

    direction = models.CharField(max_length=3, choices=Direction.choices)
    year = models.PositiveIntegerField()
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("register counter")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "year"], name="register_counter_unique"
            )
        ]

    def __str__(self):
        return f"{self.direction} {self.year}: {self.last_value}"


def reserve_register_number(direction: str, year: int) -> int:
    """The next number of `direction`'s register for `year`: gap-free, as a
    rolled-back caller rolls its bump back too (`helpdesk.counters`)."""
    return bump_counter(RegisterCounter, {"direction": direction, "year": year})


def format_register_number(direction: str, year: int, value: int) -> str:
    """E.g. IN-2026-000123 or OUT-2026-000045."""
    return f"{PREFIXES[direction]}-{year}-{value:06d}"


class RegisterEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Entries of the tickets `user` may see."""
        return self.filter(ticket__in=Ticket.objects.visible_to(user).values("pk"))


class RegisterEntry(models.Model):
    """One line of the incoming or outgoing register."""

    direction = models.CharField(_("register"), max_length=3, choices=Direction.choices)
    number = models.CharField(_("register number"), max_length=20, unique=True)
    year = models.PositiveIntegerField(_("year"))
    sequence = models.PositiveBigIntegerField(_("sequence"))
    dated = models.DateField(
        _("date"), help_text=_("Received-stamp date, or the day it was dispatched.")
    )
    channel = models.CharField(
        _("channel"), max_length=10, choices=RegisterChannel.choices
    )
    party_name = models.CharField(_("sender or addressee"), max_length=200)
    party_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    their_reference = models.CharField(_("their reference"), max_length=100, blank=True)
    their_date = models.DateField(_("their date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=250)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.PROTECT,
        related_name="register_entries",
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="register_entries",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    objects = RegisterEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-dated", "-sequence"]
        verbose_name = _("register entry")
        verbose_name_plural = _("register entries")
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "year", "sequence"],
                name="register_entry_sequence_unique",
            )
        ]
        indexes = [
            # The page's order within a register, and its date range filter.
            models.Index(
                fields=["direction", "-dated", "-sequence"], name="register_list_idx"
            ),
            models.Index(fields=["ticket"], name="register_ticket_idx"),
            models.Index(fields=["channel", "-dated"], name="register_channel_idx"),
        ]

    def __str__(self):
        return self.number
