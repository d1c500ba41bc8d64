from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import kinds


class Phrase(models.Model):
    """A better way to say something, offered beside a finding of `kind`.

    With a trigger, the phrase is offered first for findings whose words
    contain it ("not our problem"); without one, for every finding of the
    kind. Supervisors keep the bank at /supervisor/phrases/.
    """

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    language = models.CharField(_("language"), max_length=2, choices=Language)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[(kind, kinds.LABELS[kind]) for kind in kinds.KINDS],
    )
    trigger = models.CharField(
        _("when the flagged words contain"),
        max_length=100,
        blank=True,
        help_text=_("Leave empty to offer it for every finding of this kind."),
    )
    text = models.CharField(_("suggested wording"), max_length=400)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "kind", "-trigger", "text"]
        verbose_name = _("phrase")
        verbose_name_plural = _("phrase bank")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "kind", "trigger", "text"],
                name="tone_phrase_unique",
            )
        ]

    def __str__(self):
        return self.text
