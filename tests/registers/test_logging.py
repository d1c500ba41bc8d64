"""Logging a letter or fax registers it in the incoming register."""

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registers.models import RegisterEntry
from tickets import services
from tickets.models import Ticket

from ..factories import make_ticket

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def letter(queue, **extra):
    return {
        "channel": "letter",
        "queue": queue.pk,
        "subject": "Objection to the bill",
        "body_text": "The letter objects to the November bill.",
        "kind": "complaint",
        "priority": "2",
        **extra,
    }


@time_machine.travel(NOW, tick=False)
def test_a_logged_letter_opens_a_ticket_and_is_registered(agent_client, alice, queue):
    response = agent_client.post(
        reverse("tickets:log"),
        letter(queue, customer=alice.pk, received_at="2026-12-03T09:00"),
        follow=True,
    )

    ticket = Ticket.objects.get(subject="Objection to the bill")
    entry = RegisterEntry.objects.get()
    assert entry.number == "IN-2026-000001"
    assert entry.dated == dt.date(2026, 12, 3)  # the received stamp
    assert entry.ticket == ticket
    assert entry.message == ticket.messages.get()
    assert entry.party_name == "Alice"
    assert "Registered as incoming IN-2026-000001." in response.text
    assert 'data-testid="register-number"' in response.text


@time_machine.travel(NOW, tick=False)
def test_a_fax_on_an_existing_ticket_is_registered_with_its_reference(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)

    response = agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            "seen": services.last_seen_event(ticket),
            "channel": "fax",
            "direction": "inbound",
            "body_text": "Fax with the receipt",
            "reference": "MIN/2026/77",
        },
        follow=True,
    )

    entry = RegisterEntry.objects.get()
    assert entry.channel == "fax"
    assert entry.their_reference == "MIN/2026/77"
    assert entry.dated == dt.date(2026, 12, 7)
    assert "Registered as incoming IN-2026-000001." in response.text


def test_calls_and_outgoing_letters_are_not_registered_as_incoming(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)
    agent_client.post(
        reverse("tickets:log"), letter(queue, customer=alice.pk, channel="phone")
    )
    agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            "seen": services.last_seen_event(ticket),
            "channel": "letter",
            "direction": "outbound",
            "body_text": "Posted the answer",
        },
    )

    assert not RegisterEntry.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_hand_delivered_letter_keeps_its_stamp_reference_date_and_scans(
    agent_client, alice, queue
):
    scan = SimpleUploadedFile("page-1.pdf", b"%PDF-1.4 scanned", "application/pdf")

    response = agent_client.post(
        reverse("tickets:log"),
        letter(
            queue,
            customer=alice.pk,
            received_at="2026-12-06T11:30",
            hand_delivered="on",
            sender_organisation="وزارة التجارة",
            reference="م/ت/1448/55",
            reference_date="2026-12-01",
            attachments=[scan],
        ),
        follow=True,
    )

    ticket = Ticket.objects.get(subject="Objection to the bill")
    message = ticket.messages.get()
    entry = RegisterEntry.objects.get()
    assert entry.channel == "hand"
    assert entry.party_organisation == "وزارة التجارة"
    assert entry.their_reference == "م/ت/1448/55"
    assert entry.their_date == dt.date(2026, 12, 1)
    assert entry.dated == dt.date(2026, 12, 6)
    # The received stamp starts the clocks and dates the timeline entry.
    assert ticket.received_at == dt.datetime(2026, 12, 6, 8, 30, tzinfo=dt.UTC)
    assert message.received_at == ticket.received_at
    assert [a.original_name for a in message.attachments.all()] == ["page-1.pdf"]
    page = response.text
    assert 'data-testid="paper-details"' in page
    assert "وزارة التجارة" in page and "م/ت/1448/55" in page


@time_machine.travel(NOW, tick=False)
def test_a_letter_joining_a_ticket_dates_the_reply_clock_by_its_stamp(
    agent_client, alice, queue
):
    ticket = make_ticket(alice, queue)

    agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            "seen": services.last_seen_event(ticket),
            "channel": "letter",
            "direction": "inbound",
            "body_text": "A second letter with the missing papers",
            "received_at": "2026-12-06T09:00",
            "reference_date": "2026-12-02",
        },
    )

    message = ticket.messages.latest("id")
    assert message.received_at == dt.datetime(2026, 12, 6, 6, 0, tzinfo=dt.UTC)
    entry = RegisterEntry.objects.get()
    assert entry.dated == dt.date(2026, 12, 6)
    assert entry.their_date == dt.date(2026, 12, 2)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("extra", "field", "error"),
    [
        ({"received_at": "2026-12-09T09:00"}, "received_at", "in the future"),
        ({"reference_date": "2027-01-01"}, "reference_date", "in the future"),
        ({"channel": "phone", "hand_delivered": "on"}, "hand_delivered", "by hand"),
        ({"reference_date": "1st of December"}, "reference_date", "valid date"),
    ],
)
def test_bad_paper_details_are_refused_and_the_text_kept(
    agent_client, alice, queue, extra, field, error
):
    response = agent_client.post(
        reverse("tickets:log"), letter(queue, customer=alice.pk, **extra)
    )

    assert response.status_code == 400
    assert error in str(response.context["form"].errors[field])
    assert "The letter objects to the November bill." in response.text
    assert not Ticket.objects.exists()
    assert not RegisterEntry.objects.exists()
