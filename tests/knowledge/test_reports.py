"""The knowledge base's card on the supervisor dashboard."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from knowledge import services
from knowledge.models import Article, Deflection
from knowledge.reports import knowledge_figures

pytestmark = pytest.mark.django_db


def test_deflections_in_the_period_and_stale_articles_are_counted(publish):
    article = publish("Refunds")
    now = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    services.record_deflection(article, language="ar")
    Deflection.objects.update(created_at=now - timedelta(days=1))
    old = services.record_deflection(article, language="en")
    Deflection.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=40))
    Article.objects.update(review_by=date(2026, 12, 1))

    figures = knowledge_figures(now - timedelta(days=30), now, date(2026, 12, 7))

    assert (figures.deflections, figures.stale) == (1, 1)


def test_the_dashboard_shows_questions_answered_by_articles(
    supervisor_client, publish, client
):
    article = publish("Refunds")
    client.post(
        reverse("articles:answered", args=[article.slug]),
        headers={"X-Requested-With": "fetch"},
    )

    page = supervisor_client.get(reverse("supervisor:dashboard"))

    card = page.text.split('data-testid="deflections-figure"')[1].split("</div>")[0]
    assert '<span class="figure-number">1</span>' in card
    assert "Questions answered by articles" in card
