"""Articles made through the real verbs: written by the agent, published by
the supervisor."""

from datetime import date

import pytest
from django.core.cache import cache

from knowledge import services
from knowledge.models import Article, ArticleCategory

TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()


@pytest.fixture
def category(db):
    return ArticleCategory.objects.create(
        name="Orders", name_ar="الطلبات", slug="orders", position=1
    )


@pytest.fixture
def publish(agent, supervisor, category):
    """Write and publish an article; `visibility`, `language` and text vary."""

    def make(
        title: str,
        body: str = "Text.",
        *,
        language: str = "en",
        visibility: str = Article.Visibility.PUBLIC,
        summary: str = "",
        published: bool = True,
        **fields,
    ) -> Article:
        article = services.write_article(
            title=title,
            body=body,
            summary=summary,
            language=language,
            category=fields.pop("category", category),
            visibility=visibility,
            by=agent,
            **fields,
        )
        if published:
            article = services.publish_article(article, by=supervisor, today=TODAY)
        return article

    return make
