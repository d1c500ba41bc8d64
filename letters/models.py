"""The letter templates supervisors keep (one text per kind of letter and
language, with placeholders from `letters.placeholders`) and the letters
agents write from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registers.models import RegisterEntry
from tickets import permissions
from tickets.models import Attachment, Message, Queue, Ticket

from . import placeholders


class LetterTemplate(models.Model):
    """The text a letter of one kind starts from, in one language. One active
    template per kind and language, so writing a letter needs no choice
    between near-twins; an old wording is kept by deactivating it."""

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        MORE_INFORMATION = "more_information", _("Request for more information")
        REJECTION = "rejection", _("Rejection")
        FOLLOW_UP = "follow_up", _("Follow-up")
        RESOLUTION = "resolution", _("Resolution")
        APOLOGY = "apology", _("Apology")
        DECISION = "decision", _("Decision")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    # Letters that refuse or decide bind the department: a supervisor reads
    # them before they go.
    APPROVED_KINDS = frozenset({Kind.REJECTION, Kind.DECISION})

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("text"),
        validators=[placeholders.validate],
        help_text=_(
            "Placeholders are written {{ name }} and filled when the letter is "
            "written; the list of names is below."
        ),
    )
    needs_approval = models.BooleanField(
        _("needs a supervisor's approval"),
        default=False,
        help_text=_("Rejections and decisions need it unless you decide otherwise."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The service policy this wording follows; a new version of it flags the
    # template until a supervisor has read it again (policies.services).
    policy = models.ForeignKey(
        "policies.Policy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letter_templates",
        verbose_name=_("service policy"),
    )
    policy_review_needed = models.BooleanField(_("needs review"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language"],
                condition=Q(is_active=True),
                name="one_active_letter_template_per_kind_and_language",
                violation_error_message=_(
                    "There is already an active template of this kind in this "
                    "language: deactivate it first."
                ),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_language_display()})"

    @classmethod
    def approval_by_default(cls, kind: str) -> bool:
        return kind in cls.APPROVED_KINDS

    def render(self, context: dict) -> str:
        return placeholders.render(self.body, context, self.language)


class Method(models.TextChoices):
    """How a letter leaves the department."""

    POST = "post", _("Post")
    FAX = "fax", _("Fax")
    EMAIL = "email", _("Email")
    HAND = "hand", _("By hand")


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Letters on the tickets `user` may see (staff only: customers see a
        dispatched letter as a message on their ticket, never this row)."""
        if not permissions.is_agent(user):
            return self.none()
        return self.filter(ticket__in=Ticket.objects.visible_to(user).values("pk"))

    def awaiting_approval_by(self, user):
        """Letters waiting for a decision from `user`: those on the tickets of
        the queues `user` supervises (every queue for an administrator)."""
        queues = Queue.objects.supervised_by(user).values("pk")
        return self.filter(
            status=Letter.Status.AWAITING_APPROVAL, ticket__queue__in=queues
        )


class Letter(models.Model):
    """An official letter written on a ticket from a template: edited, maybe
    approved by a supervisor, then dispatched with an outgoing register
    number and archived on the ticket as an outbound message with its PDF."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        RETURNED = "returned", _("Returned for changes")
        APPROVED = "approved", _("Approved")
        DISPATCHED = "dispatched", _("Dispatched")

        @classmethod
        def editable(cls) -> list[str]:
            """The states in which the writer may still change the text."""
            return [cls.DRAFT, cls.RETURNED]

    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        on_delete=models.CASCADE,
        related_name="letters",
    )
    template = models.ForeignKey(
        LetterTemplate,
        verbose_name=_("template"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="letters",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=LetterTemplate.Kind.choices
    )
    language = models.CharField(
        _("language"), max_length=2, choices=LetterTemplate.Language.choices
    )
    subject = models.CharField(_("subject"), max_length=250)
    body = models.TextField(
        _("text"),
        validators=[placeholders.validate],
        help_text=_(
            "{{ outgoing_number }} and {{ today }} are filled in when the letter "
            "is dispatched."
        ),
    )
    addressee_name = models.CharField(_("addressee"), max_length=200)
    addressee_organisation = models.CharField(
        _("organisation"), max_length=200, blank=True
    )
    addressee_address = models.TextField(_("address"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Copied from the template when the letter is started: changing the
    # template later does not let a letter already written skip its approval.
    needs_approval = models.BooleanField(_("needs a supervisor's approval"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_comment = models.TextField(_("supervisor's comment"), blank=True)
    method = models.CharField(
        _("dispatched by"), max_length=5, choices=Method.choices, blank=True
    )
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dispatched by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    register_entry = models.OneToOneField(
        RegisterEntry,
        verbose_name=_("outgoing register entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
    )
    message = models.OneToOneField(
        Message,
        verbose_name=_("message"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letter",
    )
    pdf = models.ForeignKey(
        Attachment,
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivery_proof = models.CharField(
        _("proof of delivery"),
        max_length=250,
        blank=True,
        help_text=_("A tracking number, a fax report, or who signed for it."),
    )
    delivery_scan = models.ForeignKey(
        Attachment,
        verbose_name=_("scanned receipt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="dispatched")
                | Q(dispatched_at__isnull=False, register_entry__isnull=False),
                name="dispatched_letter_has_number",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False),
                name="approved_letter_has_approver",
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="letter_status_idx"),
        ]

    def __str__(self):
        return self.number or f"{self.get_kind_display()} ({self.ticket_id})"

    def get_absolute_url(self):
        return reverse("letters:edit", args=[self.ticket.number, self.pk])

    @property
    def number(self) -> str:
        """The outgoing register number, once dispatched."""
        return self.register_entry.number if self.register_entry_id else ""

    @property
    def is_editable(self) -> bool:
        return self.status in self.Status.editable()

    @property
    def may_be_dispatched(self) -> bool:
        """Approved, or never needing approval and not waiting for one."""
        if self.status == self.Status.APPROVED:
            return True
        return not self.needs_approval and self.is_editable
