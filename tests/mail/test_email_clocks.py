"""An email's service-level clocks run from when its mail server received it,
not from when the helpdesk read it."""

import pytest

from mail.intake import ingest
from mail.models import InboundEmail
from sla.models import SLAClock
from tickets import services

from ..sla.test_clocks import at, clock, riyadh
from .builders import raw_email

pytestmark = pytest.mark.django_db
Target = SLAClock.Target


def take(raw):
    return ingest(raw, source=InboundEmail.Source.IMAP)


def test_an_email_read_late_starts_the_written_clocks_when_it_was_received(
    policies, queue
):
    with at("2026-11-30 10:00"):
        ticket = take(raw_email(received=riyadh("2026-11-29 09:00"))).ticket

    first = clock(ticket, Target.FIRST_RESPONSE)
    assert ticket.sla_policy == policies["written"]
    assert ticket.received_at == riyadh("2026-11-29 09:00")
    assert first.started_at == riyadh("2026-11-29 09:00")
    assert first.due_at == riyadh("2026-12-01 09:00")


def test_a_received_time_in_the_future_is_not_believed(policies, queue):
    with at("2026-11-30 10:00"):
        ticket = take(raw_email(received=riyadh("2026-12-05 09:00"))).ticket

    assert ticket.received_at == riyadh("2026-11-30 10:00")


def test_a_customers_emailed_answer_restarts_the_next_response_from_its_receipt(
    policies, queue, agent, bob
):
    with at("2026-11-30 09:00"):
        ticket = take(raw_email(sender=bob.email)).ticket
    with at("2026-11-30 10:00"):
        reply = services.reply_to_ticket(ticket, body_text="Which order?", by=agent)
    with at("2026-11-30 15:00"):
        take(
            raw_email(
                sender=bob.email,
                message_id="<answer@x>",
                headers={"In-Reply-To": reply.email_message_id},
                received=riyadh("2026-11-30 12:00"),
            )
        )

    following = clock(ticket, Target.NEXT_RESPONSE)
    assert following.status == SLAClock.Status.RUNNING
    assert following.started_at == riyadh("2026-11-30 12:00")
    assert following.due_at == riyadh("2026-12-01 12:00")
