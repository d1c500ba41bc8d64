"""Two agents on one ticket: a reply or note is held back only when the
conversation with the customer moved on since the page was loaded, never for
a change of fields or a colleague's note; field changes keep their guard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets import services
from tickets.models import Message

from ..factories import make_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(alice, queue):
    return make_ticket(alice, queue, subject="Invoice is wrong")


def loaded(ticket):
    """What the agent's page knew when it was loaded."""
    return {
        "seen": services.last_seen_event(ticket),
        "seen_message": services.newest_message(ticket),
    }


def reply(client, ticket, page, text="My careful answer", *, then="", **extra):
    url = reverse("tickets:reply", args=[ticket.number])
    data = {**page, "body_text": text, "channel": "email", "then": then}
    return client.post(url, data, **extra)


def note(client, ticket, page, text="Checked with billing"):
    url = reverse("tickets:note", args=[ticket.number])
    return client.post(url, {**page, "body_text": text})


def customer_writes(ticket, text="Any news? I am still waiting."):
    return services.add_message(
        ticket, direction="inbound", channel="email", body_text=text
    )


def sent(ticket, text="My careful answer"):
    return ticket.messages.filter(body_text=text).count()


# The rule ------------------------------------------------------------------


def test_the_rule_counts_the_customer_and_others_replies_only(
    ticket, agent, supervisor
):
    seen = services.newest_message(ticket)
    services.add_note(ticket, body_text="Internal thought", by=supervisor)
    services.reply_to_ticket(ticket, body_text="Mine", by=agent)
    theirs = services.reply_to_ticket(ticket, body_text="Theirs", by=supervisor)
    services.change_priority(ticket, priority=4, by=supervisor)
    customers = customer_writes(ticket)

    moved = services.correspondence_since(ticket, seen, agent)

    assert moved == [theirs, customers]
    assert services.correspondence_since(ticket, customers.pk, agent) == []


# Held back -----------------------------------------------------------------


def test_a_reply_is_held_back_when_the_customer_wrote_since_the_page_loaded(
    agent_client, ticket
):
    page = loaded(ticket)
    customer_writes(ticket, "Any news? I am still waiting.")

    response = reply(agent_client, ticket, page, then="pending")

    assert response.status_code == 409
    assert sent(ticket) == 0
    warning = response.text.split('data-testid="held-back"')[1].split("</div>")[0]
    assert "Your reply was not sent" in warning
    assert "Alice" in warning and "From the customer" in warning
    assert "Any news? I am still waiting." in warning
    assert 'data-testid="send-anyway"' in warning
    # The button resubmits as the agent first chose: send and set pending.
    assert 'value="pending"' in warning
    assert "My careful answer" in response.text


def test_a_reply_is_held_back_when_another_agent_replied(
    agent_client, supervisor, ticket
):
    page = loaded(ticket)
    services.reply_to_ticket(
        ticket, body_text="We have refunded the difference.", by=supervisor
    )

    response = reply(agent_client, ticket, page)

    assert response.status_code == 409
    assert sent(ticket) == 0
    warning = response.text.split('data-testid="held-back"')[1].split("</div>")[0]
    assert "To the customer" in warning and "supervisor" in warning
    assert "We have refunded the difference." in warning


def test_a_note_is_held_back_when_the_customer_wrote(agent_client, ticket):
    page = loaded(ticket)
    customer_writes(ticket)

    response = note(agent_client, ticket, page)

    assert response.status_code == 409
    assert "Your note was not added" in response.text
    assert "Add the note anyway" in response.text
    assert not ticket.messages.filter(body_text="Checked with billing").exists()


def test_send_anyway_sends_the_reply_once(agent_client, ticket):
    page = loaded(ticket)
    customer_writes(ticket)
    held = reply(agent_client, ticket, page, then="pending")
    form = held.context["forms"]["reply"]

    again = reply(
        agent_client,
        ticket,
        {"seen": form.data["seen"], "seen_message": form.data["seen_message"]},
        then="pending",
    )

    assert again.status_code == 302
    assert sent(ticket) == 1
    ticket.refresh_from_db()
    assert ticket.status == "pending"


def test_a_reply_is_held_again_if_the_customer_writes_once_more(agent_client, ticket):
    page = loaded(ticket)
    customer_writes(ticket, "First nudge")
    held = reply(agent_client, ticket, page)
    customer_writes(ticket, "Second nudge")

    again = reply(
        agent_client,
        ticket,
        {"seen": page["seen"], "seen_message": held.context["forms"]["reply"].data[
            "seen_message"
        ]},
    )  # fmt: skip

    assert again.status_code == 409
    assert [m.body_text for m in again.context["held_back"]] == ["Second nudge"]
    assert sent(ticket) == 0


# Not held back -------------------------------------------------------------


def test_a_reply_goes_through_after_a_status_or_priority_change(
    agent_client, agent, supervisor, ticket
):
    page = loaded(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)
    services.change_status(ticket, status="pending", by=supervisor)
    services.assign_ticket(ticket, agent=supervisor, by=supervisor)

    response = reply(agent_client, ticket, page)

    assert response.status_code == 302
    assert sent(ticket) == 1
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_a_reply_goes_through_after_another_agents_internal_note(
    agent_client, supervisor, ticket
):
    page = loaded(ticket)
    services.add_note(ticket, body_text="I think it is a VAT issue", by=supervisor)

    response = reply(agent_client, ticket, page)

    assert response.status_code == 302
    assert sent(ticket) == 1


def test_a_note_goes_through_after_another_agents_note(
    agent_client, supervisor, ticket
):
    page = loaded(ticket)
    services.add_note(ticket, body_text="I think it is a VAT issue", by=supervisor)

    response = note(agent_client, ticket, page)

    assert response.status_code == 302
    assert ticket.messages.filter(body_text="Checked with billing").exists()


def test_an_agents_own_earlier_reply_does_not_hold_back_the_next(
    agent_client, agent, ticket
):
    page = loaded(ticket)
    services.reply_to_ticket(ticket, body_text="First part", by=agent)

    response = reply(agent_client, ticket, page)

    assert response.status_code == 302


def test_a_reply_without_the_newest_message_seen_is_refused_not_sent(
    agent_client, ticket
):
    response = reply(agent_client, ticket, {"seen": services.last_seen_event(ticket)})

    assert response.status_code == 400
    assert sent(ticket) == 0
    assert "My careful answer" in response.text


# Field changes keep the lost-update guard ----------------------------------


def test_properties_saved_over_another_agents_change_still_get_the_conflict(
    agent_client, agent, supervisor, ticket
):
    page = loaded(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)

    response = agent_client.post(
        reverse("tickets:properties", args=[ticket.number]),
        {
            "seen": page["seen"],
            "status": "new",
            "priority": "1",
            "queue": ticket.queue_id,
            "assignee": agent.pk,
            "kind": "inquiry",
            "category": "",
        },
    )

    assert response.status_code == 409
    assert "changed while you were working on it" in response.text
    ticket.refresh_from_db()
    assert ticket.priority == 4


def test_the_ticket_page_hands_the_newest_message_to_reply_and_note(
    agent_client, ticket
):
    newest = customer_writes(ticket)

    response = agent_client.get(ticket.get_absolute_url())

    forms = response.context["forms"]
    assert forms["reply"].initial["seen_message"] == newest.pk
    assert forms["note"].initial["seen_message"] == newest.pk
    assert f'name="seen_message" value="{newest.pk}"' in response.text
    assert Message.objects.filter(ticket=ticket).count() == 2


def test_the_held_back_reply_is_explained_in_arabic(agent_client, ticket):
    page = loaded(ticket)
    customer_writes(ticket)

    response = reply(agent_client, ticket, page, HTTP_ACCEPT_LANGUAGE="ar")

    assert response.status_code == 409
    assert "لم يُرسَل ردّك" in response.text
    assert "أرسل على أي حال" in response.text


def test_a_call_and_files_are_recorded_whatever_changed_meanwhile(
    agent_client, supervisor, ticket
):
    page = loaded(ticket)
    services.change_priority(ticket, priority=4, by=supervisor)
    customer_writes(ticket)

    call = agent_client.post(
        reverse("tickets:log_contact", args=[ticket.number]),
        {
            **page,
            "channel": "phone",
            "direction": "inbound",
            "body_text": "Called to ask for an update",
            "duration": "7",
        },
    )
    files = agent_client.post(
        reverse("tickets:upload", args=[ticket.number]),
        {**page, "attachments": SimpleUploadedFile("scan.pdf", b"%PDF-1.4")},
    )

    assert call.status_code == 302
    assert files.status_code == 302
    assert ticket.messages.filter(channel="phone").count() == 1
    assert ticket.messages.filter(attachments__original_name="scan.pdf").count() == 1
