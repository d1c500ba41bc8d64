"""The knowledge base: articles in Arabic or English, public or internal, each
edit kept as a numbered version; files, readers' feedback, and the questions
answered on the web form without a ticket (deflections).

An article's own title, summary, body and search terms are those of the
version readers see: the published one, or the latest draft before the first
publication. Staff edits add versions; a supervisor publishes one.
"""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from helpdesk import search
from helpdesk.roles import is_agent

# How long a published article is trusted before someone checks it again.
REVIEW_MONTHS = 12


class ArticleCategory(models.Model):
    """A shelf of the knowledge base (orders, billing, accounts, ...)."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    name_ar = models.CharField(_("Arabic name"), max_length=120, blank=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("article category")
        verbose_name_plural = _("article categories")

    def __str__(self):
        return self.name


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Articles with a published version that are not archived."""
        return self.filter(published_version__isnull=False, archived_at=None)

    def public(self):
        """What anyone may read: published and meant for customers."""
        return self.published().filter(visibility=Article.Visibility.PUBLIC)

    def visible_to(self, user):
        """Staff read every article; everyone else only the public ones."""
        return self if is_agent(user) else self.public()

    def stale(self, today: date):
        """Published articles whose review date has passed by `today`."""
        return self.published().filter(review_by__lt=today)

    def awaiting_review(self):
        """Articles with a version a writer asked a supervisor to publish."""
        return self.filter(review_requested_at__isnull=False, archived_at=None)

    def most_viewed(self):
        """Most read first (for the voice of the customer page)."""
        return self.published().order_by("-view_count", "pk")

    def with_feedback(self):
        """Annotated with `helpful` and `not_helpful` counts of feedback."""
        return self.annotate(
            helpful=Count("feedback", filter=Q(feedback__helpful=True), distinct=True),
            not_helpful=Count(
                "feedback", filter=Q(feedback__helpful=False), distinct=True
            ),
        )

    def least_helpful(self, minimum: int = 1):
        """Published articles with at least `minimum` not-helpful votes, the
        largest share of not-helpful votes first."""
        return (
            self.published()
            .with_feedback()
            .filter(not_helpful__gte=minimum)
            .annotate(votes=models.F("helpful") + models.F("not_helpful"))
            .order_by(
                models.ExpressionWrapper(
                    models.F("not_helpful") * 1.0 / models.F("votes"),
                    output_field=models.FloatField(),
                ).desc(),
                "-not_helpful",
                "pk",
            )
        )


class Article(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public: customers can read it")
        INTERNAL = "internal", _("Internal: staff only")

    class Language(models.TextChoices):
        ARABIC = "ar", _("Arabic")
        ENGLISH = "en", _("English")

    slug = models.SlugField(
        _("address"), max_length=80, unique=True, allow_unicode=True
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    visibility = models.CharField(
        _("who can read it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    category = models.ForeignKey(
        ArticleCategory,
        on_delete=models.PROTECT,
        related_name="articles",
        verbose_name=_("category"),
    )
    translation_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    # The copy readers see (see the module's docstring).
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    search_text = models.TextField(_("search terms"), blank=True, editable=False)
    title_terms = models.TextField(_("title search terms"), blank=True, editable=False)
    published_version = models.ForeignKey(
        "ArticleVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published version"),
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    review_requested_at = models.DateTimeField(
        _("review asked for"), null=True, blank=True
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    review_by = models.DateField(_("review by"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(
                fields=["review_by"],
                name="article_review_idx",
                condition=Q(published_version__isnull=False, archived_at=None),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("articles:detail", args=[self.slug])

    def get_staff_url(self):
        return reverse("knowledge:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_version_id is not None and self.archived_at is None

    @property
    def is_public(self) -> bool:
        return self.is_published and self.visibility == self.Visibility.PUBLIC

    @property
    def is_internal(self) -> bool:
        return self.visibility == self.Visibility.INTERNAL

    def is_stale(self, today: date) -> bool:
        return (
            self.is_published and self.review_by is not None and self.review_by < today
        )

    def copy_from(self, version: "ArticleVersion") -> None:
        """Take `version`'s text as the copy readers see, with its search terms."""
        self.title = version.title
        self.summary = version.summary
        self.body = version.body
        self.title_terms = search.search_text(version.title)
        self.search_text = search.search_text(
            version.title, version.summary, version.body
        )


class ArticleVersion(models.Model):
    """One edit of an article: its whole text, who wrote it, when and why,
    and when it is due for review."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("article"),
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    # When this text is due to be checked again: the article's review date
    # as it was written, and as it was set when this version was published.
    review_by = models.DateField(_("review by"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["article", "-number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="article_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.article_id} v{self.number}"

    def get_absolute_url(self):
        return reverse("knowledge:version", args=[self.article_id, self.number])


def article_file_path(instance: "ArticleFile", filename: str) -> str:
    # Random names: the original name is kept in the row, never on disk.
    return f"knowledge/{instance.sha256[:2]}/{secrets.token_hex(16)}"


class ArticleFile(models.Model):
    """A file on an article (a form to fill in, a guide as PDF)."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="files",
        verbose_name=_("article"),
    )
    file = models.FileField(_("file"), upload_to=article_file_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("article file")
        verbose_name_plural = _("article files")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("articles:file", args=[self.article.slug, self.pk])


class ArticleFeedback(models.Model):
    """A reader's "was this helpful?", with an optional comment."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=_("article"),
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")

    def __str__(self):
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class ArticleMonthViews(models.Model):
    """How many times an article was read in one month (its first day, in
    the department's time zone): the monthly voice of the customer lists
    the month's most-read articles, not the most-read since publication."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="month_views",
        verbose_name=_("article"),
    )
    month = models.DateField(_("month"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("article views in a month")
        verbose_name_plural = _("article views by month")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "month"], name="article_month_views_unique"
            )
        ]
        indexes = [
            models.Index(fields=["month", "-views"], name="article_month_views_idx")
        ]

    def __str__(self):
        return f"{self.article_id} {self.month:%Y-%m}: {self.views}"


class Deflection(models.Model):
    """A customer on the web form said a suggested article answered their
    question. The text they typed is not stored: they never sent it."""

    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="deflections",
        verbose_name=_("article"),
    )
    language = models.CharField(_("language"), max_length=2)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("question answered by an article")
        verbose_name_plural = _("questions answered by articles")
        indexes = [models.Index(fields=["created_at"], name="deflection_created_idx")]

    def __str__(self):
        return f"{self.article_id} {self.created_at:%Y-%m-%d}"
