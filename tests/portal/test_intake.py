"""The web form's kept requests: accepted at once, opened by a worker, and
never lost on the way (portal/intake.py)."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from helpdesk import reference
from portal import intake
from portal.models import WebSubmission
from portal.tasks import open_web_requests
from tickets.models import Queue, Ticket

from ..markers import requires_postgres, requires_redis
from ..worker import running_worker, wait_for
from .test_support import _fresh_rate_limits, form_data  # noqa: F401 (autouse)

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_worker(monkeypatch):
    """The form as it is while no worker has picked its request up yet."""
    monkeypatch.setattr(intake, "wake_worker", lambda: None)


def _submit(client, **fields):
    response = client.post(reverse("portal:new"), form_data(**fields))
    assert response.status_code == 302, response.text
    return response


def test_the_confirmation_says_the_request_is_being_registered_until_it_is(
    client, queue, no_worker
):
    response = _submit(client, subject="Card charged twice")
    waiting = client.get(response.url)

    assert waiting.status_code == 200
    assert waiting["Refresh"] == "2"
    assert waiting["Cache-Control"] == "private, no-store"
    assert "We are registering it now" in waiting.text
    assert "Card charged twice" in waiting.text

    intake.open_waiting()
    received = client.get(response.url)

    ticket = Ticket.objects.get()
    assert ticket.number in received.text
    assert "Refresh" not in received
    assert "We are registering it now" not in received.text


def test_the_tracking_link_before_the_ticket_exists_shows_the_same_waiting_page(
    client, queue, no_worker
):
    submission = intake.accept_web_request(
        name="Sam",
        email="sam@example.com",
        subject="Visa",
        body_text="Where is my visa?",
        language="en",
    )

    page = client.get(reverse("portal:track", args=[submission.tracking_token]))

    assert page.status_code == 200
    assert "We are registering it now" in page.text


def test_a_link_nobody_was_given_is_not_found(client, queue):
    assert client.get(reverse("portal:received", args=["nope"])).status_code == 404
    assert client.get(reverse("portal:track", args=["nope"])).status_code == 404


def test_a_double_click_before_the_worker_opens_it_is_one_request(
    client, queue, no_worker
):
    first = _submit(client, form_token="tok-1")
    second = _submit(client, form_token="tok-1")

    assert first.url == second.url
    assert intake.open_waiting() == 1
    assert Ticket.objects.count() == 1


def test_a_request_that_cannot_be_opened_waits_with_the_reason(
    client, queue, no_worker
):
    """With no queue to receive it, the request is kept, not lost; it is
    opened once a queue exists."""
    _submit(client, subject="Nobody to receive me")
    Queue.objects.all().delete()
    reference.forget("default-queue")

    assert intake.open_waiting() == 0

    submission = WebSubmission.objects.get()
    assert submission.ticket is None
    assert submission.attempts == 1
    assert "No queue is set up" in submission.last_error

    Queue.objects.create(name="Front desk", slug="front-desk", is_default=True)
    reference.forget("default-queue")
    assert intake.open_waiting() == 1
    assert Ticket.objects.get().subject == "Nobody to receive me"
    reference.forget("default-queue")


def test_when_the_batch_fails_each_request_is_opened_on_its_own(
    client, queue, no_worker, monkeypatch
):
    def fail(requests):
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(intake, "open_tickets", fail)
    for n in range(3):
        _submit(client, email=f"c{n}@example.com")

    assert intake.open_waiting() == 3

    assert not WebSubmission.objects.waiting().exists()
    assert Ticket.objects.count() == 3


def test_a_burst_wakes_the_worker_once(client, queue, monkeypatch):
    started = []
    monkeypatch.setattr(
        intake.background, "start", lambda task, *args: started.append(task)
    )
    for n in range(5):
        _submit(client, email=f"c{n}@example.com")

    assert started == ["portal.tasks.open_web_requests"]
    assert WebSubmission.objects.waiting().count() == 5

    open_web_requests()  # the worker clears the flag as it starts
    _submit(client, email="late@example.com")

    assert len(started) == 2


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_opens_what_the_form_accepted(client, queue, monkeypatch):
    with running_worker() as worker_queue:
        monkeypatch.setattr(
            intake,
            "wake_worker",
            lambda: open_web_requests.apply_async(queue=worker_queue),
        )
        response = _submit(client, email="real@example.com", subject="Through Redis")

        opened = Ticket.objects.filter(subject="Through Redis")
        assert wait_for(opened.exists)

    ticket = Ticket.objects.get(subject="Through Redis")
    assert response.url == reverse("portal:received", args=[ticket.tracking_token])
    assert ticket.customer.email == "real@example.com"
    assert WebSubmission.objects.get().ticket == ticket
    assert ticket.number in client.get(response.url).text
