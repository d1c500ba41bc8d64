"""The email channel's records: the mailboxes read, every message taken in
(for duplicates and loops), the quarantine that keeps what could not be taken,
and the extra addresses an agent allowed onto a ticket."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tickets.models import Message, Queue, Ticket


class MailboxQuerySet(models.QuerySet):
    def for_ticket(self, ticket: Ticket) -> "Mailbox | None":
        """The mailbox mail about `ticket` goes out from: the one its customer
        last wrote to, else its queue's first active mailbox, else None (the
        site's DEFAULT_FROM_EMAIL)."""
        active = self.filter(is_active=True)
        written_to = (
            InboundEmail.objects.filter(ticket=ticket, mailbox__in=active)
            .order_by("-id")
            .values("mailbox_id")[:1]
        )
        return active.filter(id__in=written_to).first() or (
            active.filter(queue=ticket.queue_id).order_by("id").first()
        )


class Mailbox(models.Model):
    """An address customers write to, read over IMAP (or fed by the mail server
    through the inbound endpoint), whose new mail opens tickets in `queue`."""

    class Security(models.TextChoices):
        SSL = "ssl", _("TLS (IMAPS, usually port 993)")
        STARTTLS = "starttls", _("STARTTLS (usually port 143)")
        NONE = "none", _("None (only on a trusted network)")

    name = models.CharField(_("name"), max_length=100)
    email_address = models.EmailField(
        _("address"),
        unique=True,
        help_text=_("The address customers write to; replies are sent from it."),
    )
    queue = models.ForeignKey(
        Queue,
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("queue"),
        help_text=_("Where new tickets from this mailbox go."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    imap_host = models.CharField(_("IMAP host"), max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(_("IMAP port"), default=993)
    imap_security = models.CharField(
        _("connection security"),
        max_length=10,
        choices=Security.choices,
        default=Security.SSL,
    )
    imap_user = models.CharField(_("IMAP user"), max_length=255, blank=True)
    # The password either lives in the environment (the name of the variable
    # is stored) or here, encrypted with MAIL_SECRET_KEY (mail/secrets.py).
    imap_secret_env = models.CharField(
        _("password from environment variable"),
        max_length=100,
        blank=True,
        help_text=_("The name of an environment variable that holds the password."),
    )
    imap_secret_encrypted = models.TextField(blank=True, editable=False)
    imap_folder = models.CharField(_("folder"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("move taken mail to"),
        max_length=255,
        blank=True,
        help_text=_(
            "A folder to move each message to once stored; empty marks it read."
        ),
    )
    # Where reading stopped: a new UIDVALIDITY means the server renumbered the
    # folder, so reading starts again from its first unseen message.
    uidvalidity = models.BigIntegerField(null=True, blank=True, editable=False)
    last_uid = models.BigIntegerField(default=0, editable=False)
    last_polled_at = models.DateTimeField(
        _("last read"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(
        _("last error at"), null=True, blank=True, editable=False
    )
    failures = models.PositiveIntegerField(
        _("failures in a row"), default=0, editable=False
    )

    objects = MailboxQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self):
        return f"{self.name} <{self.email_address}>"

    @property
    def reads_imap(self) -> bool:
        return bool(self.is_active and self.imap_host)


class InboundEmail(models.Model):
    """One message received, whatever became of it: the record that finds
    duplicates, counts a sender's mail for the loop cap, and shows an
    administrator what happened to a message."""

    class Outcome(models.TextChoices):
        CREATED = "created", _("New ticket")
        THREADED = "threaded", _("Added to a ticket")
        AUTOMATIC = "automatic", _("Ignored as automatic")
        BOUNCE = "bounce", _("Bounce of our mail")
        DUPLICATE = "duplicate", _("Duplicate")
        QUARANTINED = "quarantined", _("Quarantined")

    class Source(models.TextChoices):
        IMAP = "imap", _("IMAP")
        HTTP = "http", _("Mail server")
        COMMAND = "command", _("Command")
        QUARANTINE = "quarantine", _("Re-processed from quarantine")

    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbound",
        verbose_name=_("mailbox"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    email_message_id = models.CharField(_("Message-ID"), max_length=255, blank=True)
    sender = models.CharField(_("from"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # Set only on the copy that was taken in, so a second delivery of the same
    # message (by Message-ID, or by content when it has none) cannot be stored
    # twice, even when both arrive at once.
    dedupe_key = models.CharField(max_length=300, null=True, blank=True, unique=True)
    content_hash = models.CharField(max_length=64, blank=True)
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    message = models.ForeignKey(
        Message,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )
    created_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("received email")
        verbose_name_plural = _("received emails")
        indexes = [
            # The loop cap and the content duplicate check: one sender's
            # recent mail.
            models.Index(fields=["sender", "created_at"], name="inbound_sender_idx"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()}: {self.sender} {self.subject}"


def quarantine_path(instance: "QuarantinedEmail", filename: str) -> str:
    return f"quarantine/{filename}"


class QuarantinedEmailQuerySet(models.QuerySet):
    def waiting(self):
        """Messages nobody has re-processed or discarded yet."""
        return self.filter(resolved_at__isnull=True)


class QuarantinedEmail(models.Model):
    """A message kept whole (its raw bytes) because it could not be taken in
    as it was: unreadable, too large, over a limit. An administrator reads the
    reason and re-processes it after a fix, or discards it."""

    class Resolution(models.TextChoices):
        REPROCESSED = "reprocessed", _("Re-processed")
        DISCARDED = "discarded", _("Discarded")

    mailbox = models.ForeignKey(
        Mailbox,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quarantine",
        verbose_name=_("mailbox"),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=InboundEmail.Source.choices
    )
    reason = models.TextField(_("reason"))
    raw = models.FileField(_("raw message"), upload_to=quarantine_path, max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sender = models.CharField(_("from"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    # When part of the message could be taken in (the text, but not a refused
    # attachment), the ticket it reached.
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    created_at = models.DateTimeField(_("quarantined"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    resolution = models.CharField(
        _("resolution"), max_length=12, choices=Resolution.choices, blank=True
    )

    objects = QuarantinedEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("quarantined email")
        verbose_name_plural = _("quarantined emails")
        indexes = [
            models.Index(
                fields=["-id"],
                condition=Q(resolved_at__isnull=True),
                name="quarantine_waiting_idx",
            ),
        ]

    def __str__(self):
        return f"{self.sender}: {self.reason[:60]}"


class TicketAddress(models.Model):
    """An address besides the customer's that an agent allowed to write to a
    ticket by email (a colleague of the customer, a lawyer). Cc addresses are
    never added on their own."""

    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.CASCADE,
        related_name="email_addresses",
        verbose_name=_("ticket"),
    )
    email = models.EmailField(_("email"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("address allowed on a ticket")
        verbose_name_plural = _("addresses allowed on tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "email"], name="ticket_address_unique"
            ),
        ]

    def __str__(self):
        return self.email
