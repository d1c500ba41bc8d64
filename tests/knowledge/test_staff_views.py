"""The knowledge base for staff: writing, versions, publishing, the stale list
and the composer's article search."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.formats import date_format

from knowledge import services
from knowledge.models import Article, ArticleFile
from tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def _fields(category, **extra):
    return {
        "title": "كيف تتابع طلبك",
        "summary": "رابط المتابعة في رسالتك",
        "body": "افتح رابط المتابعة في البريد.",
        "language": "ar",
        "category": category.pk,
        "visibility": "public",
        "note": "",
        **extra,
    }


def test_an_agent_writes_an_article_and_asks_a_supervisor_to_publish_it(
    agent_client, category
):
    response = agent_client.post(
        reverse("knowledge:new"), _fields(category, ask_review="on")
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.review_requested_at is not None
    assert not article.is_published
    assert list(Article.objects.awaiting_review()) == [article]


def test_an_agent_cannot_publish_even_by_posting_the_field(agent_client, category):
    agent_client.post(reverse("knowledge:new"), _fields(category, publish="on"))
    article = Article.objects.get()

    response = agent_client.post(reverse("knowledge:publish", args=[article.pk]))

    assert response.status_code == 403
    article.refresh_from_db()
    assert not article.is_published


def test_a_supervisor_publishes_at_once(supervisor_client, category):
    supervisor_client.post(reverse("knowledge:new"), _fields(category, publish="on"))

    assert Article.objects.public().count() == 1


def test_customers_never_reach_the_staff_pages(bob_client, client, publish):
    article = publish("Anything")

    for url in (
        reverse("knowledge:list"),
        reverse("knowledge:detail", args=[article.pk]),
        reverse("knowledge:lookup") + "?q=anything",
    ):
        assert bob_client.get(url).status_code == 403
        assert client.get(url).status_code == 302  # to sign in


def test_the_stale_list_is_for_supervisors(agent_client, supervisor_client, publish):
    article = publish("Opening hours")
    Article.objects.filter(pk=article.pk).update(review_by=date(2026, 1, 1))

    page = supervisor_client.get(reverse("articles_stale"))

    assert agent_client.get(reverse("articles_stale")).status_code == 403
    assert "Opening hours" in page.content.decode()


def test_an_edit_needs_a_note_and_keeps_the_old_version_readable(agent_client, publish):
    article = publish("Refunds", "Five days.")
    url = reverse("knowledge:edit", args=[article.pk])
    fields = {
        "title": "Refunds",
        "body": "Three days.",
        "language": "en",
        "category": article.category_id,
        "visibility": "public",
    }

    refused = agent_client.post(url, fields)
    agent_client.post(
        url, {**fields, "note": "Faster refunds", "review_by": "2027-03-01"}
    )

    assert refused.status_code == 400
    assert article.versions.count() == 2
    old = agent_client.get(reverse("knowledge:version", args=[article.pk, 1]))
    assert "Five days." in old.content.decode()
    history = agent_client.get(reverse("knowledge:detail", args=[article.pk]))
    assert "Faster refunds" in history.content.decode()
    # Each version says when it is due for review (the first, as published).
    due = article.versions.get(number=1).review_by
    assert due is not None
    assert f"Review by {date_format(due, 'SHORT_DATE_FORMAT')}" in old.content.decode()
    assert history.content.decode().count('data-testid="version-review-by"') == 2
    assert article.versions.get(number=2).review_by == date(2027, 3, 1)


def test_files_are_checked_like_the_web_forms(agent_client, category):
    program = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    response = agent_client.post(
        reverse("knowledge:new"), {**_fields(category), "files": [program]}
    )

    assert response.status_code == 400
    assert not ArticleFile.objects.exists()


def test_a_translation_must_be_in_the_other_language(agent_client, publish, category):
    english = publish("Refunds")

    refused = agent_client.post(
        reverse("knowledge:new"),
        _fields(category, language="en", translation_of=english.pk),
    )
    linked = agent_client.post(
        reverse("knowledge:new"), _fields(category, translation_of=english.pk)
    )

    assert refused.status_code == 400
    assert linked.status_code == 302
    assert english.translations.get().language == "ar"


def test_the_composer_finds_articles_with_link_and_text_to_insert(
    agent_client, publish, queue, bob
):
    public = publish("Refund times", "Refunds take 3 days.")
    publish("Refund codes", "Use ESC-7.", visibility=Article.Visibility.INTERNAL)
    ticket = make_ticket(bob, queue)

    ticket_page = agent_client.get(ticket.get_absolute_url())
    found = agent_client.get(reverse("knowledge:lookup"), {"q": "refund"})

    assert reverse("knowledge:lookup") in ticket_page.content.decode()
    body = found.content.decode()
    assert body.count('data-testid="insert-text"') == 2
    # Only a public article has a link a customer can open.
    assert body.count('data-testid="insert-link"') == 1
    assert f"http://testserver{public.get_absolute_url()}" in body
    assert "Refund times\n\nRefunds take 3 days." in body


def test_staff_list_costs_a_fixed_number_of_queries(
    supervisor_client, publish, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            article = publish(f"Article {n}-{i}")
            services.give_feedback(article, helpful=True)

    add(2)
    # Session, user with groups, the count for the pages, the rows.
    with django_assert_num_queries(4):
        supervisor_client.get(reverse("knowledge:list"))
    add(5)
    with django_assert_num_queries(4):
        supervisor_client.get(reverse("knowledge:list"))


def test_stale_list_costs_a_fixed_number_of_queries(
    supervisor_client, publish, django_assert_num_queries
):
    for n in range(4):
        publish(f"Old {n}")
    Article.objects.update(review_by=date(2026, 1, 1))

    # Session, user with groups, the rows.
    with django_assert_num_queries(3):
        page = supervisor_client.get(reverse("articles_stale"))

    assert page.content.decode().count('data-testid="stale-row"') == 4


def test_staff_search_finds_drafts_and_internal_articles_too(agent_client, publish):
    publish("Refund codes", visibility=Article.Visibility.INTERNAL)
    publish("Refund draft", published=False)
    publish("Delivery")

    page = agent_client.get(reverse("knowledge:list"), {"q": "refund"})

    assert page.content.decode().count('data-testid="article-row"') == 2
