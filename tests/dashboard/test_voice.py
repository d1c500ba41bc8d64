"""The monthly voice of the customer: figures on a small known month, the
satisfaction trend, the CSV in the reader's language, the place left for
other sections, who may see it, and a fixed number of queries."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from dashboard.reports import voice
from dashboard.reports.voice import Section, VoiceFilters, voice_of_the_customer
from portal.services import rate_ticket
from tickets import services
from tickets.models import RootCause

from ..factories import CustomerFactory, make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 20, 12, 0, tzinfo=UTC)
URL = "/supervisor/voice/"


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 9, 0, tzinfo=UTC)


def rated(customer, queue, agent, when, score, **fields):
    with time_machine.travel(when, tick=False):
        ticket = make_ticket(customer, queue, **fields)
        services.change_status(ticket, status="resolved", by=agent)
        return rate_ticket(ticket, score=score)


@pytest.fixture
def month(queue, other_queue, agent, other_agent, supervisor):
    """December: two suggestions, two complaints (billing, not yet known),
    ratings 5, 4 and 1; November: ratings 2 and 4; another queue's
    suggestion and rating, which this supervisor does not see."""
    samir = CustomerFactory(name="Samir")
    for day in (2, 3):
        with time_machine.travel(at(12, day), tick=False):
            make_ticket(samir, queue, kind="suggestion", subject=f"Idea {day}")
    with time_machine.travel(at(11, 28), tick=False):
        make_ticket(samir, queue, kind="suggestion", subject="Last month's idea")
    with time_machine.travel(at(12, 4), tick=False):
        make_ticket(samir, other_queue, kind="suggestion", subject="Theirs")
        billing = make_ticket(samir, queue, kind="complaint")
        services.update_complaint(
            billing,
            by=agent,
            severity=1,
            root_cause_category=RootCause.objects.get(name="Billing error"),
            root_cause="",
            corrective_action="",
            resolution_summary="",
        )
        make_ticket(samir, queue, kind="complaint")
    for day, score in ((5, 5), (6, 4), (7, 1)):
        rated(samir, queue, agent, at(12, day), score)
    for day, score in ((10, 2), (11, 4)):
        rated(samir, queue, agent, at(11, day), score)
    rated(samir, other_queue, other_agent, at(12, 8), 1)


@time_machine.travel(NOW, tick=False)
def test_the_months_figures(month, supervisor_client):
    response = supervisor_client.get(URL)

    report = response.context["report"]
    assert report.suggestions_total == 2
    assert [s.subject for s in report.suggestions] == ["Idea 3", "Idea 2"]
    assert report.complaints_total == 2
    assert sorted(
        (row.label, row.count) for row in report.complaints_by_root_cause
    ) == [
        ("Billing error", 1),
        ("Not yet known", 1),
    ]
    assert (report.ratings_total, report.low_ratings) == (3, 1)
    assert report.ratings_average == pytest.approx(10 / 3)
    assert report.follow_ups_open == 1
    assert "Idea 3" in response.text


@time_machine.travel(NOW, tick=False)
def test_satisfaction_month_by_month(month, supervisor_client):
    response = supervisor_client.get(URL, {"month": "2026-12"})

    trend = response.context["report"].trend
    assert len(trend) == 12
    assert trend[0].month == date(2026, 1, 1)
    assert (trend[-2].month, trend[-2].count, trend[-2].average) == (
        date(2026, 11, 1),
        2,
        3.0,
    )
    assert (trend[-1].count, round(trend[-1].average, 2)) == (3, 3.33)
    assert trend[0].average is None


@time_machine.travel(NOW, tick=False)
def test_an_earlier_month(month, supervisor_client):
    report = supervisor_client.get(URL, {"month": "2026-11"}).context["report"]

    assert report.suggestions_total == 1
    assert (report.ratings_total, report.low_ratings) == (2, 1)


@time_machine.travel(NOW, tick=False)
def test_the_csv_is_in_the_readers_language(month, supervisor_client):
    response = supervisor_client.get(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert rows[0] == ["القسم", "البند", "الرقم"]
    assert ["الملخص", "الاقتراحات الواردة", "2"] in rows
    assert ["الشكاوى حسب السبب الجذري", "خطأ في الفوترة", "1"] in rows
    assert ["عدد التقييمات حسب الشهر", "2026-11", "2"] in rows


@time_machine.travel(NOW, tick=False)
def test_the_csv_in_english(month, supervisor_client):
    response = supervisor_client.get(URL, {"format": "csv", "month": "2026-12"})

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Section", "Item", "Figure"]
    assert ["Summary", "Ratings of 1 or 2", "1"] in rows
    assert ["Average rating by month", "2026-11", "3.0"] in rows


@time_machine.travel(NOW, tick=False)
def test_sections_from_other_apps_are_shown_and_exported(
    month, supervisor_client, monkeypatch
):
    articles = Section(
        key="most-viewed",
        title="Most-viewed articles",
        rows=[("Track a parcel", 42)],
    )
    monkeypatch.setattr(voice, "extra_sections", lambda filters: [articles])

    page = supervisor_client.get(URL)
    export = supervisor_client.get(URL, {"format": "csv"})

    assert "Track a parcel" in page.text
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Most-viewed articles,Track a parcel,42" in text


@time_machine.travel(NOW, tick=False)
def test_the_knowledge_base_shows_its_most_read_and_least_helpful_articles(
    month, supervisor_client, agent, supervisor
):
    from knowledge import services as knowledge
    from knowledge.models import ArticleCategory

    help_ = ArticleCategory.objects.create(name="Help", slug="help", position=1)

    def publish(title):
        article = knowledge.write_article(
            title=title, body="Text.", language="en", category=help_, by=agent
        )
        return knowledge.publish_article(article, by=supervisor, today=NOW.date())

    parcel, refund, quiet = (
        publish("Track a parcel"),
        publish("Refunds"),
        publish("Quiet"),
    )
    for _ in range(3):
        knowledge.record_view(parcel)
    knowledge.record_view(refund)
    knowledge.give_feedback(refund, helpful=False, comment="Did not say how long")
    knowledge.give_feedback(refund, helpful=True)
    knowledge.give_feedback(parcel, helpful=True)

    export = supervisor_client.get(URL, {"format": "csv"})

    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "Track a parcel,3" in text
    assert "Refunds,1" in text
    assert "Refunds,1 of 2 said not helpful" in text
    assert "Quiet" not in text
    assert quiet.view_count == 0


@time_machine.travel(NOW, tick=False)
def test_a_bad_month_is_refused_with_a_message(supervisor_client):
    page = supervisor_client.get(URL, {"month": "December"})
    export = supervisor_client.get(URL, {"month": "2026-13", "format": "csv"})

    assert page.status_code == 400
    assert "Choose a month, written YYYY-MM." in page.text
    assert export.status_code == 400
    assert "YYYY-MM" in export.content.decode()


def test_agents_and_customers_cannot_open_it(agent_client, alice_client):
    assert agent_client.get(URL).status_code == 403
    assert alice_client.get(URL).status_code == 403


@time_machine.travel(NOW, tick=False)
def test_an_administrator_sees_every_queue(month, admin_user, client):
    client.force_login(admin_user)

    report = client.get(URL).context["report"]

    assert report.suggestions_total == 3
    assert report.low_ratings == 2


@requires_postgres("percentile_cont: the percentiles in the figures' own query")
@time_machine.travel(NOW, tick=False)
def test_the_page_costs_the_same_whatever_the_number_of_tickets(
    queue, agent, supervisor, supervisor_client, django_assert_num_queries
):
    def load():
        return supervisor_client.get(reverse("supervisor:voice"))

    customer = CustomerFactory()
    rated(customer, queue, agent, at(12, 1), 2)
    load()
    # Session, user, the suggestions (count, latest), the complaints report (5),
    # the ratings, the follow-ups, the trend, the supervised queues.
    with django_assert_num_queries(15) as few:
        load()
    for day in range(2, 8):
        rated(customer, queue, agent, at(12, day), day % 5 + 1)
        with time_machine.travel(at(12, day), tick=False):
            make_ticket(customer, queue, kind="suggestion")

    with django_assert_num_queries(len(few)):
        load()


def test_the_report_reads_months_in_the_departments_time_zone(queue, agent):
    filters = VoiceFilters(month=date(2026, 12, 1))

    report = voice_of_the_customer(filters)

    assert filters.start < filters.end
    assert report.trend[-1].month == date(2026, 12, 1)


@time_machine.travel(NOW, tick=False)
def test_the_most_read_articles_are_the_months_own(agent, supervisor):
    from knowledge import services as knowledge
    from knowledge.models import ArticleCategory

    help_ = ArticleCategory.objects.create(name="Help", slug="help", position=1)

    def publish(title):
        article = knowledge.write_article(
            title=title, body="Text.", language="en", category=help_, by=agent
        )
        return knowledge.publish_article(article, by=supervisor, today=NOW.date())

    old_favourite, this_month = publish("Opening hours"), publish("New fees")
    for _ in range(5):
        knowledge.record_view(old_favourite, now=at(11, 28))
    knowledge.record_view(old_favourite)
    for _ in range(2):
        knowledge.record_view(this_month)
    # 1 December at 01:30 in Riyadh, the department's time zone.
    knowledge.record_view(this_month, now=datetime(2026, 11, 30, 22, 30, tzinfo=UTC))

    december = voice.extra_sections(VoiceFilters(month=date(2026, 12, 1)))[0]
    november = voice.extra_sections(VoiceFilters(month=date(2026, 11, 1)))[0]

    assert december.rows == [("New fees", 3), ("Opening hours", 1)]
    assert november.rows == [("Opening hours", 5)]
