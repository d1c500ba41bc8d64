"""Mail to customers about their tickets: sent from the ticket's mailbox with
its signed reply address, threaded on the customer's last message; what
became of each email shown on the ticket; refusals and bounces noted and
told to the agent."""

import smtplib
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.core.mail.backends import locmem
from django.urls import reverse
from django.utils import timezone

from mail import bounces
from mail.addresses import ticket_id_from_address
from mail.models import InboundEmail, Mailbox
from tickets import emails, notifications, services
from tickets.models import CustomerEmail, Message, Notification, TicketEvent
from tickets.outbox import is_own_message_id, new_message_id
from tickets.permissions import AGENTS
from tickets.tasks import send_customer_emails

from ..factories import CustomerFactory, QueueFactory, make_staff, make_ticket
from ..markers import requires_postgres, requires_redis
from ..smtp import smtp_sink
from ..worker import running_worker, wait_for, wait_for_sent

pytestmark = pytest.mark.django_db

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def support(queue):
    return Mailbox.objects.create(
        name="Customer Service", email_address="support@example.org", queue=queue
    )


@pytest.fixture
def layla(db):
    return CustomerFactory(
        name="Layla", email="layla@example.com", preferred_language="ar"
    )


def _email_ticket(customer, queue, mailbox, message_id="<first@mail.example.com>"):
    """A ticket opened by an email the customer sent to `mailbox`."""
    ticket = make_ticket(customer, queue, subject="Refund", email_message_id=message_id)
    _received(ticket, mailbox, ticket.messages.get())
    return ticket


def _received(ticket, mailbox, message):
    InboundEmail.objects.create(
        mailbox=mailbox,
        source=InboundEmail.Source.IMAP,
        outcome=InboundEmail.Outcome.THREADED,
        ticket=ticket,
        message=message,
        email_message_id=message.email_message_id,
        sender=ticket.customer.email,
    )


def _customer_writes(ticket, mailbox, message_id):
    message = services.add_message(
        ticket, direction=Message.Direction.INBOUND, body_text="Any news?"
    )
    Message.objects.filter(pk=message.pk).update(email_message_id=message_id)
    message.email_message_id = message_id
    _received(ticket, mailbox, message)
    return message


def _refuse(monkeypatch, error):
    def refuse(self, messages):
        raise error

    monkeypatch.setattr(LOCMEM_SEND, refuse)


# Which mailbox


def test_mail_goes_out_from_the_mailbox_the_customer_last_wrote_to(
    layla, queue, support, django_assert_num_queries
):
    sales = Mailbox.objects.create(
        name="Sales", email_address="sales@example.org", queue=queue
    )
    ticket = _email_ticket(layla, queue, support)
    _customer_writes(ticket, sales, "<second@mail.example.com>")

    with django_assert_num_queries(1):
        assert Mailbox.objects.for_ticket(ticket) == sales


def test_a_mailbox_no_longer_read_is_passed_over_for_the_queues_first(
    layla, queue, support
):
    old = Mailbox.objects.create(
        name="Old", email_address="old@example.org", queue=queue
    )
    ticket = _email_ticket(layla, queue, old)
    Mailbox.objects.filter(pk=old.pk).update(is_active=False)
    Mailbox.objects.create(name="Later", email_address="later@example.org", queue=queue)

    assert Mailbox.objects.for_ticket(ticket) == support


def test_a_ticket_from_the_web_form_uses_its_queues_mailbox_or_none(
    layla, queue, support, django_assert_num_queries
):
    ticket = make_ticket(layla, queue, channel="web")
    elsewhere = make_ticket(layla, QueueFactory(name="Billing", slug="billing"))

    with django_assert_num_queries(2):
        assert Mailbox.objects.for_ticket(ticket) == support
    assert Mailbox.objects.for_ticket(elsewhere) is None


# What the customer receives


def test_an_agents_reply_comes_from_the_mailbox_with_the_tickets_reply_address(
    layla, queue, support, agent, mailoutbox
):
    ticket = _email_ticket(layla, queue, support)

    reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    emails.send_pending()

    (email,) = mailoutbox
    assert email.from_email == "Customer Service <support@example.org>"
    (reply_to,) = email.reply_to
    assert reply_to.startswith("support+hd-") and reply_to.endswith("@example.org")
    assert ticket_id_from_address(reply_to) == ticket.pk
    assert email.subject == f"[{ticket.number}] رد: Refund"
    reply.refresh_from_db()
    assert email.extra_headers["Message-ID"] == reply.email_message_id
    assert is_own_message_id(reply.email_message_id)
    assert email.extra_headers["In-Reply-To"] == "<first@mail.example.com>"
    assert "Refund sent." in email.body


def test_a_reply_answers_the_customers_last_message_not_the_agents(
    layla, queue, support, agent, mailoutbox
):
    ticket = _email_ticket(layla, queue, support)
    first_reply = services.reply_to_ticket(ticket, body_text="Looking.", by=agent)
    _customer_writes(ticket, support, "<again@mail.example.com>")
    services.add_note(ticket, body_text="Checked the bank.", by=agent)
    services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    services.reply_to_ticket(ticket, body_text="And a receipt.", by=agent)
    emails.send_pending()

    last = mailoutbox[-1].extra_headers
    first_reply.refresh_from_db()
    assert last["In-Reply-To"] == "<again@mail.example.com>"
    assert last["References"].split() == [
        "<first@mail.example.com>",
        first_reply.email_message_id,
        "<again@mail.example.com>",
        Message.objects.filter(body_text="Refund sent.").get().email_message_id,
    ]


def test_a_long_threads_references_keep_its_start_and_its_latest(
    layla, queue, support, agent, mailoutbox
):
    ticket = _email_ticket(layla, queue, support)
    for n in range(15):
        _customer_writes(ticket, support, f"<m{n}@mail.example.com>")

    services.reply_to_ticket(ticket, body_text="Done.", by=agent)
    emails.send_pending()

    references = mailoutbox[-1].extra_headers["References"].split()
    assert len(references) == emails.REFERENCES_KEPT
    assert references[0] == "<first@mail.example.com>"
    assert references[-1] == "<m14@mail.example.com>"


@pytest.mark.parametrize("kind", ["acknowledgement", "resolution", "tracking link"])
def test_every_email_about_a_ticket_carries_its_number_and_reply_address(
    kind, layla, queue, support, agent, mailoutbox
):
    ticket = _email_ticket(layla, queue, support)
    if kind == "acknowledgement":
        emails.queue_acknowledgement(ticket, language="ar")
    elif kind == "resolution":
        services.change_status(ticket, status="resolved", by=agent)
    else:
        services.renew_tracking_token(ticket, by=agent)
    emails.send_pending()

    (email,) = mailoutbox
    assert email.subject.startswith(f"[{ticket.number}] ")
    assert parseaddr(email.from_email)[1] == "support@example.org"
    assert ticket_id_from_address(email.reply_to[0]) == ticket.pk
    assert email.extra_headers["In-Reply-To"] == "<first@mail.example.com>"


@pytest.mark.parametrize(
    ("subject", "cleaned"),
    [
        ("Refund", "Refund"),
        ("Re: [HD-2026-000001] Refund", "Refund"),
        ("RE: Fwd: re:Refund", "Refund"),
        ("رد: [HD-2026-000001] استرداد المبلغ", "استرداد المبلغ"),
        ("Refund [hd-2026-000001] and more", "Refund and more"),
        ("Where is Re: my order?", "Where is Re: my order?"),
    ],
)
def test_the_subject_of_our_email_keeps_no_other_ticket_number(subject, cleaned):
    assert emails.email_subject(subject) == cleaned


def test_a_ticket_quoting_another_tickets_number_is_answered_with_its_own(
    layla, queue, support, agent, mailoutbox
):
    ticket = make_ticket(layla, queue, subject="Re: [HD-2020-000001] Refund")

    services.reply_to_ticket(ticket, body_text="Done.", by=agent)
    emails.send_pending()

    assert mailoutbox[0].subject == f"[{ticket.number}] رد: Refund"


def test_without_a_mailbox_mail_comes_from_the_sites_address(
    layla, queue, agent, mailoutbox, settings
):
    settings.DEFAULT_FROM_EMAIL = "helpdesk@example.net"
    ticket = make_ticket(layla, queue, channel="web")

    services.reply_to_ticket(ticket, body_text="Done.", by=agent)
    emails.queue_sign_in_link("layla@example.com", language="ar")
    emails.send_pending()

    assert [e.from_email for e in mailoutbox] == ["helpdesk@example.net"] * 2
    assert [e.reply_to for e in mailoutbox] == [[], []]


def test_our_message_ids_are_told_apart_from_anyone_elses(settings):
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@example.org>"

    ours = new_message_id()

    assert ours.endswith("@example.org>")
    assert is_own_message_id(ours)
    assert is_own_message_id(ours.strip("<>"))
    assert not is_own_message_id("<CAF1234@mail.gmail.com>")
    assert not is_own_message_id("<abc@example.org>")
    assert not is_own_message_id(ours.replace("example.org", "example.com"))
    assert new_message_id() != ours


# Refused by the mail server


def test_a_refused_reply_is_marked_failed_and_its_agent_told(
    layla, queue, support, agent, supervisor, mailoutbox, monkeypatch
):
    ticket = _email_ticket(layla, queue, support)
    reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    _refuse(
        monkeypatch,
        smtplib.SMTPRecipientsRefused(
            {"layla@example.com": (550, b"5.1.1 No such user")}
        ),
    )

    assert emails.send_pending() == 0
    assert emails.send_pending() == 0
    monkeypatch.undo()

    row = CustomerEmail.objects.get(message=reply)
    assert row.delivery_state == CustomerEmail.Delivery.FAILED
    assert row.error == "layla@example.com: 550 5.1.1 No such user"
    (event,) = ticket.events.filter(action=TicketEvent.Action.EMAIL_FAILED)
    assert (event.old_value, event.message) == ("layla@example.com", reply)
    (notification,) = Notification.objects.all()
    assert notification.recipient == agent
    assert notification.kind == Notification.Kind.DELIVERY_FAILED
    assert notification.event == event
    notifications.send_pending_emails(timezone.now())
    (staff_email,) = mailoutbox
    assert staff_email.to == [agent.email]
    assert "Email not delivered" in staff_email.subject
    assert "did not reach layla@example.com: layla@example.com: 550" in (
        staff_email.body
    )
    assert "did not reach layla@example.com" in staff_email.alternatives[0][0]


def test_content_refused_for_good_fails_the_email(
    layla, queue, support, agent, monkeypatch
):
    ticket = _email_ticket(layla, queue, support)
    services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    _refuse(monkeypatch, smtplib.SMTPDataError(554, b"5.7.1 Rejected as spam"))

    emails.send_pending()

    row = CustomerEmail.objects.get()
    assert (row.delivery_state, row.error) == ("failed", "554 5.7.1 Rejected as spam")


def test_a_recipient_refused_for_now_is_tried_again_and_the_rest_go_out(
    layla, queue, support, agent, mailoutbox, monkeypatch
):
    ticket = _email_ticket(layla, queue, support)
    services.reply_to_ticket(ticket, body_text="First.", by=agent)
    other = make_ticket(CustomerFactory(email="sam@example.com"), queue)
    services.reply_to_ticket(other, body_text="Second.", by=agent)
    deliver = locmem.EmailBackend.send_messages

    def greylist(self, messages):
        if messages[0].to == ["layla@example.com"]:
            raise smtplib.SMTPRecipientsRefused(
                {"layla@example.com": (450, b"4.7.1 Greylisted, come back later")}
            )
        return deliver(self, messages)

    now = timezone.now()
    monkeypatch.setattr(LOCMEM_SEND, greylist)
    assert emails.send_pending(now) == 1
    monkeypatch.undo()

    assert mailoutbox[-1].to == ["sam@example.com"]
    waiting = CustomerEmail.objects.get(to_email="layla@example.com")
    assert waiting.delivery_state == CustomerEmail.Delivery.QUEUED
    assert not Notification.objects.exists()
    assert emails.send_pending(now + timedelta(minutes=1)) == 0
    assert emails.send_pending(now + emails.CLAIM_LEASE + timedelta(seconds=1)) == 1
    assert mailoutbox[-1].to == ["layla@example.com"]


def test_an_unreachable_mail_server_leaves_the_email_for_the_tasks_retry(
    layla, queue, support, agent, mailoutbox, monkeypatch
):
    ticket = _email_ticket(layla, queue, support)
    services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    _refuse(monkeypatch, smtplib.SMTPSenderRefused(553, b"not our sender", "x@y"))

    with pytest.raises(OSError):
        emails.send_pending()
    monkeypatch.undo()

    row = CustomerEmail.objects.get()
    assert (row.delivery_state, row.claimed_at) == ("queued", None)
    assert emails.send_pending() == 1


@pytest.mark.parametrize(
    ("assigned", "authored", "told"),
    [(True, True, "assignee"), (False, True, "author"), (False, False, "supervisor")],
)
def test_a_failure_is_told_to_the_assignee_else_the_author_else_the_supervisors(
    assigned, authored, told, layla, queue, support, agent, supervisor, monkeypatch
):
    colleague = make_staff("colleague", AGENTS, email="colleague@example.org")
    queue.agents.add(colleague)
    ticket = _email_ticket(layla, queue, support)
    if assigned:
        services.assign_ticket(ticket, agent=colleague, by=supervisor)
    if authored:
        services.reply_to_ticket(ticket, body_text="Done.", by=agent)
    else:
        emails.queue_acknowledgement(ticket, language="ar")
    _refuse(
        monkeypatch,
        smtplib.SMTPRecipientsRefused({"layla@example.com": (550, b"unknown")}),
    )

    emails.send_pending()

    people = {"assignee": colleague, "author": agent, "supervisor": supervisor}
    failures = Notification.objects.filter(kind=Notification.Kind.DELIVERY_FAILED)
    assert [n.recipient for n in failures] == [people[told]]


# Bounces


def _sent_reply(ticket, agent):
    reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    emails.send_pending()
    return CustomerEmail.objects.get(message=reply)


def test_a_bounce_marks_the_email_notes_it_and_tells_the_agent(
    layla, queue, support, agent
):
    ticket = _email_ticket(layla, queue, support)
    row = _sent_reply(ticket, agent)

    marked = bounces.record_bounce(
        [row.email_message_id.strip("<>")], "550 5.2.2 Mailbox full"
    )

    assert marked == [row]
    row.refresh_from_db()
    assert row.delivery_state == CustomerEmail.Delivery.BOUNCED
    assert row.bounce_reason == "550 5.2.2 Mailbox full"
    note = ticket.messages.get(direction=Message.Direction.INTERNAL)
    assert note.body_text == (
        "The email to layla@example.com was returned undelivered: "
        "550 5.2.2 Mailbox full"
    )
    assert note.author is None
    (event,) = ticket.events.filter(action=TicketEvent.Action.EMAIL_FAILED)
    assert event.actor is None
    (notification,) = Notification.objects.all()
    assert (notification.recipient, notification.event) == (agent, event)


def test_the_same_bounce_twice_changes_nothing_more(layla, queue, support, agent):
    ticket = _email_ticket(layla, queue, support)
    row = _sent_reply(ticket, agent)
    bounces.record_bounce([row.email_message_id], "user unknown")
    row.refresh_from_db()
    first = row.bounced_at

    again = bounces.record_bounce([row.email_message_id], "user unknown, again")

    assert again == []
    row.refresh_from_db()
    assert (row.bounced_at, row.bounce_reason) == (first, "user unknown")
    assert ticket.messages.filter(direction="internal").count() == 1
    assert Notification.objects.count() == 1


def test_a_bounce_of_mail_we_never_sent_or_about_no_ticket_notes_nothing(
    layla, queue, agent
):
    sign_in = emails.queue_sign_in_link("layla@example.com", language="ar")

    assert bounces.record_bounce(["<stranger@example.com>", ""], "gone") == []
    assert bounces.record_bounce([], "gone") == []
    assert bounces.record_bounce([sign_in.email_message_id], "gone") == [sign_in]
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


# On the ticket page


def test_the_ticket_page_shows_what_became_of_each_reply(
    agent_client, layla, queue, support, agent, monkeypatch
):
    ticket = _email_ticket(layla, queue, support)
    sent = _sent_reply(ticket, agent)
    bounced = _sent_reply(ticket, agent)
    bounces.record_bounce([bounced.email_message_id], "550 5.1.1 user unknown")
    services.reply_to_ticket(ticket, body_text="Refused.", by=agent)
    _refuse(
        monkeypatch,
        smtplib.SMTPRecipientsRefused({"layla@example.com": (550, b"no mailbox")}),
    )
    emails.send_pending()
    monkeypatch.undo()
    services.reply_to_ticket(ticket, body_text="Waiting.", by=agent)

    page = agent_client.get(ticket.get_absolute_url()).text

    assert page.count('data-testid="delivery-state"') == 4
    assert 'data-state="sent"' in page
    assert f'datetime="{timezone.localtime(sent.sent_at).isoformat()}"' in page
    assert "Returned undelivered" in page and "550 5.1.1 user unknown" in page
    assert "Not sent" in page and "layla@example.com: 550 no mailbox" in page
    assert "Waiting to be sent" in page
    assert "The email to layla@example.com was not delivered" in page


def test_the_delivery_state_is_in_arabic_for_an_arabic_agent(
    agent_client, layla, queue, support, agent
):
    ticket = _email_ticket(layla, queue, support)
    bounced = _sent_reply(ticket, agent)
    bounces.record_bounce([bounced.email_message_id], "550 user unknown")

    page = agent_client.get(ticket.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ar").text

    assert "أُعيدت دون تسليم" in page


def test_the_customer_does_not_see_delivery_state_in_the_portal(
    client, layla, queue, support, agent
):
    ticket = _email_ticket(layla, queue, support)
    _sent_reply(ticket, agent)

    page = client.get(reverse("portal:track", args=[ticket.tracking_token])).text

    assert "Refund sent." in page
    assert "delivery-state" not in page


def test_the_notifications_list_says_which_email_did_not_arrive(
    agent_client, layla, queue, support, agent
):
    ticket = _email_ticket(layla, queue, support)
    bounced = _sent_reply(ticket, agent)
    bounces.record_bounce([bounced.email_message_id], "550 user unknown")

    page = agent_client.get(reverse("tickets:notifications")).text

    assert (
        f"An email on {ticket.number} did not reach layla@example.com: 550 user unknown"
    ) in page
    assert "bi-envelope-x" in page


# Through a real worker, Redis and SMTP server


@pytest.fixture
def smtp_worker(monkeypatch):
    """A real worker sending to an SMTP sink; yields the sink. The outbox's
    kick goes to the worker's own queue, where no parallel test's worker can
    take it."""
    env = {"DJANGO_SETTINGS_MODULE": "tests.smtp_settings"}
    with smtp_sink() as (sink, port):
        env["TEST_SMTP_PORT"] = str(port)
        with running_worker(extra_env=env) as worker_queue:
            monkeypatch.setattr(
                emails,
                "kick_outbox",
                lambda: send_customer_emails.apply_async(queue=worker_queue),
            )
            yield sink


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_worker_delivers_a_reply_threaded_on_the_customers_last_message(
    layla, queue, support, agent, smtp_worker
):
    ticket = _email_ticket(layla, queue, support)
    services.reply_to_ticket(ticket, body_text="Looking into it.", by=agent)
    _customer_writes(ticket, support, "<again@mail.example.com>")
    wait_for(lambda: len(smtp_worker.messages) == 1)

    reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    wait_for(lambda: len(smtp_worker.messages) == 2)
    wait_for_sent(message=reply)

    email = smtp_worker.messages[-1]
    reply.refresh_from_db()
    assert email["From"] == "Customer Service <support@example.org>"
    assert ticket_id_from_address(email["Reply-To"]) == ticket.pk
    assert email["Subject"] == f"[{ticket.number}] رد: Refund"
    assert email["Message-ID"] == reply.email_message_id
    assert email["In-Reply-To"] == "<again@mail.example.com>"
    assert "Refund sent." in email.get_body(("plain",)).get_content()
    assert CustomerEmail.objects.get(message=reply).sent_at is not None


@requires_redis
@requires_postgres("a worker process shares the test database over the network")
@pytest.mark.django_db(transaction=True)
def test_a_worker_marks_a_refused_reply_failed_and_emails_its_agent(
    layla, queue, support, agent, smtp_worker
):
    smtp_worker.refuse["layla@example.com"] = "550 5.1.1 No such user here"
    ticket = _email_ticket(layla, queue, support)

    reply = services.reply_to_ticket(ticket, body_text="Refund sent.", by=agent)
    wait_for(lambda: smtp_worker.messages)
    wait_for(
        CustomerEmail.objects.filter(message=reply, failed_at__isnull=False).exists
    )

    (email,) = smtp_worker.messages
    assert email["To"] == agent.email
    assert "did not reach layla@example.com" in email.get_body(("plain",)).get_content()
    row = CustomerEmail.objects.get(message=reply)
    assert row.delivery_state == CustomerEmail.Delivery.FAILED
    assert "550 5.1.1 No such user here" in row.error
    assert Notification.objects.get().recipient == agent
