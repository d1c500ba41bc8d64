"""API tokens' names (the tokens are knox's, stored hashed) and the
idempotency keys of ticket creation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken


class TokenLabel(models.Model):
    """What knox does not keep of a token (knox.AuthToken: its digest, its
    first characters, its owner and expiry): the name its owner gave it and
    when it was last used. The key itself is shown once, when it is made
    (`api.tokens`)."""

    token = models.OneToOneField(
        AuthToken, on_delete=models.CASCADE, primary_key=True, related_name="label"
    )
    name = models.CharField(_("name"), max_length=100)
    # Written at most once a minute (api.tokens.record_use): an integration
    # calling many times a second does not write on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return self.name


class IdempotencyKey(models.Model):
    """A ticket created with an `Idempotency-Key` header: the same key from
    the same user returns this ticket instead of opening another."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    # What was asked, so the key reused for another request is refused.
    fingerprint = models.CharField(max_length=64)
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="idempotency_key_per_user"
            )
        ]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self):
        return self.key
