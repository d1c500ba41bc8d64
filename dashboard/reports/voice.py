"""The monthly "voice of the customer", for reviewing the service policies:
the suggestions customers sent, what their complaints were about, how
satisfied they were month by month, and the low ratings followed up.

A fixed handful of aggregate queries whatever the number of tickets; other
apps add sections of their own through `extra_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Avg, Count, ExpressionWrapper, F, FloatField, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.reports.base import local_day_start
from dashboard.reports.complaints import ComplaintFilters, Row, complaint_report
from feedback.models import FollowUp
from feedback.services import LOW_RATING
from knowledge.models import Article, ArticleMonthViews
from tickets.models import Ticket

# The satisfaction trend covers this many months, the chosen one last.
TREND_MONTHS = 12
# The suggestions listed by subject (all are counted).
SUGGESTIONS_SHOWN = 20


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(first: date, months: int) -> date:
    """The first day of the month `months` after (or before) `first`'s."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class VoiceFilters:
    """One calendar month (its first day) and the viewer's queues (None: all)."""

    month: date
    queues: tuple[int, ...] | None = None

    @property
    def start(self) -> datetime:
        return local_day_start(self.month)

    @property
    def end(self) -> datetime:
        return local_day_start(add_months(self.month, 1))

    def scope(self, prefix: str = "") -> Q:
        if self.queues is None:
            return Q()
        return Q(**{f"{prefix}queue_id__in": self.queues})


@dataclass(frozen=True)
class Suggestion:
    number: str
    subject: str
    customer: str
    received_at: datetime


@dataclass(frozen=True)
class MonthRatings:
    month: date
    count: int
    average: float | None


@dataclass(frozen=True)
class Section:
    """A table another part of the helpdesk adds to the page and the CSV:
    a title and rows of (label, figure), already in the reader's language."""

    key: str
    title: str
    rows: list[tuple[str, object]]


@dataclass(frozen=True)
class VoiceReport:
    suggestions_total: int
    suggestions: list[Suggestion]
    complaints_total: int
    complaints_by_root_cause: list[Row]
    ratings_total: int
    ratings_average: float | None
    low_ratings: int
    follow_ups_open: int
    follow_ups_done: int
    trend: list[MonthRatings]
    extra: list[Section] = field(default_factory=list)


def _suggestions(filters: VoiceFilters) -> tuple[int, list[Suggestion]]:
    received = Ticket.objects.filter(
        filters.scope(),
        kind=Ticket.Kind.SUGGESTION,
        received_at__gte=filters.start,
        received_at__lt=filters.end,
    )
    latest = received.select_related("customer").order_by("-received_at", "-id")
    return received.count(), [
        Suggestion(
            number=ticket.number,
            subject=ticket.subject,
            customer=ticket.customer.name,
            received_at=ticket.received_at,
        )
        for ticket in latest[:SUGGESTIONS_SHOWN]
    ]


def _trend(filters: VoiceFilters) -> list[MonthRatings]:
    first = add_months(filters.month, 1 - TREND_MONTHS)
    months = (
        Ticket.objects.rated()
        .filter(
            filters.scope(),
            rated_at__gte=local_day_start(first),
            rated_at__lt=filters.end,
        )
        .annotate(month=TruncMonth("rated_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(count=Count("pk"), average=Avg("rating"))
        .order_by()
    )
    found = {row["month"].date(): row for row in months}
    trend = []
    for offset in range(TREND_MONTHS):
        month = add_months(first, offset)
        row = found.get(month)
        trend.append(
            MonthRatings(
                month=month,
                count=row["count"] if row else 0,
                average=row["average"] if row else None,
            )
        )
    return trend


# How many articles each knowledge base section lists.
ARTICLES = 5


def extra_sections(filters: VoiceFilters) -> list[Section]:
    """Sections other apps add to the month's page and CSV: the knowledge
    base's most-read articles in the month and its least helpful ones by
    readers' votes."""
    viewed = (
        ArticleMonthViews.objects.filter(
            month=filters.month, views__gt=0, article__in=Article.objects.published()
        )
        .select_related("article")
        .order_by("-views", "article_id")[:ARTICLES]
    )
    in_month = Q(
        feedback__created_at__gte=filters.start, feedback__created_at__lt=filters.end
    )
    unhelpful = (
        Article.objects.published()
        .annotate(
            votes=Count("feedback", filter=in_month),
            not_helpful=Count("feedback", filter=in_month & Q(feedback__helpful=False)),
        )
        .filter(not_helpful__gt=0)
        .order_by(
            ExpressionWrapper(
                F("not_helpful") * 1.0 / F("votes"), output_field=FloatField()
            ).desc(),
            "-not_helpful",
            "pk",
        )[:ARTICLES]
    )
    return [
        Section(
            key="most-viewed-articles",
            title=_("Most-read help articles"),
            rows=[(read.article.title, read.views) for read in viewed],
        ),
        Section(
            key="least-helpful-articles",
            title=_("Help articles readers found least helpful"),
            rows=[
                (
                    article.title,
                    _("%(no)s of %(votes)s said not helpful")
                    % {"no": article.not_helpful, "votes": article.votes},
                )
                for article in unhelpful
            ],
        ),
    ]


def voice_of_the_customer(filters: VoiceFilters) -> VoiceReport:
    """Every figure of the month's page."""
    total, suggestions = _suggestions(filters)
    complaints = complaint_report(
        ComplaintFilters(start=filters.start, end=filters.end, queues=filters.queues)
    )
    ratings = (
        Ticket.objects.rated()
        .filter(filters.scope(), rated_at__gte=filters.start, rated_at__lt=filters.end)
        .aggregate(
            count=Count("pk"),
            average=Avg("rating"),
            low=Count("pk", filter=Q(rating__lte=LOW_RATING)),
        )
    )
    follow_ups = FollowUp.objects.filter(
        filters.scope("ticket__"),
        created_at__gte=filters.start,
        created_at__lt=filters.end,
    ).aggregate(
        open=Count("pk", filter=Q(status=FollowUp.Status.OPEN)),
        done=Count("pk", filter=Q(status=FollowUp.Status.DONE)),
    )
    return VoiceReport(
        suggestions_total=total,
        suggestions=suggestions,
        complaints_total=complaints.total,
        complaints_by_root_cause=complaints.by_root_cause,
        ratings_total=ratings["count"],
        ratings_average=ratings["average"],
        low_ratings=ratings["low"],
        follow_ups_open=follow_ups["open"],
        follow_ups_done=follow_ups["done"],
        trend=_trend(filters),
        extra=extra_sections(filters),
    )


def voice_table(report: VoiceReport) -> tuple[list[str], list[list]]:
    """The month as one CSV table: section, item, figure; labels translated."""
    header = [_("Section"), _("Item"), _("Figure")]

    def number(value: float | None) -> str:
        return "" if value is None else f"{value:.1f}"

    summary = _("Summary")
    rows: list[list] = [
        [summary, _("Suggestions received"), report.suggestions_total],
        [summary, _("Complaints received"), report.complaints_total],
        [summary, _("Ratings given"), report.ratings_total],
        [summary, _("Average rating"), number(report.ratings_average)],
        [summary, _("Ratings of 1 or 2"), report.low_ratings],
        [summary, _("Follow-ups still open"), report.follow_ups_open],
        [summary, _("Follow-ups done"), report.follow_ups_done],
    ]
    rows += [
        [_("Suggestions"), f"{s.number} {s.subject}", s.customer]
        for s in report.suggestions
    ]
    rows += [
        [_("Complaints by root cause"), row.label, row.count]
        for row in report.complaints_by_root_cause
    ]
    for month in report.trend:
        label = month.month.strftime("%Y-%m")
        rows.append([_("Average rating by month"), label, number(month.average)])
        rows.append([_("Ratings by month"), label, month.count])
    for section in report.extra:
        rows += [[section.title, label, figure] for label, figure in section.rows]
    return header, rows
