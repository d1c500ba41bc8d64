"""Agents allow extra addresses onto a ticket; the page shows who may write."""

import pytest
from django.test import Client

from mail.intake import ingest
from mail.models import InboundEmail, TicketAddress

from ..factories import make_ticket
from .builders import raw_email

pytestmark = pytest.mark.django_db


def test_an_agent_allows_an_address_and_its_mail_then_joins_the_ticket(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = agent_client.post(
        f"/agent/tickets/{ticket.number}/addresses/", {"email": "Lawyer@Example.net"}
    )
    page = agent_client.get(response.url).content.decode()
    result = ingest(
        raw_email(sender="lawyer@example.net", subject=f"Re: {ticket.number}"),
        source=InboundEmail.Source.COMMAND,
    )

    assert "lawyer@example.net may write by email" in page
    assert result.ticket == ticket


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an address", "Enter a valid email address."),
        ("ALICE@example.com", "customer&#x27;s own address"),
    ],
)
def test_a_bad_address_gets_a_clear_message(agent_client, alice, queue, email, message):
    alice.email = "alice@example.com"
    alice.save()
    ticket = make_ticket(alice, queue)

    response = agent_client.post(
        f"/agent/tickets/{ticket.number}/addresses/", {"email": email}, follow=True
    )

    assert message in response.content.decode()
    assert not TicketAddress.objects.exists()


def test_the_same_address_twice_is_refused_with_a_message(agent_client, alice, queue):
    ticket = make_ticket(alice, queue)
    url = f"/agent/tickets/{ticket.number}/addresses/"
    agent_client.post(url, {"email": "x@example.net"})

    response = agent_client.post(url, {"email": "X@example.net"}, follow=True)

    assert "may already write" in response.content.decode()
    assert TicketAddress.objects.count() == 1


def test_a_removed_address_no_longer_joins_the_ticket(
    agent_client, agent, alice, queue
):
    ticket = make_ticket(alice, queue)
    address = TicketAddress.objects.create(ticket=ticket, email="x@example.net")

    response = agent_client.post(
        f"/agent/tickets/{ticket.number}/addresses/{address.pk}/remove/", follow=True
    )
    assert "x@example.net may no longer write by email" in response.content.decode()
    result = ingest(
        raw_email(sender="x@example.net", subject=f"Re: {ticket.number}"),
        source=InboundEmail.Source.COMMAND,
    )

    assert result.ticket != ticket


def test_agents_of_other_queues_and_customers_cannot_change_addresses(
    alice, queue, other_agent, alice_client
):
    ticket = make_ticket(alice, queue)
    other = Client()
    other.force_login(other_agent)

    for client in (other, alice_client):
        response = client.post(
            f"/agent/tickets/{ticket.number}/addresses/", {"email": "x@example.net"}
        )
        assert response.status_code in (403, 404)
    assert not TicketAddress.objects.exists()
