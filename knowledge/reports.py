"""The knowledge base's figure on the supervisor dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Q

from .models import Article


@dataclass(frozen=True)
class KnowledgeFigures:
    """Questions the web form's suggestions answered in a period (customers
    who said so and did not send a request), and articles due a check."""

    deflections: int
    stale: int


def knowledge_figures(start: datetime, end: datetime, today: date) -> KnowledgeFigures:
    """Deflections in [start, end) and published articles past their review
    date at `today`: one query."""
    counts = Article.objects.aggregate(
        deflections=Count(
            "deflections",
            filter=Q(
                deflections__created_at__gte=start, deflections__created_at__lt=end
            ),
        ),
        stale=Count(
            "pk",
            filter=Q(
                published_version__isnull=False, archived_at=None, review_by__lt=today
            ),
            distinct=True,
        ),
    )
    return KnowledgeFigures(deflections=counts["deflections"], stale=counts["stale"])
