"""The bench leaves the bench database as it found it (no timings here)."""

import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from customers.models import Customer
from mail.models import Mailbox
from sla.models import SLAMilestone
from tests.factories import CustomerFactory, make_ticket
from tests.imap_server import requires_dovecot
from tests.markers import requires_postgres
from tickets.models import Notification, Queue, Ticket, TicketEvent

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import imap_bench  # noqa: E402
import mail_bench  # noqa: E402
import run as bench_run  # noqa: E402
import search_fill  # noqa: E402
import sla_bench  # noqa: E402


def snapshot():
    return (
        sorted(SLAMilestone.objects.values_list("id", "at", "reached_at", "sweep")),
        sorted(
            Ticket.objects.values_list(
                "id", "priority", "assignee_id", "is_escalated", "updated_at"
            )
        ),
        sorted(TicketEvent.objects.values_list("id", "action", "milestone_id")),
        Notification.objects.count(),
    )


@requires_postgres("the bench saves and restores rows with PostgreSQL SQL")
@pytest.mark.django_db
def test_sla_bench_sweeps_exactly_the_due_milestones_then_puts_everything_back():
    call_command("seed_volume", tickets=400, seed=4, stdout=StringIO())
    before = snapshot()

    runs = sla_bench.measure_sweeps(due=40, repeat=2, say=print)

    due = [run for run in runs if run.scenario == "40 newly due"]
    idle = [run for run in runs if run.scenario == "nothing new"]
    assert len(due) == len(idle) == 2
    for run in due:
        assert (run.breaches, run.warnings) == (40, 0)
        assert run.notifications >= 40  # each queue has supervisors
    for run in idle:
        assert (run.breaches, run.warnings, run.notifications) == (0, 0, 0)
    assert snapshot() == before


@pytest.mark.django_db
def test_the_bench_supervisors_leave_the_queues_the_sweep_notifies():
    call_command("seed_volume", tickets=20, seed=5, stdout=StringIO())
    seeded = set(Queue.supervisors.through.objects.values_list("queue", "user"))

    bench_run.staff_cookies("supervisor")
    assert len(Queue.supervisors.through.objects.all()) > len(seeded)
    bench_run.release_bench_supervisors()

    assert set(Queue.supervisors.through.objects.values_list("queue", "user")) == (
        seeded
    )


@requires_postgres("the fill copies rows with PostgreSQL's COPY")
@pytest.mark.django_db
def test_the_search_fill_writes_what_the_app_would_for_an_older_database():
    call_command("seed_volume", tickets=60, seed=6, stdout=StringIO())
    seeded = (
        dict(Ticket.objects.values_list("pk", "search_text")),
        dict(Customer.objects.values_list("pk", "search_text")),
    )
    Ticket.objects.update(search_text="")
    Customer.objects.update(search_text="")
    assert search_fill.missing()

    search_fill.fill(lambda *lines: None)

    assert not search_fill.missing()
    assert seeded == (
        dict(Ticket.objects.values_list("pk", "search_text")),
        dict(Customer.objects.values_list("pk", "search_text")),
    )
    assert Ticket.objects.matching("الفاتوره").exists()


@pytest.mark.django_db
def test_the_web_form_scenarios_submissions_are_removed_after_the_pages(queue):
    kept = make_ticket(CustomerFactory(email="noura@example.com"), queue)
    bench = CustomerFactory(email="bench-123-7@example.com")
    make_ticket(bench, queue)

    bench_run.remove_form_tickets()

    assert list(Ticket.objects.all()) == [kept]
    assert not Customer.objects.filter(pk=bench.pk).exists()


@requires_dovecot
@pytest.mark.django_db
def test_the_imap_bench_reads_its_whole_backlog_and_removes_its_mailbox():
    run = imap_bench.measure(messages=30, batch=7, say=print)

    assert run.messages == 30
    assert run.peak_bytes < run.total_bytes
    assert not Mailbox.objects.exists()


def mail_snapshot():
    from mail.models import InboundEmail
    from tickets.models import Attachment, CustomerEmail, Message

    return {
        model.__name__: model.objects.count()
        for model in (
            Ticket,
            Customer,
            Message,
            Attachment,
            CustomerEmail,
            InboundEmail,
        )
    }


@requires_postgres("the mail bench writes its history in PostgreSQL's SQL")
@pytest.mark.django_db
def test_mail_bench_threads_replies_onto_new_tickets_then_puts_everything_back():
    call_command("seed_volume", tickets=60, seed=7, stdout=StringIO())
    mail_bench.add_email_history(lambda *lines: None)
    mail_bench.bench_mailbox()
    history = mail_snapshot()
    mail_bench.add_email_history(lambda *lines: None)  # once only
    assert mail_snapshot() == history

    run = mail_bench.measure(40, warm_up=5, counted=2)

    outcomes = {(timing.kind, timing.outcome) for timing in run.timings}
    assert outcomes == {
        ("new (known customer)", "created"),
        ("new (new customer)", "created"),
        ("reply", "threaded"),
    }
    assert 25_000 < run.mean_bytes < 40_000
    assert set(run.queries) == {kind for kind, _ in outcomes}
    assert mail_snapshot() == history


def test_rounds_are_summed_up_by_the_median_round():
    scenario = bench_run.SCENARIOS[2]

    def round_of(requests, p95):
        return bench_run.Result(scenario, "/", requests, 10.0, 1.0, p95, 0, 5, 200, 1)

    rounds = [round_of(300, 9.0), round_of(100, 30.0), round_of(200, 12.0)]

    assert bench_run.median_result(rounds).p95_ms == 12.0
    # An even number: the lower middle, a real round's own figures.
    assert bench_run.median_result(rounds[:2]).per_second == 10.0


def test_each_scenario_is_judged_by_the_status_it_should_answer():
    expected = {s.name: s.expected_status for s in bench_run.SCENARIOS}

    assert expected["web form submission"] == 302
    assert expected["API ticket create"] == 201
    assert expected["agent queue: all open, most urgent first"] == 200
    assert expected["API ticket list"] == 200
