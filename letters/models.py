"""The letter templates supervisors keep: one text per kind of letter and
language, with placeholders from `letters.placeholders`."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
