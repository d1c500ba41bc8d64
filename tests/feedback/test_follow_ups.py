"""A rating of 1 or 2 opens a follow-up for the queue's supervisor, through
the same service the portal's rating form calls; supervisors list and close
them."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from feedback.models import FollowUp
from portal.services import rate_ticket
from tickets import services
from tickets.models import Notification

from ..factories import CustomerFactory, make_staff, make_ticket

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
LIST = "/supervisor/follow-ups/"


def resolved(customer, queue, agent, **fields):
    ticket = make_ticket(customer, queue, **fields)
    services.change_status(ticket, status="resolved", by=agent)
    return ticket


@time_machine.travel(NOW, tick=False)
def test_a_rating_of_two_opens_a_follow_up_for_the_queues_supervisor(
    alice, queue, agent, supervisor, django_capture_on_commit_callbacks
):
    ticket = resolved(alice, queue, agent)

    with django_capture_on_commit_callbacks():
        rate_ticket(ticket, score=2, comment=" Nobody called me back. ", by=alice.user)

    follow_up = FollowUp.objects.get(ticket=ticket)
    assert follow_up.assignee == supervisor
    assert follow_up.comment == "Nobody called me back."
    assert follow_up.rating == 2
    assert follow_up.due_at == NOW + timedelta(days=2)
    assert follow_up.is_open
    notification = Notification.objects.get(recipient=supervisor)
    assert notification.kind == Notification.Kind.LOW_RATING
    assert notification.ticket == ticket


def test_the_portals_rating_form_opens_it_too(
    alice, alice_client, queue, agent, supervisor
):
    ticket = resolved(alice, queue, agent)

    alice_client.post(
        reverse("portal:rate", args=[ticket.number]),
        {"score": "1", "comment": "Rude answer."},
    )

    assert FollowUp.objects.get(ticket=ticket).comment == "Rude answer."


@pytest.mark.parametrize("score", [3, 4, 5])
def test_a_good_rating_opens_none(alice, queue, agent, supervisor, score):
    ticket = resolved(alice, queue, agent)

    rate_ticket(ticket, score=score, comment="Fine.")

    assert not FollowUp.objects.exists()
    assert not Notification.objects.filter(kind="low_rating").exists()


def test_a_queue_without_supervisor_still_gets_its_follow_up(alice, queue, agent):
    ticket = resolved(alice, queue, agent)

    rate_ticket(ticket, score=1)

    assert FollowUp.objects.get(ticket=ticket).assignee is None


@time_machine.travel(NOW, tick=False)
def test_supervisors_see_their_queues_follow_ups_and_mark_them_done(
    alice, queue, other_queue, agent, other_agent, supervisor, supervisor_client
):
    mine = resolved(alice, queue, agent, subject="Mine")
    theirs = resolved(alice, other_queue, other_agent, subject="Theirs")
    rate_ticket(mine, score=1, comment="Slow.")
    rate_ticket(theirs, score=2, comment="Rude.")

    page = supervisor_client.get(LIST)
    follow_up = FollowUp.objects.get(ticket=mine)
    refused = supervisor_client.post(
        reverse("feedback:done", args=[FollowUp.objects.get(ticket=theirs).pk]),
        {"outcome": "Called."},
    )
    supervisor_client.post(
        reverse("feedback:done", args=[follow_up.pk]),
        {"outcome": "Called her; apologised and refunded the fee."},
    )

    assert [f.ticket for f in page.context["open"]] == [mine]
    assert "Slow." in page.text
    assert "Rude." not in page.text
    assert refused.status_code == 404
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUp.Status.DONE
    assert follow_up.done_by == supervisor
    assert follow_up.done_at == NOW


def test_done_needs_what_was_done(alice, queue, agent, supervisor, supervisor_client):
    ticket = resolved(alice, queue, agent)
    rate_ticket(ticket, score=1)
    follow_up = FollowUp.objects.get()

    response = supervisor_client.post(
        reverse("feedback:done", args=[follow_up.pk]), {"outcome": " "}, follow=True
    )

    assert "Say what was done" in response.text
    follow_up.refresh_from_db()
    assert follow_up.is_open


def test_agents_and_customers_cannot_open_the_list(agent_client, alice_client):
    assert agent_client.get(LIST).status_code == 403
    assert alice_client.get(LIST).status_code == 403


def test_the_list_costs_the_same_whatever_the_number_of_follow_ups(
    queue, agent, supervisor, supervisor_client, django_assert_num_queries
):
    def low_rating():
        ticket = resolved(CustomerFactory(), queue, agent)
        rate_ticket(ticket, score=1, comment="No.")

    low_rating()
    supervisor_client.get(LIST)
    # Session, user, the supervised queues' open and done follow-ups.
    with django_assert_num_queries(4):
        supervisor_client.get(LIST)
    for _ in range(4):
        low_rating()
    other = make_staff("helper", "Supervisors")
    queue.supervisors.add(other)

    with django_assert_num_queries(4):
        response = supervisor_client.get(LIST)

    assert len(response.context["open"]) == 5


def test_the_supervisor_is_emailed_the_customers_rating(
    alice, queue, agent, supervisor, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = resolved(alice, queue, agent)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        rate_ticket(ticket, score=1, comment="Nobody called.")

    [email] = mailoutbox
    assert email.to == [supervisor.email]
    assert "Low rating to follow up" in email.subject
    assert "Alice rated" in email.body
    assert "Alice rated" in email.alternatives[0][0]
