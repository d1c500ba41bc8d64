import pytest
from django.core.exceptions import ValidationError

from helpdesk.channels import Channel
from tickets import services
from tickets.models import Message, Ticket, TicketEvent

from ..factories import make_ticket

pytestmark = pytest.mark.django_db
Status = Ticket.Status


def actions(ticket):
    """The ticket's history without its SLA ledger (tested in test_clocks.py)."""
    return list(
        ticket.events.exclude(action__in=TicketEvent.Action.sla()).values_list(
            "action", "old_value", "new_value"
        )
    )


def test_open_ticket_numbers_the_ticket_and_records_the_first_message(alice, queue):
    ticket = make_ticket(alice, queue, subject="فاتورة خاطئة", body_text="المبلغ مكرر")

    assert ticket.number.startswith("HD-")
    assert ticket.status == Status.NEW
    message = ticket.messages.get()
    assert message.direction == Message.Direction.INBOUND
    assert message.body_text == "المبلغ مكرر"
    assert actions(ticket) == [("created", "", ticket.number)]


def test_each_new_ticket_gets_the_next_number(alice, queue):
    first = make_ticket(alice, queue)
    second = make_ticket(alice, queue)

    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_received_date_in_the_future_is_refused(alice, queue):
    from django.utils import timezone

    with pytest.raises(ValidationError):
        make_ticket(alice, queue, received_at=timezone.now() + timezone.timedelta(1))


def test_first_public_reply_is_the_first_response_and_opens_the_ticket(
    alice, queue, agent
):
    ticket = make_ticket(alice, queue)

    services.reply_to_ticket(ticket, body_text="We are on it.", by=agent)
    services.reply_to_ticket(ticket, body_text="Shipped today.", by=agent)

    ticket.refresh_from_db()
    first_reply = ticket.messages.filter(direction="outbound").first()
    assert ticket.status == Status.OPEN
    assert ticket.first_responded_at == first_reply.created_at
    assert ("status", "new", "open") in actions(ticket)


def test_a_logged_call_back_counts_as_a_reply_on_its_own_channel(alice, queue, agent):
    ticket = make_ticket(alice, queue, channel=Channel.EMAIL)

    message = services.reply_to_ticket(
        ticket,
        body_text="Called her back.",
        by=agent,
        channel=Channel.PHONE,
        details={"duration_seconds": 240, "outcome": "answered"},
    )

    assert message.channel == Channel.PHONE
    assert message.details["outcome"] == "answered"
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None


def test_internal_note_is_not_a_response(alice, queue, agent):
    ticket = make_ticket(alice, queue)

    services.add_note(ticket, body_text="Checked the warehouse.", by=agent)

    ticket.refresh_from_db()
    assert ticket.first_responded_at is None
    assert ticket.status == Status.NEW


def test_customer_reply_reopens_a_resolved_ticket(alice, queue, agent):
    ticket = make_ticket(alice, queue)
    services.change_status(ticket, status=Status.RESOLVED, by=agent)

    services.add_message(ticket, direction="inbound", body_text="Still broken.")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert ticket.resolved_at is None
    assert ("status", "resolved", "open") in actions(ticket)


def test_customer_reply_takes_a_pending_ticket_back_to_open(alice, queue, agent):
    ticket = make_ticket(alice, queue)
    services.change_status(ticket, status=Status.PENDING, by=agent)

    services.add_message(ticket, direction="inbound", body_text="Here is the photo.")

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([Status.RESOLVED, Status.CLOSED], Status.OPEN),
        ([Status.CLOSED], Status.PENDING),
        ([Status.OPEN], Status.NEW),
    ],
)
def test_workflow_refuses_impossible_status_changes(alice, queue, agent, path, refused):
    ticket = make_ticket(alice, queue)
    for status in path:
        services.change_status(ticket, status=status, by=agent)

    with pytest.raises(services.InvalidTransition):
        services.change_status(ticket, status=refused, by=agent)

    ticket.refresh_from_db()
    assert ticket.status == path[-1]


def test_resolving_and_closing_stamp_their_times(alice, queue, agent):
    ticket = make_ticket(alice, queue)

    services.change_status(ticket, status=Status.RESOLVED, by=agent)
    resolved_at = ticket.resolved_at
    services.change_status(ticket, status=Status.CLOSED, by=agent)

    ticket.refresh_from_db()
    assert resolved_at is not None
    assert ticket.resolved_at == resolved_at
    assert ticket.closed_at is not None


def test_closed_ticket_takes_no_more_correspondence(alice, queue, agent):
    ticket = make_ticket(alice, queue)
    services.change_status(ticket, status=Status.CLOSED, by=agent)

    with pytest.raises(services.InvalidTransition):
        services.add_message(ticket, direction="inbound", body_text="Hello?")

    assert ticket.messages.count() == 1


def test_assignment_is_recorded_and_only_agents_take_tickets(alice, bob, queue, agent):
    ticket = make_ticket(alice, queue)

    services.assign_ticket(ticket, agent=agent, by=agent)
    with pytest.raises(ValidationError):
        services.assign_ticket(ticket, agent=bob.user, by=agent)

    ticket.refresh_from_db()
    assert ticket.assignee == agent
    # The history names the agent as colleagues know them, not by login.
    assert ("assigned", "", "Omar") in actions(ticket)


def test_changes_of_priority_kind_queue_channel_and_category_are_recorded(
    alice, queue, other_queue, agent
):
    from ..factories import CategoryFactory

    ticket = make_ticket(alice, queue)
    category = CategoryFactory(name="Billing", slug="billing")

    services.change_priority(ticket, priority=Ticket.Priority.URGENT, by=agent)
    services.change_kind(ticket, kind=Ticket.Kind.COMPLAINT, by=agent)
    services.move_to_queue(ticket, queue=other_queue, by=agent)
    services.change_channel(ticket, channel=Channel.LETTER, by=agent)
    services.change_category(ticket, category=category, by=agent)

    recorded = {action: (old, new) for action, old, new in actions(ticket)}
    assert recorded["priority"] == ("2", "4")
    assert recorded["kind"] == ("inquiry", "complaint")
    assert recorded["queue"] == ("Customer Service", "Billing")
    assert recorded["channel"] == ("email", "letter")
    assert recorded["category"] == ("", "Billing")
    # A ticket made a complaint is acknowledged (the complaint workflow).
    assert recorded["complaint"] == ("", "acknowledged")
    assert (
        TicketEvent.objects.filter(ticket=ticket, actor=agent)
        .exclude(action__in=TicketEvent.Action.sla())
        .count()
        == 6
    )


def test_unknown_priority_is_refused(alice, queue, agent):
    ticket = make_ticket(alice, queue)

    with pytest.raises(ValidationError):
        services.change_priority(ticket, priority=99, by=agent)


def test_html_from_customers_is_sanitised(alice, queue):
    ticket = make_ticket(
        alice,
        queue,
        body_html='<p dir="rtl" onclick="x()">مرحبا</p><script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a><img src=x onerror=alert(1)>',
    )

    html = ticket.messages.get().body_html
    assert "مرحبا" in html
    assert 'dir="rtl"' in html
    for dangerous in ("<script", "onclick", "javascript:", "<img", "onerror"):
        assert dangerous not in html


def test_attachments_are_stored_with_size_type_and_checksum(alice, queue):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"%PDF-1.4 scanned letter"
    upload = SimpleUploadedFile("letter.pdf", content, content_type="application/pdf")

    ticket = make_ticket(alice, queue, attachments=[upload])

    attachment = ticket.messages.get().attachments.get()
    assert attachment.original_name == "letter.pdf"
    assert attachment.size == len(content)
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert "letter.pdf" not in attachment.file.name
    assert attachment.file.read() == content


def test_bulk_change_leaves_a_refused_ticket_exactly_as_it_was(agent, alice, queue):
    refused = make_ticket(alice, queue, subject="Refused")
    accepted = make_ticket(alice, queue, subject="Accepted")
    services.change_status(refused, status="pending", by=agent)
    services.change_status(accepted, status="pending", by=agent)
    services.change_status(refused, status="closed", by=agent)
    events_before = actions(refused)

    changed, refused_rows = services.bulk_change(
        [refused, accepted], by=agent, assignee=agent, status="open"
    )

    refused.refresh_from_db()
    accepted.refresh_from_db()
    assert changed == [accepted]
    assert [(t, "A ticket cannot go from Closed to Open.") for t in [refused]] == (
        refused_rows
    )
    assert refused.assignee is None
    assert actions(refused) == events_before
    assert (accepted.assignee, accepted.status) == (agent, "open")
