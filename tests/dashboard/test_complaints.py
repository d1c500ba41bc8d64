"""The complaints report: figures on a small known set of complaints, the
CSV, the filters, who may see it, and a fixed number of queries."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dashboard.reports.complaints import ComplaintFilters, complaint_report
from tickets import services
from tickets.models import RootCause, Ticket

from ..factories import CustomerFactory, make_ticket
from ..markers import requires_postgres

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)
URL = "/supervisor/complaints/"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=UTC)


def complaint(customer, queue, received, **fields):
    with time_machine.travel(received, tick=False):
        return make_ticket(customer, queue, kind="complaint", **fields)


def resolve(ticket, agent, cause, severity, when):
    findings = {
        "severity": severity,
        "root_cause_category": RootCause.objects.get(name=cause),
        "root_cause": "Found.",
        "corrective_action": "Fixed.",
        "resolution_summary": "Done.",
    }
    with time_machine.travel(when, tick=False):
        services.update_complaint(ticket, by=agent, **findings)
        services.update_complaint(ticket, by=agent, **findings, stage="resolved")
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def complaints(queue, other_queue, agent, other_agent, supervisor):
    """Samir twice (accepted; appealed), Huda twice (investigating; resolved
    and unanswered), one in another queue, one too old, one inquiry."""
    Severity = Ticket.Severity
    samir = CustomerFactory(name="Samir")
    huda = CustomerFactory(name="Huda")
    first = complaint(samir, queue, at(1, 8))
    resolve(first, agent, "Delay", Severity.MAJOR, at(1, 18))  # 10 hours
    with time_machine.travel(at(2, 7), tick=False):
        services.accept_resolution(first)
    second = complaint(samir, queue, at(2, 8))
    resolve(second, agent, "Billing error", Severity.MINOR, at(2, 12))
    with time_machine.travel(at(2, 13), tick=False):
        services.appeal_complaint(second, reason="Still charged twice.")
    third = complaint(huda, queue, at(3, 8))
    with time_machine.travel(at(3, 9), tick=False):
        services.update_complaint(
            third,
            by=agent,
            severity=Severity.MODERATE,
            root_cause_category=None,
            root_cause="",
            corrective_action="",
            resolution_summary="",
        )
    fourth = complaint(huda, queue, at(4, 8))
    resolve(fourth, agent, "Billing error", Severity.MINOR, at(4, 12))  # 4 hours
    elsewhere = complaint(CustomerFactory(name="Other"), other_queue, at(4, 9))
    resolve(elsewhere, other_agent, "Delay", Severity.CRITICAL, at(4, 10))
    complaint(samir, queue, NOW - timedelta(days=60))
    with time_machine.travel(at(4, 9), tick=False):
        make_ticket(samir, queue, subject="Just a question")
    return first, second, third, fourth


def figures_of(report):
    return {
        "total": report.total,
        "resolved": report.resolved,
        "median": report.median_hours,
        "average": report.average_hours,
        "acceptance": report.acceptance_rate,
        "appeal": report.appeal_rate,
        "root causes": [(r.label, r.count) for r in report.by_root_cause],
        "severity": [(r.label, r.count) for r in report.by_severity],
        "queues": [(r.label, r.count) for r in report.by_queue],
        "repeated": [(c.name, c.complaints) for c in report.repeated],
    }


@requires_postgres("percentile_cont: the percentiles in the figures' own query")
def test_the_figures_of_a_known_set(complaints, queue, django_assert_num_queries):
    filters = ComplaintFilters(
        start=NOW - timedelta(days=30), end=NOW, queues=(queue.pk,)
    )

    with django_assert_num_queries(5):
        report = complaint_report(filters)

    assert figures_of(report) == {
        "total": 4,
        "resolved": 2,
        "median": 7.0,
        "average": 7.0,
        "acceptance": 1 / 3,
        "appeal": 1 / 3,
        "root causes": [("Billing error", 2), ("Delay", 1), ("Not yet known", 1)],
        "severity": [("Major", 1), ("Moderate", 1), ("Minor", 2)],
        "queues": [("Customer Service", 4)],
        "repeated": [("Huda", 2), ("Samir", 2)],
    }


def test_filters_narrow_every_figure(complaints, queue):
    billing = RootCause.objects.get(name="Billing error")
    filters = ComplaintFilters(
        start=NOW - timedelta(days=30),
        end=NOW,
        queues=(queue.pk,),
        severity=Ticket.Severity.MINOR,
        root_cause=billing.pk,
    )

    report = complaint_report(filters)

    assert (report.total, report.resolved, report.appealed) == (2, 1, 1)
    assert [(c.name, c.complaints) for c in report.repeated] == []


@time_machine.travel(NOW, tick=False)
def test_the_supervisor_sees_their_queues_over_the_last_30_days(
    complaints, supervisor_client
):
    response = supervisor_client.get(URL)

    assert response.status_code == 200
    figures = response.context["report"]
    assert figures.total == 4
    assert [r.label for r in figures.by_queue] == ["Customer Service"]
    assert 'data-testid="figure-median"' in response.text
    assert "7.0 h" in response.text
    assert "33%" in response.text
    samir = Ticket.objects.filter(customer__name="Samir").first().customer
    assert reverse("tickets:customer_detail", args=[samir.pk]) in response.text


@time_machine.travel(NOW, tick=False)
def test_a_queue_the_supervisor_does_not_supervise_is_refused(
    complaints, supervisor_client, other_queue
):
    response = supervisor_client.get(URL, {"queue": other_queue.pk})

    assert response.status_code == 400
    assert "Select a valid choice" in response.text
    assert response.context["report"].total == 4


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"date_from": "2026-12-05", "date_to": "2026-12-01"}, "cannot end before"),
        ({"date_from": "2024-01-01", "date_to": "2026-12-01"}, "at most a year"),
        ({"date_from": "yesterday"}, "Enter a valid date"),
    ],
)
def test_a_bad_period_is_explained(supervisor_client, params, error):
    response = supervisor_client.get(URL, params)

    assert response.status_code == 400
    assert error in response.text


@time_machine.travel(NOW, tick=False)
def test_a_chosen_period_counts_complaints_received_in_it(
    complaints, supervisor_client
):
    response = supervisor_client.get(
        URL, {"date_from": "2026-12-02", "date_to": "2026-12-03"}
    )

    assert response.context["report"].total == 2


@time_machine.travel(NOW, tick=False)
def test_the_csv_has_translated_headers_and_labels(complaints, supervisor_client):
    response = supervisor_client.get(URL, {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["القسم", "البند", "الرقم"]
    assert ["حسب السبب الجذري", "خطأ في الفوترة", "2"] in rows
    assert ["حسب درجة الخطورة", "بسيطة", "2"] in rows
    assert "billing" not in text.lower()


@time_machine.travel(NOW, tick=False)
def test_the_csv_in_english(complaints, supervisor_client):
    response = supervisor_client.get(URL, {"format": "csv"})

    rows = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))
        )
    )
    assert rows[0] == ["Section", "Item", "Figure"]
    assert ["Summary", "Complaints received", "4"] in rows
    assert ["Summary", "Median time to resolve (hours)", "7.0"] in rows
    assert ["Customers with repeated complaints", "Samir", "2"] in rows


def test_a_bad_csv_request_is_a_400(supervisor_client):
    response = supervisor_client.get(URL, {"format": "csv", "severity": "9"})

    assert response.status_code == 400


def test_agents_and_customers_may_not_see_it(agent_client, alice_client, client):
    assert agent_client.get(URL).status_code == 403
    assert alice_client.get(URL).status_code in (302, 403)
    assert client.get(URL).status_code == 302


@requires_postgres("percentile_cont: the percentiles in the figures' own query")
@time_machine.travel(NOW, tick=False)
def test_the_page_costs_the_same_queries_whatever_the_complaints(
    supervisor_client, queue, agent, django_assert_num_queries
):
    with django_assert_num_queries(10) as few:
        supervisor_client.get(URL)
    for n in range(4):
        customer = CustomerFactory(name=f"Repeat {n}")
        for day in (1, 2):
            ticket = complaint(customer, queue, at(day, 8 + n))
            resolve(ticket, agent, "Delay", Ticket.Severity.MAJOR, at(day, 12 + n))

    with django_assert_num_queries(len(few)):
        response = supervisor_client.get(URL)

    assert response.context["report"].total == 8
    assert timezone.now() == NOW
