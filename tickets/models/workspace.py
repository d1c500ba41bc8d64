"""The agent's tools: saved queue views and canned responses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tickets import Queue


class SavedView(models.Model):
    """A queue view with filters that an agent saved under a name."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=80)
    # The list page's query string (view and filters), without the cursor.
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                name="saved_view_unique_name",
                violation_error_message=_("You already have a view with this name."),
            )
        ]

    def __str__(self):
        return self.name


class CannedResponseQuerySet(models.QuerySet):
    def for_queue(self, queue: Queue):
        """Responses for `queue` and those shared by every queue."""
        return self.filter(models.Q(queue=queue) | models.Q(queue__isnull=True))


class CannedResponse(models.Model):
    """A reusable reply with placeholders, in Arabic or English."""

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    # The placeholders an agent may write in a body, and what fills each.
    PLACEHOLDERS = {
        "customer_name": _("the customer's name"),
        "ticket_number": _("the ticket number"),
        "due_date": _("when the ticket is due"),
        "agent": _("your name"),
    }

    queue = models.ForeignKey(
        Queue,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="canned_responses",
        verbose_name=_("queue"),
        help_text=_("Empty: offered in every queue."),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ARABIC
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        help_text=_(
            "Placeholders: {customer_name}, {ticket_number}, {due_date}, {agent}."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The service policy this wording follows; a new version of it flags the
    # response until a supervisor has read it again (policies.services).
    policy = models.ForeignKey(
        "policies.Policy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="canned_responses",
        verbose_name=_("service policy"),
    )
    policy_review_needed = models.BooleanField(_("needs review"), default=False)

    objects = CannedResponseQuerySet.as_manager()

    class Meta:
        ordering = ["language", "title", "id"]
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")

    def __str__(self):
        return self.title
