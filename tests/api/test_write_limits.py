"""What no token may write, whatever its role: SLA fields, due times, a
received date in the future, another customer's details. The API's input
serializers name what may be written; anything else is not written."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.views.tickets import etag

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

LIST = reverse("api:ticket-list")
LONG_AGO = "2020-01-01T08:00:00+03:00"
SLA_FIELDS = {
    "due_at": LONG_AGO,
    "first_response_due_at": LONG_AGO,
    "first_responded_at": LONG_AGO,
    "resolved_at": LONG_AGO,
    "sla_policy": 1,
    "sla_state": "met",
    "at_risk_at": LONG_AGO,
}


@pytest.fixture(params=["agent_api", "supervisor_api", "integration_api"])
def caller(request):
    return request.getfixturevalue(request.param)


def _json(**kwargs):
    return {"content_type": "application/json", **kwargs}


def test_creating_a_ticket_ignores_sla_fields_and_due_times(caller, alice):
    response = caller.post(
        LIST,
        {
            "customer": alice.pk,
            "subject": "Meter",
            "body_text": "Broken meter.",
            "channel": "phone",
            "queue": "service",
            **SLA_FIELDS,
        },
        **_json(),
    )

    ticket = alice.tickets.get()
    assert response.status_code == 201
    assert ticket.due_at > ticket.received_at
    assert ticket.first_responded_at is None
    assert ticket.resolved_at is None


def test_a_change_of_sla_fields_alone_is_refused_and_changes_nothing(
    caller, alice, queue
):
    ticket = make_ticket(alice, queue)
    due_at = ticket.due_at

    response = caller.patch(
        reverse("api:ticket-detail", args=[ticket.number]),
        SLA_FIELDS,
        **_json(HTTP_IF_MATCH=etag(ticket)),
    )
    ticket.refresh_from_db()

    assert response.status_code == 400
    assert response.json()["errors"][0]["detail"] == "Nothing to change was sent."
    assert due_at is not None
    assert ticket.due_at == due_at
    assert ticket.first_responded_at is None


def test_sla_fields_sent_with_a_change_are_not_written(caller, agent, alice, queue):
    ticket = make_ticket(alice, queue)
    due_at = ticket.due_at

    response = caller.patch(
        reverse("api:ticket-detail", args=[ticket.number]),
        {"assignee": "agent", **SLA_FIELDS},
        **_json(HTTP_IF_MATCH=etag(ticket)),
    )
    ticket.refresh_from_db()

    assert response.status_code == 200
    assert ticket.assignee == agent
    assert (ticket.due_at, ticket.first_responded_at, ticket.resolved_at) == (
        due_at,
        None,
        None,
    )
    assert due_at is not None


def test_no_received_date_in_the_future_on_a_ticket_or_a_contact(caller, alice, queue):
    ticket = make_ticket(alice, queue)
    future = (timezone.now() + timedelta(minutes=5)).isoformat()

    created = caller.post(
        LIST,
        {
            "customer": alice.pk,
            "subject": "Visit",
            "body_text": "Came in.",
            "channel": "walk_in",
            "queue": "service",
            "received_at": future,
        },
        **_json(),
    )
    contact = caller.post(
        reverse("api:ticket-contact", args=[ticket.number]),
        {"body_text": "They called.", "received_at": future},
        **_json(),
    )

    for response in (created, contact):
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert (error["attr"], error["detail"]) == (
            "received_at",
            "This cannot be in the future.",
        )
    assert alice.tickets.count() == 1
    assert ticket.messages.count() == 1


def test_a_known_customers_email_does_not_change_their_name_or_phone(caller, alice):
    before = (alice.name, alice.phone, alice.email)

    response = caller.post(
        LIST,
        {
            "customer_email": alice.email,
            "customer_name": "Mallory",
            "customer_phone": "+966500000000",
            "subject": "Change my details",
            "body_text": "Please.",
            "channel": "chat",
            "queue": "service",
        },
        **_json(),
    )
    alice.refresh_from_db()

    assert response.status_code == 201
    assert response.json()["customer"]["id"] == alice.pk
    assert (alice.name, alice.phone, alice.email) == before


def test_a_ticket_cannot_be_given_to_another_customer(caller, alice, bob, queue):
    ticket = make_ticket(alice, queue)

    response = caller.patch(
        reverse("api:ticket-detail", args=[ticket.number]),
        {"customer": bob.pk, "customer_email": bob.email, "priority": 4},
        **_json(HTTP_IF_MATCH=etag(ticket)),
    )
    ticket.refresh_from_db()

    assert response.status_code == 200
    assert ticket.customer == alice
    assert ticket.priority == 4
