"""Logging a contact from anywhere: find or create the customer, open the ticket."""

import pytest
from django.urls import reverse

from customers.models import Customer
from tickets.models import Ticket

pytestmark = pytest.mark.django_db
LOG = reverse("tickets:log")


def form_data(queue, **extra):
    return {
        "channel": "phone",
        "queue": queue.pk,
        "subject": "Meter reading",
        "body_text": "Asked how to send the meter reading.",
        "kind": "inquiry",
        "priority": "2",
        "answered": "on",
        **extra,
    }


def test_a_call_from_a_new_customer_opens_an_answered_ticket(agent_client, queue):
    response = agent_client.post(
        LOG, form_data(queue, new_name="سارة", new_phone="0501112222", duration="4")
    )

    ticket = Ticket.objects.get(subject="Meter reading")
    assert response.status_code == 302
    assert response.url == ticket.get_absolute_url()
    assert ticket.customer.name == "سارة"
    assert ticket.customer.phone == "0501112222"
    assert ticket.first_responded_at == ticket.received_at
    assert ticket.messages.get().details == {"duration_minutes": 4}
    assert Customer.objects.matching("0501112222").get() == ticket.customer


def test_a_call_from_a_known_customer(agent_client, alice, queue):
    agent_client.post(LOG, form_data(queue, customer=alice.pk, answered=""))

    ticket = Ticket.objects.get(subject="Meter reading")
    assert ticket.customer == alice
    assert ticket.first_responded_at is None


def test_no_customer_is_a_clear_error_and_keeps_the_text(agent_client, queue):
    response = agent_client.post(LOG, form_data(queue))

    assert response.status_code == 400
    assert "give the new customer&#x27;s name" in response.text
    assert "Asked how to send the meter reading." in response.text
    assert not Ticket.objects.exists()


def test_a_known_email_is_not_duplicated(agent_client, alice, queue):
    response = agent_client.post(
        LOG, form_data(queue, new_name="Alice again", new_email="ALICE@example.com")
    )

    assert response.status_code == 400
    assert Customer.objects.filter(email__iexact="alice@example.com").count() == 1


def test_only_the_agents_own_queues_are_offered(agent_client, queue, other_queue):
    response = agent_client.post(LOG, form_data(other_queue, new_name="Someone"))

    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_the_form_opens_with_a_customer_chosen(agent_client, alice):
    response = agent_client.get(LOG, {"customer": alice.pk})

    assert response.status_code == 200
    assert 'data-testid="chosen-customer">Alice<' in response.text


def test_an_administrator_may_log_a_contact_in_any_queue(client, admin_user, queue):
    client.force_login(admin_user)

    response = client.post(LOG, form_data(queue, new_name="Someone"))

    assert response.status_code == 302
    assert Ticket.objects.get().queue == queue
