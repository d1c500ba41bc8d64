"""The knowledge base for customers, under /support/articles/: the list by
category, search, an article with its files and feedback, and what the web
form asks while a customer types (suggestions, "this answered my question").

Anyone reads public articles; staff also see internal ones here, marked.
"""

from django.contrib import messages
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from tickets.views.attachments import serve_attachment

from .. import search, services
from ..forms import FeedbackForm, SearchForm, SuggestForm
from ..models import Article, ArticleCategory, ArticleFile
from ..rendering import article_html

RESULTS = 50
SUGGESTIONS = 3
# Per IP address. Suggestions follow typing (one ask per pause), feedback and
# "this answered my question" are a click each.
SUGGEST_RATE = "60/m"
FEEDBACK_RATE = "20/h"
DEFLECTION_RATE = "20/h"


def _readable(request):
    """Published articles this reader may open."""
    return Article.objects.visible_to(request.user).published()


def _too_many(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"detail": message, **extra}, status=status)


def article_list(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return render(
            request,
            "knowledge/article_list.html",
            {"form": form, "articles": [], "categories": []},
            status=400,
        )
    text, slug = form.cleaned_data["q"].strip(), form.cleaned_data["category"]
    # Only the shelves this reader will find something on.
    categories = list(
        ArticleCategory.objects.filter(articles__in=_readable(request)).distinct()
    )
    chosen = next((c for c in categories if c.slug == slug), None)
    if slug and chosen is None:
        raise Http404
    articles = _readable(request).select_related("category").defer("body")
    if chosen is not None:
        articles = articles.filter(category=chosen)
    if text:
        found = list(search.find(articles, text)[:RESULTS])
    else:
        # The reader's language first within each category.
        found = list(
            articles.annotate(
                other_language=Case(
                    When(language=get_language(), then=Value(0)),
                    default=Value(1),
                    output_field=IntegerField(),
                )
            ).order_by(
                "category__position", "category__name", "other_language", "title"
            )
        )
    context = {
        "form": form,
        "text": text,
        "chosen": chosen,
        "categories": categories,
        "articles": found,
    }
    return render(request, "knowledge/article_list.html", context)


def article_detail(request, slug):
    article = get_object_or_404(
        _readable(request).select_related("category"), slug=slug
    )
    services.record_view(article)
    family = article.translation_of_id or article.pk
    context = {
        "article": article,
        "body_html": article_html(article.body),
        "files": list(article.files.all()),
        "translations": list(
            _readable(request)
            .filter(Q(pk=family) | Q(translation_of=family))
            .exclude(pk=article.pk)
            .only("slug", "title", "language")
        ),
        "feedback_form": FeedbackForm(),
    }
    return render(request, "knowledge/article_detail.html", context)


@require_POST
def article_feedback(request, slug):
    article = get_object_or_404(_readable(request), slug=slug)
    template = "knowledge/_feedback.html"
    if _too_many(request, "kb-feedback", FEEDBACK_RATE):
        form = FeedbackForm(request.POST)
        form.is_valid()
        form.add_error(None, _("Thank you: we already have your feedback."))
        return render(
            request, template, {"article": article, "feedback_form": form}, status=429
        )
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return render(
            request, template, {"article": article, "feedback_form": form}, status=400
        )
    services.give_feedback(
        article,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    if request.htmx:
        return render(request, template, {"article": article, "thanked": True})
    messages.success(request, _("Thank you for your feedback."))
    return redirect(article)


def article_file(request, slug, pk):
    item = get_object_or_404(
        ArticleFile.objects.filter(article__in=_readable(request)),
        article__slug=slug,
        pk=pk,
    )
    return serve_attachment(item)


@never_cache
@require_GET
def suggest(request):
    """A few public articles about what the web form's customer is typing:
    an HTML fragment for the form's panel, or JSON saying what was wrong."""
    if _too_many(request, "kb-suggest", SUGGEST_RATE):
        return _json_error(_("Too many requests. Please wait a minute."), 429)
    form = SuggestForm(request.GET)
    if not form.is_valid():
        return _json_error(
            _("The text is too long to look up."),
            400,
            errors=form.errors.get_json_data(),
        )
    text = f"{form.cleaned_data['subject']}\n{form.cleaned_data['message']}"
    # Public articles only, whoever asks: this is the customer's form.
    articles = search.suggest(Article.objects.public().defer("body"), text, SUGGESTIONS)
    return render(request, "knowledge/_suggestions.html", {"articles": articles})


@require_POST
def article_answered(request, slug):
    """ "This answered my question" on the web form: counted as a deflection.
    The customer's typed text stays on the form (it never reaches here)."""
    article = Article.objects.public().filter(slug=slug).first()
    wants_fragment = request.htmx or request.headers.get("X-Requested-With")
    if article is None:
        if wants_fragment:
            return _json_error(_("There is no such article."), 404)
        raise Http404
    if _too_many(request, "kb-deflection", DEFLECTION_RATE):
        return _json_error(_("Too many requests. Please wait a minute."), 429)
    services.record_deflection(article, language=get_language())
    if wants_fragment:
        return render(request, "knowledge/_deflected.html", {"article": article})
    messages.success(request, _("We are glad this article answered your question."))
    return redirect(article)
