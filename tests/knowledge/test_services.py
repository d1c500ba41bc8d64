from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from knowledge import services
from knowledge.models import Article, ArticleFeedback, Deflection

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_an_agent_writes_a_draft_that_no_reader_sees_until_a_supervisor_publishes(
    agent, supervisor, category
):
    article = services.write_article(
        title="Track your order",
        body="Use the link in your email.",
        language="en",
        category=category,
        by=agent,
    )

    assert not Article.objects.public().exists()
    assert article.versions.get().author == agent

    services.publish_article(article, by=supervisor, today=TODAY)

    assert list(Article.objects.public()) == [article]


def test_an_agent_cannot_publish(agent, category):
    article = services.write_article(
        title="T", body="B", language="en", category=category, by=agent
    )

    with pytest.raises(PermissionDenied):
        services.publish_article(article, by=agent, today=TODAY)


def test_each_edit_is_a_version_readers_see_only_once_published(
    publish, agent, supervisor
):
    article = publish("Refunds", "Refunds take 5 days.")

    version = services.edit_article(
        article,
        title="Refunds",
        body="Refunds take 3 working days.",
        note="Faster refunds since December",
        by=agent,
    )
    article.refresh_from_db()

    assert version.number == 2
    assert version.note == "Faster refunds since December"
    assert version.author == agent
    assert article.body == "Refunds take 5 days."  # still the published text
    services.publish_article(article, by=supervisor, today=TODAY)
    article.refresh_from_db()
    assert article.body == "Refunds take 3 working days."
    assert article.published_version == version


def test_an_older_version_can_be_published_again(publish, agent, supervisor):
    article = publish("Refunds", "Five days.")
    services.edit_article(article, title="Refunds", body="Wrong.", note="x", by=agent)
    services.publish_article(article, by=supervisor, today=TODAY)

    first = article.versions.get(number=1)
    services.publish_article(article, by=supervisor, version=first, today=TODAY)
    article.refresh_from_db()

    assert article.body == "Five days."


def test_publishing_sets_a_review_date_a_year_ahead_and_stale_lists_those_past_it(
    publish,
):
    article = publish("Opening hours")

    assert article.review_by == date(2027, 12, 7)
    assert not Article.objects.stale(TODAY).exists()
    assert list(Article.objects.stale(article.review_by + timedelta(days=1))) == [
        article
    ]


def test_each_version_keeps_the_review_date_it_was_written_and_published_with(
    publish, agent, supervisor
):
    article = publish("Opening hours")
    first = article.versions.get(number=1)
    second = services.edit_article(
        article,
        title="Opening hours",
        body="Open on Saturdays too.",
        note="Saturdays",
        review_by=date(2027, 3, 1),
        by=agent,
    )
    third = services.edit_article(
        article, title="Opening hours", body="Typo.", note="Typo", by=agent
    )

    # The first was published with the default date a year ahead; the later
    # ones were written with the date the agent gave.
    assert first.review_by == date(2027, 12, 7)
    assert second.review_by == third.review_by == date(2027, 3, 1)
    later = TODAY + timedelta(days=200)  # past that date: publishing sets a new one
    services.publish_article(article, by=supervisor, version=third, today=later)
    third.refresh_from_db()
    first.refresh_from_db()
    assert third.review_by == date(2028, 6, 24)
    assert first.review_by == date(2027, 12, 7)


def test_archived_articles_leave_the_public_and_the_stale_list(publish, supervisor):
    article = publish("Old promotion", review_by=date(2026, 1, 1))
    Article.objects.filter(pk=article.pk).update(review_by=date(2026, 1, 1))

    services.archive_article(article, by=supervisor)

    assert not Article.objects.public().exists()
    assert not Article.objects.stale(TODAY).exists()


def test_internal_articles_are_never_public(publish, agent, bob):
    publish("Escalation codes", visibility=Article.Visibility.INTERNAL)

    assert not Article.objects.public().exists()
    assert not Article.objects.visible_to(bob.user).exists()
    assert Article.objects.visible_to(agent).count() == 1


def test_most_viewed_and_least_helpful(publish):
    read = publish("Read a lot")
    ignored = publish("Read little")
    for _ in range(3):
        services.record_view(read)
    services.record_view(ignored)
    services.give_feedback(read, helpful=True)
    services.give_feedback(read, helpful=False, comment="Too long")
    services.give_feedback(ignored, helpful=False)

    assert list(Article.objects.most_viewed()) == [read, ignored]
    assert list(Article.objects.least_helpful()) == [ignored, read]
    counted = Article.objects.with_feedback().get(pk=read.pk)
    assert (counted.helpful, counted.not_helpful) == (1, 1)
    assert ArticleFeedback.objects.get(comment="Too long").helpful is False


def test_a_deflection_needs_a_public_article(publish):
    internal = publish("Internal", visibility=Article.Visibility.INTERNAL)
    public = publish("Public")

    with pytest.raises(PermissionDenied):
        services.record_deflection(internal, language="ar")
    services.record_deflection(public, language="ar")

    assert Deflection.objects.get().article == public


def test_an_article_can_be_deleted_with_its_versions(publish, agent):
    article = publish("Mistake")
    services.edit_article(article, title="Mistake", body="x", note="y", by=agent)

    article.delete()

    assert not Article.objects.exists()
