"""What the portal keeps of its own: the web form's requests as sent."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from customers.models import Customer
from tickets.models import Category, Ticket, new_tracking_token


class WebSubmissionQuerySet(models.QuerySet):
    def waiting(self):
        """Requests accepted but not yet opened as tickets, oldest first."""
        return self.filter(ticket__isnull=True).order_by("id")


class WebSubmission(models.Model):
    """One web form as the customer sent it, kept before its ticket exists.

    The form is accepted into this row in one statement and answered at
    once; a worker opens the ticket from it (portal/intake.py), with the
    tracking token the customer was already given and the time the form
    arrived as its received time. Nothing typed is lost if the opening has
    to wait for a worker, or fails and is tried again.

    The form also carries a random one-time token: the first request to
    arrive with it claims it (the unique index settles a race between two
    requests of a double click), and any later request with the same token
    and content is answered with the first one's tracking link."""

    token = models.CharField(_("form token"), max_length=64, blank=True)
    # What was sent, so a token reused for a different request (a form
    # brought back by the browser's Back button) opens a ticket of its own.
    digest = models.CharField(max_length=64)
    tracking_token = models.CharField(
        max_length=64, unique=True, default=new_tracking_token, editable=False
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Customer.Language.choices,
        default=Customer.Language.ARABIC,
    )
    kind = models.CharField(
        _("kind"),
        max_length=12,
        choices=Ticket.Kind.choices,
        default=Ticket.Kind.INQUIRY,
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body_text = models.TextField(_("message"), blank=True)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, null=True, related_name="web_submission"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Why the last try to open the ticket failed; it is tried again.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    objects = WebSubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("web form submission")
        verbose_name_plural = _("web form submissions")
        constraints = [
            models.UniqueConstraint(
                fields=["token"],
                condition=~models.Q(token=""),
                name="websubmission_token_once",
            ),
        ]
        indexes = [
            # The worker's queue: the few rows without a ticket.
            models.Index(
                fields=["id"],
                condition=models.Q(ticket__isnull=True),
                name="websubmission_waiting",
            ),
        ]

    def __str__(self):
        return self.subject or self.tracking_token
