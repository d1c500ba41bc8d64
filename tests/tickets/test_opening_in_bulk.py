"""Opening a batch of tickets set-based gives each the same ticket, message,
clocks, history and acknowledgement as opening it alone
(tickets/services/opening_in_bulk.py)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helpdesk.channels import Channel
from tickets import emails, services
from tickets.models import CustomerEmail, Ticket
from tickets.services.customers import customers_for_web_requests
from tickets.services.opening_in_bulk import Request, open_tickets

from ..factories import CustomerFactory

pytestmark = pytest.mark.django_db


def _request(customer, queue, **fields):
    return Request(
        customer=customer,
        subject=fields.pop("subject", "Visa renewal"),
        body_text="When will my renewal be ready?",
        channel=Channel.WEB,
        queue=queue,
        language="ar",
        received_at=fields.pop("received_at", timezone.now() - timedelta(minutes=5)),
        **fields,
    )


def _shape(ticket: Ticket) -> dict:
    """What an agent and the SLA sweep see of a new ticket."""
    ticket.refresh_from_db()
    return {
        "status": ticket.status,
        "policy": ticket.sla_policy_id,
        "due": ticket.due_at - ticket.received_at,
        "at_risk": ticket.at_risk_at - ticket.received_at,
        "search": ticket.search_text,
        "history": [(e.action, e.sla_target) for e in ticket.events.order_by("id")],
        "clocks": sorted(
            (c.target, c.status, c.due_at - c.started_at, c.milestones.count())
            for c in ticket.clocks.all()
        ),
        "messages": [
            (m.direction, m.channel, m.body_text, bool(m.email_message_id))
            for m in ticket.messages.all()
        ],
        "emails": [
            (e.kind, e.language, e.to_email) for e in ticket.customer_emails.all()
        ],
    }


def test_a_ticket_opened_in_a_batch_is_the_ticket_opened_alone(queue):
    alone_customer, batch_customer = CustomerFactory(), CustomerFactory()
    at = timezone.now() - timedelta(minutes=5)
    alone = services.open_ticket(
        customer=alone_customer,
        subject="Visa renewal",
        body_text="When will my renewal be ready?",
        channel=Channel.WEB,
        queue=queue,
        received_at=at,
        email_message_id=emails.new_message_id(),
    )
    emails.queue_acknowledgement(alone, language="ar")

    (together, _other) = open_tickets(
        [
            _request(batch_customer, queue, received_at=at),
            _request(CustomerFactory(), queue, subject="Another"),
        ]
    )

    expected = _shape(alone)
    expected["emails"] = [("acknowledgement", "ar", batch_customer.email)]
    assert _shape(together) == expected
    assert together.number != alone.number
    assert together.received_at == at


def test_a_complaint_in_a_batch_is_taken_in_and_its_supervisors_told(queue, supervisor):
    inquiry, complaint = open_tickets(
        [
            _request(CustomerFactory(), queue),
            _request(CustomerFactory(), queue, kind=Ticket.Kind.COMPLAINT),
        ]
    )

    assert complaint.complaint_stage == Ticket.ComplaintStage.ACKNOWLEDGED
    assert supervisor.notifications.get().ticket == complaint
    assert inquiry.complaint_stage == ""
    assert CustomerEmail.objects.filter(kind="acknowledgement").count() == 2


def test_the_tickets_keep_their_links_and_come_back_in_order(queue):
    requests = [
        _request(CustomerFactory(), queue, subject=f"R{n}", tracking_token=f"t{n}")
        for n in range(5)
    ]

    tickets = open_tickets(requests)

    assert [t.subject for t in tickets] == [f"R{n}" for n in range(5)]
    assert [t.tracking_token for t in tickets] == [f"t{n}" for n in range(5)]
    numbers = [int(t.number.rsplit("-", 1)[1]) for t in tickets]
    assert numbers == list(range(numbers[0], numbers[0] + 5))


def test_a_received_time_in_the_future_is_refused_for_the_whole_batch(queue):
    later = timezone.now() + timedelta(hours=1)

    with pytest.raises(Exception, match="cannot be in the future"):
        open_tickets([_request(CustomerFactory(), queue, received_at=later)])

    assert not Ticket.objects.exists()


def test_a_batchs_customers_are_found_by_email_or_made_once_each(db):
    known = CustomerFactory(email="Known@Example.com", name="Known Name", phone="1")
    person = {"phone": "", "language": "en"}

    found = customers_for_web_requests(
        [
            person | {"name": "Someone Else", "email": "known@example.com"},
            person | {"name": "New One", "email": "new@example.com"},
            person | {"name": "New Again", "email": "NEW@example.com "},
        ]
    )

    assert found["known@example.com"] == known
    assert found["known@example.com"].name == "Known Name"
    assert found["new@example.com"].name == "New One"
    assert found["new@example.com"].tier.code == "standard"
    assert found["new@example.com"].search_text
    assert [c.email for c in type(known).objects.order_by("id")] == [
        "Known@Example.com",
        "new@example.com",
    ]
