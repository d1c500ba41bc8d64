"""What the portal keeps of its own: the web form's one-time tokens."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket


class WebSubmission(models.Model):
    """One web form, sent once.

    The form carries a random token; the first request to arrive with it
    claims it (the unique index settles a race between two requests of a
    double click), and any later request with the same token is answered
    with the ticket the first one opened, instead of a second ticket."""

    token = models.CharField(_("form token"), max_length=64, unique=True)
    # What was sent, so a token reused for a different request (a form
    # brought back by the browser's Back button) opens a ticket of its own.
    digest = models.CharField(max_length=64)
    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, null=True, related_name="web_submission"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("web form submission")
        verbose_name_plural = _("web form submissions")

    def __str__(self):
        return self.token
