"""One writer of ticket history: verbs, clock rules and the sweep alike."""

import pytest

from sla import ledger
from sla.ledger import LedgerEntry
from tickets import services
from tickets.history import record_event, ticket_event
from tickets.models import TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


def test_values_are_kept_as_text_cut_to_the_column(bob, queue, agent):
    ticket = make_ticket(bob, queue)

    event = record_event(
        ticket, TicketEvent.Action.PRIORITY, by=agent, old=None, new="x" * 300
    )

    event.refresh_from_db()
    assert (event.actor, event.old_value, len(event.new_value)) == (agent, "", 250)


def test_a_ledger_entry_is_built_with_its_clock_and_details(bob, queue):
    ticket = make_ticket(bob, queue)

    event = ticket_event(
        ticket,
        TicketEvent.Action.SLA_PAUSED,
        target="resolution",
        details=LedgerEntry(used_minutes=5).to_details(),
    )

    assert event.pk is None
    assert event.sla_target == "resolution"
    assert LedgerEntry.from_details(event.details).used_minutes == 5


def test_verbs_and_clock_rules_write_the_same_shape(policies, bob, queue, agent):
    ticket = make_ticket(bob, queue, by=agent)

    services.change_priority(ticket, priority=4, by=agent)

    change = ticket.events.get(action="priority")
    chosen = ticket.events.filter(action="sla_policy").latest("id")
    assert (change.actor, change.old_value, change.new_value) == (agent, "2", "4")
    assert (chosen.actor, chosen.old_value, chosen.new_value) == (
        agent,
        "T written",
        "T urgent",
    )
    assert LedgerEntry.from_details(chosen.details).version == ledger.VERSION
