"""The knowledge base's verbs: write, edit, ask for review, publish, archive,
attach files; a reader's view, feedback and deflection.

Who may do what (README, "Knowledge base"): agents write articles and edit
them, each edit a new version; a supervisor publishes a version (what readers
see changes only then) and archives. A supervisor's own edit may be published
at once.
"""

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from helpdesk.counters import bump_counter
from helpdesk.roles import is_agent, is_supervisor

from .models import (
    REVIEW_MONTHS,
    Article,
    ArticleCategory,
    ArticleFeedback,
    ArticleFile,
    ArticleMonthViews,
    ArticleVersion,
    Deflection,
)


def default_review_date(today: date) -> date:
    """When a newly published article should be checked again."""
    return today + timedelta(days=round(REVIEW_MONTHS * 365.25 / 12))


def _free_slug(title: str, article: Article | None = None) -> str:
    base = slugify(title, allow_unicode=True)[:70] or "article"
    slug, n = base, 1
    taken = Article.objects.exclude(pk=getattr(article, "pk", None))
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def write_article(
    *,
    title: str,
    body: str,
    language: str,
    category: ArticleCategory,
    by,
    summary: str = "",
    visibility: str = Article.Visibility.PUBLIC,
    translation_of: Article | None = None,
    review_by: date | None = None,
    note: str = "",
) -> Article:
    """A new draft article with its first version."""
    if not is_agent(by):
        raise PermissionDenied
    now = timezone.now()
    article = Article(
        slug=_free_slug(title),
        language=language,
        category=category,
        visibility=visibility,
        translation_of=translation_of,
        review_by=review_by,
        created_by=by,
        created_at=now,
        updated_at=now,
    )
    version = ArticleVersion(
        number=1,
        title=title,
        summary=summary,
        body=body,
        note=note,
        review_by=review_by,
        author=by,
        created_at=now,
    )
    article.copy_from(version)
    article.save()
    version.article = article
    version.save()
    return article


@transaction.atomic
def edit_article(
    article: Article,
    *,
    title: str,
    body: str,
    by,
    note: str,
    summary: str = "",
    **fields,
) -> ArticleVersion:
    """Record a new version of `article` by `by`, with `note` saying what
    changed; `fields` (category, visibility, language, translation_of,
    review_by) change at once. Readers keep seeing the published version
    until a supervisor publishes this one."""
    if not is_agent(by):
        raise PermissionDenied
    article = Article.objects.select_for_update().get(pk=article.pk)
    last = article.versions.aggregate(last=Max("number"))["last"] or 0
    now = timezone.now()
    version = ArticleVersion.objects.create(
        article=article,
        number=last + 1,
        title=title,
        summary=summary,
        body=body,
        note=note,
        review_by=fields.get("review_by", article.review_by),
        author=by,
        created_at=now,
    )
    for name, value in fields.items():
        setattr(article, name, value)
    if article.published_version_id is None:
        # A draft shows its latest text to the staff who work on it.
        article.copy_from(version)
    article.updated_at = now
    article.save()
    return version


@transaction.atomic
def request_review(article: Article, *, by) -> Article:
    """Ask a supervisor to publish the latest version of `article`."""
    if not is_agent(by):
        raise PermissionDenied
    Article.objects.filter(pk=article.pk).update(review_requested_at=timezone.now())
    article.refresh_from_db()
    return article


@transaction.atomic
def publish_article(
    article: Article, *, by, version: ArticleVersion | None = None, today: date
) -> Article:
    """Make `version` (the latest by default) what readers see; a first
    publication without a review date gets one REVIEW_MONTHS ahead."""
    if not is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor can publish an article."))
    article = Article.objects.select_for_update().get(pk=article.pk)
    version = version or article.versions.order_by("-number").first()
    if version is None or version.article_id != article.pk:
        raise ValidationError(_("That version is not of this article."))
    now = timezone.now()
    article.copy_from(version)
    article.published_version = version
    article.published_at = article.published_at or now
    article.review_requested_at = None
    article.archived_at = None
    if article.review_by is None or article.review_by < today:
        article.review_by = default_review_date(today)
    article.updated_at = now
    article.save()
    if version.review_by != article.review_by:
        # The version readers now see carries the date it is to be reviewed by.
        version.review_by = article.review_by
        version.save(update_fields=["review_by"])
    return article


@transaction.atomic
def archive_article(article: Article, *, by) -> Article:
    """Take `article` away from readers; its versions are kept."""
    if not is_supervisor(by):
        raise PermissionDenied(_("Only a supervisor can archive an article."))
    Article.objects.filter(pk=article.pk).update(
        archived_at=timezone.now(), review_requested_at=None
    )
    article.refresh_from_db()
    return article


def add_files(article: Article, files: Iterable[UploadedFile], *, by) -> list:
    """Store `files` (already checked by tickets.uploads.check_uploads) on
    `article`, with size, type and checksum."""
    if not is_agent(by):
        raise PermissionDenied
    stored = []
    for upload in files:
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        item = ArticleFile(
            article=article,
            original_name=upload.name[:255],
            content_type=(upload.content_type or "application/octet-stream")[:120],
            size=upload.size,
            sha256=digest.hexdigest(),
            added_by=by,
        )
        item.file.save(upload.name, upload, save=False)
        item.save()
        stored.append(item)
    return stored


def reading_month(moment: datetime) -> date:
    """The month (its first day) a reading at `moment` counts in: the
    department's, whatever the reader's time zone."""
    return timezone.localdate(moment, timezone.get_default_timezone()).replace(day=1)


def record_view(article: Article, *, now: datetime | None = None) -> None:
    """Count one reading of `article`, since publication and in the month of
    `now`, without a race between readers."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    month = reading_month(now or timezone.now())
    bump_counter(
        ArticleMonthViews, {"article": article.pk, "month": month}, field="views"
    )


def give_feedback(
    article: Article, *, helpful: bool, comment: str = ""
) -> ArticleFeedback:
    """A reader's verdict on `article`, with what they said."""
    return ArticleFeedback.objects.create(
        article=article, helpful=helpful, comment=comment.strip()
    )


def record_deflection(article: Article, *, language: str) -> Deflection:
    """A web form customer found their answer in `article` (public only)."""
    if not article.is_public:
        raise PermissionDenied
    return Deflection.objects.create(article=article, language=language)
