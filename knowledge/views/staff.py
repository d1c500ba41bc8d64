"""The knowledge base for staff, under /agent/articles/: the list, writing
and editing (each edit a version), an article's history and feedback,
publishing and archiving (supervisors), the stale list, and the composer's
article search."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.numbers import whole_number
from helpdesk.roles import agent_required, is_supervisor, supervisor_required

from .. import search, services
from ..forms import ArticleForm, SearchForm
from ..models import Article, ArticleVersion
from ..rendering import article_html, article_plain_text

PAGE_SIZE = 50
LOOKUP_RESULTS = 6
STATES = {
    "draft": Q(published_version__isnull=True, archived_at=None),
    "review": Q(review_requested_at__isnull=False, archived_at=None),
    "published": Q(published_version__isnull=False, archived_at=None),
    "archived": Q(archived_at__isnull=False),
}


def _today():
    return timezone.localdate()


@agent_required
def staff_list(request):
    form = SearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q", "").strip() if form.is_valid() else ""
    state = request.GET.get("state", "")
    articles = (
        Article.objects.visible_to(request.user)
        .select_related("category", "published_version")
        .defer("body", "search_text", "title_terms")
    )
    if state in STATES:
        articles = articles.filter(STATES[state])
    articles = articles.with_feedback().annotate(
        version_count=Count("versions", distinct=True)
    )
    if text:
        # Rank by the words, over what the filters left.
        found = search.find(articles.order_by(), text)
        rows = list(found[:PAGE_SIZE])
        page = None
    else:
        page = Paginator(articles.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = list(page)
    context = {
        "articles": rows,
        "page": page,
        "text": text,
        "state": state,
        "states": [
            ("", _("All")),
            ("draft", _("Drafts")),
            ("review", _("Waiting for a supervisor")),
            ("published", _("Published")),
            ("archived", _("Archived")),
        ],
        "today": _today(),
    }
    return render(request, "knowledge/staff_list.html", context)


@supervisor_required
def stale_list(request):
    """Published articles past their review date, the longest overdue first."""
    articles = (
        Article.objects.stale(_today())
        .select_related("category", "published_version__author")
        .defer("body", "search_text", "title_terms")
        .order_by("review_by", "pk")
    )
    return render(
        request,
        "knowledge/stale_list.html",
        {"articles": list(articles), "today": _today()},
    )


def _may_publish(user) -> bool:
    return is_supervisor(user)


def _save_files(form, article, user) -> None:
    if form.cleaned_data["files"]:
        services.add_files(article, form.cleaned_data["files"], by=user)


@agent_required
def article_new(request):
    may_publish = _may_publish(request.user)
    form = ArticleForm(
        request.POST or None, request.FILES or None, may_publish=may_publish
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            article = services.write_article(
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                language=data["language"],
                category=data["category"],
                visibility=data["visibility"],
                translation_of=data["translation_of"],
                review_by=data["review_by"],
                note=data["note"],
                by=request.user,
            )
            _save_files(form, article, request.user)
            _after_save(request, article, data)
        return redirect(article.get_staff_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "knowledge/article_form.html", {"form": form}, status=status)


def _after_save(request, article, data) -> None:
    if data.get("publish"):
        services.publish_article(article, by=request.user, today=_today())
        messages.success(request, _("Saved and published."))
    elif data.get("ask_review"):
        services.request_review(article, by=request.user)
        messages.success(
            request, _("Saved; a supervisor has been asked to publish it.")
        )
    else:
        messages.success(request, _("Saved."))


def _article(request, pk):
    return get_object_or_404(
        Article.objects.visible_to(request.user).select_related(
            "category", "published_version", "translation_of"
        ),
        pk=pk,
    )


@agent_required
def article_detail(request, pk):
    article = _article(request, pk)
    versions = list(article.versions.select_related("author"))
    latest = versions[0] if versions else None
    counts = article.feedback.aggregate(
        yes=Count("pk", filter=Q(helpful=True)),
        no=Count("pk", filter=Q(helpful=False)),
    )
    context = {
        "article": article,
        "latest": latest,
        "latest_html": article_html(latest.body) if latest else "",
        "unpublished": latest is not None and latest.pk != article.published_version_id,
        "versions": versions,
        "files": list(article.files.all()),
        "feedback": counts,
        "comments": list(article.feedback.exclude(comment="")[:20]),
        "deflections": article.deflections.count(),
        "may_publish": _may_publish(request.user),
        "today": _today(),
    }
    return render(request, "knowledge/staff_detail.html", context)


@agent_required
def article_edit(request, pk):
    article = _article(request, pk)
    latest = article.versions.order_by("-number").first()
    may_publish = _may_publish(request.user)
    initial = {
        "title": latest.title,
        "summary": latest.summary,
        "body": latest.body,
        "language": article.language,
        "category": article.category,
        "visibility": article.visibility,
        "translation_of": article.translation_of,
        "review_by": article.review_by,
    }
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        editing=True,
        may_publish=may_publish,
    )
    form.fields["translation_of"].queryset = form.fields[
        "translation_of"
    ].queryset.exclude(pk=article.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            services.edit_article(
                article,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                note=data["note"],
                by=request.user,
                language=data["language"],
                category=data["category"],
                visibility=data["visibility"],
                translation_of=data["translation_of"],
                review_by=data["review_by"],
            )
            _save_files(form, article, request.user)
            _after_save(request, article, data)
        return redirect(article.get_staff_url())
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/article_form.html",
        {"form": form, "article": article},
        status=status,
    )


@agent_required
def article_version(request, pk, number):
    article = _article(request, pk)
    version = get_object_or_404(
        ArticleVersion.objects.select_related("author"), article=article, number=number
    )
    context = {
        "article": article,
        "version": version,
        "body_html": article_html(version.body),
        "may_publish": _may_publish(request.user),
    }
    return render(request, "knowledge/version.html", context)


@supervisor_required
@require_POST
def article_publish(request, pk):
    """Publish the latest version, or the one named (to go back to it)."""
    article = _article(request, pk)
    version = None
    if request.POST.get("version"):
        number = whole_number(request.POST["version"])
        if number is not None:
            version = get_object_or_404(article.versions, number=number)
        if version is None:
            messages.error(request, _("There is no such version."))
            return redirect(article.get_staff_url())
    try:
        services.publish_article(
            article, by=request.user, version=version, today=_today()
        )
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Published: readers now see this version."))
    return redirect(article.get_staff_url())


@supervisor_required
@require_POST
def article_archive(request, pk):
    article = _article(request, pk)
    services.archive_article(article, by=request.user)
    messages.success(request, _("Archived: readers no longer see this article."))
    return redirect(article.get_staff_url())


@agent_required
def article_lookup(request):
    """The composer's article search: published articles, public and
    internal, each with "insert link" (public ones) and "insert text"."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = []
    if text:
        found = search.find(
            Article.objects.published().select_related("category"), text
        )
        results = [
            {
                "article": article,
                "link": request.build_absolute_uri(article.get_absolute_url())
                if article.is_public
                else "",
                "text": article_plain_text(article.title, article.body),
            }
            for article in found[:LOOKUP_RESULTS]
        ]
    return render(
        request,
        "knowledge/_lookup_results.html",
        {"results": results, "text": text},
    )
