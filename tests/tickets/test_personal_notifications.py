"""Notifications about you in particular: a ticket assigned to you, the
customer's reply on your ticket, your name in a colleague's note, a memo to
your queue; emailed unless you chose in-app only."""

import pytest
from django.utils import timezone, translation

from mail.intake import ingest
from mail.models import InboundEmail
from memos.services import send_memo
from tickets import notifications, services
from tickets.models import Message, Notification
from tickets.permissions import AGENTS
from tickets.templatetags.helpdesk import notification_sentence

from ..factories import CustomerFactory, make_staff, make_ticket
from ..mail.builders import raw_email

pytestmark = pytest.mark.django_db


def told(kind=None):
    """(recipient, kind) of every notification, sorted."""
    rows = Notification.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    return sorted(rows.values_list("recipient__username", "kind"))


@pytest.fixture
def colleague(queue):
    user = make_staff("layla", AGENTS, first_name="Layla", last_name="Saleh")
    queue.agents.add(user)
    return user


@pytest.fixture
def ticket(bob, queue):
    return make_ticket(bob, queue, subject="Refund not received")


# Assigned -----------------------------------------------------------------


def test_an_agent_given_a_ticket_by_someone_else_is_told(ticket, agent, supervisor):
    services.assign_ticket(ticket, agent=agent, by=supervisor)

    assert told() == [("agent", "assigned")]
    notification = Notification.objects.get()
    assert notification_sentence(notification) == (
        f"supervisor assigned {ticket.number} to you."
    )


def test_taking_a_ticket_yourself_tells_nobody(ticket, agent):
    services.assign_ticket(ticket, agent=agent, by=agent)
    services.assign_ticket(ticket, agent=None, by=agent)

    assert told() == []


def test_a_ticket_passed_on_tells_the_new_assignee_only(
    ticket, agent, colleague, supervisor
):
    services.assign_ticket(ticket, agent=agent, by=agent)
    services.assign_ticket(ticket, agent=colleague, by=agent)

    assert told() == [("layla", "assigned")]
    assert notification_sentence(Notification.objects.get()) == (
        f"Omar assigned {ticket.number} to you."
    )


# The customer's reply -----------------------------------------------------


def test_a_customers_reply_on_my_ticket_reaches_me(
    ticket, agent, supervisor, bob_client
):
    services.assign_ticket(ticket, agent=agent, by=agent)

    response = bob_client.post(
        f"/support/tickets/{ticket.number}/reply/", {"message": "Any news?"}
    )

    assert response.status_code in (200, 302)
    assert Message.objects.filter(body_text="Any news?").exists()
    assert told() == [("agent", "reply")]
    assert notification_sentence(Notification.objects.get()) == (
        f"Bob replied on {ticket.number}."
    )


def test_an_emailed_reply_reaches_the_assignee(queue, agent, supervisor):
    layla = CustomerFactory(name="Layla", email="layla@example.com")
    ticket = make_ticket(layla, queue)
    services.assign_ticket(ticket, agent=agent, by=supervisor)
    Notification.objects.all().delete()

    ingest(
        raw_email(subject=f"Re: [{ticket.number}] my parcel"),
        source=InboundEmail.Source.COMMAND,
    )

    assert ticket.messages.filter(direction="inbound").count() == 2
    assert told() == [("agent", "reply")]


def test_a_reply_on_an_unassigned_ticket_tells_nobody_in_person(ticket):
    services.add_message(ticket, direction="inbound", body_text="Hello?")

    assert told("reply") == []


def test_a_call_the_assignee_logs_themself_tells_nobody(ticket, agent):
    services.assign_ticket(ticket, agent=agent, by=agent)

    services.add_message(
        ticket, direction="inbound", channel="phone", body_text="Called", by=agent
    )

    assert told() == []


# Mentions -----------------------------------------------------------------


def test_a_mention_in_a_note_reaches_the_colleague_named(ticket, agent, colleague):
    services.add_note(ticket, body_text="@layla could you check the refund?", by=agent)

    assert told() == [("layla", "mention")]
    notification = Notification.objects.get()
    assert notification_sentence(notification) == (
        f"Omar mentioned you in a note on {ticket.number}."
    )


def test_mentions_skip_the_writer_strangers_and_whoever_cannot_see_the_ticket(
    ticket, agent, colleague, other_agent, supervisor
):
    text = (
        "@agent @other-agent @bob @nobody and mail layla@example.com; "
        "@Supervisor, @supervisor. @LAYLA"
    )
    services.add_note(ticket, body_text=text, by=agent)

    # Not the writer, not the agent of another queue, not a customer, not an
    # email address; each person once, whatever the case of the name.
    assert told() == [("layla", "mention"), ("supervisor", "mention")]


def test_a_mention_in_a_public_reply_tells_nobody(ticket, agent, colleague):
    services.reply_to_ticket(ticket, body_text="@layla will call you", by=agent)

    assert told() == []


def test_the_mentions_found_in_a_note():
    text = "@a.b, see @c-d. Mail x@y.z; (@e) @f_g."

    assert services.lifecycle.mentioned_usernames(text) == ["a.b", "c-d", "e", "f_g"]


# A memo to my queue -------------------------------------------------------


def test_a_memo_to_my_queue_is_listed_and_emailed(
    ticket, agent, other_agent, other_queue, agent_client, mailoutbox
):
    # Sent from the queue of the ticket to Billing, whose agent is told.
    send_memo(ticket, to_queue=other_queue, body_text="Please refund", by=agent)

    assert told() == [("other-agent", "memo")]
    notifications.send_pending_emails(timezone.now())
    assert [m.to for m in mailoutbox] == [["other-agent@example.com"]]
    assert "awaits an answer from Billing" in mailoutbox[0].body


# Sentences in Arabic --------------------------------------------------------


def test_the_sentences_read_in_arabic(ticket, agent, colleague, supervisor, bob):
    services.assign_ticket(ticket, agent=agent, by=colleague)
    services.add_message(ticket, direction="inbound", body_text="Any news?")
    services.add_note(ticket, body_text="@agent please call", by=colleague)
    by_kind = {n.kind: n for n in Notification.objects.all()}

    with translation.override("ar"):
        assigned = notification_sentence(by_kind["assigned"])
        reply = notification_sentence(by_kind["reply"])
        mention = notification_sentence(by_kind["mention"])

    assert assigned == f"أسند Layla Saleh إليك التذكرة {ticket.number}."
    assert reply == f"ردّ Bob على التذكرة {ticket.number}."
    assert mention == f"ذكرك Layla Saleh في ملاحظة على التذكرة {ticket.number}."


# The list page and the email ------------------------------------------------


def test_the_list_reads_every_kind_in_a_fixed_number_of_queries(
    bob, queue, agent, colleague, agent_client, django_assert_num_queries
):
    for n in range(4):
        ticket = make_ticket(bob, queue, subject=f"Question {n}")
        services.assign_ticket(ticket, agent=agent, by=colleague)
        services.add_message(ticket, direction="inbound", body_text="More")
        services.add_note(ticket, body_text="@agent look", by=colleague)

    with django_assert_num_queries(3):  # session, user with groups, notifications
        response = agent_client.get("/agent/notifications/")

    page = response.content.decode()
    assert page.count("Layla Saleh assigned") == 4
    assert page.count("Bob replied on") == 4
    assert page.count("Layla Saleh mentioned you") == 4


def test_the_email_quotes_the_note_that_names_me(ticket, agent, colleague, mailoutbox):
    services.add_note(ticket, body_text="@agent the bank needs a form", by=colleague)

    notifications.send_pending_emails(timezone.now())

    (email,) = mailoutbox
    assert email.to == ["agent@example.com"]
    subject = f"[{ticket.number}] Mentioned in a note: Refund not received"
    assert email.subject == subject
    assert "the bank needs a form" in email.body
    assert "the bank needs a form" in email.alternatives[0][0]
