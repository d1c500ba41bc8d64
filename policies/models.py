"""The department's written service policies: each a series of versions, the
latest published one in force, and who has acknowledged which version.

The models sit below the customers app: signing a person in (customers.auth)
asks, in the same query, whether a policy waits for their acknowledgement.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class PolicyQuerySet(models.QuerySet):
    def in_force(self):
        """Policies with a published version."""
        return self.filter(current_version__isnull=False)

    def awaiting_acknowledgement(self, user):
        """Policies in force whose current version `user` (a user or an
        `OuterRef` to one in the query around this one) has not
        acknowledged."""
        # The acknowledgements are a level deeper than this query: an outer
        # reference reaches through it.
        if isinstance(user, OuterRef):
            user = OuterRef(user)
        acknowledged = PolicyAcknowledgement.objects.filter(
            version=OuterRef("current_version"), user=user
        )
        return self.in_force().filter(~Exists(acknowledged))


class Policy(models.Model):
    """One written policy (response times, complaints, VIP service, tone of
    letters), whatever its version."""

    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    # The published version in force, kept by policies.services.publish_version
    # so that "what must be acknowledged" is one join, not a max per policy.
    current_version = models.OneToOneField(
        "PolicyVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version in force"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("service policy")
        verbose_name_plural = _("service policies")

    def __str__(self):
        version = self.current_version
        return version.title_in_language() if version else self.slug

    def get_absolute_url(self):
        return reverse("policies:detail", args=[self.slug])


class PolicyVersion(models.Model):
    """One wording of a policy: a draft until it is published, then fixed."""

    policy = models.ForeignKey(
        Policy,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("policy"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title (English)"), max_length=200)
    title_ar = models.CharField(_("title (Arabic)"), max_length=200)
    # Plain text, paragraphs separated by blank lines: shown escaped, so no
    # markup from anyone reaches a page.
    body = models.TextField(_("text (English)"))
    body_ar = models.TextField(_("text (Arabic)"))
    change_summary = models.TextField(_("what changed (English)"), blank=True)
    change_summary_ar = models.TextField(_("what changed (Arabic)"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["policy", "-number"]
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "number"], name="policy_version_unique_number"
            ),
        ]

    def __str__(self):
        return f"{self.title_in_language()} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def title_in_language(self) -> str:
        return self.title_ar if get_language() == "ar" and self.title_ar else self.title

    def body_in_language(self) -> str:
        return self.body_ar if get_language() == "ar" and self.body_ar else self.body

    def change_summary_in_language(self) -> str:
        arabic = get_language() == "ar" and self.change_summary_ar
        return self.change_summary_ar if arabic else self.change_summary


class PolicyAcknowledgement(models.Model):
    """A staff member read and understood one published version."""

    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        verbose_name=_("policy version"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="policy_acknowledgements",
        verbose_name=_("staff member"),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"))

    class Meta:
        verbose_name = _("policy acknowledgement")
        verbose_name_plural = _("policy acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "user"], name="policy_acknowledged_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.version}"


def awaiting_acknowledgement_sql(user_id_column: str) -> str:
    """SQL true when a policy in force waits for the user whose id is in
    `user_id_column` (a quoted column of the query around it): the rule of
    `Policy.objects.awaiting_acknowledgement`, written out for the query that
    reads the signed-in user on every page. Compiling the ORM's nested
    subqueries there doubled that query's Python cost; this text costs
    nothing to compile. tests/policies keeps the two in step."""
    policy = Policy._meta.db_table
    acknowledgement = PolicyAcknowledgement._meta.db_table
    return (
        f'EXISTS (SELECT 1 FROM "{policy}" p'
        " WHERE p.current_version_id IS NOT NULL AND NOT EXISTS ("
        f'SELECT 1 FROM "{acknowledgement}" a'
        " WHERE a.version_id = p.current_version_id"
        f" AND a.user_id = {user_id_column}))"
    )
