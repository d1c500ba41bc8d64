"""The output serializers build their fields once per class: what they write
must be what DRF writes with fields built for the object."""

import json

import pytest
from django.utils import timezone

from api.serializers import (
    EventSerializer,
    FieldsBuiltOnce,
    TicketDetailSerializer,
    TicketSerializer,
)
from tickets import services
from tickets.models import Category

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def _fresh_fields(monkeypatch):
    monkeypatch.setattr(
        FieldsBuiltOnce,
        "_readable_fields",
        property(lambda self: [f for f in self.fields.values() if not f.write_only]),
    )


@pytest.fixture
def worked(agent, alice, queue):
    category = Category.objects.create(name="Billing", slug="billing")
    ticket = make_ticket(alice, queue, category=category, body_text="أين فاتورتي؟")
    services.assign_ticket(ticket, agent=agent, by=agent)
    services.reply_to_ticket(ticket, body_text="Sent again", by=agent)
    services.add_note(ticket, body_text="Checked the ledger", by=agent)
    plain = make_ticket(alice, queue)
    return ticket, plain


@pytest.mark.parametrize("zone", ["Asia/Riyadh", "UTC", "America/New_York"])
def test_tickets_messages_and_events_are_written_as_drf_writes_them(
    worked, zone, monkeypatch
):
    ticket, plain = worked
    assert TicketDetailSerializer(ticket).data["number"] == ticket.number  # built

    def written():
        with timezone.override(zone):
            return json.dumps(
                [
                    TicketDetailSerializer(ticket).data,
                    TicketSerializer([ticket, plain], many=True).data,
                    EventSerializer(ticket.events.all(), many=True).data,
                ],
                default=str,
            )

    once = written()
    _fresh_fields(monkeypatch)

    assert once == written()
    assert "Sent again" in once and "billing" in once
